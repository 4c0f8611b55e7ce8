package news

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Reaction is what an actor does to a note it did not write: like it, or
// boost it (an Announce to its own followers). Each is one per actor and
// note, withdrawn by an Undo.
type Reaction string

// The reactions to notes, named by their ActivityStreams type.
const (
	Like  Reaction = "Like"
	Boost Reaction = "Announce"
)

func (r Reaction) repo(tx store.Tx) store.Reactions { return tx.Reactions(string(r)) }

// ErrNotBoostable refuses a boost of a note that is not public.
var ErrNotBoostable = core.New(core.KindForbidden, "not-boostable", "only public and unlisted notes can be boosted")

// React records that by likes or boosts the note id (which by may read),
// and returns the note's count of such reactions. A like of a remote note
// is sent to its author; a boost is sent to by's followers and to the
// author. Reacting twice changes nothing.
func (s *Service) React(ctx context.Context, by membership.Account, id uuid.UUID, r Reaction) (int, error) {
	n, err := s.Get(ctx, &by, id)
	if err != nil {
		return 0, err
	}
	if r == Boost && n.Visibility != Public && n.Visibility != Unlisted {
		return 0, ErrNotBoostable
	}
	var count int
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		if err := membership.RefuseBlocked(ctx, tx, me, n.Author.URI); err != nil {
			return err
		}
		row := store.Reaction{ID: newID(), ActorID: me.ID, NoteID: n.ID, CreatedAt: s.now()}
		row.ActivityID = s.policy.BaseURL + "/activities/" + row.ID.String()
		added, err := r.repo(tx).Add(ctx, &row)
		if err != nil {
			return err
		}
		if count, err = r.repo(tx).Count(ctx, n.ID); err != nil || !added {
			return err
		}
		if err := s.notifyReaction(ctx, tx, n.ID, n.Author.ID, me, r); err != nil {
			return err
		}
		inboxes, err := s.reactionInboxes(ctx, tx, n, me, r)
		if err != nil || len(inboxes) == 0 {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: string(r), Note: n, By: authorOf(me), ActivityID: row.ActivityID, Inboxes: inboxes})
	})
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", r, id, err)
	}
	return count, nil
}

// Unreact withdraws by's like or boost of the note id, sending the Undo
// where the reaction went. It returns the note's count of such reactions.
func (s *Service) Unreact(ctx context.Context, by membership.Account, id uuid.UUID, r Reaction) (int, error) {
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
		row, err := r.repo(tx).Of(ctx, me.ID, n.ID)
		if errors.Is(err, store.ErrNotFound) {
			count, err = r.repo(tx).Count(ctx, n.ID)
			return err
		}
		if err != nil {
			return err
		}
		if err := r.repo(tx).Remove(ctx, me.ID, n.ID); err != nil {
			return err
		}
		if count, err = r.repo(tx).Count(ctx, n.ID); err != nil {
			return err
		}
		inboxes, err := s.reactionInboxes(ctx, tx, n, me, r)
		if err != nil || len(inboxes) == 0 {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Undo", Undone: string(r), Note: n, By: authorOf(me),
			ActivityID: row.ActivityID, Inboxes: inboxes})
	})
	if err != nil {
		return 0, fmt.Errorf("undo %s of %s: %w", r, id, err)
	}
	return count, nil
}

// reactionInboxes is where a reaction of me to n goes: a like to a remote
// author; a boost to me's followers as well.
func (s *Service) reactionInboxes(ctx context.Context, tx store.Tx, n Note, me store.Actor, r Reaction) ([]string, error) {
	var inboxes []string
	if r == Boost {
		followers, err := tx.Follows().FollowerInboxes(ctx, me.ID)
		if err != nil {
			return nil, err
		}
		inboxes = followers
	}
	if !n.Author.Local {
		author, err := tx.Actors().ByID(ctx, n.Author.ID)
		if err != nil {
			return nil, err
		}
		inboxes = append(inboxes, inboxOf(author))
	}
	return inboxes, nil
}

// ReceiveReaction records the remote actorURI's like or boost of the
// stored note noteURI; a reaction to a note not stored here is refused
// with ErrNoSuchNote (nothing to count), one between actors a block stands
// between with membership.ErrBlocked.
func (s *Service) ReceiveReaction(ctx context.Context, actorURI, noteURI, activityID string, r Reaction) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		actor, note, err := reactionParties(ctx, tx, actorURI, noteURI)
		if err != nil {
			return err
		}
		if err := membership.RefuseBlocked(ctx, tx, actor, note.AuthorURI); err != nil {
			return err
		}
		added, err := r.repo(tx).Add(ctx, &store.Reaction{ID: newID(), ActorID: actor.ID, NoteID: note.ID, ActivityID: activityID, CreatedAt: s.now()})
		if err != nil || !added {
			return err
		}
		return s.notifyReaction(ctx, tx, note.ID, note.AuthorID, actor, r)
	})
}

// ReceiveUndoReaction withdraws the remote actorURI's like or boost of
// noteURI, if any.
func (s *Service) ReceiveUndoReaction(ctx context.Context, actorURI, noteURI string, r Reaction) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		actor, note, err := reactionParties(ctx, tx, actorURI, noteURI)
		if err != nil {
			return err
		}
		if err := r.repo(tx).Remove(ctx, actor.ID, note.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
}

// Reactions counts the likes and boosts of the note id.
func (s *Service) Reactions(ctx context.Context, id uuid.UUID) (likes, boosts int, err error) {
	if likes, err = Like.repo(s.db.Tx).Count(ctx, id); err != nil {
		return 0, 0, err
	}
	boosts, err = Boost.repo(s.db.Tx).Count(ctx, id)
	return likes, boosts, err
}

func reactionParties(ctx context.Context, tx store.Tx, actorURI, noteURI string) (store.Actor, store.NoteRow, error) {
	actor, err := tx.Actors().ByURI(ctx, actorURI)
	if err != nil {
		return store.Actor{}, store.NoteRow{}, fmt.Errorf("actor %s: %w", actorURI, err)
	}
	note, err := tx.Notes().ByURI(ctx, noteURI)
	if errors.Is(err, store.ErrNotFound) || (err == nil && note.DeletedAt != nil) {
		return store.Actor{}, store.NoteRow{}, ErrNoSuchNote
	}
	return actor, note, err
}

func authorOf(a store.Actor) *Author {
	return &Author{ID: a.ID, URI: a.URI, Username: a.Username, Host: a.Host, Local: a.Local,
		Followers: a.URI + "/followers"}
}

func inboxOf(a store.Actor) string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}
