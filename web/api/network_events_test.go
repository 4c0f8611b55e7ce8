package api_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

type networkEventReply struct {
	eventFull
	Remote          bool    `json:"remote"`
	Handle          string  `json:"handle"`
	AssociationHost *string `json:"association_host"`
	URL             string  `json:"url"`
	Place           *struct {
		Locality string `json:"locality"`
	} `json:"place"`
}

type networkPageReply struct {
	Items []networkEventReply `json:"items"`
	Next  *string             `json:"next"`
}

// networkFixture: commons (alice's) has garden day in 3 days (Lyon, tag
// garden) and a cancelled picnic in 6; closed, members-only, has a
// meeting in 4, bob being its member; gardeners@b.example, which alice
// follows, has a seed swap in 2 days (LYON, garden) and a cancelled fair
// in 5; spammers@spam.example, followed but blocked, has an event in 2.
type networkFixture struct {
	aliceTok, bobTok        string
	garden, picnic, meeting eventReply
	swap, fair              store.RemoteEvent
}

func (e env) networkFixture() networkFixture {
	e.t.Helper()
	t, ctx := e.t, context.Background()
	var f networkFixture
	alice, aliceTok := e.person("alice")
	bob, bobTok := e.person("bob")
	f.aliceTok, f.bobTok = aliceTok, bobTok
	e.association(alice, "commons")
	e.association(alice, "closed")
	e.join(bob, "closed")
	f.garden = e.newEvent(aliceTok, 3, nil)
	f.picnic = e.newEvent(aliceTok, 6, map[string]any{"name": "Picnic", "tags": []string{"picnic"}})
	e.post("/events/"+f.picnic.ID+"/cancel", aliceTok, "").ok(t, http.StatusOK, "Event", nil)
	e.post("/associations/closed/events", aliceTok, eventBody(4, map[string]any{"name": "Members' meeting"})).
		ok(t, http.StatusCreated, "Event", &f.meeting)
	e.settings(alice, "closed", membership.SettingsChange{Visibility: ptr(membership.VisibilityMembers)})
	follower, err := e.DB.Actors().OfAccount(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	// At 10:00 UTC on the day of day(days), whatever the hour now.
	at := func(days int) (time.Time, time.Time) {
		d, err := time.Parse(time.DateOnly, day(days))
		if err != nil {
			t.Fatal(err)
		}
		s := d.Add(10 * time.Hour)
		return s, s.Add(2 * time.Hour)
	}
	partner := storetest.Partner(t, e.DB, "b.example", "gardeners", follower.ID)
	s, end := at(2)
	f.swap = storetest.RemoteEvent(t, e.DB, partner, store.RemoteEvent{Name: "Seed swap", StartsAt: s, EndsAt: end,
		Timezone: "Europe/Paris", Locality: "LYON", ParticipantCount: 4}, "garden")
	s, end = at(5)
	f.fair = storetest.RemoteEvent(t, e.DB, partner, store.RemoteEvent{Name: "Plant fair", StartsAt: s, EndsAt: end,
		Timezone: "Europe/Paris", Locality: "Lyon", Status: "cancelled"}, "garden")
	spam := storetest.Partner(t, e.DB, "spam.example", "spammers", follower.ID)
	s, end = at(2)
	storetest.RemoteEvent(t, e.DB, spam, store.RemoteEvent{Name: "Spam", StartsAt: s, EndsAt: end, Locality: "Lyon"}, "garden")
	if err := e.DB.DomainBlocks().Add(ctx, &store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: "spam.example",
		Severity: "suspend", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return f
}

func eventNames(p networkPageReply) string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Name)
	}
	return strings.Join(out, ", ")
}

