package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/holon-network/holon/core/membership"
)

// readCalendar checks that r is an iCalendar feed and parses it with
// emersion/go-ical, an independent parser; its encoder checks each
// component's required properties.
func readCalendar(t *testing.T, r reply) *goical.Calendar {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "inline; filename=") || !strings.HasSuffix(cd, `.ics"`) {
		t.Fatalf("Content-Disposition %q", cd)
	}
	cal, err := goical.NewDecoder(bytes.NewReader(r.body)).Decode()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, r.body)
	}
	if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Fatalf("not a valid calendar: %v\n%s", err, r.body)
	}
	return cal
}

// icsEvent is what a feed says of an event.
type icsEvent struct {
	start, end time.Time
	tz, status string
	sequence   int
}

func feedEvents(t *testing.T, cal *goical.Calendar) map[string]icsEvent {
	t.Helper()
	out := map[string]icsEvent{}
	for _, ev := range cal.Events() {
		uid, _ := ev.Props.Text(goical.PropUID)
		start, err := ev.DateTimeStart(nil)
		if err != nil {
			t.Fatal(err)
		}
		end, err := ev.DateTimeEnd(nil)
		if err != nil {
			t.Fatal(err)
		}
		status, _ := ev.Status()
		seq, _ := ev.Props.Get(goical.PropSequence).Int()
		out[uid] = icsEvent{start: start, end: end, tz: ev.Props.Get(goical.PropDateTimeStart).Params.Get(goical.PropTimezoneID),
			status: strings.ToLower(string(status)), sequence: seq}
	}
	return out
}

type eventFull struct {
	eventReply
	URI      string `json:"uri"`
	End      string `json:"end"`
	Timezone string `json:"timezone"`
}

func TestEventsICS_FeedRoundTrips(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		paris := e.newEvent(aliceTok, 7, nil)
		ny := e.newEvent(aliceTok, 10, map[string]any{"name": "Picnic", "timezone": "America/New_York",
			"place": map[string]any{"name": "Prospect Park", "locality": "Brooklyn"}})
		online := e.newEvent(aliceTok, 12, map[string]any{"name": "Online workshop", "place": nil,
			"online_link": "https://meet.example/workshop", "description": strings.Repeat("Réunion à l’été — «débat» ; ", 20)})
		for _, name := range []string{"Garden day, moved", "Garden day, moved again"} {
			e.patch("/events/"+paris.ID, aliceTok, `{"name": "`+name+`"}`).ok(t, http.StatusOK, "Event", nil)
		}
		e.post("/events/"+ny.ID+"/cancel", aliceTok, "").ok(t, http.StatusOK, "Event", nil)

		r := e.get("/associations/commons/events.ics", "")
		got := feedEvents(t, readCalendar(t, r))
		want := map[string]struct {
			status   string
			sequence int
		}{paris.ID: {"confirmed", 2}, ny.ID: {"cancelled", 1}, online.ID: {"confirmed", 0}}
		if len(got) != len(want) {
			t.Fatalf("%d events in the feed, want %d:\n%s", len(got), len(want), r.body)
		}
		for id, w := range want {
			var ev eventFull
			e.get("/events/"+id, "").ok(t, http.StatusOK, "Event", &ev)
			g, ok := got[ev.URI]
			if !ok {
				t.Fatalf("event %s not in the feed", ev.URI)
			}
			start, _ := time.Parse(time.RFC3339, ev.Start)
			end, _ := time.Parse(time.RFC3339, ev.End)
			if !g.start.Equal(start) || !g.end.Equal(end) || g.tz != ev.Timezone || g.status != w.status || g.sequence != w.sequence {
				t.Errorf("%s: feed says %+v; want %s–%s in %s, %s, sequence %d", ev.Name, g, start, end, ev.Timezone, w.status, w.sequence)
			}
		}

		// Conditional GET: the same feed is not sent twice.
		etag, modified := r.header.Get("ETag"), r.header.Get("Last-Modified")
		if etag == "" || modified == "" {
			t.Fatalf("ETag %q, Last-Modified %q", etag, modified)
		}
		for _, h := range []map[string]string{{"If-None-Match": etag}, {"If-Modified-Since": modified}} {
			c := e.do(request{method: http.MethodGet, path: "/associations/commons/events.ics", header: h})
			if c.status != http.StatusNotModified || len(c.body) != 0 {
				t.Fatalf("%v: status %d, %d octets", h, c.status, len(c.body))
			}
		}
		// A change is a new feed.
		e.patch("/events/"+online.ID, aliceTok, `{"status": "tentative"}`).ok(t, http.StatusOK, "Event", nil)
		c := e.do(request{method: http.MethodGet, path: "/associations/commons/events.ics", header: map[string]string{"If-None-Match": etag}})
		if c.status != http.StatusOK || c.header.Get("ETag") == etag {
			t.Fatalf("after a change: status %d, ETag %q", c.status, c.header.Get("ETag"))
		}

		e.get("/associations/nobody/events.ics", "").problem(t, http.StatusNotFound, "association-not-found")
	})
}

func TestEventsICS_Visibility(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		bob, bobTok := e.person("bob")
		_, zoeTok := e.person("zoe")
		e.association(alice, "commons")
		e.association(alice, "closed")
		e.join(bob, "closed")
		open := e.newEvent(aliceTok, 5, nil)
		var closed eventReply
		e.post("/associations/closed/events", aliceTok, eventBody(6, map[string]any{"name": "Members' meeting"})).
			ok(t, http.StatusCreated, "Event", &closed)
		e.settings(alice, "closed", membership.SettingsChange{Visibility: ptr(membership.VisibilityMembers)})

		for _, c := range []struct {
			who, token string
			status     int
		}{{"anonymous", "", http.StatusForbidden}, {"non-member", zoeTok, http.StatusForbidden},
			{"member", bobTok, http.StatusOK}, {"board", aliceTok, http.StatusOK}} {
			t.Run(c.who, func(t *testing.T) {
				r := e.get("/associations/closed/events.ics", c.token)
				if c.status != http.StatusOK {
					r.problem(t, c.status, "members-only")
					return
				}
				if n := len(readCalendar(t, r).Events()); n != 1 {
					t.Fatalf("%d events", n)
				}
				if cc := r.header.Get("Cache-Control"); cc != "private, no-cache" {
					t.Fatalf("Cache-Control %q", cc)
				}
			})
		}

		// The network's feed holds the public associations' events only.
		got := feedEvents(t, readCalendar(t, e.get("/network/events.ics", "")))
		var o eventFull
		e.get("/events/"+open.ID, "").ok(t, http.StatusOK, "Event", &o)
		if _, ok := got[o.URI]; !ok || len(got) != 1 {
			t.Fatalf("network feed %v, want only %s", got, o.URI)
		}
	})
}

// TestEventsICS_OutsideThePrefix reads the feeds at the addresses outside
// the API prefix that calendars subscribe to.
func TestEventsICS_OutsideThePrefix(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		e.newEvent(aliceTok, 3, nil)
		for _, path := range []string{"/associations/commons/events.ics", "/network/events.ics"} {
			req, err := http.NewRequest(http.MethodGet, e.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(readCalendar(t, e.send(req)).Events()); n != 1 {
				t.Fatalf("%s: %d events", path, n)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/associations/nobody/events.ics", nil)
		e.send(req).problem(t, http.StatusNotFound, "association-not-found")
	})
}
