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

// timelineData is an instance with 2,000 actors (100 local), 60,000 notes
// (a quarter replies, a fifth tagged, a fifth mentioning someone), about
// 60,000 likes and boosts; the viewer, local, follows 300 actors, and each
// other local actor follows one.
type timelineData struct {
	db     *store.DB
	actors []store.Actor
	notes  []store.Note
}

func seedTimelines(b *testing.B, driver store.Driver) timelineData {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, driver)
	now := time.Now().UTC()
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	d := timelineData{db: db}
	for i := range 2000 {
		host := "peer.example"
		if i < 100 {
			host = "here.example"
		}
		uri := fmt.Sprintf("https://%s/actors/u%d", host, i)
		d.actors = append(d.actors, store.Actor{ID: id(), URI: uri, Kind: "Person", Username: fmt.Sprintf("u%d", i),
			Host: host, Local: i < 100, KeyID: uri + "#key", PublicKey: "-", CreatedAt: now, UpdatedAt: now})
	}
	var follows []store.Follow
	follow := func(from, to store.Actor) {
		follows = append(follows, store.Follow{ID: id(), FollowerID: from.ID, FollowedID: to.ID,
			ActivityID: uuid.NewString(), State: "accepted", CreatedAt: now, UpdatedAt: now})
	}
	for i := 1; i <= 300; i++ {
		follow(d.actors[0], d.actors[i*5])
	}
	for i := 1; i < 100; i++ {
		follow(d.actors[i], d.actors[100+i*10])
	}
	r := rand.New(rand.NewPCG(1, 2))
	visibilities := []string{"public", "public", "public", "unlisted", "followers", "direct"}
	var tags []store.NoteTag
	var mentions []store.NoteMention
	var reactions []store.Reaction
	seen := map[string]bool{}
	for i := range 60_000 {
		a := d.actors[r.IntN(len(d.actors))]
		nid := id()
		n := store.Note{ID: nid, URI: "https://" + a.Host + "/notes/" + nid.String(), AuthorID: a.ID, Local: a.Local,
			Content: "<p>x</p>", Visibility: visibilities[r.IntN(len(visibilities))], PublishedAt: now, CreatedAt: now}
		if i > 10 && r.IntN(4) == 0 {
			p := d.notes[r.IntN(len(d.notes))]
			n.InReplyTo, n.InReplyToID = p.URI, &p.ID
		}
		d.notes = append(d.notes, n)
		if r.IntN(5) == 0 {
			tags = append(tags, store.NoteTag{NoteID: nid, Name: fmt.Sprintf("t%d", r.IntN(200))})
		}
		if r.IntN(5) == 0 {
			mentions = append(mentions, store.NoteMention{NoteID: nid, Href: d.actors[r.IntN(len(d.actors))].URI, Name: "@x"})
		}
		for range r.IntN(3) {
			kind := []string{"Like", "Announce"}[r.IntN(2)]
			by := d.actors[r.IntN(len(d.actors))]
			if key := kind + by.ID.String() + nid.String(); !seen[key] {
				seen[key] = true
				rid := id()
				reactions = append(reactions, store.Reaction{ID: rid, Kind: kind, ActorID: by.ID, NoteID: nid,
					ActivityID: rid.String(), CreatedAt: now})
			}
		}
	}
	insertAll(b, db, d.actors)
	insertAll(b, db, follows)
	insertAll(b, db, d.notes)
	insertAll(b, db, tags)
	insertAll(b, db, mentions)
	insertAll(b, db, reactions)
	if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return d
}

func insertAll[T any](b *testing.B, db *store.DB, rows []T) {
	b.Helper()
	for i := 0; i < len(rows); i += 500 {
		chunk := rows[i:min(i+500, len(rows))]
		if _, err := db.Bun().NewInsert().Model(&chunk).Exec(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTimelines measures one page (20 entries, and the row that tells
// whether there is a next one) of each timeline query on a seeded instance
// (see timelineData). One op is one page query.
//
//	go test -run '^$' -bench Timelines -benchtime 200x ./store
func BenchmarkTimelines(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			ctx := context.Background()
			d := seedTimelines(b, driver)
			viewer := func(a store.Actor, follows int) store.TimelineViewer {
				return store.TimelineViewer{Actor: a.ID, ActorURI: a.URI, Account: uuid.New(),
					BoardRoles: []string{"board", "treasurer"}, Status: "active", Follows: follows}
			}
			busy, quiet := viewer(d.actors[0], 300), viewer(d.actors[50], 1)
			page := store.TimelinePage{Limit: 21}
			deep := store.TimelinePage{Limit: 21, Cursor: d.notes[len(d.notes)/2].ID}
			notes := d.db.Notes()
			cases := []struct {
				name string
				run  func() ([]store.TimelineRow, error)
			}{
				{"home-300-follows", func() ([]store.TimelineRow, error) { return notes.HomeTimeline(ctx, busy, page) }},
				{"home-300-follows-deep", func() ([]store.TimelineRow, error) { return notes.HomeTimeline(ctx, busy, deep) }},
				{"home-1-follow", func() ([]store.TimelineRow, error) { return notes.HomeTimeline(ctx, quiet, page) }},
				{"network", func() ([]store.TimelineRow, error) { return notes.NetworkTimeline(ctx, busy.Actor, page) }},
				{"tag", func() ([]store.TimelineRow, error) { return notes.TagTimeline(ctx, busy.Actor, "t7", page) }},
				{"actor", func() ([]store.TimelineRow, error) { return notes.ActorTimeline(ctx, busy, d.actors[10].ID, page) }},
			}
			run := func(cases []struct {
				name string
				run  func() ([]store.TimelineRow, error)
			}) {
				for _, c := range cases {
					b.Run(c.name, func(b *testing.B) {
						for b.Loop() {
							rows, err := c.run()
							if err != nil || len(rows) == 0 {
								b.Fatalf("%d rows: %v", len(rows), err)
							}
						}
					})
				}
			}
			run(cases)
			// The federation policy's filters at their worst: 200 blocked
			// domains, none of them the peers', so every row is checked
			// against them all; and 10 silenced actors.
			now := time.Now().UTC()
			for i := range 200 {
				err := d.db.DomainBlocks().Add(ctx, &store.DomainBlock{ID: uuid.Must(uuid.NewV7()),
					Domain: fmt.Sprintf("blocked%d.example", i), Severity: "silence", CreatedAt: now})
				if err != nil {
					b.Fatal(err)
				}
			}
			for _, a := range d.actors[1000:1010] {
				if _, err := d.db.Bun().NewRaw("UPDATE actors SET silenced_at = ? WHERE id = ?", now, a.ID).Exec(ctx); err != nil {
					b.Fatal(err)
				}
			}
			for i := range cases[3:5] {
				cases[3+i].name += "-200-blocked-domains"
			}
			run(cases[3:5])
		})
	}
}
