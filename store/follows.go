package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Follow is one actor following another.
type Follow struct {
	bun.BaseModel `bun:"table:follows"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	FollowerID uuid.UUID `bun:"follower_id,type:uuid"`
	FollowedID uuid.UUID `bun:"followed_id,type:uuid"`
	ActivityID string    `bun:"activity_id"`
	State      string    `bun:"state"`
	CreatedAt  time.Time `bun:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// Follows reads and writes follows.
type Follows struct{ tx Tx }

// Follows returns the follow repository.
func (t Tx) Follows() Follows { return Follows{t} }

// Save inserts f, or, when follower already follows followed, updates the
// existing row's activity id and state (a repeated Follow).
func (r Follows) Save(ctx context.Context, f *Follow) error {
	_, err := r.tx.idb.NewInsert().Model(f).
		On("CONFLICT (follower_id, followed_id) DO UPDATE").
		Set("activity_id = EXCLUDED.activity_id").
		Set("state = EXCLUDED.state").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrapWrite(err, "save follow")
}

// Between returns the follow of follower to followed.
func (r Follows) Between(ctx context.Context, follower, followed uuid.UUID) (Follow, error) {
	var f Follow
	err := r.tx.idb.NewSelect().Model(&f).Where("follower_id = ?", follower).Where("followed_id = ?", followed).Scan(ctx)
	if err != nil {
		return Follow{}, notFound(err, "follow")
	}
	return f, nil
}

// Delete removes the follow of follower to followed; ErrNotFound if none.
func (r Follows) Delete(ctx context.Context, follower, followed uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Follow)(nil)).
		Where("follower_id = ?", follower).Where("followed_id = ?", followed).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "delete follow")
	}
	return expectOne(res, "delete follow")
}

// FollowerInboxes returns the inboxes to deliver to for followed's
// accepted followers: each remote server's shared inbox once, or the
// follower's own inbox when its server has none. A follower a block
// stands between with followed is left out.
func (r Follows) FollowerInboxes(ctx context.Context, followed uuid.UUID) ([]string, error) {
	var inboxes []string
	err := r.tx.idb.NewSelect().
		ColumnExpr("DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END").
		TableExpr("follows AS f").
		Join("JOIN actors AS a ON a.id = f.follower_id").
		Where("f.followed_id = ?", followed).
		Where("f.state = ?", "accepted").
		Where("a.local = ?", false).
		Where("a.deleted_at IS NULL").
		Where(noBlockBetween("f.follower_id", "f.followed_id")).
		Scan(ctx, &inboxes)
	if err != nil {
		return nil, notFound(err, "list follower inboxes")
	}
	return inboxes, nil
}

// CountFollowers counts followed's accepted followers.
func (r Follows) CountFollowers(ctx context.Context, followed uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Follow)(nil)).
		Where("followed_id = ?", followed).Where("state = ?", "accepted").Count(ctx)
	if err != nil {
		return 0, notFound(err, "count followers")
	}
	return int(n), nil
}

// FollowRow is a follow with the followed actor's names, as a person's
// list of follows shows it.
type FollowRow struct {
	Follow `bun:",extend"`

	FollowedURI      string `bun:"followed_uri"`
	FollowedUsername string `bun:"followed_username"`
	FollowedHost     string `bun:"followed_host"`
}

// ByID returns the follow id.
func (r Follows) ByID(ctx context.Context, id uuid.UUID) (Follow, error) {
	var f Follow
	if err := r.tx.idb.NewSelect().Model(&f).Where("id = ?", id).Scan(ctx); err != nil {
		return Follow{}, notFound(err, "follow")
	}
	return f, nil
}

// OfFollower lists whom follower follows, newest first.
func (r Follows) OfFollower(ctx context.Context, follower uuid.UUID, limit int) ([]FollowRow, error) {
	var list []FollowRow
	err := r.tx.idb.NewSelect().Model(&list).
		ColumnExpr("follow.*").
		ColumnExpr("a.uri AS followed_uri, a.username AS followed_username, a.host AS followed_host").
		Join("JOIN actors AS a ON a.id = follow.followed_id").
		Where("follow.follower_id = ?", follower).
		OrderExpr("follow.id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list follows")
	}
	return list, nil
}

// SetState changes the state of the follow id.
func (r Follows) SetState(ctx context.Context, id uuid.UUID, state string, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Follow)(nil)).
		Set("state = ?", state).Set("updated_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "set follow state")
	}
	return expectOne(res, "set follow state")
}

