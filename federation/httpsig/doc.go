// Package httpsig signs outgoing ActivityPub requests and verifies incoming ones with
// HTTP Signatures as the fediverse speaks them: draft-cavage-http-signatures-12 with
// RSA PKCS#1 v1.5 over SHA-256, announced as "rsa-sha256" or "hs2019".
//
// Signing. SignPOST (deliveries) covers "(request-target) host date digest
// content-type"; SignGET (fetches) covers "(request-target) host date accept". Both set
// Host and Date themselves, from the URL and the clock they are given, because Go's
// client sends r.Host, not r.Header["Host"], and what is signed must be what goes on
// the wire.
//
// Verification. Verify answers one question: which key, owned by which actor, signed
// this request. It checks, cheapest first, so that garbage never costs a key fetch:
// the header is present and bounded, its parameters parse, the algorithm is one we
// accept, the headers our peers must sign are signed, the signing time is within an
// hour of now, the Digest matches the body; then it fetches the key through the
// caller's KeyFetcher, verifies, and on a mismatch refetches the key once (rotation).
// Every refusal carries a sentinel error (ErrDigestMismatch, ErrDateTooOld, …) so the
// inbox can count and log why.
//
// What it must never do: decide who may act (the caller compares Result.Owner with the
// activity's actor), fetch anything itself (keys come from the KeyFetcher), read the
// request body (the caller passes the bytes it read under its own size limit), log,
// or accept a request on which one of the checks above was skipped.
//
// RFC 9421 HTTP Message Signatures (a Signature-Input header) are recognised and
// refused with ErrMessageSignature: Mastodon signs with draft-cavage first and only
// falls back to RFC 9421 when that is refused, so every current peer reaches us.
//
// The signing string and the RSA operation are written here over crypto/rsa rather
// than through go-fed/httpsig: its v1.1.0 signer always announces "hs2019", reads Host
// from r.Header, builds (request-target) from the decoded path, and its verifier checks
// (created) and (expires) against the wall clock with ten seconds of skew. The tests
// use go-fed/httpsig as an independent peer in both directions.
package httpsig
