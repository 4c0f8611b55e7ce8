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

// The network views (network timeline, tag timeline, network task
// catalogue) leave out the content of actors on blocked domains, silenced
// or suspended, and their subdomains; other remote content stays.
func TestNetworkViews_LeaveOutBlockedDomains(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		actor := func(host, name, kind string, local bool) store.Actor {
			a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://" + host + "/u/" + name, Kind: kind,
				Username: name, Host: host, Local: local, KeyID: "https://" + host + "/u/" + name + "#key",
				PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
			if err := db.Actors().Create(ctx, &a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		follow := func(from, to store.Actor) {
			f := store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: from.ID, FollowedID: to.ID,
				ActivityID: from.URI + "#follow-" + to.Username, State: "accepted", CreatedAt: now, UpdatedAt: now}
			if err := db.Follows().Save(ctx, &f); err != nil {
				t.Fatal(err)
			}
		}
		note := func(author store.Actor, text string) store.Note {
			n := store.Note{ID: uuid.Must(uuid.NewV7()), URI: author.URI + "/notes/" + text, AuthorID: author.ID, Local: author.Local,
				Content: text, Visibility: "public", PublishedAt: now, CreatedAt: now}
			if err := db.Notes().Create(ctx, &n, []string{"garden"}, nil); err != nil {
				t.Fatal(err)
			}
			return n
		}
		boost := func(by store.Actor, n store.Note) {
			r := store.Reaction{ID: uuid.Must(uuid.NewV7()), Kind: "Announce", ActorID: by.ID, NoteID: n.ID,
				ActivityID: by.URI + "/boost/" + n.Content, CreatedAt: now}
			if _, err := db.Reactions("Announce").Add(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		task := func(group store.Actor, name string) {
			rt := store.RemoteTask{ID: uuid.Must(uuid.NewV7()), URI: group.URI + "/tasks/" + name, AssociationActorID: group.ID,
				ProjectURI: group.URI + "/projects/p", Name: name, DoneCriteria: "[]", Reviewers: "[]", Status: "open",
				URL: group.URI + "/tasks/" + name, PublishedAt: now, UpdatedAt: now, ReceivedAt: now}
			if err := db.RemoteTasks().Create(ctx, &rt); err != nil {
				t.Fatal(err)
			}
		}
		ada := actor("holon.example", "ada", "Person", true)
		zoe := actor("127.0.0.2:4000", "zoe", "Person", false)           // silenced
		yan := actor("social.suspended.example", "yan", "Person", false) // suspended, by its parent
		cy := actor("ok.example", "cy", "Person", false)
		silencedGroup := actor("127.0.0.2:4000", "commons", "Group", false)
		okGroup := actor("ok.example", "garden", "Group", false)
		for _, a := range []store.Actor{zoe, yan, cy, silencedGroup, okGroup} {
			follow(ada, a)
		}
		adas := note(ada, "ada1")
		zoes := note(zoe, "zoe1")
		note(yan, "yan1")
		note(cy, "cy1")
		boost(zoe, adas)
		boost(cy, zoes)
		task(silencedGroup, "silenced")
		task(okGroup, "fine")

		views := func() string {
			t.Helper()
			var out []string
			net, err := db.Notes().NetworkTimeline(ctx, uuid.Nil, store.TimelinePage{Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range net {
				e := r.Content
				if r.BoosterID != nil {
					e = r.BoosterUsername + ">" + e
				}
				out = append(out, e)
			}
			out = append(out, "|")
			tag, err := db.Notes().TagTimeline(ctx, uuid.Nil, "garden", store.TimelinePage{Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tag {
				out = append(out, r.Content)
			}
			out = append(out, "|")
			tasks, err := db.Tasks().NetworkCatalogue(ctx, store.NetworkFilter{CatalogueFilter: store.CatalogueFilter{MaxBudget: -1, Limit: 20}})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tasks {
				out = append(out, r.Name)
			}
			return strings.Join(out, " ")
		}
		if got, want := views(), "cy>zoe1 zoe>ada1 cy1 yan1 zoe1 ada1 | cy1 yan1 zoe1 ada1 | fine silenced"; got != want {
			t.Fatalf("before the blocks:\n got %s\nwant %s", got, want)
		}
		for _, b := range []store.DomainBlock{{Domain: "127.0.0.2", Severity: "silence"}, {Domain: "suspended.example", Severity: "suspend"}} {
			b.ID, b.CreatedAt = uuid.Must(uuid.NewV7()), now
			if err := db.DomainBlocks().Add(ctx, &b); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := views(), "cy1 ada1 | cy1 ada1 | fine"; got != want {
			t.Fatalf("after the blocks:\n got %s\nwant %s", got, want)
		}
	})
}
