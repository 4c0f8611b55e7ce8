package store

import (
	"context"
	"fmt"
	"strings"
)

// SearchActors returns the actors known here whose username or display
// name starts with prefix (case aside), local ones first, then by name:
// limit of them after skipping offset. Deleted and suspended actors, and
// the instance's own application actor, are left out.
func (r Actors) SearchActors(ctx context.Context, prefix string, limit, offset int) ([]Actor, error) {
	var out []Actor
	p := likePrefix(strings.ToLower(prefix))
	err := r.tx.idb.NewSelect().Model(&out).ColumnExpr("actor.*").
		Where("actor.deleted_at IS NULL AND actor.suspended_at IS NULL AND actor.kind <> 'Application'").
		Where(`(lower(actor.username) LIKE ? ESCAPE '\' OR lower(actor.display_name) LIKE ? ESCAPE '\')`, p, p).
		OrderExpr("actor.local DESC, actor.username, actor.host").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("search actors: %w", err)
	}
	return out, nil
}

// SearchTags returns the hashtags of notes starting with prefix (lower
// case, without '#'), in order, limit of them after skipping offset.
func (r Notes) SearchTags(ctx context.Context, prefix string, limit, offset int) ([]string, error) {
	var out []string
	err := r.tx.idb.NewSelect().Model((*NoteTag)(nil)).Distinct().Column("name").
		Where(`name LIKE ? ESCAPE '\'`, likePrefix(strings.ToLower(prefix))).
		OrderExpr("name").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("search hashtags: %w", err)
	}
	return out, nil
}
