package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Limits on incoming documents. They are far above anything a real peer
// sends and keep a hostile one from costing memory or CPU.
const (
	// MaxDocumentSize is the largest document Parse accepts, in bytes.
	MaxDocumentSize = 1 << 20
	// MaxDepth is the deepest nesting of objects and arrays Parse accepts;
	// the document itself is depth 1.
	MaxDepth = 32
	// MaxArrayLength is the longest array Parse accepts.
	MaxArrayLength = 10_000
)

// Errors of Parse and Resolve, for callers to tell apart (errors.Is).
var (
	ErrTooLarge      = errors.New("document too large")
	ErrTooDeep       = errors.New("document nested too deeply")
	ErrArrayTooLong  = errors.New("document has too long an array")
	ErrMalformed     = errors.New("document is not valid JSON")
	ErrNotObject     = errors.New("document is not a JSON object")
	ErrNoType        = errors.New("document has no type")
	ErrUnknownType   = errors.New("document has no type Holon knows")
	ErrBadContext    = errors.New("document has an unusable @context")
	ErrNormalisation = errors.New("document could not be normalised")
)

// Parse decodes an incoming document after checking its size
// (MaxDocumentSize), its nesting (MaxDepth) and its arrays (MaxArrayLength)
// with a streaming walk, so that nothing is allocated for a document that is
// then refused. The document must be a JSON object with a non-empty type (a
// string or an array of strings, under "type" or JSON-LD's "@type").
func Parse(raw []byte) (map[string]any, error) {
	if len(raw) > MaxDocumentSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(raw), MaxDocumentSize)
	}
	if err := checkShape(raw); err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := checkType(docType(m)); err != nil {
		return nil, err
	}
	return m, nil
}

// docType returns the type of a decoded document, written "type" as
// ActivityStreams does or "@type" as plain JSON-LD may.
func docType(m map[string]any) any {
	if t, ok := m["type"]; ok {
		return t
	}
	return m["@type"]
}

// checkShape walks the tokens of raw and refuses it when it is not one JSON
// object or when it exceeds MaxDepth or MaxArrayLength.
func checkShape(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	// counts[i] is the number of elements seen so far in the array open at
	// depth i+1, or -1 when an object is open there.
	counts := make([]int, 0, 8)
	first := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if first {
				return fmt.Errorf("%w: empty input", ErrMalformed)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if first {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return ErrNotObject
			}
			first = false
		} else if len(counts) == 0 {
			return fmt.Errorf("%w: data after the top-level object", ErrMalformed)
		}
		// A value directly inside an array counts as one element. Object
		// keys and values are not counted (More/Token do not tell them
		// apart, and objects are bounded by the size limit).
		if n := len(counts); n > 0 && counts[n-1] >= 0 {
			if d, ok := tok.(json.Delim); !ok || d == '{' || d == '[' {
				counts[n-1]++
				if counts[n-1] > MaxArrayLength {
					return fmt.Errorf("%w: more than %d elements", ErrArrayTooLong, MaxArrayLength)
				}
			}
		}
		d, ok := tok.(json.Delim)
		if !ok {
			continue
		}
		switch d {
		case '{', '[':
			if len(counts) == MaxDepth {
				return fmt.Errorf("%w: more than %d levels", ErrTooDeep, MaxDepth)
			}
			c := -1
			if d == '[' {
				c = 0
			}
			counts = append(counts, c)
		case '}', ']':
			counts = counts[:len(counts)-1]
		}
	}
}

// checkType accepts a non-empty string or a non-empty array of non-empty
// strings.
func checkType(t any) error {
	switch v := t.(type) {
	case nil:
		return ErrNoType
	case string:
		if v == "" {
			return fmt.Errorf("%w: empty type", ErrNoType)
		}
		return nil
	case []any:
		if len(v) == 0 {
			return fmt.Errorf("%w: empty type array", ErrNoType)
		}
		for _, e := range v {
			if s, ok := e.(string); !ok || s == "" {
				return fmt.Errorf("%w: type array holds %v", ErrNoType, e)
			}
		}
		return nil
	default:
		return fmt.Errorf("%w: type is %T", ErrNoType, t)
	}
}
