package news

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// MaxReplies bounds one page of replies.
const MaxReplies = 100

// load reads a note's row and details.
func (s *Service) load(ctx context.Context, tx store.Tx, r store.NoteRow) (Note, error) {
	tags, err := tx.Notes().Tags(ctx, r.ID)
	if err != nil {
		return Note{}, err
	}
	mentions, err := tx.Notes().Mentions(ctx, r.ID)
	if err != nil {
		return Note{}, err
	}
	n := s.noteFrom(r, tags, mentions)
	if n.Poll, err = pollOf(ctx, tx, r); err != nil {
		return Note{}, err
	}
	if n.Attachments, err = s.attachmentsOf(ctx, tx, r.ID); err != nil {
		return Note{}, err
	}
	return n, nil
}

// Get returns the note id as viewer (nil: someone not logged in) may see
// it: ErrNoSuchNote when it does not exist or viewer may not read it,
// ErrNoteDeleted when it was deleted.
func (s *Service) Get(ctx context.Context, viewer *membership.Account, id uuid.UUID) (Note, error) {
	row, err := s.db.Notes().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Note{}, ErrNoSuchNote
	}
	if err != nil {
		return Note{}, err
	}
	n, err := s.load(ctx, s.db.Tx, row)
	if err != nil {
		return Note{}, err
	}
	ok, err := s.mayRead(ctx, s.db.Tx, viewer, n)
	if err != nil {
		return Note{}, err
	}
	switch {
	case !ok:
		return Note{}, ErrNoSuchNote
	case n.Deleted != nil:
		return Note{}, ErrNoteDeleted
	}
	return n, nil
}

// Object returns the local note id as other servers may fetch it: public
// and unlisted notes only (followers-only and direct ones reach their
// audience by delivery). A deleted note is returned with ErrNoteDeleted,
// so that its tombstone can be served.
func (s *Service) Object(ctx context.Context, id uuid.UUID) (Note, error) {
	row, err := s.db.Notes().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !row.Local) {
		return Note{}, ErrNoSuchNote
	}
	if err != nil {
		return Note{}, err
	}
	n, err := s.load(ctx, s.db.Tx, row)
	if err != nil {
		return Note{}, err
	}
	switch {
	case n.Deleted != nil:
		return n, ErrNoteDeleted
	case n.Visibility != Public && n.Visibility != Unlisted:
		return Note{}, ErrNoSuchNote
	}
	return n, nil
}

// ByURI returns the stored note whose id on the wire is uri, deleted or
// not, whatever its visibility: for federation and tests, not for showing.
func (s *Service) ByURI(ctx context.Context, uri string) (Note, error) {
	row, err := s.db.Notes().ByURI(ctx, uri)
	if errors.Is(err, store.ErrNotFound) {
		return Note{}, ErrNoSuchNote
	}
	if err != nil {
		return Note{}, err
	}
	return s.load(ctx, s.db.Tx, row)
}

// Replies lists the replies to the note id that viewer may read, oldest
// first, limit at a time after the reply after (uuid.Nil: from the first).
// Deleted replies are left out.
func (s *Service) Replies(ctx context.Context, viewer *membership.Account, id, after uuid.UUID, limit int) ([]Note, error) {
	if _, err := s.Get(ctx, viewer, id); err != nil {
		return nil, err
	}
	limit = max(1, min(limit, MaxReplies))
	rows, err := s.db.Notes().Replies(ctx, id, after, limit)
	if err != nil {
		return nil, fmt.Errorf("replies to %s: %w", id, err)
	}
	out := make([]Note, 0, len(rows))
	for _, r := range rows {
		if r.DeletedAt != nil {
			continue
		}
		n, err := s.load(ctx, s.db.Tx, r)
		if err != nil {
			return nil, err
		}
		if ok, err := s.mayRead(ctx, s.db.Tx, viewer, n); err != nil {
			return nil, err
		} else if ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// mayRead tells whether viewer may read n: anyone a public or unlisted
// note; its author (or the board of the association that wrote it) and the
// actors it mentions any note; the author's followers a followers-only one.
func (s *Service) mayRead(ctx context.Context, tx store.Tx, viewer *membership.Account, n Note) (bool, error) {
	if n.Visibility == Public || n.Visibility == Unlisted {
		return true, nil
	}
	if viewer == nil {
		return false, nil
	}
	me, err := tx.Actors().OfAccount(ctx, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if slices.Contains(n.MentionURIs(), me.URI) {
		return true, nil
	}
	author, err := tx.Actors().ByURI(ctx, n.Author.URI)
	if err != nil {
		return false, err
	}
	if ok, err := mayActAs(ctx, tx, *viewer, author); ok || err != nil {
		return ok, err
	}
	if n.Visibility != Followers {
		return false, nil
	}
	f, err := tx.Follows().Between(ctx, me.ID, author.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && f.State == membership.FollowAccepted, err
}

// mayActAs tells whether the account speaks for the local actor: it is
// the account's own, or an association whose board the account is on.
func mayActAs(ctx context.Context, tx store.Tx, by membership.Account, actor store.Actor) (bool, error) {
	if by.Status != membership.AccountActive || !actor.Local {
		return false, nil
	}
	if actor.AccountID != nil {
		return *actor.AccountID == by.ID, nil
	}
	if actor.AssociationID == nil {
		return false, nil
	}
	m, err := tx.Associations().Membership(ctx, *actor.AssociationID, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return membership.Member{Role: m.Role, Status: m.Status}.IsBoard(), nil
}
