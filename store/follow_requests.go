package store

import (
	"context"

	"github.com/google/uuid"
)

// FollowerRow is a follow with the follower's names, as the list of
// requests to follow shows it.
type FollowerRow struct {
	Follow `bun:",extend"`

	FollowerURI         string `bun:"follower_uri"`
	FollowerUsername    string `bun:"follower_username"`
	FollowerHost        string `bun:"follower_host"`
	FollowerDisplayName string `bun:"follower_display_name"`
	FollowerLocal       bool   `bun:"follower_local"`
}

// Pending lists up to limit follows of followed waiting for its approval,
// oldest first, after the follow id cursor (uuid.Nil for the first page).
func (r Follows) Pending(ctx context.Context, followed, after uuid.UUID, limit int) ([]FollowerRow, error) {
	var list []FollowerRow
	q := r.tx.idb.NewSelect().Model(&list).
		ColumnExpr("follow.*").
		ColumnExpr("a.uri AS follower_uri, a.username AS follower_username, a.host AS follower_host").
		ColumnExpr("a.display_name AS follower_display_name, a.local AS follower_local").
		Join("JOIN actors AS a ON a.id = follow.follower_id").
		Where("follow.followed_id = ?", followed).
		Where("follow.state = ?", "pending").
		OrderExpr("follow.id ASC").Limit(int64(limit))
	if after != uuid.Nil {
		q = q.Where("follow.id > ?", after)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list requests to follow")
	}
	return list, nil
}
