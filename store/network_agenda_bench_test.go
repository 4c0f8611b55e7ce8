package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// seedAgenda holds 10,000 events of twenty local associations (two of
// them members-only) and the copies of 10,000 events of ten partners
// (each followed by a local actor), spread from six months ago to six
// months ahead of now, lasting one to eight hours, in one of twenty
// localities, each with two of twenty tags, one in twenty cancelled.
func seedAgenda(b *testing.B, driver store.Driver, now time.Time) *store.DB {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, driver)
	r := rand.New(rand.NewPCG(11, 12))
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	insert := func(model any) {
		if _, err := db.Bun().NewInsert().Model(model).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	when := func() (time.Time, time.Time) {
		start := now.Add(time.Duration(r.Int64N(int64(365*24*time.Hour))) - 182*24*time.Hour).Truncate(time.Minute)
		return start, start.Add(time.Duration(1+r.IntN(8)) * time.Hour)
	}
	status := func() string {
		if r.IntN(20) == 0 {
			return "cancelled"
		}
		return "confirmed"
	}
	var associations []store.Association
	for i := range 20 {
		name := fmt.Sprint("assoc", i)
		settings := `{"visibility":"public"}`
		if i < 2 {
			settings = `{"visibility":"members"}`
		}
		if _, err := db.Bun().NewRaw("INSERT INTO actor_names (name, kind, created_at) VALUES (?, ?, ?)", name, "Group", now).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		a := store.Association{ID: id(), Name: name, Settings: settings, CreatedAt: now, UpdatedAt: now}
		if err := db.Associations().Create(ctx, &a); err != nil {
			b.Fatal(err)
		}
		associations = append(associations, a)
	}
	for range 10 {
		events := make([]store.Event, 0, 1000)
		var tags []store.EventTag
		for range 1000 {
			start, end := when()
			e := store.Event{ID: id(), AssociationID: associations[r.IntN(len(associations))].ID, Organiser: "o", Name: "event",
				StartsAt: start, EndsAt: end, Timezone: "Europe/Paris", Locality: fmt.Sprint("Town", r.IntN(20)),
				PlaceName: "Hall", JoinMode: "free", Status: status(), CreatedBy: "o", CreatedAt: now, UpdatedAt: now}
			e.URI = "https://here.example/events/" + e.ID.String()
			events = append(events, e)
			t := r.IntN(20)
			tags = append(tags, store.EventTag{EventID: e.ID, Tag: fmt.Sprint("tag", t)}, store.EventTag{EventID: e.ID, Tag: fmt.Sprint("tag", (t+7)%20)})
		}
		insert(&events)
		insert(&tags)
	}
	reader := store.Actor{ID: id(), URI: "https://here.example/actors/reader", Kind: "Person", Username: "reader",
		Host: "here.example", Local: true, KeyID: "https://here.example/actors/reader#main-key", PublicKey: "pem",
		CreatedAt: now, UpdatedAt: now}
	insert(&reader)
	for i := range 10 {
		partner := storetest.Partner(b, db, fmt.Sprintf("partner%d.example", i), "assoc", reader.ID)
		events := make([]store.RemoteEvent, 0, 1000)
		var tags []store.RemoteEventTag
		for k := range 1000 {
			start, end := when()
			uri := fmt.Sprintf("https://%s/events/%d", partner.Host, k)
			events = append(events, store.RemoteEvent{ID: id(), URI: uri, AssociationActorID: partner.ID, Name: "event", URL: uri,
				StartsAt: start, EndsAt: end, Timezone: "Europe/Paris", Locality: fmt.Sprint("Town", r.IntN(20)), PlaceName: "Hall",
				JoinMode: "free", Status: status(), PublishedAt: now, UpdatedAt: now, ReceivedAt: now})
			t := r.IntN(20)
			tags = append(tags, store.RemoteEventTag{EventID: events[k].ID, Tag: fmt.Sprint("tag", t)},
				store.RemoteEventTag{EventID: events[k].ID, Tag: fmt.Sprint("tag", (t+7)%20)})
		}
		insert(&events)
		insert(&tags)
	}
	if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkNetworkAgenda is one page (31 rows) of the network agenda over
// 10,000 local events and 10,000 partners' copies, from now, with each
// filter the agenda offers.
func BenchmarkNetworkAgenda(b *testing.B) {
	now := time.Now().UTC().Truncate(time.Second)
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			db := seedAgenda(b, driver, now)
			// What core asks: events not over now, local ones started after
			// now less a year and a day (core's bound on an event's length).
			base := store.NetworkAgendaFilter{From: now, StartsAfter: now.Add(-366 * 24 * time.Hour)}
			with := func(f func(*store.NetworkAgendaFilter)) store.NetworkAgendaFilter {
				out := base
				f(&out)
				return out
			}
			var mid store.EventPosition
			cases := []struct {
				name string
				f    func() store.NetworkAgendaFilter
			}{
				{"upcoming", func() store.NetworkAgendaFilter { return base }},
				{"a month", func() store.NetworkAgendaFilter {
					return with(func(f *store.NetworkAgendaFilter) {
						f.From, f.To = now.Add(60*24*time.Hour), now.Add(90*24*time.Hour)
					})
				}},
				{"tag", func() store.NetworkAgendaFilter { return with(func(f *store.NetworkAgendaFilter) { f.Tag = "tag4" }) }},
				{"place", func() store.NetworkAgendaFilter {
					return with(func(f *store.NetworkAgendaFilter) { f.Place = "town7" })
				}},
				{"tag+place", func() store.NetworkAgendaFilter {
					return with(func(f *store.NetworkAgendaFilter) { f.Tag, f.Place = "tag4", "town7" })
				}},
				{"cancelled too", func() store.NetworkAgendaFilter {
					return with(func(f *store.NetworkAgendaFilter) { f.Cancelled = true })
				}},
				{"partners only", func() store.NetworkAgendaFilter {
					return with(func(f *store.NetworkAgendaFilter) { f.PartnersOnly = true })
				}},
				{"page 50 (cursor)", func() store.NetworkAgendaFilter {
					return with(func(f *store.NetworkAgendaFilter) { f.After = mid })
				}},
			}
			// The 50th page's position: 1,500 rows in.
			all, err := db.Events().NetworkAgenda(context.Background(), with(func(f *store.NetworkAgendaFilter) { f.Limit = 1500 }))
			if err != nil || len(all) != 1500 {
				b.Fatalf("%d rows: %v", len(all), err)
			}
			mid = store.EventPosition{StartsAt: all[1499].StartsAt, ID: all[1499].ID}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					f := c.f()
					f.Limit = 31
					rows, err := db.Events().NetworkAgenda(context.Background(), f)
					if err != nil || len(rows) != 31 {
						b.Fatalf("%d rows: %v", len(rows), err)
					}
					remote := 0
					for _, r := range rows {
						if r.Remote {
							remote++
						}
					}
					for b.Loop() {
						if _, err := db.Events().NetworkAgenda(context.Background(), f); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(remote), "partner-rows")
				})
			}
		})
	}
}
