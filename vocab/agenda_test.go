package vocab

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// newEvent is the garden's event of docs/vocabulary.md §4.5 with the given
// status.
func newEvent(t testing.TB, status string) streamsvocab.ActivityStreamsEvent {
	t.Helper()
	lat, long := 45.7676, 4.8344
	e, err := NewEvent(EventFields{
		Object: Object{ID: "https://garden.example/events/0195551e-0000-7000-8000-000000000005", Name: "Garden day",
			Summary:      "Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot behind the school, Lyon.",
			AttributedTo: "https://garden.example/actors/garden", Published: published, To: []string{PublicAudience}},
		Start: time.Date(2025, 4, 12, 12, 0, 0, 0, time.UTC), End: time.Date(2025, 4, 12, 16, 0, 0, 0, time.UTC),
		TimeZone: "Europe/Paris",
		Place: &Place{Name: "Lot behind the school", Latitude: &lat, Longitude: &long,
			Address: &PostalAddress{Street: "3 rue des Lilas", PostalCode: "69001", Locality: "Lyon", Country: "FR"}},
		Capacity: 30, Participants: 12, JoinMode: "free", Status: status, Category: "COMMUNITY",
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// An event's status is written twice with the same word: "status"
// (holon:status) for Holon's peers, "ical:status" for Mobilizon, and a
// JSON-LD processor reads each under its own IRI; the second key travels
// with the Event inside an activity too.
func TestNewEvent_WritesTheStatusAsMobilizonReadsIt(t *testing.T) {
	for _, status := range eventStatuses {
		t.Run(status, func(t *testing.T) {
			e := newEvent(t, status)
			create, err := NewActivity("Create", ActivityFields{ID: "https://garden.example/activities/1",
				Actor: "https://garden.example/actors/garden", Object: e, To: []string{PublicAudience}, Published: published})
			if err != nil {
				t.Fatal(err)
			}
			for what, v := range map[string]Type{"the event": e, "its Create": create} {
				b, err := Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				var doc map[string]any
				if err := json.Unmarshal(b, &doc); err != nil {
					t.Fatal(err)
				}
				obj := doc
				if what == "its Create" {
					obj = doc["object"].(map[string]any)
				}
				if obj[ICalStatus] != status || obj["status"] != status {
					t.Fatalf("%s: ical:status %v, status %v, want %s", what, obj[ICalStatus], obj["status"], status)
				}
				node := expand(t, doc)[0].(map[string]any)
				if what == "its Create" {
					node = node["https://www.w3.org/ns/activitystreams#object"].([]any)[0].(map[string]any)
				}
				for _, iri := range []string{"http://www.w3.org/2002/12/cal/ical#status", "https://w3id.org/holon#status"} {
					vals, _ := node[iri].([]any)
					if len(vals) != 1 || vals[0].(map[string]any)["@value"] != status {
						t.Errorf("%s: %s expands to %v, want %s", what, iri, node[iri], status)
					}
				}
			}
		})
	}
}

// Resolving an event and serializing it again keeps its ical:status (the
// generated code keeps it among the unknown properties), and so does the
// slow path, which compacts iCalendar's IRI back to "ical:status" with
// Context's prefix rather than to a full IRI no reader looks for.
func TestResolve_KeepsTheICalStatus(t *testing.T) {
	ours, err := Marshal(newEvent(t, "CANCELLED"))
	if err != nil {
		t.Fatal(err)
	}
	var mobilizon map[string]any
	if err := json.Unmarshal(readFixture(t, "mobilizon-event.json"), &mobilizon); err != nil {
		t.Fatal(err)
	}
	mobilizon["type"] = "as:Event" // a prefixed type: the document is normalised
	prefixed, err := json.Marshal(mobilizon)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		raw   []byte
		plain bool
		want  string
	}{
		{"Holon's event", ours, true, "CANCELLED"},
		{"Mobilizon's event, normalised", prefixed, false, "CONFIRMED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if plain, err := isPlain(m); plain != tt.plain || err != nil {
				t.Fatalf("isPlain = %v, %v; want %v", plain, err, tt.plain)
			}
			v, err := ResolveMap(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Serialize(v)
			if err != nil {
				t.Fatal(err)
			}
			got := out[ICalStatus]
			if m, ok := got.(map[string]any); ok {
				// Mobilizon's context says "@language": "und", which
				// compaction keeps on every string (name becomes nameMap).
				got = m["@value"]
			}
			if got != tt.want {
				t.Errorf("ical:status %v after resolving, want %s; keys %v", out[ICalStatus], tt.want, keys(out))
			}
		})
	}
}
