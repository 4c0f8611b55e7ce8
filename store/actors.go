package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Actor is an ActivityPub identity's row: local (with its private key) or
// remote (with the document it last served).
type Actor struct {
	bun.BaseModel `bun:"table:actors"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	URI           string     `bun:"uri"`
	Kind          string     `bun:"kind"`
	Username      string     `bun:"username"`
	Host          string     `bun:"host"`
	Local         bool       `bun:"local"`
	AccountID     *uuid.UUID `bun:"account_id,type:uuid"`
	AssociationID *uuid.UUID `bun:"association_id,type:uuid"`
	Inbox         string     `bun:"inbox"`
	SharedInbox   string     `bun:"shared_inbox"`
	Outbox        string     `bun:"outbox"`
	Followers     string     `bun:"followers"`
	Following     string     `bun:"following"`
	DisplayName   string     `bun:"display_name"`
	Summary       string     `bun:"summary"`
	URL           string     `bun:"url"`
	IconURL       string     `bun:"icon_url"`
	IconMediaType string     `bun:"icon_media_type"`
	AvatarID      *uuid.UUID `bun:"avatar_id,type:uuid"`
	Fields        string     `bun:"fields"` // JSON array of {"name", "value"}
	// ProfileUpdatedAt is when the document last changed, as its "updated"
	// says (remote) or as its Update was published (local).
	ProfileUpdatedAt *time.Time `bun:"profile_updated_at"`
	KeyID            string     `bun:"key_id"`
	PublicKey        string     `bun:"public_key"`
	PrivateKey       *string    `bun:"private_key"`
	Document         *string    `bun:"document"`
	FetchedAt        *time.Time `bun:"fetched_at"`
	DeletedAt        *time.Time `bun:"deleted_at"`
	CreatedAt        time.Time  `bun:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
	// SilencedAt and SuspendedAt are set while a moderator silences or
	// suspends the actor (store/moderation.go); read by the lookups of one
	// actor, never written with the row.
	SilencedAt  *time.Time `bun:"silenced_at,scanonly"`
	SuspendedAt *time.Time `bun:"suspended_at,scanonly"`
}

// Actors reads and writes actors.
type Actors struct{ tx Tx }

// Actors returns the actor repository.
func (t Tx) Actors() Actors { return Actors{t} }

// Create inserts a; ErrDuplicate if its URI, key or username@host is taken.
func (r Actors) Create(ctx context.Context, a *Actor) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "create actor "+a.URI)
}

// ByURI returns the actor whose id is uri.
func (r Actors) ByURI(ctx context.Context, uri string) (Actor, error) {
	return r.one(ctx, "uri = ?", uri)
}

// ByKeyID returns the actor owning the public key keyID.
func (r Actors) ByKeyID(ctx context.Context, keyID string) (Actor, error) {
	return r.one(ctx, "key_id = ?", keyID)
}

// Local returns the local actor named username (a person, an association or
// the instance actor).
func (r Actors) Local(ctx context.Context, username string) (Actor, error) {
	return r.one(ctx, "local = ? AND username = ?", true, username)
}

// ByHandle returns the actor named username on host (local or remote).
func (r Actors) ByHandle(ctx context.Context, username, host string) (Actor, error) {
	return r.one(ctx, "username = ? AND host = ?", username, host)
}

// OfAccount returns the actor of a local account.
func (r Actors) OfAccount(ctx context.Context, account uuid.UUID) (Actor, error) {
	return r.one(ctx, "account_id = ?", account)
}

// OfAssociation returns the actor of a local association.
func (r Actors) OfAssociation(ctx context.Context, association uuid.UUID) (Actor, error) {
	return r.one(ctx, "association_id = ?", association)
}

func (r Actors) one(ctx context.Context, where string, args ...any) (Actor, error) {
	var a Actor
	// actor.* reads the moderation columns too (scanonly: never written
	// by Create or SaveRemote, whose rows they must not reset).
	if err := r.tx.idb.NewSelect().Model(&a).ColumnExpr("actor.*").Where(where, args...).Scan(ctx); err != nil {
		return Actor{}, notFound(err, "actor")
	}
	return a, nil
}

