package agenda_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// network is the fixture's agenda beside a members-only association's
// and partners': what each test of the network agenda reads.
type network struct {
	*fixture
	// garden (28 Nov, Lyon), assembly (2 Dec, Salle des fêtes in
	// Villeurbanne) and picnic (3 Dec, cancelled) are commons'; secret (30
	// Nov) is the members-only association closed's, whose board is carol.
	garden, assembly, picnic, secret agenda.Event
	// swap (29 Nov, LYON) and talk (2 Dec, at the same instant as
	// assembly) are a partner's; fair (1 Dec) is cancelled.
	swap, talk, fair store.RemoteEvent
}

func setupNetwork(t *testing.T, f *fixture) *network {
	t.Helper()
	ctx := context.Background()
	n := &network{fixture: f}
	at := func(day, from, to string, place *agenda.PlaceInput, tags ...string) func(*agenda.EventInput) {
		return func(in *agenda.EventInput) {
			in.Name = ptr(strings.ToUpper(day[8:]) + " event")
			in.Start, in.End = ptr(day+"T"+from), ptr(day+"T"+to)
			in.Place, in.Tags = place, ptr(tags)
		}
	}
	lyon := &agenda.PlaceInput{Name: "Lot behind the school", Locality: "Lyon"}
	f.event(t, at("2026-11-01", "14:00", "18:00", lyon, "garden")) // over: never listed
	n.garden = f.event(t, at("2026-11-28", "14:00", "18:00", lyon, "garden", "lyon"))
	n.assembly = f.event(t, at("2026-12-02", "19:00", "21:00", &agenda.PlaceInput{Name: "Salle des Fêtes", Locality: "Villeurbanne"}, "assembly"))
	n.picnic = f.event(t, at("2026-12-03", "12:00", "15:00", lyon, "garden"))
	var err error
	if n.picnic, err = f.svc.Cancel(ctx, f.alice, n.picnic.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.members.CreateAssociation(ctx, f.carol, membership.NewAssociation{Name: "closed"}); err != nil {
		t.Fatal(err)
	}
	secret := garden()
	at("2026-11-30", "10:00", "12:00", lyon, "garden")(&secret)
	if n.secret, err = f.svc.Create(ctx, f.carol, "closed", secret); err != nil {
		t.Fatal(err)
	}
	vis := membership.VisibilityMembers
	if _, err := f.members.UpdateAssociation(ctx, f.carol, "closed", membership.AssociationChange{
		Settings: membership.SettingsChange{Visibility: &vis}}); err != nil {
		t.Fatal(err)
	}

	reader, err := f.db.Actors().OfAccount(ctx, f.bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	partner := storetest.Partner(t, f.db, "b.example", "gardeners", reader.ID)
	n.swap = storetest.RemoteEvent(t, f.db, partner, store.RemoteEvent{Name: "Seed swap", StartsAt: utc("2026-11-29T10:00:00Z"),
		EndsAt: utc("2026-11-29T12:00:00Z"), Timezone: "Europe/Paris", Locality: "LYON", ParticipantCount: 7}, "garden", "seeds")
	n.fair = storetest.RemoteEvent(t, f.db, partner, store.RemoteEvent{Name: "Plant fair", StartsAt: utc("2026-12-01T09:00:00Z"),
		EndsAt: utc("2026-12-01T17:00:00Z"), Timezone: "Europe/Paris", Locality: "Lyon", Status: "cancelled"}, "garden")
	n.talk = storetest.RemoteEvent(t, f.db, partner, store.RemoteEvent{Name: "Compost talk", StartsAt: n.assembly.Start,
		EndsAt: n.assembly.Start.Add(time.Hour), Timezone: "", PlaceName: "Salle des fêtes", Locality: "Bron"}, "compost")
	// Left out: an association nobody here follows, one on a blocked
	// domain, one the moderators suspended, and a partner's copy over
	// before now.
	stranger := storetest.Partner(t, f.db, "c.example", "strangers", uuid.Nil)
	storetest.RemoteEvent(t, f.db, stranger, store.RemoteEvent{Name: "Not a partner's", StartsAt: utc("2026-11-29T10:00:00Z"),
		EndsAt: utc("2026-11-29T12:00:00Z"), Locality: "Lyon"}, "garden")
	blocked := storetest.Partner(t, f.db, "events.spam.example", "spammers", reader.ID)
	storetest.RemoteEvent(t, f.db, blocked, store.RemoteEvent{Name: "Blocked domain's", StartsAt: utc("2026-11-29T10:00:00Z"),
		EndsAt: utc("2026-11-29T12:00:00Z"), Locality: "Lyon"}, "garden")
	if err := f.db.DomainBlocks().Add(ctx, &store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: "spam.example", Severity: "silence",
		CreatedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	suspended := storetest.Partner(t, f.db, "d.example", "suspended", reader.ID)
	storetest.RemoteEvent(t, f.db, suspended, store.RemoteEvent{Name: "Suspended actor's", StartsAt: utc("2026-11-29T10:00:00Z"),
		EndsAt: utc("2026-11-29T12:00:00Z"), Locality: "Lyon"}, "garden")
	if _, err := f.db.Bun().NewUpdate().Table("actors").Set("suspended_at = ?", f.clock.Now()).Where("id = ?", suspended.ID).
		Exec(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.RemoteEvent(t, f.db, partner, store.RemoteEvent{Name: "Last month's", StartsAt: utc("2026-10-29T10:00:00Z"),
		EndsAt: utc("2026-10-29T12:00:00Z"), Locality: "Lyon"})
	return n
}

// names are the items' names, in order.
func names(items []agenda.AgendaItem) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return strings.Join(out, ", ")
}

// TestNetworkAgenda_UnionOrderAndFilters: the agenda lists commons'
// events and the partner's copies together by start (the same instant
// by id), and each filter keeps what it says; members-only events are
// their members', and the copies of strangers, of blocked domains and of
// suspended actors never show.
func TestNetworkAgenda_UnionOrderAndFilters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		n := setupNetwork(t, f)
		tied := []string{"02 event", "Compost talk"} // same start: by id
		if n.talk.ID.String() < n.assembly.ID.String() {
			tied[0], tied[1] = tied[1], tied[0]
		}
		both := strings.Join(tied, ", ")
		cases := []struct {
			name   string
			viewer *membership.Account
			q      agenda.NetworkQuery
			want   string
		}{
			{"upcoming, cancelled left out", nil, agenda.NetworkQuery{}, "28 event, Seed swap, " + both},
			{"cancelled asked for", nil, agenda.NetworkQuery{Cancelled: true}, "28 event, Seed swap, Plant fair, " + both + ", 03 event"},
			{"a tag, with its #", nil, agenda.NetworkQuery{Tag: "#Garden"}, "28 event, Seed swap"},
			{"a tag of copies only", nil, agenda.NetworkQuery{Tag: "compost"}, "Compost talk"},
			{"a locality in any case", nil, agenda.NetworkQuery{Place: " lyon "}, "28 event, Seed swap"},
			{"a place's name", nil, agenda.NetworkQuery{Place: "SALLE DES FÊTES"}, both},
			{"from a date", nil, agenda.NetworkQuery{From: "2026-11-30"}, both},
			{"to a date, included", nil, agenda.NetworkQuery{To: "2026-11-29"}, "28 event, Seed swap"},
			{"from and to times", nil, agenda.NetworkQuery{From: "2026-11-29T11:00:00+01:00", To: "2026-12-02T18:00:00Z"}, "Seed swap"},
			{"a day in UTC", nil, agenda.NetworkQuery{From: "2026-11-29", To: "2026-11-29"}, "Seed swap"},
			{"a day in another time zone", nil, agenda.NetworkQuery{From: "2026-11-29", To: "2026-11-29",
				Location: time.FixedZone("UTC+12", 12*3600)}, "28 event, Seed swap"},
			{"partners only", nil, agenda.NetworkQuery{PartnersOnly: true}, "Seed swap, Compost talk"},
			{"members-only, for a member", &f.carol, agenda.NetworkQuery{}, "28 event, Seed swap, 30 event, " + both},
			{"members-only, not for others", &f.alice, agenda.NetworkQuery{}, "28 event, Seed swap, " + both},
			{"nothing matches", nil, agenda.NetworkQuery{Tag: "nothing"}, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				c.q.Limit = 50
				list, next, err := f.svc.NetworkAgenda(context.Background(), c.viewer, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(list); got != c.want || next != "" {
					t.Fatalf("got %q (next %q), want %q", got, next, c.want)
				}
			})
		}
	})
}

