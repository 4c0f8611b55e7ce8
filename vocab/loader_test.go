package vocab

import (
	"context"
	"testing"

	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// The offline loader answers every context URL it claims to know with the
// right document: a term of each context expands to its IRI.
func TestLoader_PreloadsEveryContextItNames(t *testing.T) {
	for _, tt := range []struct {
		url, term, iri string
		class          bool
	}{
		{"https://www.w3.org/ns/activitystreams", "Note", "https://www.w3.org/ns/activitystreams#Note", true},
		{"https://w3id.org/security/v1", "publicKeyPem", "https://w3id.org/security#publicKeyPem", false},
		{"https://w3id.org/security/v2", "proofValue", "https://w3id.org/security#proofValue", false},
		{"https://w3id.org/security/multikey/v1", "Multikey", "https://w3id.org/security#Multikey", true},
		{"http://joinmastodon.org/ns", "votersCount", "http://joinmastodon.org/ns#votersCount", false},
		{"https://schema.org", "streetAddress", "http://schema.org/streetAddress", false},
		{ContextURL, "doneCriteria", Namespace + "doneCriteria", false},
		{ContextURL + "/", "Task", Namespace + "Task", true},
	} {
		t.Run(tt.url+" "+tt.term, func(t *testing.T) {
			doc := map[string]any{"@context": tt.url, "@id": "https://a.example/1"}
			if tt.class {
				doc["@type"] = tt.term
			} else {
				doc[tt.term] = "x"
			}
			out := expand(t, doc)
			if len(out) != 1 {
				t.Fatalf("expanded to %v", out)
			}
			node := out[0].(map[string]any)
			if tt.class {
				if types, _ := node["@type"].([]any); len(types) != 1 || types[0] != tt.iri {
					t.Errorf("@type = %v, want %s", node["@type"], tt.iri)
				}
			} else if _, ok := node[tt.iri]; !ok {
				t.Errorf("expanded keys %v, want %s", keys(node), tt.iri)
			}
		})
	}
}

// Documents that name Holon's, schema.org's or Mastodon's terms through a
// context URL or another spelling are normalised to the bare names the
// generated code reads.
func TestResolve_NormalisesThroughPreloadedContexts(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		check     func(t *testing.T, got Type)
	}{
		{
			name: "Holon's context by URL, prefixed names",
			doc: `{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/holon"],"id":"https://a.example/tasks/1",
				"type":["holon:Task","Page"],"name":"t","holon:status":"open","doneCriteria":["first","second"]}`,
			check: func(t *testing.T, got Type) {
				task, ok := got.(streamsvocab.HolonTask)
				if !ok {
					t.Fatalf("resolved to %T", got)
				}
				if s := task.GetHolonStatus(); s == nil || s.Get() != "open" {
					t.Errorf("status = %v", s)
				}
				dc := task.GetHolonDoneCriteria()
				if dc == nil || dc.Len() != 2 || dc.At(0).Get() != "first" || dc.At(1).Get() != "second" {
					t.Errorf("done criteria = %v", dc)
				}
			},
		},
		{
			name: "schema.org's own context and spelling",
			doc: `{"@context":["https://www.w3.org/ns/activitystreams","https://schema.org"],"id":"https://a.example/events/1","type":"as:Event",
				"name":"Garden day","location":{"type":"Place","name":"Lot","address":{"type":"PostalAddress","streetAddress":"3 rue des Lilas"}}}`,
			check: func(t *testing.T, got Type) {
				e, ok := got.(streamsvocab.ActivityStreamsEvent)
				if !ok {
					t.Fatalf("resolved to %T", got)
				}
				loc := e.GetActivityStreamsLocation()
				if loc == nil || !loc.At(0).IsActivityStreamsPlace() {
					t.Fatalf("location = %v", loc)
				}
				addr := loc.At(0).GetActivityStreamsPlace().GetSchemaAddress()
				if addr == nil || !addr.IsSchemaPostalAddress() || addr.GetSchemaPostalAddress().GetSchemaStreetAddress().Get() != "3 rue des Lilas" {
					t.Errorf("address = %v", addr)
				}
			},
		},
		{
			name: "Mastodon's terms by context URL",
			doc:  `{"@context":["https://www.w3.org/ns/activitystreams","http://joinmastodon.org/ns"],"id":"https://a.example/q/1","type":"as:Question","toot:votersCount":3}`,
			check: func(t *testing.T, got Type) {
				if c := got.(streamsvocab.ActivityStreamsQuestion).GetTootVotersCount(); c == nil || c.Get() != 3 {
					t.Errorf("votersCount = %v", c)
				}
			},
		},
		{
			name: "an actor with Multikey keys (FEP-521a)",
			doc: `{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1","https://w3id.org/security/multikey/v1"],
				"id":"https://a.example/actors/ada","type":"as:Person","preferredUsername":"ada",
				"assertionMethod":[{"id":"https://a.example/actors/ada#ed25519-key","type":"Multikey","controller":"https://a.example/actors/ada",
				"publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}]}`,
			check: func(t *testing.T, got Type) {
				p, ok := got.(streamsvocab.ActivityStreamsPerson)
				if !ok {
					t.Fatalf("resolved to %T", got)
				}
				if u := p.GetActivityStreamsPreferredUsername(); u == nil || u.GetXMLSchemaString() != "ada" {
					t.Errorf("preferredUsername = %v", u)
				}
			},
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
			got, err := ResolveMap(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

// Mobilizon's and Mastodon's contexts define schema.org's and Mobilizon's
// terms under the names Holon uses: their documents stay on the fast path.
func TestResolve_KeepsMobilizonAndMastodonOnTheFastPath(t *testing.T) {
	for _, f := range []string{"mobilizon-event.json", "mobilizon-create-event.json", "mobilizon-join.json",
		"mastodon-person.json", "mastodon-docs-propertyvalue-actor.json", "mastodon-note-create.json", "mastodon-question.json"} {
		t.Run(f, func(t *testing.T) {
			raw := readFixture(t, f)
			m, err := Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			if plain, err := isPlain(m); !plain || err != nil {
				t.Errorf("isPlain = %v, %v", plain, err)
			}
		})
	}
}

// Mobilizon's event reads with its extensions typed.
func TestResolve_ReadsMobilizonsEventTerms(t *testing.T) {
	got, err := Resolve(context.Background(), readFixture(t, "mobilizon-event.json"))
	if err != nil {
		t.Fatal(err)
	}
	e := got.(streamsvocab.ActivityStreamsEvent)
	if tz := e.GetMobilizonTimezone(); tz == nil || tz.Get() != "Europe/London" {
		t.Errorf("timezone = %v", tz)
	}
	if jm := e.GetMobilizonJoinMode(); jm == nil || jm.Get() != "free" {
		t.Errorf("joinMode = %v", jm)
	}
	if c := e.GetSchemaCategory(); c == nil || c.Get() != "SPORTS" {
		t.Errorf("category = %v", c)
	}
	addr := e.GetActivityStreamsLocation().At(0).GetActivityStreamsPlace().GetSchemaAddress()
	if addr == nil || addr.GetSchemaPostalAddress().GetSchemaPostalCode().Get() != "EX6 7TW" {
		t.Errorf("address = %v", addr)
	}
	if tags := e.GetActivityStreamsTag(); tags == nil || !tags.At(0).IsActivityStreamsHashtag() {
		t.Errorf("tags = %v", tags)
	}
}
