package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Session is a browser log-in. Only the hash of its secret is kept.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	AccountID uuid.UUID `bun:"account_id,type:uuid"`
	TokenHash string    `bun:"token_hash"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// APIToken is a bearer token for the API. Only the hash of its secret is kept.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID         uuid.UUID  `bun:"id,pk,type:uuid"`
	AccountID  uuid.UUID  `bun:"account_id,type:uuid"`
	Label      string     `bun:"label"`
	TokenHash  string     `bun:"token_hash"`
	CreatedAt  time.Time  `bun:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
}

// LoginFailure records one failed log-in, for rate limiting.
type LoginFailure struct {
	bun.BaseModel `bun:"table:login_failures"`

	ID       uuid.UUID `bun:"id,pk,type:uuid"`
	Username string    `bun:"username"`
	IP       string    `bun:"ip"`
	At       time.Time `bun:"at"`
}

// Credentials reads and writes sessions, API tokens and log-in failures.
type Credentials struct{ tx Tx }

// Credentials returns the credentials repository.
func (t Tx) Credentials() Credentials { return Credentials{t} }

// CreateSession inserts s.
func (r Credentials) CreateSession(ctx context.Context, s *Session) error {
	_, err := r.tx.idb.NewInsert().Model(s).Exec(ctx)
	return wrapWrite(err, "create session")
}

// SessionAccount returns the account of the unexpired session whose secret
// hashes to hash.
func (r Credentials) SessionAccount(ctx context.Context, hash string, now time.Time) (Account, error) {
	var a Account
	err := r.tx.idb.NewSelect().Model(&a).
		Join("JOIN sessions AS s ON s.account_id = account.id").
		Where("s.token_hash = ?", hash).
		Where("s.expires_at > ?", now).
		Scan(ctx)
	if err != nil {
		return Account{}, notFound(err, "session")
	}
	return a, nil
}

// DeleteSession removes the session whose secret hashes to hash.
func (r Credentials) DeleteSession(ctx context.Context, hash string) error {
	_, err := r.tx.idb.NewDelete().Model((*Session)(nil)).Where("token_hash = ?", hash).Exec(ctx)
	return wrapWrite(err, "delete session")
}

// DeleteSessionsOf removes every session of account (after a password change).
func (r Credentials) DeleteSessionsOf(ctx context.Context, account uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*Session)(nil)).Where("account_id = ?", account).Exec(ctx)
	return wrapWrite(err, "delete sessions")
}

// DeleteExpiredSessions removes sessions that expired before now.
func (r Credentials) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := r.tx.idb.NewDelete().Model((*Session)(nil)).Where("expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete expired sessions")
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// CreateToken inserts t.
func (r Credentials) CreateToken(ctx context.Context, t *APIToken) error {
	_, err := r.tx.idb.NewInsert().Model(t).Exec(ctx)
	return wrapWrite(err, "create token")
}

// TokenAccount returns the account of the unrevoked token whose secret hashes
// to hash, and notes its use.
func (r Credentials) TokenAccount(ctx context.Context, hash string, now time.Time) (Account, error) {
	var row struct {
		Account  `bun:",extend"`
		LastUsed *time.Time `bun:"token_last_used_at"`
	}
	err := r.tx.idb.NewSelect().Model(&row).ColumnExpr("account.*").ColumnExpr("t.last_used_at AS token_last_used_at").
		Join("JOIN api_tokens AS t ON t.account_id = account.id").
		Where("t.token_hash = ?", hash).
		Where("t.revoked_at IS NULL").
		Scan(ctx)
	if err != nil {
		return Account{}, notFound(err, "token")
	}
	a := row.Account
	// Coarse on purpose: one write per token and minute at most, and no
	// statement at all in between (a request reads only).
	if row.LastUsed != nil && row.LastUsed.After(now.Add(-time.Minute)) {
		return a, nil
	}
	_, err = r.tx.idb.NewUpdate().Model((*APIToken)(nil)).
		Set("last_used_at = ?", now).
		Where("token_hash = ?", hash).
		Where("last_used_at IS NULL OR last_used_at < ?", now.Add(-time.Minute)).
		Exec(ctx)
	if err != nil {
		return Account{}, fmt.Errorf("note token use: %w", err)
	}
	return a, nil
}

// Tokens lists the tokens of account, newest first, revoked ones included.
func (r Credentials) Tokens(ctx context.Context, account uuid.UUID) ([]APIToken, error) {
	var list []APIToken
	err := r.tx.idb.NewSelect().Model(&list).Where("account_id = ?", account).OrderExpr("id DESC").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list tokens")
	}
	return list, nil
}

// RevokeToken marks the token id of account as revoked; ErrNotFound if the
// account has no such unrevoked token.
func (r Credentials) RevokeToken(ctx context.Context, account, id uuid.UUID, now time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*APIToken)(nil)).
		Set("revoked_at = ?", now).
		Where("id = ?", id).Where("account_id = ?", account).Where("revoked_at IS NULL").
		Exec(ctx)
	if err != nil {
		return wrapWrite(err, "revoke token")
	}
	return expectOne(res, "revoke token "+id.String())
}

// AddLoginFailure records a failed log-in.
func (r Credentials) AddLoginFailure(ctx context.Context, f *LoginFailure) error {
	_, err := r.tx.idb.NewInsert().Model(f).Exec(ctx)
	return wrapWrite(err, "record login failure")
}

// CountLoginFailures counts failures since since for username and for ip.
func (r Credentials) CountLoginFailures(ctx context.Context, username, ip string, since time.Time) (byUser, byIP int, err error) {
	u, err := r.tx.idb.NewSelect().Model((*LoginFailure)(nil)).
		Where("username = ?", username).Where("at > ?", since).Count(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("count login failures: %w", err)
	}
	i, err := r.tx.idb.NewSelect().Model((*LoginFailure)(nil)).
		Where("ip = ?", ip).Where("at > ?", since).Count(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("count login failures: %w", err)
	}
	return int(u), int(i), nil
}

// ClearLoginFailures forgets username's failures after a successful log-in,
// and every failure older than before.
func (r Credentials) ClearLoginFailures(ctx context.Context, username string, before time.Time) error {
	_, err := r.tx.idb.NewDelete().Model((*LoginFailure)(nil)).
		Where("username = ? OR at < ?", username, before).Exec(ctx)
	return wrapWrite(err, "clear login failures")
}

func expectOne(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}

// DeleteLoginFailuresBefore forgets failures older than before.
func (r Credentials) DeleteLoginFailuresBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := r.tx.idb.NewDelete().Model((*LoginFailure)(nil)).Where("at < ?", before).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete old login failures")
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// RevokeTokensOf revokes every unrevoked token of account, native and
// OAuth alike.
func (r Credentials) RevokeTokensOf(ctx context.Context, account uuid.UUID, now time.Time) error {
	_, err := r.tx.idb.NewUpdate().Model((*APIToken)(nil)).
		Set("revoked_at = ?", now).
		Where("account_id = ?", account).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "revoke tokens")
	}
	_, err = r.tx.idb.NewUpdate().Model((*OAuthToken)(nil)).
		Set("revoked_at = ?", now).
		Where("account_id = ?", account).Where("revoked_at IS NULL").Exec(ctx)
	return wrapWrite(err, "revoke oauth tokens")
}
