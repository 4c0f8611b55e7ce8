package storetest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/store"
)

// schemas are the migrated PostgreSQL schemas of this test process. A new
// one costs half a second of DDL (every migration); emptying a used one,
// one TRUNCATE. A test takes a free schema or makes one, and gives it back
// when it ends, after its connections are closed, so that nothing it
// started can write into the next test's data.
var schemas struct {
	sync.Mutex
	free  []string
	swept bool
}

// pooledPrefix starts the name of a pooled schema, followed by the Unix
// time it was made: a process cannot drop its pool when it exits (there is
// no hook), so the next one drops the pools older than staleAfter.
const (
	pooledPrefix = "test_pool_"
	staleAfter   = 2 * time.Hour
)

func openPooled(t testing.TB) *store.DB {
	t.Helper()
	base := postgresBase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	schemas.Lock()
	var schema string
	if n := len(schemas.free); n > 0 {
		schema, schemas.free = schemas.free[n-1], schemas.free[:n-1]
	}
	sweep := !schemas.swept
	schemas.swept = true
	schemas.Unlock()
	if sweep {
		if err := dropStale(ctx, base, time.Now()); err != nil {
			t.Logf("drop stale test schemas: %v", err)
		}
	}
	fresh := schema == ""
	if fresh {
		schema = newSchema(ctx, t, base, pooledPrefix+strconv.FormatInt(time.Now().Unix(), 10)+"_")
	}
	db, err := store.Open(ctx, store.Postgres, schemaDSN(t, base, schema), 0)
	if err != nil {
		t.Fatalf("open postgres test database: %v", err)
	}
	t.Cleanup(func() {
		_ = db.Close()
		schemas.Lock()
		schemas.free = append(schemas.free, schema)
		schemas.Unlock()
	})
	if fresh {
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate postgres test database: %v", err)
		}
	} else if err := empty(ctx, db); err != nil {
		t.Fatalf("empty postgres test schema %s: %v", schema, err)
	}
	return db
}

// empty removes every row of the schema's tables but the migrations' own.
func empty(ctx context.Context, db *store.DB) error {
	var tables []string
	err := db.Bun().NewSelect().Table("pg_tables").Column("tablename").
		Where("schemaname = current_schema()").
		Where("tablename NOT IN (?, ?)", "schema_migrations", "schema_migration_locks").
		Scan(ctx, &tables)
	if err != nil {
		return fmt.Errorf("list tables: %w", err)
	}
	if len(tables) == 0 {
		return nil
	}
	// DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE makes
	// new files for every table and index. Foreign keys are not checked
	// meanwhile (replica role), so the order of the tables does not matter.
	var q strings.Builder
	q.WriteString("SET LOCAL session_replication_role = replica;")
	for _, name := range tables {
		q.WriteString(`DELETE FROM "` + name + `";`)
	}
	tx, err := db.Bun().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, q.String()); err == nil {
		return tx.Commit()
	}
	// Only a superuser may take the replica role: others pay for TRUNCATE.
	_ = tx.Rollback()
	for i, name := range tables {
		tables[i] = `"` + name + `"`
	}
	if _, err := db.Bun().ExecContext(ctx, "TRUNCATE "+strings.Join(tables, ", ")+" RESTART IDENTITY CASCADE"); err != nil {
		return fmt.Errorf("truncate: %w", err)
	}
	return nil
}

// dropStale drops the pooled schemas made before now-staleAfter.
func dropStale(ctx context.Context, base string, now time.Time) error {
	db, err := store.Open(ctx, store.Postgres, base, 1)
	if err != nil {
		return err
	}
	var names []string
	err = db.Bun().NewSelect().Table("pg_namespace").Column("nspname").
		Where("nspname LIKE ?", pooledPrefix+"%").Scan(ctx, &names)
	_ = db.Close()
	if err != nil {
		return err
	}
	var stale []string
	for _, name := range names {
		made, _, _ := strings.Cut(strings.TrimPrefix(name, pooledPrefix), "_")
		if unix, err := strconv.ParseInt(made, 10, 64); err == nil && now.Sub(time.Unix(unix, 0)) > staleAfter {
			stale = append(stale, name)
		}
	}
	return dropSchemas(ctx, base, stale)
}
