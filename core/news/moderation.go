package news

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// RemoveNote takes the note id down for the moderators, inside their
// transaction (they check who may): a local note becomes a tombstone and
// its Delete goes to the audience it had, as its author's own deletion
// does; a remote note is only hidden here (a tombstone: its server keeps
// it). It returns the note's id on the wire. A note not stored here, or
// already deleted, is ErrNoSuchNote or ErrNoteDeleted.
func (s *Service) RemoveNote(ctx context.Context, tx store.Tx, id uuid.UUID) (string, error) {
	row, err := tx.Notes().ByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", ErrNoSuchNote
	case err != nil:
		return "", err
	case row.DeletedAt != nil:
		return "", ErrNoteDeleted
	}
	now := s.now()
	if !row.Local {
		return row.URI, tx.Notes().Tombstone(ctx, id, now)
	}
	author, err := tx.Actors().ByID(ctx, row.AuthorID)
	if err != nil {
		return "", fmt.Errorf("author of %s: %w", row.URI, err)
	}
	n, err := s.load(ctx, tx, row)
	if err != nil {
		return "", err
	}
	targets, err := mentionedActors(ctx, tx, n.MentionURIs())
	if err != nil {
		return "", err
	}
	inboxes, err := s.inboxes(ctx, tx, n, targets)
	if err != nil {
		return "", err
	}
	if err := tx.Notes().Tombstone(ctx, id, now); err != nil {
		return "", err
	}
	n.Deleted = &now
	relays, err := s.relaysOfChange(ctx, tx, n, author, "Delete")
	if err != nil {
		return "", err
	}
	return row.URI, s.publish(ctx, tx, Publication{Type: "Delete", Note: n, Inboxes: inboxes, Relays: relays})
}
