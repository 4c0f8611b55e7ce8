// Package fetch gets remote ActivityPub objects (actors, keys, posts,
// collections) on behalf of the instance, and refuses anything a hostile or
// broken server could use against it.
//
// A fetch is a signed GET of an https URL with the ActivityStreams Accept
// header. The answer is taken only when it is a 200 with an ActivityStreams
// content type, no larger than the configured limit, and when the document's
// own id is the URL it was finally served from; a document that claims
// another id is fetched once more from that id, so that only the id's host
// can vouch for it. At most three redirects are followed, each target checked
// like the first URL and signed anew. Every connection, redirect targets and
// every address a name resolves to included, is checked when it is dialled,
// so private, loopback and link-local addresses (and the cloud metadata
// address) stay out of reach even through DNS rebinding, unless the operator
// allows them for tests or a closed network.
//
// Every refusal has its own error (ErrPrivateAddress, ErrTooLarge,
// ErrContentType, ErrIDMismatch, ErrGone, ...) so that the inbox and the
// admin pages can say why an object could not be fetched.
//
// This package never logs, never caches and never interprets a document
// beyond its top-level id: caching remote actors and parsing belong to the
// callers.
package fetch
