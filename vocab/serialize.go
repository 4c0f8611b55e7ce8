package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// Serialize returns v as a JSON-LD document carrying Context inline.
//
// It replaces whatever @context the generated code would build: go-fed's
// lists namespace URLs as if they were context documents and omits the
// ActivityStreams context when only extension properties are set.
func Serialize(v Type) (map[string]any, error) {
	m, err := body(v)
	if err != nil {
		return nil, err
	}
	m["@context"] = Context()
	return m, nil
}

// body is v's document without its @context.
func body(v Type) (map[string]any, error) {
	if v == nil {
		return nil, errors.New("serialize: nil value")
	}
	m, err := v.Serialize()
	if err != nil {
		return nil, fmt.Errorf("serialize %s: %w", v.GetTypeName(), err)
	}
	delete(m, "@context")
	alwaysArrays(m)
	return m, nil
}

// contextJSON is Context encoded once: encoding its hundred terms costs
// more than the rest of most documents.
var contextJSON = sync.OnceValue(func() []byte {
	b, err := encode(Context())
	if err != nil {
		panic(fmt.Sprintf("vocab: Context does not encode: %v", err))
	}
	return b
})

// ContextJSON returns Context as JSON, for documents built as maps:
// map[string]any{"@context": vocab.ContextJSON(), …} marshals it verbatim
// without encoding the context again.
func ContextJSON() json.RawMessage {
	return bytes.Clone(contextJSON())
}

// listProperties are written as arrays even with one value. The generated
// code writes a single value bare, but Mastodon reads a poll only when its
// oneOf or anyOf is an array (PollParser#valid?), Mobilizon enumerates
// attachments, and peers that do not process JSON-LD read these lists more
// simply when their shape never changes.
var listProperties = map[string]bool{
	"oneOf": true, "anyOf": true,
	"doneCriteria": true, "acceptanceChecklist": true, "beneficiaries": true, "reviewers": true,
	"checks": true, "postings": true, "phases": true, "actions": true, "scores": true,
	"delegates": true, "roles": true,
	// Mobilizon enumerates an event's attachments to find its online
	// address (converter/event.ex, get_online_address), its tags, and its
	// audience to find the public collection (get_visibility).
	"attachment": true, "tag": true, "to": true, "cc": true,
}

// alwaysArrays wraps, at any depth, the single values of listProperties.
func alwaysArrays(v any) {
	switch n := v.(type) {
	case map[string]any:
		for k, e := range n {
			if k == "@context" {
				continue
			}
			if listProperties[k] {
				if _, ok := e.([]any); !ok {
					n[k] = []any{e}
				}
			}
			alwaysArrays(n[k])
		}
	case []any:
		for _, e := range n {
			alwaysArrays(e)
		}
	}
}

// Marshal returns v as JSON (see Serialize), with keys in a stable order and
// HTML characters left as they are.
func Marshal(v Type) ([]byte, error) {
	m, err := body(v)
	if err != nil {
		return nil, err
	}
	b, err := encode(m)
	if err != nil {
		return nil, fmt.Errorf("marshal %s: %w", v.GetTypeName(), err)
	}
	// "@context" sorts before every other key: splice it in first, as
	// encoding the whole map would.
	ctx := contextJSON()
	out := make([]byte, 0, len(ctx)+len(b)+13)
	out = append(out, `{"@context":`...)
	out = append(out, ctx...)
	if len(b) > 2 {
		out = append(out, ',')
	}
	return append(out, b[1:]...), nil
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
