package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Bookmark is a note an actor keeps to read again; private to it.
type Bookmark struct {
	bun.BaseModel `bun:"table:bookmarks"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	ActorID   uuid.UUID `bun:"actor_id,type:uuid"`
	NoteID    uuid.UUID `bun:"note_id,type:uuid"`
	CreatedAt time.Time `bun:"created_at"`
}

// Bookmarks reads and writes bookmarks.
type Bookmarks struct{ tx Tx }

// Bookmarks returns the bookmark repository.
func (t Tx) Bookmarks() Bookmarks { return Bookmarks{t} }

// Add records b; bookmarking a note twice keeps the first bookmark.
func (r Bookmarks) Add(ctx context.Context, b *Bookmark) error {
	if _, err := r.tx.idb.NewInsert().Model(b).On("CONFLICT (actor_id, note_id) DO NOTHING").Exec(ctx); err != nil {
		return wrapWrite(err, "add bookmark")
	}
	return nil
}

// Remove deletes actor's bookmark of note, if any.
func (r Bookmarks) Remove(ctx context.Context, actor, note uuid.UUID) error {
	if _, err := r.tx.idb.NewDelete().Model((*Bookmark)(nil)).
		Where("actor_id = ?", actor).Where("note_id = ?", note).Exec(ctx); err != nil {
		return wrapWrite(err, "remove bookmark")
	}
	return nil
}
