// Package storetest gives tests a fresh, migrated database on each engine:
// a SQLite file in the test's temporary folder, and a PostgreSQL schema of
// its own (so that packages run their tests in parallel).
//
// PostgreSQL is reached at HOLON_TEST_POSTGRES_DSN (default: the local
// server, user postgres, database test). When it cannot be reached the test
// fails: a developer without PostgreSQL may set HOLON_TEST_POSTGRES=off to
// leave those cases out, which CI (CI=true) refuses.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/store"
)

// DefaultPostgresDSN is the PostgreSQL server the tests use unless
// HOLON_TEST_POSTGRES_DSN says otherwise.
const DefaultPostgresDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Drivers lists the engines the tests run on: both, unless
// HOLON_TEST_DRIVERS names some (comma-separated: sqlite, postgres). CI's
// race run names postgres alone: the detector looks for races in Go code,
// which the same tests on the second engine would only run again, at
// twice the cost (the run without the detector has both).
var Drivers = driversFrom(os.Getenv("HOLON_TEST_DRIVERS"))

func driversFrom(list string) []store.Driver {
	if strings.TrimSpace(list) == "" {
		return []store.Driver{store.SQLite, store.Postgres}
	}
	var out []store.Driver
	for _, name := range strings.Split(list, ",") {
		switch d := store.Driver(strings.TrimSpace(name)); d {
		case store.SQLite, store.Postgres:
			out = append(out, d)
		default:
			panic(fmt.Sprintf("HOLON_TEST_DRIVERS=%q: unknown engine %q (give sqlite, postgres or both)", list, name))
		}
	}
	return out
}

// Each runs fn once per engine, as a subtest named after it, with a fresh
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Drivers {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database on driver, closed when the test
// ends. A PostgreSQL database is a schema this process migrated once and
// empties for each test (see schemas).
func Open(t testing.TB, driver store.Driver) *store.DB {
	t.Helper()
	if driver == store.Postgres {
		return openPooled(t)
	}
	driver, dsn := DSN(t, driver)
	return openMigrated(t, driver, dsn)
}

func openMigrated(t testing.TB, driver store.Driver, dsn string) *store.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := store.Open(ctx, driver, dsn, 0)
	if err != nil {
		t.Fatalf("open %s test database: %v", driver, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s test database: %v", driver, err)
	}
	return db
}

// DSN prepares an empty database on driver and returns its DSN: a file path
// for SQLite, a URL whose search_path is a new schema for PostgreSQL. The
// schema is dropped when the test ends.
func DSN(t testing.TB, driver store.Driver) (store.Driver, string) {
	t.Helper()
	switch driver {
	case store.SQLite:
		return driver, filepath.Join(t.TempDir(), "holon.db")
	case store.Postgres:
		return driver, postgresSchema(t)
	}
	t.Fatalf("unknown driver %q", driver)
	return "", ""
}

func postgresSchema(t testing.TB) string {
	t.Helper()
	base := postgresBase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	schema := newSchema(ctx, t, base, "test_")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := dropSchemas(ctx, base, []string{schema}); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	return schemaDSN(t, base, schema)
}

// postgresBase is the DSN of the server's test database, or skips the test
// when the developer left PostgreSQL out (never on CI).
func postgresBase(t testing.TB) string {
	t.Helper()
	if os.Getenv("HOLON_TEST_POSTGRES") == "off" {
		if os.Getenv("CI") == "true" {
			t.Fatal("HOLON_TEST_POSTGRES=off is refused on CI: the PostgreSQL tests must run")
		}
		t.Skip("PostgreSQL cases left out: HOLON_TEST_POSTGRES=off")
	}
	if base := os.Getenv("HOLON_TEST_POSTGRES_DSN"); base != "" {
		return base
	}
	return DefaultPostgresDSN
}

// newSchema creates an empty schema named prefix and a random suffix.
func newSchema(ctx context.Context, t testing.TB, base, prefix string) string {
	t.Helper()
	admin, err := store.Open(ctx, store.Postgres, base, 2)
	if err != nil {
		t.Fatalf("PostgreSQL tests need a server at %s (set HOLON_TEST_POSTGRES_DSN, or HOLON_TEST_POSTGRES=off to leave them out locally): %v",
			redact(base), err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := prefix + hex.EncodeToString(b[:])
	if _, err := admin.Bun().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	return schema
}

func dropSchemas(ctx context.Context, base string, schemas []string) error {
	db, err := store.Open(ctx, store.Postgres, base, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, schema := range schemas {
		if _, err := db.Bun().ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			return err
		}
	}
	return nil
}

// schemaDSN is base with schema as its search path. Commits do not wait
// for the disk: durability is the server's business, not the tests'.
func schemaDSN(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse HOLON_TEST_POSTGRES_DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return fmt.Sprint(u)
}
