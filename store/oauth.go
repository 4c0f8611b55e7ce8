package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// OAuthApp is an application registered for the Mastodon client API. Only
// the hash of its client secret is kept.
type OAuthApp struct {
	bun.BaseModel `bun:"table:oauth_applications"`

	ID               uuid.UUID `bun:"id,pk,type:uuid"`
	ClientID         string    `bun:"client_id"`
	ClientSecretHash string    `bun:"client_secret_hash"`
	Name             string    `bun:"name"`
	Website          string    `bun:"website"`
	RedirectURIs     string    `bun:"redirect_uris"` // one a line
	Scopes           string    `bun:"scopes"`        // space-separated
	CreatedAt        time.Time `bun:"created_at"`
}

// OAuthCode is an authorization code, kept as a hash.
type OAuthCode struct {
	bun.BaseModel `bun:"table:oauth_authorization_codes"`

	ID                  uuid.UUID  `bun:"id,pk,type:uuid"`
	CodeHash            string     `bun:"code_hash"`
	ApplicationID       uuid.UUID  `bun:"application_id,type:uuid"`
	AccountID           uuid.UUID  `bun:"account_id,type:uuid"`
	RedirectURI         string     `bun:"redirect_uri"`
	Scopes              string     `bun:"scopes"`
	CodeChallenge       string     `bun:"code_challenge"`
	CodeChallengeMethod string     `bun:"code_challenge_method"`
	CreatedAt           time.Time  `bun:"created_at"`
	ExpiresAt           time.Time  `bun:"expires_at"`
	UsedAt              *time.Time `bun:"used_at"`
}

// OAuthToken is an OAuth access token with its refresh token, both kept as
// hashes. AccountID is nil for an application's own token.
type OAuthToken struct {
	bun.BaseModel `bun:"table:oauth_tokens"`

	ID               uuid.UUID  `bun:"id,pk,type:uuid"`
	ApplicationID    uuid.UUID  `bun:"application_id,type:uuid"`
	AccountID        *uuid.UUID `bun:"account_id,type:uuid"`
	CodeID           *uuid.UUID `bun:"code_id,type:uuid"`
	TokenHash        string     `bun:"token_hash"`
	RefreshTokenHash *string    `bun:"refresh_token_hash"`
	Scopes           string     `bun:"scopes"`
	RedirectURI      string     `bun:"redirect_uri"` // of its code; empty for an app's own token
	CreatedAt        time.Time  `bun:"created_at"`
	LastUsedAt       *time.Time `bun:"last_used_at"`
	RevokedAt        *time.Time `bun:"revoked_at"`
}

// OAuth reads and writes OAuth applications, codes and tokens.
type OAuth struct{ tx Tx }

// OAuth returns the OAuth repository.
func (t Tx) OAuth() OAuth { return OAuth{t} }

// CreateApp inserts a.
func (r OAuth) CreateApp(ctx context.Context, a *OAuthApp) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "create oauth application")
}

// AppByClientID returns the application of clientID.
func (r OAuth) AppByClientID(ctx context.Context, clientID string) (OAuthApp, error) {
	var a OAuthApp
	err := r.tx.idb.NewSelect().Model(&a).Where("client_id = ?", clientID).Scan(ctx)
	if err != nil {
		return OAuthApp{}, notFound(err, "oauth application")
	}
	return a, nil
}

// AppByID returns the application id.
func (r OAuth) AppByID(ctx context.Context, id uuid.UUID) (OAuthApp, error) {
	var a OAuthApp
	err := r.tx.idb.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx)
	if err != nil {
		return OAuthApp{}, notFound(err, "oauth application "+id.String())
	}
	return a, nil
}

// CreateCode inserts c.
func (r OAuth) CreateCode(ctx context.Context, c *OAuthCode) error {
	_, err := r.tx.idb.NewInsert().Model(c).Exec(ctx)
	return wrapWrite(err, "create authorization code")
}

