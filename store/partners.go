package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// PartnerRow is an association (a Group actor) that an association's
// actor follows or is followed by, with both follows as they stand: Ours
// is the association's follow of it, Theirs its follow of the
// association; either may be missing (nil state).
type PartnerRow struct {
	ActorID     uuid.UUID `bun:"actor_id"`
	URI         string    `bun:"uri"`
	Username    string    `bun:"username"`
	Host        string    `bun:"host"`
	DisplayName string    `bun:"display_name"`
	Local       bool      `bun:"local"`

	OurState      *string    `bun:"our_state"`
	OurCreatedAt  *time.Time `bun:"our_created_at"`
	OurUpdatedAt  *time.Time `bun:"our_updated_at"`
	TheirState    *string    `bun:"their_state"`
	TheirCreated  *time.Time `bun:"their_created_at"`
	TheirUpdated  *time.Time `bun:"their_updated_at"`
	TheirActivity *string    `bun:"their_activity_id"`
}

// Partners lists, in the order of their actor ids after the cursor, up
// to limit Group actors (not deleted) that actor follows or that follow
// actor, in any state; mutualOnly keeps those whose two follows are both
// accepted. The follows' unique (follower, followed) index serves both
// joins.
func (r Follows) Partners(ctx context.Context, actor uuid.UUID, mutualOnly bool, after uuid.UUID, limit int) ([]PartnerRow, error) {
	var rows []PartnerRow
	q := r.tx.idb.NewSelect().
		ColumnExpr("a.id AS actor_id, a.uri, a.username, a.host, a.display_name, a.local").
		ColumnExpr("o.state AS our_state, o.created_at AS our_created_at, o.updated_at AS our_updated_at").
		ColumnExpr("t.state AS their_state, t.created_at AS their_created_at, t.updated_at AS their_updated_at, t.activity_id AS their_activity_id").
		TableExpr("actors AS a").
		Join("LEFT JOIN follows AS o ON o.follower_id = ? AND o.followed_id = a.id", actor).
		Join("LEFT JOIN follows AS t ON t.follower_id = a.id AND t.followed_id = ?", actor).
		Where("a.kind = ?", "Group").
		Where("a.deleted_at IS NULL").
		Where("a.id <> ?", actor).
		Where("(a.id IN (SELECT followed_id FROM follows WHERE follower_id = ?) OR a.id IN (SELECT follower_id FROM follows WHERE followed_id = ?))", actor, actor).
		OrderExpr("a.id ASC").Limit(int64(limit))
	if mutualOnly {
		q = q.Where("o.state = ?", "accepted").Where("t.state = ?", "accepted")
	}
	if after != uuid.Nil {
		q = q.Where("a.id > ?", after)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, notFound(err, "list partners")
	}
	return rows, nil
}
