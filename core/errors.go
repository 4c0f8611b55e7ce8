package core

import (
	"errors"
	"fmt"
)

// Kind says which class of failure an Error is, so that each transport maps
// it once (HTTP status, problem type) without knowing the rule that failed.
type Kind int

// The kinds of failure a domain rule reports.
const (
	KindInvalid         Kind = iota + 1 // the input breaks a rule of form or content
	KindUnauthenticated                 // no or bad credentials
	KindForbidden                       // the actor may not do this
	KindNotFound                        // no such thing (or not visible to the actor)
	KindConflict                        // the request clashes with the current state
	KindRateLimited                     // too many attempts; try later
	KindTooLarge                        // the input is over a size bound
	KindUnavailable                     // another server needed for this could not be reached
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindUnauthenticated:
		return "unauthenticated"
	case KindForbidden:
		return "forbidden"
	case KindNotFound:
		return "not-found"
	case KindConflict:
		return "conflict"
	case KindRateLimited:
		return "rate-limited"
	case KindTooLarge:
		return "too-large"
	case KindUnavailable:
		return "unavailable"
	}
	return "internal"
}

// FieldError names one invalid input field and why it is invalid.
type FieldError struct {
	Field  string `json:"field"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Error is a failure a user may be told about. Code is a stable slug
// ("name-taken") that machines and the translation catalogue key on; Detail
// is a readable English sentence safe to show; Err, if any, is the cause and
// is never shown.
type Error struct {
	Kind   Kind
	Code   string
	Detail string
	Fields []FieldError
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Detail, e.Err)
	}
	return e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is match two Errors of the same kind and code, so that
// sentinel values such as membership.ErrNameTaken can be compared after wrapping.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Code == e.Code
}

// New returns an Error of the given kind and code.
func New(kind Kind, code, detail string) *Error {
	return &Error{Kind: kind, Code: code, Detail: detail}
}

// Invalid returns a KindInvalid error listing the invalid fields.
func Invalid(fields ...FieldError) *Error {
	detail := "the request has invalid fields"
	if len(fields) == 1 {
		detail = fields[0].Field + ": " + fields[0].Detail
	}
	return &Error{Kind: KindInvalid, Code: "invalid-input", Detail: detail, Fields: fields}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// KindOf returns the kind of err, or 0 for an unexpected (internal) error.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return 0
}
