package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Notification tells a local account what the actor ActorID did that
// concerns it (Type: mention, favourite, reblog, follow, follow_request),
// about the note NoteID when there is one.
type Notification struct {
	bun.BaseModel `bun:"table:notifications,alias:nf"`

	ID        uuid.UUID  `bun:"id,pk,type:uuid"`
	AccountID uuid.UUID  `bun:"account_id,type:uuid"`
	Type      string     `bun:"type"`
	ActorID   uuid.UUID  `bun:"actor_id,type:uuid"`
	NoteID    *uuid.UUID `bun:"note_id,type:uuid"`
	CreatedAt time.Time  `bun:"created_at"`
	// ActorURI is the actor's id on the wire, read with the row.
	ActorURI string `bun:"actor_uri,scanonly"`
}

// NotificationQuery selects a page of an account's notifications. The
// page holds the newest rows below MaxID and above SinceID, or, when MinID
// is set, the oldest rows above MinID (returned newest first all the same,
// as Mastodon pages them). Types keeps only those types, ExcludeTypes
// leaves those out; Actor keeps only what that actor did.
type NotificationQuery struct {
	Account      uuid.UUID
	Types        []string
	ExcludeTypes []string
	Actor        uuid.UUID
	MaxID        uuid.UUID
	SinceID      uuid.UUID
	MinID        uuid.UUID
	Limit        int
}

// Notifications reads and writes notifications.
type Notifications struct{ tx Tx }

// Notifications returns the notification repository.
func (t Tx) Notifications() Notifications { return Notifications{t} }

// Add inserts n unless the account already has that notification (same
// type, actor and note); it reports whether it did.
func (r Notifications) Add(ctx context.Context, n *Notification) (bool, error) {
	res, err := r.tx.idb.NewInsert().Model(n).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "add notification")
	}
	count, err := res.RowsAffected()
	if err != nil {
		return false, wrapWrite(err, "add notification")
	}
	return count == 1, nil
}

// Forget removes account's notification of kind by actor about note, if
// any: a newer one of the same kind replaces it.
func (r Notifications) Forget(ctx context.Context, account uuid.UUID, kind string, actor, note uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*Notification)(nil)).
		Where("account_id = ? AND type = ? AND actor_id = ? AND note_id = ?", account, kind, actor, note).Exec(ctx)
	return wrapWrite(err, "forget notification")
}

// shown keeps the notifications still worth showing: about a note not
// deleted since, from an actor not suspended since.
func shown(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("nf.*, a.uri AS actor_uri").
		Join("JOIN actors AS a ON a.id = nf.actor_id").
		Where("a.suspended_at IS NULL AND a.deleted_at IS NULL").
		Where("nf.note_id IS NULL OR EXISTS (SELECT 1 FROM notes AS nn WHERE nn.id = nf.note_id AND nn.deleted_at IS NULL)")
}

// List returns the page q of q.Account's notifications, newest first.
func (r Notifications) List(ctx context.Context, q NotificationQuery) ([]Notification, error) {
	var out []Notification
	sel := shown(r.tx.idb.NewSelect().Model(&out)).Where("nf.account_id = ?", q.Account)
	if len(q.Types) > 0 {
		sel = sel.Where("nf.type IN (?)", bun.In(q.Types))
	}
	if len(q.ExcludeTypes) > 0 {
		sel = sel.Where("nf.type NOT IN (?)", bun.In(q.ExcludeTypes))
	}
	if q.Actor != uuid.Nil {
		sel = sel.Where("nf.actor_id = ?", q.Actor)
	}
	if q.MaxID != uuid.Nil {
		sel = sel.Where("nf.id < ?", q.MaxID)
	}
	if q.SinceID != uuid.Nil {
		sel = sel.Where("nf.id > ?", q.SinceID)
	}
	if q.MinID != uuid.Nil {
		sel = sel.Where("nf.id > ?", q.MinID).OrderExpr("nf.id ASC")
	} else {
		sel = sel.OrderExpr("nf.id DESC")
	}
	if err := sel.Limit(int64(q.Limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list notifications")
	}
	if q.MinID != uuid.Nil {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// ByID returns account's notification id; ErrNotFound when there is no
// such notification of that account.
func (r Notifications) ByID(ctx context.Context, account, id uuid.UUID) (Notification, error) {
	var n Notification
	err := shown(r.tx.idb.NewSelect().Model(&n)).Where("nf.id = ? AND nf.account_id = ?", id, account).Scan(ctx)
	if err != nil {
		return Notification{}, notFound(err, "notification")
	}
	return n, nil
}

// Delete removes account's notification id; ErrNotFound if it has none.
func (r Notifications) Delete(ctx context.Context, account, id uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Notification)(nil)).Where("id = ? AND account_id = ?", id, account).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "delete notification")
	}
	return expectOne(res, "delete notification")
}

// DeleteAll removes all of account's notifications.
func (r Notifications) DeleteAll(ctx context.Context, account uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*Notification)(nil)).Where("account_id = ?", account).Exec(ctx)
	return wrapWrite(err, "clear notifications")
}

// Count counts account's notifications above after (all when uuid.Nil),
// up to limit.
func (r Notifications) Count(ctx context.Context, account, after uuid.UUID, limit int) (int, error) {
	sel := shown(r.tx.idb.NewSelect().Model((*Notification)(nil))).Where("nf.account_id = ?", account)
	if after != uuid.Nil {
		sel = sel.Where("nf.id > ?", after)
	}
	n, err := r.tx.idb.NewSelect().TableExpr("(?) AS page", sel.Limit(int64(limit))).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count notifications")
	}
	return int(n), nil
}

// After returns, oldest first, at most limit notifications above after of
// the accounts (the streams of one process follow them this way).
func (r Notifications) After(ctx context.Context, after uuid.UUID, accounts []uuid.UUID, limit int) ([]Notification, error) {
	var out []Notification
	if len(accounts) == 0 {
		return nil, nil
	}
	err := shown(r.tx.idb.NewSelect().Model(&out)).
		Where("nf.id > ? AND nf.account_id IN (?)", after, bun.In(accounts)).
		OrderExpr("nf.id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "notifications after")
	}
	return out, nil
}

// Newest returns the id of the newest notification, uuid.Nil when there is
// none: where a stream starts.
func (r Notifications) Newest(ctx context.Context) (uuid.UUID, error) {
	var ids []uuid.UUID
	err := r.tx.idb.NewSelect().Model((*Notification)(nil)).Column("id").OrderExpr("id DESC").Limit(1).Scan(ctx, &ids)
	if err != nil {
		return uuid.Nil, notFound(err, "newest notification")
	}
	if len(ids) == 0 {
		return uuid.Nil, nil
	}
	return ids[0], nil
}
