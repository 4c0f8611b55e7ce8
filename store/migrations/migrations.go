// Package migrations holds Holon's schema changes as SQL templates, written
// once for SQLite and PostgreSQL: {{.UUID}}, {{.Timestamp}}, {{.JSON}},
// {{.Bool}} and {{.BigInt}} become each engine's type (store/dialect.go).
//
// Files are named <timestamp>_<what>.tx.up.sql and run in a transaction.
// A migration that has landed on main is never edited: add a new one.
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// All is every migration, in order.
var All = migrate.NewMigrations()

func init() {
	if err := All.Discover(files); err != nil {
		panic("discover migrations: " + err.Error())
	}
}