// ByActivityID returns the follow made by the Follow activity id.
func (r Follows) ByActivityID(ctx context.Context, id string) (Follow, error) {
	var f Follow
	if err := r.tx.idb.NewSelect().Model(&f).Where("activity_id = ?", id).Limit(1).Scan(ctx); err != nil {
		return Follow{}, notFound(err, "follow")
	}
	return f, nil
}

// FollowerURIs returns up to limit ids of followed's accepted followers,
// in the order they followed, after the follow id cursor.
func (r Follows) FollowerURIs(ctx context.Context, followed uuid.UUID, after uuid.UUID, limit int) ([]string, []uuid.UUID, error) {
	return r.uris(ctx, "f.followed_id", "f.follower_id", followed, after, limit)
}

// FollowingURIs returns up to limit ids of the actors follower follows
// (accepted), in the order it followed them, after the follow id cursor.
func (r Follows) FollowingURIs(ctx context.Context, follower uuid.UUID, after uuid.UUID, limit int) ([]string, []uuid.UUID, error) {
	return r.uris(ctx, "f.follower_id", "f.followed_id", follower, after, limit)
}

func (r Follows) uris(ctx context.Context, by, other string, id, after uuid.UUID, limit int) ([]string, []uuid.UUID, error) {
	var rows []struct {
		ID  uuid.UUID `bun:"id"`
		URI string    `bun:"uri"`
	}
	q := r.tx.idb.NewSelect().
		ColumnExpr("f.id, a.uri").
		TableExpr("follows AS f").
		Join("JOIN actors AS a ON a.id = "+other).
		Where(by+" = ?", id).
		Where("f.state = ?", "accepted").
		OrderExpr("f.id ASC").Limit(int64(limit))
	if after != uuid.Nil {
		q = q.Where("f.id > ?", after)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, nil, notFound(err, "list follows")
	}
	uris := make([]string, len(rows))
	ids := make([]uuid.UUID, len(rows))
	for i, row := range rows {
		uris[i], ids[i] = row.URI, row.ID
	}
	return uris, ids, nil
}

// CountFollowing counts the actors follower follows (accepted).
func (r Follows) CountFollowing(ctx context.Context, follower uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Follow)(nil)).
		Where("follower_id = ?", follower).Where("state = ?", "accepted").Count(ctx)
	if err != nil {
		return 0, notFound(err, "count following")
	}
	return int(n), nil
}

// DeleteInvolving removes every follow from or to one of actors.
func (r Follows) DeleteInvolving(ctx context.Context, actors []uuid.UUID) (int, error) {
	if len(actors) == 0 {
		return 0, nil
	}
	res, err := r.tx.idb.NewDelete().Model((*Follow)(nil)).
		Where("follower_id IN (?) OR followed_id IN (?)", bun.In(actors), bun.In(actors)).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete follows")
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// FollowedInboxes returns the inboxes of the remote actors follower follows
// or asked to follow: each server's shared inbox once, or the actor's own
// inbox when its server has none.
func (r Follows) FollowedInboxes(ctx context.Context, follower uuid.UUID) ([]string, error) {
	var inboxes []string
	err := r.tx.idb.NewSelect().
		ColumnExpr("DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END").
		TableExpr("follows AS f").
		Join("JOIN actors AS a ON a.id = f.followed_id").
		Where("f.follower_id = ?", follower).
		Where("a.local = ?", false).
		Where("a.deleted_at IS NULL").
		Scan(ctx, &inboxes)
	if err != nil {
		return nil, notFound(err, "list followed inboxes")
	}
	return inboxes, nil
}

// DeleteOf removes every follow of or by actor, whatever its state, and
// returns how many.
func (r Follows) DeleteOf(ctx context.Context, actor uuid.UUID) (int64, error) {
	res, err := r.tx.idb.NewDelete().Model((*Follow)(nil)).
		Where("follower_id = ? OR followed_id = ?", actor, actor).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete follows of an actor")
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// FollowedHere reports whether a local actor follows actor (an accepted
// follow): whether actor is a partner of this instance.
func (r Follows) FollowedHere(ctx context.Context, actor uuid.UUID) (bool, error) {
	ok, err := r.tx.idb.NewSelect().TableExpr("follows AS lf").
		Join("JOIN actors AS la ON la.id = lf.follower_id").
		Where("lf.followed_id = ?", actor).Where("lf.state = ?", "accepted").Where("la.local = ?", true).
		Exists(ctx)
	if err != nil {
		return false, notFound(err, "follows of an actor from here")
	}
	return ok, nil
}
