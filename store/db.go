package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/holon-network/holon/store/migrations"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// ErrDuplicate is returned when a write breaks a uniqueness constraint.
var ErrDuplicate = errors.New("already exists")

// Tx is a handle for queries, inside a transaction or not. Its methods give
// the repositories; every repository method takes ctx first.
type Tx struct {
	idb    bun.IDB
	driver Driver
	// afterCommit collects what to run once the transaction has committed;
	// nil outside a transaction.
	afterCommit *[]func()
}

// AfterCommit runs fn once the transaction commits (never if it rolls
// back), or at once outside a transaction: for signals to other goroutines
// ("there is work") that must not arrive before the work is visible.
func (t Tx) AfterCommit(fn func()) {
	if t.afterCommit == nil {
		fn()
		return
	}
	*t.afterCommit = append(*t.afterCommit, fn)
}

// DB is an open database. It embeds Tx for queries outside a transaction.
type DB struct {
	Tx
	bun       *bun.DB
	closePool func()
}

// Open connects to the database named by driver and dsn (a file path for
// SQLite, a postgres:// URL for PostgreSQL) and checks that it answers.
func Open(ctx context.Context, driver Driver, dsn string, maxOpenConns int) (*DB, error) {
	var (
		bdb       *bun.DB
		closePool func()
		err       error
	)
	switch driver {
	case SQLite:
		bdb, closePool, err = openSQLite(dsn, maxOpenConns)
	case Postgres:
		bdb, closePool, err = openPostgres(dsn, maxOpenConns)
	default:
		return nil, fmt.Errorf("unknown database driver %q (want sqlite or postgres)", driver)
	}
	if err != nil {
		return nil, err
	}
	db := &DB{Tx: Tx{idb: bdb, driver: driver}, bun: bdb, closePool: closePool}
	if err := db.Ping(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Driver tells which engine this database runs on.
func (db *DB) Driver() Driver { return db.driver }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.bun.NewRaw("SELECT 1").Scan(ctx, &one); err != nil {
		return fmt.Errorf("reach %s database: %w", db.driver, err)
	}
	return nil
}

// Close releases the connections.
func (db *DB) Close() error {
	err := db.bun.Close()
	db.closePool()
	return err
}

// Migrate applies every pending migration. Several processes may call it at
// once on PostgreSQL: one applies, the others wait for it (see lockMigrations).
func (db *DB) Migrate(ctx context.Context) (applied []string, err error) {
	return db.migrate(ctx, migrations.All)
}

// MigrateThrough applies the pending migrations up to the one whose name
// (its timestamp) is last, and no later one: tests check with it that a
// migration keeps what was written before it.
func (db *DB) MigrateThrough(ctx context.Context, last string) (applied []string, err error) {
	some := migrate.NewMigrations()
	for _, m := range migrations.All.Sorted() {
		if m.Name <= last {
			some.Add(m)
		}
	}
	return db.migrate(ctx, some)
}

func (db *DB) migrate(ctx context.Context, all *migrate.Migrations) (applied []string, err error) {
	m := migrate.NewMigrator(db.bun, all,
		migrate.WithTableName("schema_migrations"),
		migrate.WithLocksTableName("schema_migration_locks"),
		migrate.WithMarkAppliedOnSuccess(true),
		migrate.WithTemplateData(db.driver.migrationTypes()))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("prepare migrations: %w", err)
	}
	unlock, err := db.lockMigrations(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	for _, mig := range group.Migrations {
		applied = append(applied, mig.Name+"_"+mig.Comment)
	}
	return applied, nil
}

// InTx runs fn in a transaction, committed if fn returns nil and rolled back
// otherwise. On SQLite the transaction takes the write lock at BEGIN.
func (db *DB) InTx(ctx context.Context, fn func(tx Tx) error) error {
	var after []func()
	err := db.bun.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, btx bun.Tx) error {
		after = after[:0]
		return fn(Tx{idb: btx, driver: db.driver, afterCommit: &after})
	})
	if err != nil {
		return err
	}
	for _, f := range after {
		f()
	}
	return nil
}

// Bun exposes the underlying handle to store's tests and benchmarks.
func (db *DB) Bun() *bun.DB { return db.bun }

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func wrapWrite(err error, what string) error {
	if err == nil {
		return nil
	}
	if isDuplicate(err) {
		return fmt.Errorf("%s: %w", what, ErrDuplicate)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// migrationLockKey is an arbitrary constant naming Holon's migration lock.
const migrationLockKey = 0x486f6c6f6e // "Holon"

// lockMigrations serialises migrations between processes sharing a
// PostgreSQL database. It uses a session advisory lock rather than bun's lock
// table: a crashed process's lock row would stay forever, while a session
// lock ends with the connection. SQLite is embedded and served by one
// process, so there is nothing to lock.
func (db *DB) lockMigrations(ctx context.Context) (unlock func(), err error) {
	if db.driver != Postgres {
		return func() {}, nil
	}
	conn, err := db.bun.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("take migration lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("take migration lock: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		_ = conn.Close()
	}, nil
}

// Savepoint runs fn inside a savepoint of the transaction: when fn fails,
// what it wrote is undone and the transaction goes on (on PostgreSQL a
// failed statement would otherwise abort the whole transaction). Outside a
// transaction fn runs in one of its own.
func (t Tx) Savepoint(ctx context.Context, fn func(tx Tx) error) error {
	sp, err := t.idb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("open savepoint: %w", err)
	}
	after := t.afterCommit
	if after == nil {
		after = &[]func(){}
	}
	kept := len(*after)
	if err := fn(Tx{idb: sp, driver: t.driver, afterCommit: after}); err != nil {
		*after = (*after)[:kept]
		if rbErr := sp.Rollback(); rbErr != nil {
			return errors.Join(err, fmt.Errorf("roll back to savepoint: %w", rbErr))
		}
		return err
	}
	if err := sp.Commit(); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	if t.afterCommit == nil {
		for _, f := range *after {
			f()
		}
	}
	return nil
}
