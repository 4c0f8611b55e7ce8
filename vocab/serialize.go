package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Serialize returns v as a JSON-LD document carrying Context inline.
//
// It replaces whatever @context the generated code would build: go-fed's
// lists namespace URLs as if they were context documents and omits the
// ActivityStreams context when only extension properties are set.
func Serialize(v Type) (map[string]any, error) {
	if v == nil {
		return nil, errors.New("serialize: nil value")
	}
	m, err := v.Serialize()
	if err != nil {
		return nil, fmt.Errorf("serialize %s: %w", v.GetTypeName(), err)
	}
	m["@context"] = Context()
	return m, nil
}

// Marshal returns v as JSON (see Serialize), with keys in a stable order and
// HTML characters left as they are.
func Marshal(v Type) ([]byte, error) {
	m, err := Serialize(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", v.GetTypeName(), err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
