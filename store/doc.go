// Package store keeps Holon's data in SQLite (the embedded default) or
// PostgreSQL (production), with one code base and one set of migrations.
//
// It holds bun models, migrations, queries and transactions. It never holds
// business rules: core decides, store records. Dialect differences live in
// dialect.go and nowhere else. Rules about concurrency that the database can
// enforce (unique names, one membership per member) are enforced here, by
// constraints, and reported as ErrDuplicate.
package store
