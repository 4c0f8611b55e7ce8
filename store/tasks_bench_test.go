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

// seedCatalogue stores 100 projects (each with two of ten tags and one of
// five places) and 10,000 tasks, a third open, of seven categories and
// budgets from 0 to 999.99.
func seedCatalogue(b *testing.B, driver store.Driver) *store.DB {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, driver)
	now := time.Now().UTC()
	id := func() uuid.UUID { return uuid.Must(uuid.NewV7()) }
	assoc := store.Association{ID: id(), Name: "commons", Settings: "{}", CreatedAt: now, UpdatedAt: now}
	if _, err := db.Bun().NewRaw("INSERT INTO actor_names (name, kind, created_at) VALUES (?, ?, ?)", "commons", "Group", now).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	if err := db.Associations().Create(ctx, &assoc); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	var projects []store.Project
	var tags []store.ProjectTag
	for i := range 100 {
		p := store.Project{ID: id(), AssociationID: assoc.ID, Holder: "https://here.example/actors/a", Name: fmt.Sprint("p", i),
			Licence: "MIT", Architecture: "distributed", Checklist: "[]", Beneficiaries: "[]", Place: fmt.Sprint("town", i%5),
			Currency: "EUR", Status: "active", CreatedAt: now, UpdatedAt: now}
		projects = append(projects, p)
		tags = append(tags, store.ProjectTag{ProjectID: p.ID, Tag: fmt.Sprint("tag", i%10)},
			store.ProjectTag{ProjectID: p.ID, Tag: fmt.Sprint("tag", (i+3)%10)})
	}
	insert := func(model any) {
		if _, err := db.Bun().NewInsert().Model(model).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	insert(&projects)
	insert(&tags)
	categories := []string{"communication", "programming", "design", "translation", "research", "administration", "other"}
	statuses := []string{"open", "reserved", "done"}
	for range 10 {
		tasks := make([]store.Task, 0, 1000)
		for range 1000 {
			p := projects[r.IntN(len(projects))]
			tasks = append(tasks, store.Task{ID: id(), ProjectID: p.ID, AssociationID: assoc.ID, Name: "task",
				Category: categories[r.IntN(len(categories))], DoneCriteria: `["done"]`, Budget: r.Int64N(100_000),
				Currency: "EUR", MaxReservation: 3600, Reviewers: "[]", Status: statuses[r.IntN(len(statuses))],
				CreatedBy: p.Holder, CreatedAt: now, UpdatedAt: now})
		}
		insert(&tasks)
	}
	if _, err := db.Bun().ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkCatalogue is one page (21 rows) of the task catalogue over
// 10,000 tasks, with the filters the catalogue offers.
func BenchmarkCatalogue(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			db := seedCatalogue(b, driver)
			cases := []struct {
				name string
				f    store.CatalogueFilter
			}{
				{"open", store.CatalogueFilter{Status: "open", MaxBudget: -1}},
				{"open+category", store.CatalogueFilter{Status: "open", Category: "design", MaxBudget: -1}},
				{"open+tag", store.CatalogueFilter{Status: "open", Tag: "tag4", MaxBudget: -1}},
				{"open+place", store.CatalogueFilter{Status: "open", Place: "town2", MaxBudget: -1}},
				{"open+budget", store.CatalogueFilter{Status: "open", MinBudget: 90_000, MaxBudget: 95_000}},
				{"all filters", store.CatalogueFilter{Status: "open", Category: "design", Tag: "tag4", Place: "town2", MinBudget: 10_000, MaxBudget: 90_000}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					c.f.Limit = 21
					for b.Loop() {
						if _, err := db.Tasks().Catalogue(context.Background(), c.f); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
