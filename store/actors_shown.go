package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// ShownActor is an actor with the name to show for it: a local person's
// account's display name, a local association's name, a remote actor's
// own; empty when there is none.
type ShownActor struct {
	Actor     `bun:",extend"`
	ShownName string `bun:"shown_name"`
}

// ShownByURIs returns the actors known here among uris, in one query: the
// authors, boosters and mentioned actors of a page of notes.
func (r Actors) ShownByURIs(ctx context.Context, uris []string) ([]ShownActor, error) {
	if len(uris) == 0 {
		return nil, nil
	}
	var out []ShownActor
	err := r.tx.idb.NewSelect().Model(&out).
		ColumnExpr("actor.*").
		ColumnExpr("COALESCE(CASE WHEN actor.local THEN NULLIF(sacc.display_name, '') END, NULLIF(actor.display_name, ''), "+
			"NULLIF(sasn.display_name, ''), '') AS shown_name").
		Join("LEFT JOIN accounts AS sacc ON sacc.id = actor.account_id").
		Join("LEFT JOIN associations AS sasn ON sasn.id = actor.association_id").
		Where("actor.uri IN (?)", bun.In(uris)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "actors by id")
	}
	return out, nil
}

// OfAccountFollowing returns the actor of account and how many actors it
// follows (accepted follows), in one query: the home timeline reads a busy
// member's page another way (TimelineViewer.Follows).
func (r Actors) OfAccountFollowing(ctx context.Context, account uuid.UUID) (Actor, int, error) {
	var row actorFollowing
	err := r.tx.idb.NewSelect().Model(&row).ColumnExpr("actor.*").
		ColumnExpr("(SELECT count(*) FROM follows AS f WHERE f.follower_id = actor.id AND f.state = 'accepted') AS follows").
		Where("actor.account_id = ?", account).Limit(1).Scan(ctx)
	if err != nil {
		return Actor{}, 0, notFound(err, "actor of account")
	}
	return row.Actor, row.Follows, nil
}

type actorFollowing struct {
	Actor   `bun:",extend"`
	Follows int `bun:"follows"`
}