// TestNetworkEvents_ListsAndFilters: GET /network/events lists local
// events and partners' copies by start, each filter keeping what it says.
func TestNetworkEvents_ListsAndFilters(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		f := e.networkFixture()
		cases := []struct {
			name, query, token, want string
		}{
			{"upcoming", "", "", "Seed swap, Garden day"},
			{"a member sees the members-only", "", f.bobTok, "Seed swap, Garden day, Members' meeting"},
			{"cancelled too", "cancelled=true", "", "Seed swap, Garden day, Plant fair, Picnic"},
			{"tag", "tag=%23Garden&cancelled=true", "", "Seed swap, Garden day, Plant fair"},
			{"place", "place=lyon", "", "Seed swap, Garden day"},
			{"partners only", "partners_only=true&cancelled=true", "", "Seed swap, Plant fair"},
			{"to a date", "to=" + day(2), "", "Seed swap"},
			{"from a date", "from=" + day(3) + "&cancelled=true", "", "Garden day, Plant fair, Picnic"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var p networkPageReply
				e.get("/network/events?"+c.query, c.token).ok(t, http.StatusOK, "NetworkEventPage", &p)
				if got := eventNames(p); got != c.want || p.Next != nil {
					t.Fatalf("got %q (next %v), want %q", got, p.Next, c.want)
				}
			})
		}

		var p networkPageReply
		e.get("/network/events", "").ok(t, http.StatusOK, "NetworkEventPage", &p)
		swap, garden := p.Items[0], p.Items[1]
		if !swap.Remote || swap.ID != f.swap.ID.String() || swap.URI != f.swap.URI || swap.Handle != "gardeners@b.example" ||
			swap.AssociationHost == nil || *swap.AssociationHost != "b.example" || swap.URL != f.swap.URL ||
			swap.ParticipantCount != 4 || swap.Place == nil || swap.Place.Locality != "LYON" || strings.Join(swap.Tags, ",") != "garden" {
			t.Fatalf("copy %+v", swap)
		}
		if garden.Remote || garden.ID != f.garden.ID || garden.Handle != "commons" || garden.AssociationHost != nil ||
			garden.URL != garden.URI || !strings.HasPrefix(garden.Start, day(3)+"T14:00:00+0") {
			t.Fatalf("local %+v", garden)
		}

		// Pages of one walk both sides in order.
		var got []string
		path := "/network/events?cancelled=true&limit=1"
		for i := 0; ; i++ {
			if i > 5 {
				t.Fatal("the cursor does not move on")
			}
			var page networkPageReply
			e.get(path, "").ok(t, http.StatusOK, "NetworkEventPage", &page)
			if len(page.Items) != 1 {
				t.Fatalf("a page of %d", len(page.Items))
			}
			got = append(got, page.Items[0].Name)
			if page.Next == nil {
				break
			}
			path = "/network/events?cancelled=true&limit=1&cursor=" + url.QueryEscape(*page.Next)
		}
		if s := strings.Join(got, ", "); s != "Seed swap, Garden day, Plant fair, Picnic" {
			t.Fatalf("pages: %s", s)
		}
	})
}

// TestNetworkEvents_RefusesBadInput: each bad parameter is a 400
// problem naming it.
func TestNetworkEvents_RefusesBadInput(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		cases := []struct {
			name, query string
			fields      map[string]string
		}{
			{"from not a date", "from=soon", map[string]string{"from": "invalid-time"}},
			{"to before from", "from=2026-12-05&to=2026-12-01", map[string]string{"to": "end-before-start"}},
			{"oversized tag", "tag=" + strings.Repeat("t", 150), map[string]string{"tag": "too-long"}},
			{"oversized place", "place=" + strings.Repeat("p", 201), map[string]string{"place": "too-long"}},
			{"cancelled not a boolean", "cancelled=yes", map[string]string{"cancelled": "invalid-choice"}},
			{"partners_only not a boolean", "partners_only=1", map[string]string{"partners_only": "invalid-choice"}},
			{"limit out of range", "limit=1000", map[string]string{"limit": "out-of-range"}},
			{"foreign cursor", "cursor=abc", map[string]string{"cursor": "bad-cursor"}},
			{"every bad field at once", "from=x&to=y&place=" + strings.Repeat("p", 201), map[string]string{"from": "invalid-time",
				"to": "invalid-time", "place": "too-long"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := e.get("/network/events?"+c.query, "").problem(t, http.StatusBadRequest, "invalid-input")
				sameFields(t, p, c.fields)
			})
		}
	})
}

// TestNetworkEvents_FeedHoldsCopies: /network/events.ics holds the
// partners' copies beside the local events, the cancelled one
// CANCELLED, each under its URI; the blocked domain's and the
// members-only association's are not in it.
func TestNetworkEvents_FeedHoldsCopies(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		f := e.networkFixture()
		r := e.get("/network/events.ics", "")
		got := feedEvents(t, readCalendar(t, r))
		var garden, picnic eventFull
		e.get("/events/"+f.garden.ID, "").ok(t, http.StatusOK, "Event", &garden)
		e.get("/events/"+f.picnic.ID, "").ok(t, http.StatusOK, "Event", &picnic)
		want := map[string]string{garden.URI: "confirmed", picnic.URI: "cancelled", f.swap.URI: "confirmed", f.fair.URI: "cancelled"}
		if len(got) != len(want) {
			t.Fatalf("%d events in the feed, want %d:\n%s", len(got), len(want), r.body)
		}
		for uri, status := range want {
			g, ok := got[uri]
			if !ok || g.status != status {
				t.Fatalf("%s: %+v, want %s", uri, g, status)
			}
		}
		if g := got[f.swap.URI]; !g.start.Equal(f.swap.StartsAt) || g.tz != "Europe/Paris" || g.sequence != 0 {
			t.Fatalf("copy in the feed %+v", g)
		}
		if !strings.Contains(string(r.body), "LAST-MODIFIED:"+f.swap.UpdatedAt.UTC().Format("20060102T150405Z")) {
			t.Fatalf("the copy's LAST-MODIFIED is not its update:\n%s", r.body)
		}
	})
}
