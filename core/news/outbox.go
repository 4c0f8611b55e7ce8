package news

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// OutboxPage is one page of what a local actor published for everyone.
type OutboxPage struct {
	Total int
	Notes []Note
	Next  uuid.UUID // cursor of the next (older) page; uuid.Nil at the end
}

// MaxOutboxPage bounds a page of an outbox.
const MaxOutboxPage = 50

// Outbox returns a page of the public and unlisted notes of the local actor
// name, newest first, before the cursor.
func (s *Service) Outbox(ctx context.Context, name string, before uuid.UUID, limit int) (OutboxPage, error) {
	if limit <= 0 || limit > MaxOutboxPage {
		limit = MaxOutboxPage
	}
	var page OutboxPage
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := tx.Actors().Local(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return membership.ErrNoSuchActor
		}
		if err != nil {
			return err
		}
		if page.Total, err = tx.Notes().CountPublicByAuthor(ctx, author.ID); err != nil {
			return err
		}
		rows, err := tx.Notes().PublicByAuthor(ctx, author.ID, before, limit+1)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			page.Next = rows[limit-1].ID
		}
		for _, r := range rows {
			n, err := s.load(ctx, tx, r)
			if err != nil {
				return err
			}
			page.Notes = append(page.Notes, n)
		}
		return nil
	})
	if err != nil {
		return OutboxPage{}, fmt.Errorf("outbox of %s: %w", name, err)
	}
	return page, nil
}
