package vocab

import (
	"context"
	"encoding/json"
	"testing"

	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// The generated code takes a text that starts like a URL scheme for an IRI
// and lower-cases that word: TextOf reads the text as the peer sent it.
func TestTextOf_ReadsTextTheGeneratedCodeMistakesForAnIRI(t *testing.T) {
	raw := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/1","type":"Note","summary":"Note: bring gloves"}`)
	got, err := Resolve(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	s := got.(streamsvocab.ActivityStreamsNote).GetActivityStreamsSummary().At(0)
	if !s.IsIRI() || s.GetXMLSchemaString() != "" {
		t.Fatalf("the generated code now reads the summary as text (%v): update TextOf's comment and docs", s)
	}
	m, _ := Parse(raw)
	if TextOf(m["summary"]) != "Note: bring gloves" {
		t.Errorf("TextOf = %q", TextOf(m["summary"]))
	}
	for _, tt := range []struct {
		in   any
		want string
	}{
		{"a", "a"}, {[]any{"b", "c"}, "b"}, {[]any{3.0, "d"}, "d"}, {nil, ""}, {map[string]any{"en": "e"}, ""},
	} {
		if got := TextOf(tt.in); got != tt.want {
			t.Errorf("TextOf(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A list property with one value is still an array: Mastodon reads a poll
// only from an array.
func TestSerialize_WritesListsAsArrays(t *testing.T) {
	f := taskFields()
	f.DoneCriteria = []string{"only one"}
	task, err := NewTask(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Serialize(task)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"doneCriteria", "reviewers", "to", "cc"} {
		if a, ok := m[k].([]any); !ok || len(a) != 1 {
			t.Errorf("%s = %#v, want an array of one", k, m[k])
		}
	}
}

func TestContextDocument_IsTheInlineContext(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(MarshalContextDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	if string(mustJSON(t, doc["@context"])) != string(mustJSON(t, Context())) {
		t.Errorf("/ns serves %v", doc["@context"])
	}
}
