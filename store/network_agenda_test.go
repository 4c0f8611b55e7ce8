package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// TestNetworkAgenda_WhoseEventsShow: the query keeps the events of public
// associations, of the members-only ones the reader is an active member
// of, and the copies of partners only (an accepted follow by a local
// actor; not a pending one, nor a remote follower's), leaving out the
// copies of deleted, suspended or silenced actors and of blocked
// domains; StartsAfter leaves out what started before it.
func TestNetworkAgenda_WhoseEventsShow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
		day := func(n int) time.Time { return now.Add(time.Duration(n) * 24 * time.Hour) }
		association := func(name, visibility string) uuid.UUID {
			must(db.ClaimName(ctx, name, "association", now))
			a := store.Association{ID: id(), Name: name, Settings: `{"visibility":"` + visibility + `"}`, CreatedAt: now, UpdatedAt: now}
			must(db.Associations().Create(ctx, &a))
			return a.ID
		}
		event := func(association uuid.UUID, name string, start, end time.Time) {
			e := store.Event{ID: id(), AssociationID: association, Organiser: "o", Name: name, StartsAt: start, EndsAt: end,
				Timezone: "UTC", JoinMode: "free", Status: "confirmed", CreatedBy: "o", CreatedAt: now, UpdatedAt: now}
			e.URI = "https://here.example/events/" + e.ID.String()
			must(db.Events().Create(ctx, &e))
		}
		open, closed := association("open", "public"), association("closed", "members")
		event(open, "open's", day(1), day(1).Add(time.Hour))
		event(open, "open's year-long", day(-300), day(30))
		event(closed, "closed's", day(2), day(2).Add(time.Hour))

		// ada, a local person, is an active member of closed.
		ada := store.Account{ID: id(), Username: "ada", Email: "ada@example.org", Locale: "en", Role: "user", Status: "active",
			CreatedAt: now, UpdatedAt: now}
		must(db.ClaimName(ctx, "ada", "account", now))
		must(db.Accounts().Create(ctx, &ada))
		adaActor := store.Actor{ID: id(), URI: "https://here.example/actors/ada", Kind: "Person", Username: "ada", Host: "here.example",
			Local: true, AccountID: &ada.ID, KeyID: "https://here.example/actors/ada#main-key", Fields: "[]", CreatedAt: now, UpdatedAt: now}
		must(db.Actors().Create(ctx, &adaActor))
		must(db.Associations().AddMembership(ctx, &store.Membership{ID: id(), AssociationID: closed, ActorID: adaActor.ID,
			AccountID: &ada.ID, Role: "member", Status: "active", RequestedAt: now, UpdatedAt: now}))

		copyOf := func(a store.Actor, name string, start time.Time) {
			storetest.RemoteEvent(t, db, a, store.RemoteEvent{Name: name, StartsAt: start, EndsAt: start.Add(time.Hour)})
		}
		partner := storetest.Partner(t, db, "b.example", "partner", adaActor.ID)
		copyOf(partner, "partner's", day(3))
		for _, c := range []struct{ host, column string }{{"c.example", "deleted_at"}, {"d.example", "suspended_at"}, {"e.example", "silenced_at"}} {
			a := storetest.Partner(t, db, c.host, "gone", adaActor.ID)
			copyOf(a, c.column, day(3))
			_, err := db.Bun().NewUpdate().Table("actors").Set(c.column+" = ?", now).Where("id = ?", a.ID).Exec(ctx)
			must(err)
		}
		blocked := storetest.Partner(t, db, "events.blocked.example", "blocked", adaActor.ID)
		copyOf(blocked, "blocked domain's", day(3))
		must(db.DomainBlocks().Add(ctx, &store.DomainBlock{ID: id(), Domain: "blocked.example", Severity: "silence", CreatedAt: now}))
		pending := storetest.Partner(t, db, "f.example", "pending", uuid.Nil)
		copyOf(pending, "pending follow's", day(3))
		must(db.Follows().Save(ctx, &store.Follow{ID: id(), FollowerID: adaActor.ID, FollowedID: pending.ID,
			ActivityID: "https://here.example/follows/pending", State: "pending", CreatedAt: now, UpdatedAt: now}))
		remoteFollower := storetest.Partner(t, db, "g.example", "follower", uuid.Nil)
		followedElsewhere := storetest.Partner(t, db, "h.example", "elsewhere", remoteFollower.ID)
		copyOf(followedElsewhere, "followed from elsewhere", day(3))

		cases := []struct {
			name string
			f    store.NetworkAgendaFilter
			want string
		}{
			{"anyone", store.NetworkAgendaFilter{From: now}, "open's year-long, open's, partner's"},
			{"closed's member", store.NetworkAgendaFilter{From: now, Member: ada.ID}, "open's year-long, open's, closed's, partner's"},
			{"someone else", store.NetworkAgendaFilter{From: now, Member: id()}, "open's year-long, open's, partner's"},
			{"started after", store.NetworkAgendaFilter{From: now, StartsAfter: day(-100)}, "open's, partner's"},
			{"partners only", store.NetworkAgendaFilter{From: now, PartnersOnly: true}, "partner's"},
			{"a page of two", store.NetworkAgendaFilter{From: now, Limit: 2}, "open's year-long, open's"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.f.Limit == 0 {
					c.f.Limit = 10
				}
				rows, err := db.Events().NetworkAgenda(ctx, c.f)
				must(err)
				var got []string
				for _, r := range rows {
					got = append(got, r.Name)
				}
				if s := strings.Join(got, ", "); s != c.want {
					t.Fatalf("got %q, want %q", s, c.want)
				}
			})
		}
	})
}
