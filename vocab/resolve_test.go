package vocab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/holon-network/holon/internal/fixtures"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// Every real-world payload resolves or is refused with a clear error; those
// of types Holon handles resolve to the right type.
func TestResolve_RealWorldPayloads(t *testing.T) {
	dir := fixtures.Dir(t)
	want := map[string]string{ // file → type name; "" when no type is expected
		"mastodon-note-object.json":               "Note",
		"mastodon-note-create.json":               "Create",
		"mastodon-question.json":                  "Create",
		"mastodon-docs-question-voterscount.json": "Question",
		"pleroma-question.json":                   "Question",
		"mastodon-follow.json":                    "Follow",
		"mastodon-accept-follow.json":             "Accept",
		"mastodon-undo-follow.json":               "Undo",
		"mastodon-like.json":                      "Like",
		"mastodon-announce.json":                  "Announce",
		"mastodon-delete-note.json":               "Delete",
		"mastodon-block.json":                     "Block",
		"mastodon-flag.json":                      "Flag",
		"mastodon-person.json":                    "Person",
		"gancio-actor.json":                       "Application",
		// Pleroma's copy keeps a template placeholder in its ids
		// ("https://{{DOMAIN}}/actor"): not an IRI, refused.
		"mastodon-instance-actor-application.json": "",
		"mastodon-update-person.json":              "Update",
		"mastodon-featured-collection.json":        "OrderedCollection",
		"gotosocial-person.json":                   "Person",
		"friendica-person.json":                    "Person",
		"pleroma-note.json":                        "Note",
		"lemmy-group.json":                         "Group",
		"lemmy-page.json":                          "Page",
		"lemmy-comment-note.json":                  "Note",
		"lemmy-tombstone.json":                     "Tombstone",
		"mobilizon-event.json":                     "Event",
		"mobilizon-group.json":                     "Group",
		"mobilizon-join.json":                      "Join",
		"mobilizon-leave.json":                     "Leave",
		"peertube-video.json":                      "Video",
		"misskey-like-reaction.json":               "Like",
		"mastodon-webfinger.json":                  "",
		"wordpress-event-federation-nodeinfo.json": "",
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s (%v)", dir, err)
	}
	seen := 0
	for _, f := range files {
		base := filepath.Base(f)
		t.Run(base, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, perr := Parse(raw)
			got, err := Resolve(context.Background(), raw)
			if (perr == nil) != (err == nil || !errors.Is(err, ErrNoType)) {
				t.Errorf("Parse says %v, Resolve says %v", perr, err)
			}
			if err != nil && !errors.Is(err, ErrNoType) && !errors.Is(err, ErrUnknownType) && !errors.Is(err, ErrInvalidValue) {
				t.Errorf("unexpected error: %v", err)
			}
			name, listed := want[base]
			if !listed {
				return
			}
			seen++
			switch {
			case name == "" && err == nil:
				t.Errorf("resolved to %s, want an error", got.GetTypeName())
			case name != "" && err != nil:
				t.Errorf("err = %v, want a %s", err, name)
			case name != "" && got.GetTypeName() != name:
				t.Errorf("resolved to %s, want %s", got.GetTypeName(), name)
			}
		})
	}
	if seen != len(want) {
		t.Errorf("%d of the %d expected fixtures were found", seen, len(want))
	}
}

