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

// seedNetwork adds to seedCatalogue's 10,000 local tasks the copies of
// 10,000 tasks of ten partner associations (followed by a local actor),
// each partner with ten projects (two of ten tags, one of five places), a
// third of the tasks open, seven categories, budgets 0–999.99 EUR.
func seedNetwork(b *testing.B, driver store.Driver) *store.DB {
	b.Helper()
	ctx := context.Background()
	r, r0 := rand.New(rand.NewPCG(5, 6)), rand.New(rand.NewPCG(7, 8))
	db := seedCatalogue(b, driver)
	now := time.Now().UTC()
	// Partners' tasks were published while the local ones were created:
	// their ids interleave, as they would in one newest-first order.
	var first, last uuid.UUID
	for q, into := range map[string]*uuid.UUID{"SELECT id FROM tasks ORDER BY id LIMIT 1": &first, "SELECT id FROM tasks ORDER BY id DESC LIMIT 1": &last} {
		if err := db.Bun().NewRaw(q).Scan(ctx, into); err != nil {
			b.Fatal(err)
		}
	}
	from, to := first.Time(), last.Time()
	fromSec, fromNsec := from.UnixTime()
	toSec, toNsec := to.UnixTime()
	lo, hi := fromSec*1000+fromNsec/1e6, toSec*1000+toNsec/1e6
	between := func() uuid.UUID {
		u := uuid.Must(uuid.NewV7())
		ms := lo + r0.Int64N(hi-lo+1)
		for i := range 6 {
			u[i] = byte(ms >> (8 * (5 - i)))
		}
		return u
	}
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	insert := func(model any) {
		if _, err := db.Bun().NewInsert().Model(model).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	follower := store.Actor{ID: id(), URI: "https://here.example/actors/reader", Kind: "Person", Username: "reader",
		Host: "here.example", Local: true, KeyID: "https://here.example/actors/reader#main-key", PublicKey: "pem",
		CreatedAt: now, UpdatedAt: now}
	insert(&follower)
	categories := []string{"communication", "programming", "design", "translation", "research", "administration", "other"}
	statuses := []string{"open", "reserved", "done"}
	for i := range 10 {
		host := fmt.Sprintf("partner%d.example", i)
		partner := store.Actor{ID: id(), URI: "https://" + host + "/actors/assoc", Kind: "Group", Username: "assoc", Host: host,
			Inbox: "https://" + host + "/inbox", KeyID: "https://" + host + "/actors/assoc#main-key", PublicKey: "pem",
			CreatedAt: now, UpdatedAt: now}
		insert(&partner)
		insert(&store.Follow{ID: id(), FollowerID: follower.ID, FollowedID: partner.ID, ActivityID: "https://here.example/f/" + host,
			State: "accepted", CreatedAt: now, UpdatedAt: now})
		var projects []store.RemoteProject
		var tags []store.RemoteProjectTag
		for j := range 10 {
			uri := fmt.Sprintf("https://%s/projects/%d", host, j)
			p := store.RemoteProject{ID: id(), URI: uri, AssociationActorID: partner.ID, Name: fmt.Sprint("p", j), Status: "active",
				Place: fmt.Sprint("town", (i+j)%5), Currency: "EUR", URL: uri, PublishedAt: now, UpdatedAt: now, ReceivedAt: now}
			projects = append(projects, p)
			tags = append(tags, store.RemoteProjectTag{ProjectID: p.ID, Tag: fmt.Sprint("tag", j%10)},
				store.RemoteProjectTag{ProjectID: p.ID, Tag: fmt.Sprint("tag", (j+3)%10)})
		}
		insert(&projects)
		insert(&tags)
		tasks := make([]store.RemoteTask, 0, 1000)
		for k := range 1000 {
			p := projects[r.IntN(len(projects))]
			uri := fmt.Sprintf("https://%s/tasks/%d", host, k)
			tasks = append(tasks, store.RemoteTask{ID: between(), URI: uri, AssociationActorID: partner.ID, ProjectURI: p.URI, ProjectID: &p.ID,
				Name: "task", Category: categories[r.IntN(len(categories))], DoneCriteria: `["done"]`, Budget: r.Int64N(100_000),
				Currency: "EUR", Reviewers: "[]", Status: statuses[r.IntN(len(statuses))], URL: uri,
				PublishedAt: now, UpdatedAt: now, ReceivedAt: now})
		}
		insert(&tasks)
	}
	if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkNetworkCatalogue is one page (21 rows) of the network catalogue
// over 10,000 local tasks and 10,000 partners' tasks, with the filters the
// catalogue offers.
func BenchmarkNetworkCatalogue(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			db := seedNetwork(b, driver)
			all := store.CatalogueFilter{Status: "open", Category: "design", Tag: "tag4", Place: "town2", MinBudget: 10_000, MaxBudget: 90_000}
			cases := []struct {
				name string
				f    store.NetworkFilter
			}{
				{"open", store.NetworkFilter{CatalogueFilter: store.CatalogueFilter{Status: "open", MaxBudget: -1}}},
				{"open+category", store.NetworkFilter{CatalogueFilter: store.CatalogueFilter{Status: "open", Category: "design", MaxBudget: -1}}},
				{"open+tag", store.NetworkFilter{CatalogueFilter: store.CatalogueFilter{Status: "open", Tag: "tag4", MaxBudget: -1}}},
				{"open+place", store.NetworkFilter{CatalogueFilter: store.CatalogueFilter{Status: "open", Place: "town2", MaxBudget: -1}}},
				{"open+budget", store.NetworkFilter{CatalogueFilter: store.CatalogueFilter{Status: "open", MinBudget: 90_000, MaxBudget: 95_000}, Currency: "EUR"}},
				{"all filters", store.NetworkFilter{CatalogueFilter: all, Currency: "EUR"}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					c.f.Limit = 21
					rows, err := db.Tasks().NetworkCatalogue(context.Background(), c.f)
					if err != nil || len(rows) == 0 {
						b.Fatalf("%d rows: %v", len(rows), err)
					}
					remote := 0
					for _, r := range rows {
						if r.Remote {
							remote++
						}
					}
					for b.Loop() {
						if _, err := db.Tasks().NetworkCatalogue(context.Background(), c.f); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(remote), "partner-rows")
				})
			}
		})
	}
}