// CodeByHash returns the code whose secret hashes to hash, used or not.
func (r OAuth) CodeByHash(ctx context.Context, hash string) (OAuthCode, error) {
	var c OAuthCode
	err := r.tx.idb.NewSelect().Model(&c).Where("code_hash = ?", hash).Scan(ctx)
	if err != nil {
		return OAuthCode{}, notFound(err, "authorization code")
	}
	return c, nil
}

// UseCode marks the code id used at now. It is conditional, so that of two
// concurrent exchanges only one wins: ErrNotFound if the code was already
// used.
func (r OAuth) UseCode(ctx context.Context, id uuid.UUID, now time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*OAuthCode)(nil)).
		Set("used_at = ?", now).
		Where("id = ?", id).Where("used_at IS NULL").
		Exec(ctx)
	if err != nil {
		return wrapWrite(err, "use authorization code")
	}
	return expectOne(res, "use authorization code")
}

// DeleteExpiredCodes removes codes that expired before before.
func (r OAuth) DeleteExpiredCodes(ctx context.Context, before time.Time) (int64, error) {
	res, err := r.tx.idb.NewDelete().Model((*OAuthCode)(nil)).Where("expires_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete expired authorization codes")
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// CreateToken inserts t.
func (r OAuth) CreateToken(ctx context.Context, t *OAuthToken) error {
	_, err := r.tx.idb.NewInsert().Model(t).Exec(ctx)
	return wrapWrite(err, "create oauth token")
}

// TokenByHash returns the unrevoked token whose access secret hashes to
// hash, and notes its use (at most once a minute).
func (r OAuth) TokenByHash(ctx context.Context, hash string, now time.Time) (OAuthToken, error) {
	var t OAuthToken
	err := r.tx.idb.NewSelect().Model(&t).Where("token_hash = ?", hash).Where("revoked_at IS NULL").Scan(ctx)
	if err != nil {
		return OAuthToken{}, notFound(err, "oauth token")
	}
	if t.LastUsedAt != nil && t.LastUsedAt.After(now.Add(-time.Minute)) {
		return t, nil // noted less than a minute ago: no write
	}
	_, err = r.tx.idb.NewUpdate().Model((*OAuthToken)(nil)).
		Set("last_used_at = ?", now).
		Where("id = ?", t.ID).
		Where("last_used_at IS NULL OR last_used_at < ?", now.Add(-time.Minute)).
		Exec(ctx)
	if err != nil {
		return OAuthToken{}, fmt.Errorf("note oauth token use: %w", err)
	}
	return t, nil
}

// TokenByRefreshHash returns the unrevoked token of application app whose
// refresh secret hashes to hash.
func (r OAuth) TokenByRefreshHash(ctx context.Context, app uuid.UUID, hash string) (OAuthToken, error) {
	var t OAuthToken
	err := r.tx.idb.NewSelect().Model(&t).
		Where("refresh_token_hash = ?", hash).Where("application_id = ?", app).Where("revoked_at IS NULL").
		Scan(ctx)
	if err != nil {
		return OAuthToken{}, notFound(err, "refresh token")
	}
	return t, nil
}

// RevokeToken revokes the token id, if it is still valid; ErrNotFound
// otherwise, so that of two concurrent refreshes only one wins.
func (r OAuth) RevokeToken(ctx context.Context, id uuid.UUID, now time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*OAuthToken)(nil)).
		Set("revoked_at = ?", now).
		Where("id = ?", id).Where("revoked_at IS NULL").
		Exec(ctx)
	if err != nil {
		return wrapWrite(err, "revoke oauth token")
	}
	return expectOne(res, "revoke oauth token")
}

// RevokeAppToken revokes the token of application app whose access or
// refresh secret hashes to hash. It does nothing for an unknown token or
// one of another application (RFC 7009 answers alike).
func (r OAuth) RevokeAppToken(ctx context.Context, app uuid.UUID, hash string, now time.Time) error {
	_, err := r.tx.idb.NewUpdate().Model((*OAuthToken)(nil)).
		Set("revoked_at = ?", now).
		Where("application_id = ?", app).
		Where("token_hash = ? OR refresh_token_hash = ?", hash, hash).
		Where("revoked_at IS NULL").
		Exec(ctx)
	return wrapWrite(err, "revoke oauth token")
}

