package storetest

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// A schema given back to the pool comes out again empty, migrated, and
// under the name it had.
func TestOpen_PooledSchemaComesBackEmpty(t *testing.T) {
	var names []string
	for i := range 3 {
		t.Run("test", func(t *testing.T) {
			db := Open(t, store.Postgres)
			var name string
			if err := db.Bun().NewRaw("SELECT current_schema()").Scan(t.Context(), &name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
			blocks, err := db.DomainBlocks().List(t.Context())
			if err != nil || len(blocks) != 0 {
				t.Fatalf("round %d: a fresh database holds domain blocks %v (%v)", i, blocks, err)
			}
			b := store.DomainBlock{ID: uuid.New(), Domain: "spam.example", Severity: "suspend", CreatedAt: time.Now()}
			if err := db.DomainBlocks().Add(t.Context(), &b); err != nil {
				t.Fatal(err)
			}
		})
	}
	if names[0] != names[1] || names[1] != names[2] {
		t.Fatalf("the schema was not reused: %v", names)
	}
}

func TestDropStale_DropsOnlyOldPools(t *testing.T) {
	base := postgresBase(t)
	ctx := t.Context()
	old := newSchema(ctx, t, base, pooledPrefix+"1000_")
	current := newSchema(ctx, t, base, pooledPrefix+"9999999999_")
	t.Cleanup(func() { _ = dropSchemas(ctx, base, []string{old, current}) })
	if err := dropStale(ctx, base, time.Now()); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, store.Postgres, base, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var left []string
	if err := db.Bun().NewSelect().Table("pg_namespace").Column("nspname").
		Where("nspname IN (?, ?)", old, current).Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != current {
		t.Fatalf("left %v; want only %s", left, current)
	}
}
