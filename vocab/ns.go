package vocab

import (
	"bytes"
	"encoding/json"
)

// ContextMediaType is the media type of the context document served at /ns.
const ContextMediaType = "application/ld+json"

// ContextDocument returns the JSON-LD context document of Holon's
// vocabulary: {"@context": Context()}. Every instance serves it at /ns, and
// it is what ContextURL stands for; Holon's own documents carry the same
// context inline instead of referring to it.
func ContextDocument() map[string]any {
	return map[string]any{"@context": Context()}
}

// MarshalContextDocument returns ContextDocument as indented JSON, with keys
// in a stable order, ready to serve.
func MarshalContextDocument() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ContextDocument()); err != nil {
		panic(err) // plain maps and strings always encode
	}
	return buf.Bytes()
}
