package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Driver names the database engine.
type Driver string

// The supported engines.
const (
	SQLite   Driver = "sqlite"
	Postgres Driver = "postgres"
)

// migrationTypes fills the type placeholders of the SQL migrations, so that
// each migration is written once for both engines.
type migrationTypes struct {
	UUID      string // identifiers (UUIDv7)
	Timestamp string // instants, always UTC
	JSON      string // structured values; TEXT on SQLite
	Bool      string
	BigInt    string
	Bytes     string // binary data (images)
}

func (d Driver) migrationTypes() migrationTypes {
	if d == Postgres {
		return migrationTypes{UUID: "uuid", Timestamp: "timestamptz", JSON: "jsonb", Bool: "boolean", BigInt: "bigint", Bytes: "bytea"}
	}
	// SQLite: TIMESTAMP makes modernc.org/sqlite parse the column back into
	// time.Time; bun writes instants as fixed UTC text, which sorts correctly.
	return migrationTypes{UUID: "text", Timestamp: "timestamp", JSON: "text", Bool: "boolean", BigInt: "integer", Bytes: "blob"}
}

// sqliteDSN turns a file path (or file: URI) into a DSN with the pragmas
// Holon relies on: WAL so readers never block the writer, a busy timeout so
// concurrent writers wait instead of failing with "database is locked",
// immediate transactions so a transaction takes the write lock at BEGIN
// (a deferred one that upgrades later can fail with SQLITE_BUSY at once),
// and foreign keys.
func sqliteDSN(path string) (string, error) {
	if path == "" {
		return "", errors.New("empty SQLite path")
	}
	base, query, _ := strings.Cut(path, "?")
	if !strings.HasPrefix(base, "file:") {
		base = "file:" + base
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("parse SQLite DSN options: %w", err)
	}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	return base + "?" + q.Encode(), nil
}

func openSQLite(path string, maxOpen int) (*bun.DB, func(), error) {
	dsn, err := sqliteDSN(path)
	if err != nil {
		return nil, nil, err
	}
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	if maxOpen <= 0 {
		maxOpen = 8
	}
	sqldb.SetMaxOpenConns(maxOpen)
	sqldb.SetMaxIdleConns(maxOpen)
	return bun.NewDB(sqldb, sqlitedialect.New()), func() {}, nil
}

// openPostgres connects through pgx's pool with the simple query protocol,
// which keeps working behind transaction-pooling proxies such as PgBouncer.
// Closing the *sql.DB does not close pgx's pool: the returned func does.
func openPostgres(dsn string, maxOpen int) (*bun.DB, func(), error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("parse PostgreSQL DSN: %w", redactDSNError(err))
	}
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	if maxOpen <= 0 {
		maxOpen = 10
	}
	cfg.MaxConns = int32(maxOpen)
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("open PostgreSQL: %w", redactDSNError(err))
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	return bun.NewDB(sqldb, pgdialect.New()), pool.Close, nil
}

// redactDSNError keeps passwords out of logs: pgx quotes the DSN in some
// parse errors.
func redactDSNError(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		return errors.New("invalid connection string (details withheld: it may hold a password)")
	}
	return err
}

// isDuplicate reports whether err is a unique-constraint violation.
func isDuplicate(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		c := sqErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// claimLock is the row-locking clause of the SELECT that picks the jobs a
// claim takes (see Deliveries.Claim). PostgreSQL skips the rows another
// transaction is claiming at that moment, so that concurrent claims take
// different jobs instead of waiting for each other; SQLite has no row locks
// and one writer at a time, so its single UPDATE is atomic without a clause.
func (d Driver) claimLock() string {
	if d == Postgres {
		return "UPDATE SKIP LOCKED"
	}
	return ""
}

// joinsLateral reports whether the engine has LATERAL joins (PostgreSQL),
// with which a timeline reads the newest entries of each followed actor off
// that actor's index. SQLite has none: it gets the same plan from a CROSS
// JOIN, which fixes its join order, and a correlated bound on the range
// (see Notes.HomeTimeline).
func (d Driver) joinsLateral() bool { return d == Postgres }

// forUpdate locks the rows q reads until the transaction ends, on
// PostgreSQL; SQLite transactions are immediate and already serialised.
func (d Driver) forUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if d == Postgres {
		return q.For("UPDATE")
	}
	return q
}

// monthOf is the SQL expression of the month ("2026-11", UTC) of the
// timestamp column. SQLite holds instants as UTC text that starts with the
// month; PostgreSQL formats its timestamptz in UTC.
func (d Driver) monthOf(column string) string {
	if d == Postgres {
		return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM')"
	}
	return "substr(" + column + ", 1, 7)"
}

// jsonText is the SQL expression of the text at key of the JSON object in
// column (NULL when the key is absent): jsonb's ->> on PostgreSQL,
// json_extract on SQLite, which keeps JSON as text.
func (d Driver) jsonText(column, key string) string {
	if d == Postgres {
		return column + "->>'" + key + "'"
	}
	return "json_extract(" + column + ", '$." + key + "')"
}

// inSet is the condition that column is among the ids the uncorrelated
// query set returns, read once. PostgreSQL gets them as an array
// (= ANY(ARRAY(…)), an init plan), so that it filters the rows it walks
// rather than turning the set into a join that reads every row of each
// member of the set; SQLite builds the set once for IN.
func (d Driver) inSet(column, set string) string {
	if d == Postgres {
		return column + " = ANY(ARRAY(" + set + "))"
	}
	return column + " IN (" + set + ")"
}