// SaveRemote inserts the remote actor a, or updates the row with its URI
// (a profile or key change), unless the stored document is newer than a's
// (both have a ProfileUpdatedAt, a's the older): then nothing changes.
// ErrDuplicate if another actor already holds its key id or username@host.
func (r Actors) SaveRemote(ctx context.Context, a *Actor) error {
	_, err := r.tx.idb.NewInsert().Model(a).
		On("CONFLICT (uri) DO UPDATE").
		Set("kind = EXCLUDED.kind").
		Set("username = EXCLUDED.username").
		Set("host = EXCLUDED.host").
		Set("inbox = EXCLUDED.inbox").
		Set("shared_inbox = EXCLUDED.shared_inbox").
		Set("outbox = EXCLUDED.outbox").
		Set("followers = EXCLUDED.followers").
		Set("following = EXCLUDED.following").
		Set("display_name = EXCLUDED.display_name").
		Set("summary = EXCLUDED.summary").
		Set("url = EXCLUDED.url").
		Set("icon_url = EXCLUDED.icon_url").
		Set("icon_media_type = EXCLUDED.icon_media_type").
		Set("fields = EXCLUDED.fields").
		Set("key_id = EXCLUDED.key_id").
		Set("public_key = EXCLUDED.public_key").
		Set("document = EXCLUDED.document").
		Set("fetched_at = EXCLUDED.fetched_at").
		Set("updated_at = EXCLUDED.updated_at").
		Set("profile_updated_at = EXCLUDED.profile_updated_at").
		Where("?TableAlias.profile_updated_at IS NULL OR EXCLUDED.profile_updated_at IS NULL OR EXCLUDED.profile_updated_at >= ?TableAlias.profile_updated_at").
		Exec(ctx)
	return wrapWrite(err, "save remote actor "+a.URI)
}

// ByID returns the actor id.
func (r Actors) ByID(ctx context.Context, id uuid.UUID) (Actor, error) {
	return r.one(ctx, "id = ?", id)
}

// RemoteOfDomain returns the ids of the remote actors whose host is domain
// or one of its subdomains, with or without a port. domain must be a bare
// host name or address (no LIKE wildcards), as core checks.
func (r Actors) RemoteOfDomain(ctx context.Context, domain string) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := r.tx.idb.NewSelect().Model((*Actor)(nil)).Column("id").
		Where("local = ?", false).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("host = ?", domain).
				WhereOr("host LIKE ?", domain+":%").
				WhereOr("host LIKE ?", "%."+domain).
				WhereOr("host LIKE ?", "%."+domain+":%")
		}).
		Scan(ctx, &ids)
	if err != nil {
		return nil, notFound(err, "actors of "+domain)
	}
	return ids, nil
}

var _ bun.BeforeAppendModelHook = (*Actor)(nil)

// BeforeAppendModel writes an empty list for fields never set: the column
// is JSON, which an empty string is not.
func (a *Actor) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	if a.Fields == "" {
		a.Fields = "[]"
	}
	return nil
}

// SetKey replaces the key pair of the local actor id (its key id stays).
func (r Actors) SetKey(ctx context.Context, id uuid.UUID, publicPEM, privatePEM string, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("public_key = ?", publicPEM).Set("private_key = ?", privatePEM).Set("updated_at = ?", at).
		Where("id = ?", id).Where("local = ?", true).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "set actor key")
	}
	return expectOne(res, "set actor key")
}

// SetFields replaces the profile fields (a JSON array) of the actor id.
func (r Actors) SetFields(ctx context.Context, id uuid.UUID, fields string, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("fields = ?", fields).Set("updated_at = ?", at).
		Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "set profile fields")
	}
	return expectOne(res, "set profile fields")
}

// SetAvatar makes the media avatar (nil: none) the icon of the local actor
// id, served at iconURL.
func (r Actors) SetAvatar(ctx context.Context, id uuid.UUID, avatar *uuid.UUID, iconURL, mediaType string, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("avatar_id = ?", avatar).Set("icon_url = ?", iconURL).Set("icon_media_type = ?", mediaType).
		Set("updated_at = ?", at).
		Where("id = ?", id).Where("local = ?", true).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "set avatar")
	}
	return expectOne(res, "set avatar")
}

// MarkDeleted marks the actor id deleted at, and forgets its profile
// (fields, icon, document). Its key stays: a remote actor's, so that what
// it signs later is known and refused; a local actor's, until the
// deliveries announcing the deletion are done (DropDeletedKeys).
// ErrNotFound if it was already deleted.
func (r Actors) MarkDeleted(ctx context.Context, id uuid.UUID, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("deleted_at = ?", at).Set("updated_at = ?", at).
		Set("fields = '[]'").Set("icon_url = ''").Set("icon_media_type = ''").Set("avatar_id = NULL").
		Set("summary = ''").Set("document = NULL").
		Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "mark actor deleted")
	}
	return expectOne(res, "mark actor deleted")
}

// DropDeletedKeys forgets the private keys of deleted local actors that
// have no delivery left to sign, and returns how many.
func (r Actors) DropDeletedKeys(ctx context.Context) (int64, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("private_key = NULL").
		Where("local = ?", true).Where("deleted_at IS NOT NULL").Where("private_key IS NOT NULL").
		Where("NOT EXISTS (SELECT 1 FROM deliveries AS d WHERE d.sender = ?TableAlias.username AND d.state = ?)", DeliveryPending).
		Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "drop keys of deleted actors")
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// TouchProfile records that the local actor id's document changed at.
func (r Actors) TouchProfile(ctx context.Context, id uuid.UUID, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("profile_updated_at = ?", at).Set("updated_at = ?", at).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "touch actor profile")
	}
	return expectOne(res, "touch actor profile")
}