// TestNetworkAgenda_Items: an item says whether it is local or a copy,
// its association, its page and what a list shows of it.
func TestNetworkAgenda_Items(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		n := setupNetwork(t, f)
		list, _, err := f.svc.NetworkAgenda(context.Background(), nil, agenda.NetworkQuery{To: "2026-11-29", Limit: 10})
		if err != nil || len(list) != 2 {
			t.Fatalf("%v, %v", names(list), err)
		}
		local, copied := list[0], list[1]
		if local.Remote || local.ID != n.garden.ID || local.Handle() != "commons" || local.URL != n.garden.URI ||
			local.Timezone != "Europe/Paris" || local.Place == nil || local.Place.Locality != "Lyon" ||
			strings.Join(local.Tags, ",") != "garden,lyon" || local.Status != agenda.StatusConfirmed || local.Sequence != 0 {
			t.Fatalf("local item %+v", local)
		}
		if !copied.Remote || copied.ID != n.swap.ID || copied.Handle() != "gardeners@b.example" || copied.URI != n.swap.URI ||
			copied.URL != n.swap.URL || copied.Participants != 7 || copied.Capacity != 0 ||
			strings.Join(copied.Tags, ",") != "garden,seeds" || !copied.Start.Equal(n.swap.StartsAt) || !copied.UpdatedAt.Equal(n.swap.UpdatedAt) {
			t.Fatalf("copy %+v", copied)
		}
		talk, _, err := f.svc.NetworkAgenda(context.Background(), nil, agenda.NetworkQuery{Tag: "compost"})
		if err != nil || len(talk) != 1 || talk[0].Timezone != "UTC" {
			t.Fatalf("a copy without a time zone is shown in UTC: %+v, %v", talk, err)
		}
	})
}

