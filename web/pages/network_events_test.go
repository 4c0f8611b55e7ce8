package pages_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// partnerCopies makes gardeners@b.example a partner of the instance
// (followed by username) with a seed swap on 9 May 2030 in LYON, tagged
// garden, and n more copies on 20 May 2030; and records an event of
// spammers@spam.example, on a blocked domain, on 9 May.
func partnerCopies(t *testing.T, in *webtest.Instance, username string, n int) store.RemoteEvent {
	t.Helper()
	ctx := context.Background()
	follower, err := in.DB.Actors().OfAccount(ctx, mustAccount(t, in, username).ID)
	if err != nil {
		t.Fatal(err)
	}
	partner := storetest.Partner(t, in.DB, "b.example", "gardeners", follower.ID)
	at := time.Date(2030, 5, 9, 8, 0, 0, 0, time.UTC)
	swap := storetest.RemoteEvent(t, in.DB, partner, store.RemoteEvent{Name: "Seed swap", StartsAt: at, EndsAt: at.Add(2 * time.Hour),
		Timezone: "Europe/Paris", PlaceName: "Market hall", Locality: "LYON", ParticipantCount: 12}, "garden")
	for i := range n {
		s := time.Date(2030, 5, 20, 8, i, 0, 0, time.UTC)
		storetest.RemoteEvent(t, in.DB, partner, store.RemoteEvent{Name: fmt.Sprintf("Workshop %02d", i), StartsAt: s,
			EndsAt: s.Add(time.Hour), Timezone: "Europe/Paris", Locality: "Grenoble"})
	}
	spam := storetest.Partner(t, in.DB, "spam.example", "spammers", follower.ID)
	storetest.RemoteEvent(t, in.DB, spam, store.RemoteEvent{Name: "Spam fair", StartsAt: at, EndsAt: at.Add(time.Hour), Locality: "Lyon"}, "garden")
	if err := in.DB.DomainBlocks().Add(ctx, &store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: "spam.example", Severity: "suspend",
		CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return swap
}

// TestNetworkEventsPage lists this instance's events and partners' copies
// by day, in English and French, filters them with a GET form, pages
// them, and shows what is wrong with a filter next to it.
func TestNetworkEventsPage(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		id := createEvent(t, w.alice, "commons", eventForm("Planting day"))
		swap := partnerCopies(t, in, "alice", 0)

		p := w.visitor.get("/network/events").want(t, http.StatusOK)
		p.contains(t, `href="/network/events"`, `href="/network/events.ics"`, "Network agenda", "9 May 2030", "10 May 2030",
			`href="/events/`+id+`"`, `href="/events/`+swap.ID.String()+`"`, "@gardeners@b.example", `href="/@commons"`,
			"12 participants", "Market hall", "LYON", "2030-05-10 14:00", "Europe/Paris (CEST)", `href="/network/events?tag=garden"`)
		p.lacks(t, "Spam fair")
		if !strings.Contains(p.Body, "Seed swap") || strings.Index(p.Body, "Seed swap") > strings.Index(p.Body, "Planting day") {
			t.Fatalf("the copy of 9 May is not listed before the event of 10 May:\n%s", p.Body)
		}
		for _, day := range []string{"day-2030-05-09", "day-2030-05-10"} {
			if n := p.byID(day); n == nil || n.Data != "h2" {
				t.Fatalf("no heading for %s", day)
			}
		}
		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get("/network/events").want(t, http.StatusOK).contains(t, "Agenda du réseau", "9 mai 2030", "partenaire", "Du", "Au")

		cases := []struct {
			name, query string
			want, lack  []string
		}{
			{"place in any case", "place=lyon", []string{"Seed swap", "Planting day"}, nil},
			{"tag", "tag=food", []string{"Planting day"}, []string{"Seed swap"}},
			{"from a date", "from=2030-05-10", []string{"Planting day"}, []string{"Seed swap"}},
			{"to a date", "to=2030-05-09", []string{"Seed swap"}, []string{"Planting day"}},
			{"nothing", "tag=nothing", []string{"No event matches these filters."}, []string{"Seed swap", "Planting day"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := w.visitor.get("/network/events?"+c.query).want(t, http.StatusOK)
				p.contains(t, c.want...)
				p.lacks(t, c.lack...)
			})
		}
		// A cancelled event shows only when asked for, marked.
		w.alice.post("/events/"+id+"/cancel", map[string][]string{"confirm": {"on"}}).redirectsTo(t, "/events/"+id+"?done=cancelled")
		w.visitor.get("/network/events").want(t, http.StatusOK).lacks(t, "Planting day")
		w.visitor.get("/network/events?cancelled=1").want(t, http.StatusOK).contains(t, "Planting day", `class="badge">cancelled`)

		bad := []struct {
			name, query, field, message string
		}{
			{"from not a date", "from=soon", "from", "Write a date such as 2026-12-05."},
			{"to before from", "from=2030-05-10&to=2030-05-01", "to", "The end must come after the start."},
			{"oversized tag", "tag=" + strings.Repeat("t", 60), "tag", "At most 51 characters."},
			{"oversized place", "place=" + strings.Repeat("p", 201), "place", "At most 200 characters."},
		}
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				p := w.visitor.get("/network/events?"+c.query).want(t, http.StatusUnprocessableEntity)
				if attr(p.byID(c.field), "aria-invalid") != "true" || p.text(t, c.field+"-error") != c.message {
					t.Fatalf("%s: not shown on its field:\n%s", c.field, p.Body)
				}
			})
		}
	})
}

// TestNetworkEventsPage_Pages: 32 events are two pages, the second
// reached by the next link, with the filters kept.
func TestNetworkEventsPage_Pages(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		createEvent(t, w.alice, "commons", eventForm("Planting day"))
		partnerCopies(t, in, "alice", 30)
		p := w.visitor.get("/network/events?from=2030-05-01").want(t, http.StatusOK)
		p.contains(t, "Seed swap", "Planting day", "Workshop 27")
		p.lacks(t, "Workshop 28")
		next := attr(p.byID("next-page"), "href")
		if !strings.HasPrefix(next, "/network/events?") || !strings.Contains(next, "from=2030-05-01") || !strings.Contains(next, "cursor=") {
			t.Fatalf("next page %q", next)
		}
		p = w.visitor.get(next).want(t, http.StatusOK)
		p.contains(t, "Workshop 28", "Workshop 29")
		p.lacks(t, "Workshop 27", "Seed swap")
		if p.byID("next-page") != nil {
			t.Fatal("a next page after the last")
		}
	})
}
