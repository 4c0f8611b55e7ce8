package mastodon_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// BenchmarkHomeTimeline measures GET /api/v1/timelines/home over HTTP, as
// a Mastodon client asks for it, for a member following 500 actors who
// wrote 100,000 notes (public mostly, some followers-only, unlisted,
// direct to the member, a quarter replies) and boosted 10,000: the token
// check, the page query and the mapping to statuses (statusesOf). One op
// is one request; p50 and p99 are reported in milliseconds.
//
//	go test -run '^$' -bench HomeTimeline -benchtime 1000x ./web/mastodon
func BenchmarkHomeTimeline(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			db := storetest.Open(b, driver)
			in := webtest.Start(b, db, nil)
			token, pages := seedHome(b, in)
			for _, c := range []struct{ name, query string }{
				{"first-page-20", "?limit=20"},
				{"first-page-40", "?limit=40"},
				{"deep-page-20", "?limit=20&max_id=" + pages.deep.String()},
				{"min-id-20", "?limit=20&min_id=" + pages.deep.String()},
			} {
				b.Run(c.name, func(b *testing.B) {
					req, _ := http.NewRequest(http.MethodGet, in.URL+"/api/v1/timelines/home"+c.query, nil)
					req.Header.Set("Authorization", "Bearer "+token)
					var took []time.Duration
					for b.Loop() {
						start := time.Now()
						resp, err := http.DefaultClient.Do(req)
						if err != nil {
							b.Fatal(err)
						}
						body := make([]byte, 64<<10)
						for {
							if _, err := resp.Body.Read(body); err != nil {
								break
							}
						}
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							b.Fatalf("%d", resp.StatusCode)
						}
						took = append(took, time.Since(start))
					}
					slices.Sort(took)
					at := func(q float64) float64 {
						return float64(took[min(len(took)-1, int(q*float64(len(took))))].Microseconds()) / 1000
					}
					b.ReportMetric(at(0.50), "p50-ms")
					b.ReportMetric(at(0.99), "p99-ms")
				})
			}
		})
	}
}

type homePages struct{ deep uuid.UUID }

// seedHome creates the member (with a token) and the actors it follows,
// their notes and boosts, straight into the store.
func seedHome(b *testing.B, in *webtest.Instance) (string, homePages) {
	b.Helper()
	ctx := context.Background()
	acc, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "reader", Email: "reader@example.org",
		Password: "correct horse battery"}, membership.RoleUser)
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := in.Members.CreateToken(ctx, acc, "bench")
	if err != nil {
		b.Fatal(err)
	}
	me, err := in.Members.LocalActor(ctx, "reader")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	var actors []store.Actor
	var follows []store.Follow
	for i := range 500 {
		host := fmt.Sprintf("peer%d.example", i%20)
		uri := fmt.Sprintf("https://%s/users/u%d", host, i)
		a := store.Actor{ID: id(), URI: uri, Kind: "Person", Username: fmt.Sprintf("u%d", i), Host: host,
			DisplayName: fmt.Sprintf("User %d", i), Inbox: uri + "/inbox", Followers: uri + "/followers",
			KeyID: uri + "#key", PublicKey: "-", CreatedAt: now, UpdatedAt: now}
		actors = append(actors, a)
		follows = append(follows, store.Follow{ID: id(), FollowerID: me.ID, FollowedID: a.ID,
			ActivityID: uri + "/follows/" + me.ID.String(), State: "accepted", CreatedAt: now, UpdatedAt: now})
	}
	r := rand.New(rand.NewPCG(3, 4))
	visibilities := []string{"public", "public", "public", "public", "unlisted", "followers", "direct"}
	var notes []store.Note
	var mentions []store.NoteMention
	var tags []store.NoteTag
	for i := range 100_000 {
		a := actors[r.IntN(len(actors))]
		nid := id()
		n := store.Note{ID: nid, URI: a.URI + "/statuses/" + nid.String(), AuthorID: a.ID, Content: "<p>Hello from the garden</p>",
			Visibility: visibilities[r.IntN(len(visibilities))], PublishedAt: now, CreatedAt: now}
		if i > 10 && r.IntN(4) == 0 {
			p := notes[r.IntN(len(notes))]
			n.InReplyTo, n.InReplyToID = p.URI, &p.ID
		}
		if n.Visibility == "direct" || r.IntN(50) == 0 {
			mentions = append(mentions, store.NoteMention{NoteID: nid, Href: me.URI, Name: "@reader"})
		}
		if r.IntN(5) == 0 {
			tags = append(tags, store.NoteTag{NoteID: nid, Name: fmt.Sprintf("t%d", r.IntN(100))})
		}
		notes = append(notes, n)
	}
	var boosts []store.Reaction
	seen := map[[2]uuid.UUID]bool{}
	for len(boosts) < 10_000 {
		n, by := notes[r.IntN(len(notes))], actors[r.IntN(len(actors))]
		if (n.Visibility != "public" && n.Visibility != "unlisted") || seen[[2]uuid.UUID{n.ID, by.ID}] {
			continue
		}
		seen[[2]uuid.UUID{n.ID, by.ID}] = true
		rid := id()
		boosts = append(boosts, store.Reaction{ID: rid, Kind: "Announce", ActorID: by.ID, NoteID: n.ID,
			ActivityID: by.URI + "/announces/" + rid.String(), CreatedAt: now})
	}
	insertRows(b, in.DB, actors)
	insertRows(b, in.DB, follows)
	insertRows(b, in.DB, notes)
	insertRows(b, in.DB, mentions)
	insertRows(b, in.DB, tags)
	insertRows(b, in.DB, boosts)
	if _, err := in.DB.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return token, homePages{deep: notes[len(notes)/2].ID}
}

func insertRows[T any](b *testing.B, db *store.DB, rows []T) {
	b.Helper()
	for i := 0; i < len(rows); i += 500 {
		chunk := rows[i:min(i+500, len(rows))]
		if _, err := db.Bun().NewInsert().Model(&chunk).Exec(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
