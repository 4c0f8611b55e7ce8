package vocab

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/holon-network/holon/vocab/streams"
)

// ErrInvalidValue reports a document Holon cannot read although its type
// is known: an id that is not an absolute IRI, or a value the generated
// code fails on. (The generated code keeps most ill-typed values, a date
// that is not a date for instance, as unknown values instead of failing:
// check what you use.)
var ErrInvalidValue = errors.New("document has a value that does not fit its property")

// Resolve parses an incoming document (see Parse for its limits) and returns
// the generated type for it. A multi-typed document resolves to the first
// type Holon knows.
//
// A document without @context is read as plain ActivityStreams: several
// peers omit it (Lemmy's objects, for instance) and every name they use is
// an ActivityStreams name.
func Resolve(ctx context.Context, raw []byte) (Type, error) {
	m, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	return ResolveMap(ctx, m)
}

// ResolveMap is Resolve for a document already decoded by Parse. It does
// not modify m.
func ResolveMap(ctx context.Context, m map[string]any) (t Type, err error) {
	// The generated code and json-gold were not written for hostile input;
	// a peer's document must never bring the process down.
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("%w: resolving %v panicked: %v", ErrInvalidValue, m["type"], r)
		}
	}()
	if err := checkType(docType(m)); err != nil {
		return nil, err
	}
	plain, err := isPlain(m)
	if err != nil {
		return nil, err
	}
	switch {
	case !plain:
		if m, err = normalise(m); err != nil {
			return nil, err
		}
		if err := checkType(m["type"]); err != nil {
			return nil, fmt.Errorf("%w (after normalisation)", err)
		}
	case m["@context"] == nil:
		m = withContext(m, ActivityStreamsContext)
	}
	if err := checkID(m["id"]); err != nil {
		return nil, err
	}
	t, err = streams.ToType(ctx, m)
	switch {
	case errors.Is(err, streams.ErrUnhandledType):
		return nil, fmt.Errorf("%w: %v", ErrUnknownType, m["type"])
	case err != nil:
		return nil, fmt.Errorf("%w: %v: %v", ErrInvalidValue, m["type"], err)
	}
	return t, nil
}

// checkID refuses a top-level id that is not an absolute IRI: the generated
// code would keep it as an unknown value, and GetJSONLDId().Get() would
// then return nil to callers that rely on it.
func checkID(id any) error {
	if id == nil {
		return nil
	}
	s, ok := id.(string)
	if !ok {
		return fmt.Errorf("%w: id is a %T, not an IRI", ErrInvalidValue, id)
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return fmt.Errorf("%w: id %q is not an absolute IRI", ErrInvalidValue, s)
	}
	return nil
}
