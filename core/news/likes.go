package news

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Like records that by likes the note id (which by may read). Liking a
// remote note sends a Like to its author; liking twice changes nothing.
// It returns the note's like count.
func (s *Service) Like(ctx context.Context, by membership.Account, id uuid.UUID) (int, error) {
	n, err := s.Get(ctx, &by, id)
	if err != nil {
		return 0, err
	}
	var count int
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		like := store.Like{ID: newID(), ActorID: me.ID, NoteID: n.ID, CreatedAt: s.now()}
		like.ActivityID = s.policy.BaseURL + "/activities/" + like.ID.String()
		added, err := tx.Likes().Add(ctx, &like)
		if err != nil {
			return err
		}
		if count, err = tx.Likes().Count(ctx, n.ID); err != nil || !added || n.Author.Local {
			return err
		}
		author, err := tx.Actors().ByID(ctx, n.Author.ID)
		if err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Like", Note: n, By: authorOf(me), ActivityID: like.ActivityID,
			Inboxes: []string{inboxOf(author)}})
	})
	if err != nil {
		return 0, fmt.Errorf("like %s: %w", id, err)
	}
	return count, nil
}

// Unlike withdraws by's like of the note id; the author of a remote note is
// sent the Undo. It returns the note's like count.
func (s *Service) Unlike(ctx context.Context, by membership.Account, id uuid.UUID) (int, error) {
	n, err := s.Get(ctx, &by, id)
	if err != nil {
		return 0, err
	}
	var count int
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		like, err := tx.Likes().Of(ctx, me.ID, n.ID)
		if errors.Is(err, store.ErrNotFound) {
			count, err = tx.Likes().Count(ctx, n.ID)
			return err
		}
		if err != nil {
			return err
		}
		if err := tx.Likes().Remove(ctx, me.ID, n.ID); err != nil {
			return err
		}
		if count, err = tx.Likes().Count(ctx, n.ID); err != nil || n.Author.Local {
			return err
		}
		author, err := tx.Actors().ByID(ctx, n.Author.ID)
		if err != nil {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Undo", Note: n, By: authorOf(me), ActivityID: like.ActivityID,
			Inboxes: []string{inboxOf(author)}})
	})
	if err != nil {
		return 0, fmt.Errorf("unlike %s: %w", id, err)
	}
	return count, nil
}

// ReceiveLike records the remote actorURI's like of the stored note
// noteURI. A like of a note not stored here is ignored (ErrNoSuchNote).
func (s *Service) ReceiveLike(ctx context.Context, actorURI, noteURI, activityID string) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		actor, note, err := likeParties(ctx, tx, actorURI, noteURI)
		if err != nil {
			return err
		}
		_, err = tx.Likes().Add(ctx, &store.Like{ID: newID(), ActorID: actor.ID, NoteID: note.ID, ActivityID: activityID, CreatedAt: s.now()})
		return err
	})
}

// ReceiveUnlike withdraws the remote actorURI's like of noteURI, if any.
func (s *Service) ReceiveUnlike(ctx context.Context, actorURI, noteURI string) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		actor, note, err := likeParties(ctx, tx, actorURI, noteURI)
		if err != nil {
			return err
		}
		if err := tx.Likes().Remove(ctx, actor.ID, note.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
}

// LikeCount counts the likes of the note id.
func (s *Service) LikeCount(ctx context.Context, id uuid.UUID) (int, error) {
	return s.db.Likes().Count(ctx, id)
}

func likeParties(ctx context.Context, tx store.Tx, actorURI, noteURI string) (store.Actor, store.NoteRow, error) {
	actor, err := tx.Actors().ByURI(ctx, actorURI)
	if err != nil {
		return store.Actor{}, store.NoteRow{}, fmt.Errorf("liker %s: %w", actorURI, err)
	}
	note, err := tx.Notes().ByURI(ctx, noteURI)
	if errors.Is(err, store.ErrNotFound) || (err == nil && note.DeletedAt != nil) {
		return store.Actor{}, store.NoteRow{}, ErrNoSuchNote
	}
	return actor, note, err
}

func authorOf(a store.Actor) *Author {
	return &Author{ID: a.ID, URI: a.URI, Username: a.Username, Host: a.Host, Local: a.Local}
}

func inboxOf(a store.Actor) string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}
