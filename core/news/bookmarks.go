package news

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// A bookmark is a note an account keeps to read again. It is private to
// the account: never federated, never counted, shown to no one else.

// Bookmark bookmarks the note id, which by may read (ErrNoSuchNote
// otherwise); bookmarking twice changes nothing.
func (s *Service) Bookmark(ctx context.Context, by membership.Account, id uuid.UUID) error {
	if _, err := s.Get(ctx, &by, id); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		return tx.Bookmarks().Add(ctx, &store.Bookmark{ID: newID(), ActorID: me.ID, NoteID: id, CreatedAt: s.now()})
	})
	if err != nil {
		return fmt.Errorf("bookmark %s: %w", id, err)
	}
	return nil
}

// Unbookmark withdraws by's bookmark of the note id, if any; the note must
// still be one by may read (ErrNoSuchNote otherwise).
func (s *Service) Unbookmark(ctx context.Context, by membership.Account, id uuid.UUID) error {
	if _, err := s.Get(ctx, &by, id); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		return tx.Bookmarks().Remove(ctx, me.ID, id)
	})
	if err != nil {
		return fmt.Errorf("unbookmark %s: %w", id, err)
	}
	return nil
}

// Bookmarks is the range r of the notes viewer bookmarked and may still
// read, most recently bookmarked first; each entry's Key is the
// bookmark's id, by which the list pages.
func (s *Service) Bookmarks(ctx context.Context, viewer membership.Account, r Range) ([]Entry, error) {
	v, err := s.timelineViewer(ctx, &viewer)
	if err != nil {
		return nil, err
	}
	if v.Actor == uuid.Nil {
		return nil, ErrNoSuchActor
	}
	rows, err := s.db.Notes().BookmarkTimeline(ctx, v, r.page())
	if err != nil {
		return nil, fmt.Errorf("bookmarks of %s: %w", viewer.Username, err)
	}
	return s.ranged(ctx, r, rows)
}
