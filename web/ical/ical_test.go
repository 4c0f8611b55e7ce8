package ical_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/web/ical"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func ptr[T any](v T) *T { return &v }

// longText is a description longer than a line, in French, with
// characters of two, three and four octets, and what TEXT escapes.
var longText = strings.Repeat("Fête de l’été à Saint-Étienne — café, crêpes et 🎶 musique; venez nombreux, «tous» ! \\ ", 6) +
	"\r\nDeuxième ligne."

// fixture is a fixed agenda: the cases a calendar must read right.
func fixture() []agenda.Event {
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	paris, _ := time.LoadLocation("Europe/Paris")
	ny, _ := time.LoadLocation("America/New_York")
	id := func(n byte) uuid.UUID { return uuid.UUID{15: n} }
	base := func(n byte, name string, start time.Time, d time.Duration, tz string) agenda.Event {
		return agenda.Event{ID: id(n), Association: "commons", URI: "https://holon.example/events/" + id(n).String(),
			Name: name, Start: start.UTC(), End: start.Add(d).UTC(), Timezone: tz, Status: agenda.StatusConfirmed,
			Category: "MEETING", Tags: []string{}, CreatedAt: created, UpdatedAt: created}
	}
	garden := base(1, "Garden day", time.Date(2026, 3, 28, 14, 0, 0, 0, paris), 4*time.Hour, "Europe/Paris")
	garden.Summary = "We plant the first beds"
	garden.Place = &agenda.Place{Name: "Lot behind the school", StreetAddress: "3 rue des Lilas", PostalCode: "69001",
		Locality: "Lyon", Country: "France", Latitude: ptr(45.7676), Longitude: ptr(4.8344)}
	garden.Tags = []string{"garden", "jardin"}

	// Moved twice: after the change to summer time, SEQUENCE 2.
	assembly := base(2, "General assembly", time.Date(2026, 4, 2, 19, 30, 0, 0, paris), 2*time.Hour, "Europe/Paris")
	assembly.Place = &agenda.Place{Name: "Salle des fêtes", Locality: "Lyon"}
	assembly.OnlineLink = "https://meet.example/assembly"
	assembly.Sequence, assembly.UpdatedAt = 2, created.Add(48*time.Hour)

	cancelled := base(3, "Picnic", time.Date(2026, 6, 14, 12, 0, 0, 0, ny), 3*time.Hour, "America/New_York")
	cancelled.Place = &agenda.Place{Name: "Prospect Park", Locality: "Brooklyn", Region: "NY", Country: "USA"}
	cancelled.Status, cancelled.Sequence, cancelled.UpdatedAt = agenda.StatusCancelled, 1, created.Add(24*time.Hour)

	online := base(4, "Online workshop", time.Date(2026, 11, 3, 18, 0, 0, 0, ny), 90*time.Minute, "America/New_York")
	online.OnlineLink = "https://meet.example/workshop"
	online.Status = agenda.StatusTentative

	long := base(5, "Fête de l’été", time.Date(2026, 12, 31, 22, 0, 0, 0, paris), 5*time.Hour, "Europe/Paris")
	long.Description = longText
	long.Place = &agenda.Place{Name: "Place Bellecour", Locality: "Lyon"}
	// The copy of a partner's event, as the network feed holds it: its id
	// at its origin, no sequence (LAST-MODIFIED says when it changed),
	// cancelled there, given without a time zone (UTC).
	partner := base(6, "Seed swap", time.Date(2027, 1, 9, 9, 30, 0, 0, time.UTC), 3*time.Hour, "UTC")
	partner.URI, partner.Association = "https://gardens.example/events/seed-swap-2027", "gardeners@gardens.example"
	partner.Place = &agenda.Place{Locality: "Grenoble", Country: "France"}
	partner.Status, partner.UpdatedAt, partner.Tags = agenda.StatusCancelled, created.Add(72*time.Hour), []string{"seeds"}
	return []agenda.Event{garden, assembly, cancelled, online, long, partner}
}

func TestWrite_Golden(t *testing.T) {
	got, err := ical.Marshal(ical.Calendar{Name: "Les communs", Events: fixture()})
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "feed.ics")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("feed differs from %s (go test -update to rewrite it):\n%s", golden, got)
	}
}

// TestWrite_LinesAndEscapes checks the wire form: CRLF line ends, lines
// of at most 75 octets, cut between characters, and text that unfolds and
// unescapes to what was written.
func TestWrite_LinesAndEscapes(t *testing.T) {
	got, err := ical.Marshal(ical.Calendar{Name: "Les communs", Events: fixture()})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(got, []byte("END:VCALENDAR\r\n")) {
		t.Fatalf("no CRLF end: %q", got[len(got)-20:])
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(got), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d cuts a character: %q", i+1, line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d holds a bare line break: %q", i+1, line)
		}
	}
	cal, err := goical.NewDecoder(bytes.NewReader(got)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	long := cal.Events()[4]
	d, err := long.Props.Text(goical.PropDescription)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.ReplaceAll(longText, "\r\n", "\n"); d != want {
		t.Fatalf("description round trip:\n got %q\nwant %q", d, want)
	}
}

// TestWrite_IndependentParser reads the feed with another library
// (emersion/go-ical): each event's instants, time zone, status and
// sequence come back, and the VTIMEZONE written for each zone gives the
// same instants as Go's zone data.
func TestWrite_IndependentParser(t *testing.T) {
	events := fixture()
	got, err := ical.Marshal(ical.Calendar{Name: "Les communs", Events: events})
	if err != nil {
		t.Fatal(err)
	}
	checkFeed(t, got, events)
}

func TestWrite_Empty(t *testing.T) {
	got, err := ical.Marshal(ical.Calendar{Name: "Nothing yet"})
	if err != nil {
		t.Fatal(err)
	}
	cal, err := goical.NewDecoder(bytes.NewReader(got)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Fatalf("an empty agenda is no valid calendar: %v\n%s", err, got)
	}
}
