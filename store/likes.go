package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Like is an actor's like of a note.
type Like struct {
	bun.BaseModel `bun:"table:likes"`

	ID         uuid.UUID `bun:"id,pk,type:uuid"`
	ActorID    uuid.UUID `bun:"actor_id,type:uuid"`
	NoteID     uuid.UUID `bun:"note_id,type:uuid"`
	ActivityID string    `bun:"activity_id"`
	CreatedAt  time.Time `bun:"created_at"`
}

// Likes reads and writes likes.
type Likes struct{ tx Tx }

// Likes returns the like repository.
func (t Tx) Likes() Likes { return Likes{t} }

// Add records l; it reports false when the actor already liked the note.
func (r Likes) Add(ctx context.Context, l *Like) (bool, error) {
	res, err := r.tx.idb.NewInsert().Model(l).On("CONFLICT (actor_id, note_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "add like")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Of returns actor's like of note.
func (r Likes) Of(ctx context.Context, actor, note uuid.UUID) (Like, error) {
	var l Like
	if err := r.tx.idb.NewSelect().Model(&l).Where("actor_id = ?", actor).Where("note_id = ?", note).Scan(ctx); err != nil {
		return Like{}, notFound(err, "like")
	}
	return l, nil
}

// Remove deletes actor's like of note; ErrNotFound if there was none.
func (r Likes) Remove(ctx context.Context, actor, note uuid.UUID) error {
	res, err := r.tx.idb.NewDelete().Model((*Like)(nil)).Where("actor_id = ?", actor).Where("note_id = ?", note).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "remove like")
	}
	return expectOne(res, "remove like")
}

// Count counts the likes of note.
func (r Likes) Count(ctx context.Context, note uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*Like)(nil)).Where("note_id = ?", note).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count likes")
	}
	return int(n), nil
}
