package httpsig

import "errors"

// Errors returned by Verify, wrapped with the detail of the request at hand. Each names
// one reason for refusal so that the inbox can count and log it; match with errors.Is.
var (
	// ErrNotSigned: neither a Signature header nor an "Authorization: Signature" one.
	ErrNotSigned = errors.New("request not signed")
	// ErrMessageSignature: an RFC 9421 signature (Signature-Input), which we do not verify.
	ErrMessageSignature = errors.New("RFC 9421 HTTP message signatures are not supported")
	// ErrSignatureTooLarge: the Signature header exceeds MaxSignatureBytes.
	ErrSignatureTooLarge = errors.New("signature header too large")
	// ErrMalformedSignature: the header does not parse, lacks keyId or signature, or
	// uses a pseudo-header its algorithm does not allow.
	ErrMalformedSignature = errors.New("malformed signature header")
	// ErrTooManySignedHeaders: the headers parameter lists more than MaxSignedHeaders.
	ErrTooManySignedHeaders = errors.New("too many signed headers")
	// ErrUnsupportedAlgorithm: an algorithm other than rsa-sha256 or hs2019.
	ErrUnsupportedAlgorithm = errors.New("unsupported signature algorithm")
	// ErrRequiredHeaderNotSigned: a header we require ((request-target), date or
	// (created), host on GET, digest on POST) is not in the signed list.
	ErrRequiredHeaderNotSigned = errors.New("required header not signed")
	// ErrSignedHeaderMissing: a header in the signed list is absent from the request.
	ErrSignedHeaderMissing = errors.New("signed header missing from request")
	// ErrInvalidDate: the Date header or the created/expires parameter does not parse.
	ErrInvalidDate = errors.New("invalid signature date")
	// ErrDateTooOld: the request was signed more than ClockSkew ago.
	ErrDateTooOld = errors.New("signature date too old")
	// ErrDateInFuture: the request claims to be signed more than ClockSkew from now.
	ErrDateInFuture = errors.New("signature date in the future")
	// ErrExpired: the signature's expires parameter has passed.
	ErrExpired = errors.New("signature expired")
	// ErrMalformedDigest: a Digest value that is not base64 of the right length.
	ErrMalformedDigest = errors.New("malformed digest")
	// ErrUnsupportedDigest: the Digest header offers neither SHA-256 nor SHA-512.
	ErrUnsupportedDigest = errors.New("unsupported digest algorithm")
	// ErrDigestMismatch: the Digest header does not match the body.
	ErrDigestMismatch = errors.New("digest does not match body")
	// ErrKeyFetch: the KeyFetcher failed; its own error is wrapped too.
	ErrKeyFetch = errors.New("public key fetch failed")
	// ErrUnsupportedKey: the key is not an RSA key of at most MaxKeyBits.
	ErrUnsupportedKey = errors.New("unsupported public key")
	// ErrBadSignature: the signature does not verify, even with a refetched key.
	ErrBadSignature = errors.New("signature does not verify")
)