// RevokeCodeTokens revokes every token issued from the code id, refreshed
// ones included.
func (r OAuth) RevokeCodeTokens(ctx context.Context, code uuid.UUID, now time.Time) error {
	_, err := r.tx.idb.NewUpdate().Model((*OAuthToken)(nil)).
		Set("revoked_at = ?", now).
		Where("code_id = ?", code).Where("revoked_at IS NULL").
		Exec(ctx)
	return wrapWrite(err, "revoke tokens of a code")
}

// AuthorizedApp is an application an account holds at least one live
// token of: when it first received one, and when one was last used.
type AuthorizedApp struct {
	ApplicationID uuid.UUID  `bun:"application_id,type:uuid"`
	FirstAt       time.Time  `bun:"first_at"`
	LastUsedAt    *time.Time `bun:"last_used_at"`
}

// AuthorizedApps returns up to limit applications that account holds a
// live (unrevoked) token of, those first authorised first. The dates are
// over every token the app received for account, revoked ones too, so
// that a refresh (which revokes the old token) keeps the first date.
func (r OAuth) AuthorizedApps(ctx context.Context, account uuid.UUID, limit int) ([]AuthorizedApp, error) {
	var list []AuthorizedApp
	// count(revoked_at) counts the revoked tokens: fewer than all means
	// one at least is live.
	err := r.tx.idb.NewRaw(`SELECT t.application_id AS application_id, min(t.created_at) AS first_at,
	max(t.last_used_at) AS last_used_at
FROM oauth_tokens t WHERE t.account_id = ? GROUP BY t.application_id
HAVING count(t.revoked_at) < count(*) ORDER BY min(t.created_at), t.application_id LIMIT ?`, account, limit).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("list authorised applications: %w", err)
	}
	return list, nil
}

// LiveTokens returns up to limit unrevoked tokens of account, of the
// application app only when app is not nil.
func (r OAuth) LiveTokens(ctx context.Context, account uuid.UUID, app *uuid.UUID, limit int) ([]OAuthToken, error) {
	var list []OAuthToken
	q := r.tx.idb.NewSelect().Model(&list).Where("account_id = ?", account).Where("revoked_at IS NULL")
	if app != nil {
		q = q.Where("application_id = ?", *app)
	}
	if err := q.OrderExpr("created_at, id").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list live oauth tokens: %w", err)
	}
	return list, nil
}

// AppsByIDs returns the applications of ids, by id.
func (r OAuth) AppsByIDs(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]OAuthApp, error) {
	out := make(map[uuid.UUID]OAuthApp, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var list []OAuthApp
	if err := r.tx.idb.NewSelect().Model(&list).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list oauth applications: %w", err)
	}
	for _, a := range list {
		out[a.ID] = a
	}
	return out, nil
}

// RevokeAccountApp revokes every live token (access and refresh alike:
// they share a row) that application app holds for account, and deletes
// its codes not yet exchanged, so that none turns into a token later. It
// returns how many tokens and codes it ended.
func (r OAuth) RevokeAccountApp(ctx context.Context, account, app uuid.UUID, now time.Time) (int64, error) {
	res, err := r.tx.idb.NewUpdate().Model((*OAuthToken)(nil)).
		Set("revoked_at = ?", now).
		Where("account_id = ?", account).Where("application_id = ?", app).Where("revoked_at IS NULL").
		Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "revoke an application's tokens")
	}
	tokens, _ := res.RowsAffected()
	res, err = r.tx.idb.NewDelete().Model((*OAuthCode)(nil)).
		Where("account_id = ?", account).Where("application_id = ?", app).Where("used_at IS NULL").
		Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete an application's codes")
	}
	codes, _ := res.RowsAffected()
	return tokens + codes, nil
}
