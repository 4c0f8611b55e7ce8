package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Like is an actor's like of a note; a boost (Announce) has the same shape.
type Like struct {
	bun.BaseModel `bun:"table:likes"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	ActorID    uuid.UUID `bun:"actor_id,type:uuid"`
	NoteID     uuid.UUID `bun:"note_id,type:uuid"`
	ActivityID string    `bun:"activity_id"`
	CreatedAt  time.Time `bun:"created_at"`
}

// Reactions reads and writes likes or boosts: both are one row per actor and
// note, in tables of the same shape.
type Reactions struct {
	tx    Tx
	table string
}

// Likes returns the like repository.
func (t Tx) Likes() Reactions { return Reactions{t, "likes"} }

// Boosts returns the boost repository (the Announces of notes).
func (t Tx) Boosts() Reactions { return Reactions{t, "boosts"} }

// Add records l; it reports false when the actor already liked the note.
func (r Reactions) Add(ctx context.Context, l *Like) (bool, error) {
	res, err := r.tx.idb.NewInsert().Model(l).ModelTableExpr(r.table).On("CONFLICT (actor_id, note_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "add like")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Of returns actor's like of note.
func (r Reactions) Of(ctx context.Context, actor, note uuid.UUID) (Like, error) {
	var l Like
	if err := r.tx.idb.NewSelect().Model(&l).ModelTableExpr(r.table+` AS "like"`).Where("actor_id = ?", actor).Where("note_id = ?", note).Scan(ctx); err != nil {
		return Like{}, notFound(err, "like")
	}
	return l, nil
}

// Remove deletes actor's like of note; ErrNotFound if there was none.
func (r Reactions) Remove(ctx context.Context, actor, note uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Like)(nil)).ModelTableExpr(r.table).Where("actor_id = ?", actor).Where("note_id = ?", note).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "remove like")
	}
	return expectOne(res, "remove like")
}

// Count counts the likes of note.
func (r Reactions) Count(ctx context.Context, note uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Like)(nil)).ModelTableExpr(r.table+` AS "like"`).Where("note_id = ?", note).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count likes")
	}
	return int(n), nil
}
