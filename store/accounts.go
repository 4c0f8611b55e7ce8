package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Account is a local person's row.
type Account struct {
	bun.BaseModel `bun:"table:accounts"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	Username     string    `bun:"username"`
	DisplayName  string    `bun:"display_name"`
	Email        string    `bun:"email"`
	PasswordHash string    `bun:"password_hash"`
	Locale       string    `bun:"locale"`
	Role         string    `bun:"role"`
	Status       string    `bun:"status"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// ActorName claims a name in the name space shared by persons and
// associations.
type ActorName struct {
	bun.BaseModel `bun:"table:actor_names"`

	Name      string    `bun:"name,pk"`
	Kind      string    `bun:"kind"`
	CreatedAt time.Time `bun:"created_at"`
}

// Accounts reads and writes accounts.
type Accounts struct{ tx Tx }

// Accounts returns the account repository.
func (t Tx) Accounts() Accounts { return Accounts{t} }

// ClaimName records name as taken; ErrDuplicate if it already is, by a person
// or an association.
func (t Tx) ClaimName(ctx context.Context, name, kind string, at time.Time) error {
	_, err := t.idb.NewInsert().Model(&ActorName{Name: name, Kind: kind, CreatedAt: at}).Exec(ctx)
	return wrapWrite(err, "claim name "+name)
}

// NameTaken reports whether a person or association already has name.
func (t Tx) NameTaken(ctx context.Context, name string) (bool, error) {
	n, err := t.idb.NewSelect().Model((*ActorName)(nil)).Where("name = ?", name).Count(ctx)
	if err != nil {
		return false, notFound(err, "look up name "+name)
	}
	return n > 0, nil
}

// Create inserts a; ErrDuplicate if its e-mail is taken.
func (r Accounts) Create(ctx context.Context, a *Account) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "create account "+a.Username)
}

// Update writes every column of a.
func (r Accounts) Update(ctx context.Context, a *Account) error {
	res, err := r.tx.idb.NewUpdate().Model(a).WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "update account "+a.Username)
	}
	return expectOne(res, "update account "+a.Username)
}

// ByID returns the account with id.
func (r Accounts) ByID(ctx context.Context, id uuid.UUID) (Account, error) {
	var a Account
	err := r.tx.idb.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return Account{}, notFound(err, "account "+id.String())
	}
	return a, nil
}

// ByUsername returns the account named username.
func (r Accounts) ByUsername(ctx context.Context, username string) (Account, error) {
	var a Account
	err := r.tx.idb.NewSelect().Model(&a).Where("username = ?", username).Scan(ctx)
	if err != nil {
		return Account{}, notFound(err, "account "+username)
	}
	return a, nil
}

// Count returns how many accounts exist.
func (r Accounts) Count(ctx context.Context) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Account)(nil)).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count accounts")
	}
	return int(n), nil
}

// ListByStatus returns up to limit accounts with status, oldest first, after
// the cursor id (uuid.Nil for the first page).
func (r Accounts) ListByStatus(ctx context.Context, status string, after uuid.UUID, limit int) ([]Account, error) {
	var list []Account
	q := r.tx.idb.NewSelect().Model(&list).Where("status = ?", status).OrderExpr("id ASC").Limit(int64(limit))
	if after != uuid.Nil {
		q = q.Where("id > ?", after)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list accounts")
	}
	return list, nil
}

// CountByRole counts the accounts with role and status.
func (r Accounts) CountByRole(ctx context.Context, role, status string) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Account)(nil)).Where("role = ?", role).Where("status = ?", status).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count accounts")
	}
	return int(n), nil
}

// ByIDForUpdate returns the account id and, on PostgreSQL, locks its row
// until the transaction ends.
func (r Accounts) ByIDForUpdate(ctx context.Context, id uuid.UUID) (Account, error) {
	var a Account
	q := r.tx.idb.NewSelect().Model(&a).Where("id = ?", id)
	if r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return Account{}, notFound(err, "account "+id.String())
	}
	return a, nil
}
