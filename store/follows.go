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
// follower's own inbox when its server has none.
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