// TestNetworkAgenda_PagesAcrossBothSides: pages of every size walk the
// whole agenda, local events and copies interleaved, once each.
func TestNetworkAgenda_PagesAcrossBothSides(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		setupNetwork(t, f)
		q := agenda.NetworkQuery{Cancelled: true, Limit: 50}
		all, _, err := f.svc.NetworkAgenda(context.Background(), nil, q)
		if err != nil || len(all) != 6 {
			t.Fatalf("%s, %v", names(all), err)
		}
		for _, size := range []int{1, 2, 4, 5} {
			q := agenda.NetworkQuery{Cancelled: true, Limit: size}
			var got []agenda.AgendaItem
			for pages := 0; ; pages++ {
				if pages > 6 {
					t.Fatalf("size %d: the cursor does not move on", size)
				}
				list, next, err := f.svc.NetworkAgenda(context.Background(), nil, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) > size {
					t.Fatalf("size %d: a page of %d", size, len(list))
				}
				got = append(got, list...)
				if next == "" {
					break
				}
				q.Cursor = next
			}
			if names(got) != names(all) {
				t.Fatalf("pages of %d: %s, want %s", size, names(got), names(all))
			}
		}
	})
}

// TestNetworkAgenda_RefusesBadInput: each bad filter is named with what
// it must be.
func TestNetworkAgenda_RefusesBadInput(t *testing.T) {
	cases := []struct {
		name   string
		q      agenda.NetworkQuery
		field  string
		code   string
		detail string
	}{
		{"from not a date", agenda.NetworkQuery{From: "tomorrow"}, "from", "invalid-time", "a date such as 2026-12-05"},
		{"to not a date", agenda.NetworkQuery{To: "2026-13-01"}, "to", "invalid-time", "a date such as 2026-12-05"},
		{"to before from", agenda.NetworkQuery{From: "2026-12-05", To: "2026-12-01"}, "to", "end-before-start", "after from"},
		{"to at from", agenda.NetworkQuery{From: "2026-12-05T00:00:00Z", To: "2026-12-05T00:00:00Z"}, "to", "end-before-start", "after from"},
		{"range of centuries", agenda.NetworkQuery{From: "2026-12-05", To: "2526-12-05"}, "to", "range-too-long", "ten years"},
		{"oversized tag", agenda.NetworkQuery{Tag: strings.Repeat("t", 102)}, "tag", "too-long", "at most 100"},
		{"empty tag", agenda.NetworkQuery{Tag: "#"}, "tag", "invalid-tag", "a tag"},
		{"oversized place", agenda.NetworkQuery{Place: strings.Repeat("é", 201)}, "place", "too-long", "at most 200"},
		{"foreign cursor", agenda.NetworkQuery{Cursor: "not-ours"}, "cursor", "bad-cursor", "handed out"},
		{"oversized date", agenda.NetworkQuery{From: strings.Repeat("2", 1000)}, "from", "invalid-time", "a date"},
	}
	each(t, func(t *testing.T, f *fixture) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, _, err := f.svc.NetworkAgenda(context.Background(), nil, c.q)
				wantCode(t, err, c.code)
				if !strings.Contains(err.Error(), c.field) || !strings.Contains(err.Error(), c.detail) {
					t.Fatalf("the message does not say %s %s: %v", c.field, c.detail, err)
				}
			})
		}
	})
}

// TestNetworkFeed_CopiesBeside: the network's calendar holds the
// partners' copies, cancelled ones too, with the local events.
func TestNetworkFeed_CopiesBeside(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		n := setupNetwork(t, f)
		feed, err := f.svc.NetworkFeed(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range feed.Events {
			got = append(got, e.Name+"@"+e.Association)
		}
		// The month-old copy is over less than FeedSince ago; the event of
		// 1 November too; secret stays out.
		want := "01 event@commons, Last month's@gardeners@b.example"
		if s := strings.Join(got, ", "); !strings.HasPrefix(s, "Last month's@gardeners@b.example, 01 event@commons") &&
			!strings.HasPrefix(s, want) {
			t.Fatalf("feed %s", s)
		}
		if len(got) != 8 {
			t.Fatalf("feed of %d events: %v", len(got), got)
		}
		for _, e := range feed.Events {
			if e.ID == n.fair.ID && (e.Status != agenda.StatusCancelled || e.URI != n.fair.URI || e.Sequence != 0) {
				t.Fatalf("cancelled copy %+v", e)
			}
			if e.ID == n.secret.ID {
				t.Fatal("a members-only event in the network's feed")
			}
		}
	})
}
