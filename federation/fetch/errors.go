package fetch

import (
	"errors"
	"fmt"
	"net/http"
)

// Refusals a caller may need to tell apart. Each returned error wraps one of
// them (or is a *StatusError) together with the URL concerned.
var (
	// ErrURLRefused is a URL that is not an absolute https URL (http is
	// allowed only with Options.AllowPrivate), or that carries user
	// information.
	ErrURLRefused = errors.New("URL refused")
	// ErrHostRefused is a host the instance does not federate with
	// (Options.Hosts refused it).
	ErrHostRefused = errors.New("host refused by policy")
	// ErrPrivateAddress is a connection to a private, loopback, link-local
	// or otherwise non-public address refused at dial time.
	ErrPrivateAddress = errors.New("address is not public")
	// ErrTooManyRedirects is a fourth redirect.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrContentType is an answer that is not application/activity+json nor
	// application/ld+json with the ActivityStreams profile.
	ErrContentType = errors.New("not an ActivityStreams content type")
	// ErrTooLarge is an answer larger than Options.MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrMalformed is an answer that is not one JSON object.
	ErrMalformed = errors.New("response is not a JSON object")
	// ErrIDMismatch is a document whose id is not the URL it was served
	// from, even after fetching it again from its id.
	ErrIDMismatch = errors.New("document id does not match its URL")
	// ErrNotFound is a 404. It matches a *StatusError with that code.
	ErrNotFound = errors.New("not found")
	// ErrGone is a 410: the object (or actor) was deleted and will not come
	// back. It matches a *StatusError with that code.
	ErrGone = errors.New("gone")
)

// StatusError is an answer whose status is neither 200 nor a redirect that
// was followed. errors.Is matches ErrNotFound for 404 and ErrGone for 410.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("unexpected status %d %s", e.Code, http.StatusText(e.Code))
}

// Is lets callers test errors.Is(err, ErrGone) without knowing about
// StatusError.
func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == http.StatusNotFound
	case ErrGone:
		return e.Code == http.StatusGone
	}
	return false
}