// The fast path reads the extensions peers put on ActivityStreams types.
func TestResolve_ReadsPeersExtensions(t *testing.T) {
	dir := fixtures.Dir(t)
	raw, err := os.ReadFile(filepath.Join(dir, "mastodon-docs-question-voterscount.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Resolve(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	q := got.(streamsvocab.ActivityStreamsQuestion)
	if c := q.GetTootVotersCount(); c == nil || c.Get() == 0 {
		t.Errorf("votersCount = %v", c)
	}

	raw, err = os.ReadFile(filepath.Join(dir, "mobilizon-event.json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err = Resolve(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	// Mobilizon's context maps "location" to schema.org; read it as
	// ActivityStreams' location, as Mastodon does.
	if loc := got.(streamsvocab.ActivityStreamsEvent).GetActivityStreamsLocation(); loc == nil || loc.Len() == 0 {
		t.Error("the event's location was lost")
	}
}

func TestResolve_NormalisesPrefixedAndAliasedNames(t *testing.T) {
	const as = `"https://www.w3.org/ns/activitystreams"`
	for _, tt := range []struct {
		name     string
		doc      string
		wantType string
		check    func(t *testing.T, got Type)
	}{
		{
			name:     "prefixed type and property",
			doc:      `{"@context":` + as + `,"id":"https://a.example/1","type":"as:Note","as:content":"hi","to":"https://www.w3.org/ns/activitystreams#Public"}`,
			wantType: "Note",
			check: func(t *testing.T, got Type) {
				n := got.(streamsvocab.ActivityStreamsNote)
				if c := n.GetActivityStreamsContent(); c == nil || c.At(0).GetXMLSchemaString() != "hi" {
					t.Errorf("content = %v", c)
				}
				if to := n.GetActivityStreamsTo(); to == nil || to.At(0).GetIRI().String() != PublicAudience {
					t.Errorf("to = %v, want the full public IRI", to)
				}
			},
		},
		{
			name:     "full IRIs",
			doc:      `{"@context":` + as + `,"id":"https://a.example/1","type":"https://www.w3.org/ns/activitystreams#Note","https://www.w3.org/ns/activitystreams#name":"hello"}`,
			wantType: "Note",
			check: func(t *testing.T, got Type) {
				if n := got.(streamsvocab.ActivityStreamsNote).GetActivityStreamsName(); n == nil || n.At(0).GetXMLSchemaString() != "hello" {
					t.Errorf("name = %v", n)
				}
			},
		},
		{
			name:     "Holon's names prefixed",
			doc:      `{"@context":[` + as + `,{"h":"https://w3id.org/holon#"}],"id":"https://a.example/1","type":"Question","h:phase":"debate"}`,
			wantType: "Question",
			check: func(t *testing.T, got Type) {
				if p := got.(streamsvocab.ActivityStreamsQuestion).GetHolonPhase(); p == nil || p.Get() != "debate" {
					t.Errorf("phase = %v", p)
				}
			},
		},
		{
			name:     "Holon's type as an IRI, core type second",
			doc:      `{"@context":` + as + `,"id":"https://a.example/1","type":["https://w3id.org/holon#Task","Page"],"name":"t"}`,
			wantType: "Task",
		},
		{
			name:     "an alias of a type",
			doc:      `{"@context":[` + as + `,{"Post":"as:Note"}],"id":"https://a.example/1","type":"Post"}`,
			wantType: "Note",
		},
		{
			name:     "a keyword alias",
			doc:      `{"@context":[` + as + `,{"identifier":"@id"}],"identifier":"https://a.example/1","type":"Note"}`,
			wantType: "Note",
			check: func(t *testing.T, got Type) {
				if got.GetJSONLDId() == nil || got.GetJSONLDId().Get().String() != "https://a.example/1" {
					t.Errorf("id = %v", got.GetJSONLDId())
				}
			},
		},
		{
			name:     "JSON-LD keywords",
			doc:      `{"@context":` + as + `,"@id":"https://a.example/1","@type":"Note"}`,
			wantType: "Note",
		},
		{
			name:     "no context and a prefixed type",
			doc:      `{"id":"https://a.example/1","type":"as:Follow","actor":"https://a.example/a","object":"https://b.example/b"}`,
			wantType: "Follow",
		},
		{
			name:     "a context URL Holon does not know",
			doc:      `{"@context":[` + as + `,"https://unknown.example/ns"],"id":"https://a.example/1","type":"as:Note","secret":"x"}`,
			wantType: "Note",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if plain, err := isPlain(m); plain || err != nil {
				t.Fatalf("isPlain = %v, %v: the test must take the slow path", plain, err)
			}
			got, err := Resolve(context.Background(), []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if got.GetTypeName() != tt.wantType {
				t.Fatalf("resolved to %s, want %s", got.GetTypeName(), tt.wantType)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestResolve_KeepsPlainDocumentsOnTheFastPath(t *testing.T) {
	for _, tt := range []struct{ name, doc string }{
		{"no context", `{"type":"Note"}`},
		{"ActivityStreams only", `{"@context":"https://www.w3.org/ns/activitystreams","type":"Note"}`},
		{"Holon's own context", string(mustJSON(t, map[string]any{"@context": Context(), "type": []string{"Task", "Page"}}))},
		{"Mastodon's extensions", `{"@context":["https://www.w3.org/ns/activitystreams",{"toot":"http://joinmastodon.org/ns#","votersCount":"toot:votersCount","Hashtag":"as:Hashtag"}],"type":"Question"}`},
		{"a redefinition (Mobilizon's location)", `{"@context":["https://www.w3.org/ns/activitystreams",{"sc":"http://schema.org#","location":{"@id":"sc:location","@type":"sc:Place"}}],"type":"Event"}`},
		{"prefixed names of another vocabulary", `{"@context":["https://www.w3.org/ns/activitystreams",{"vcard":"http://www.w3.org/2006/vcard/ns#"}],"type":"Person","vcard:hasAddress":{"@type":"Home"}}`},
		{"an unknown context URL", `{"@context":["https://www.w3.org/ns/activitystreams","https://unknown.example/ns"],"type":"Note"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if plain, err := isPlain(m); !plain || err != nil {
				t.Fatalf("isPlain = %v, %v", plain, err)
			}
			if _, err := ResolveMap(context.Background(), m); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestResolve_ClearErrors(t *testing.T) {
	manyContexts := `{"@context":[` + strings.TrimSuffix(strings.Repeat(`"https://www.w3.org/ns/activitystreams",`, maxContextEntries+1), ",") + `],"type":"Note"}`
	for _, tt := range []struct {
		name, doc string
		want      error
		mention   string
	}{
		{"unknown type", `{"@context":"https://www.w3.org/ns/activitystreams","type":"Tapestry"}`, ErrUnknownType, "Tapestry"},
		{"no known type among several", `{"type":["Tapestry","Weaving"]}`, ErrUnknownType, "Weaving"},
		{"unknown prefixed type", `{"@context":"https://www.w3.org/ns/activitystreams","type":"as:Tapestry"}`, ErrUnknownType, "Tapestry"},
		{"an id that is not a string", `{"type":"Note","id":3}`, ErrInvalidValue, "id"},
		{"a relative id", `{"type":"Note","id":"/notes/1"}`, ErrInvalidValue, "/notes/1"},
		{"too many contexts", manyContexts, ErrBadContext, "64"},
		{"invalid JSON-LD", `{"@context":[["nested"]],"type":"as:Note"}`, ErrNormalisation, ""},
		{"no type", `{"id":"https://a.example/1"}`, ErrNoType, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(context.Background(), []byte(tt.doc))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v (resolved %v), want %v", err, got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
}

func TestResolveMap_LeavesItsArgumentAlone(t *testing.T) {
	for _, doc := range []string{
		`{"type":"Note","content":"hi"}`,
		`{"@context":"https://www.w3.org/ns/activitystreams","type":"as:Note","as:content":"hi"}`,
	} {
		m, err := Parse([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		before, _ := Parse([]byte(doc))
		if _, err := ResolveMap(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m, before) {
			t.Errorf("ResolveMap changed its argument: %v", m)
		}
	}
}

// Inbox workers resolve concurrently; both paths share the preloaded
// contexts and the generated manager.
func TestResolve_Concurrently(t *testing.T) {
	docs := [][]byte{[]byte(mastodonNote), []byte(prefixedNote)}
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			_, err := Resolve(context.Background(), docs[i%2])
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
