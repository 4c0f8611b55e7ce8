package news

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/notify"
	"github.com/holon-network/holon/store"
)

// notifyMentions notifies the local persons the note id mentions, inside
// the transaction that stores or edits it. Those an edit mentioned
// already are not notified again (notify.Record keeps one per note).
func (s *Service) notifyMentions(ctx context.Context, tx store.Tx, id uuid.UUID, author store.Actor, mentions []Mention) error {
	for _, m := range mentions {
		to, err := tx.Actors().ByURI(ctx, m.Href)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := notify.Record(ctx, tx, s.now(), notify.Mention, to, author, &id); err != nil {
			return err
		}
	}
	return nil
}

// notifyReaction notifies the author of the note id, when a local person,
// that by liked or boosted it.
func (s *Service) notifyReaction(ctx context.Context, tx store.Tx, id, authorID uuid.UUID, by store.Actor, r Reaction) error {
	author, err := tx.Actors().ByID(ctx, authorID)
	if err != nil {
		return err
	}
	kind := notify.Favourite
	if r == Boost {
		kind = notify.Reblog
	}
	return notify.Record(ctx, tx, s.now(), kind, author, by, &id)
}

// maxUpdateNotices bounds the boosters told of one edit.
const maxUpdateNotices = 1000

// notifyUpdate notifies the local persons who boosted the note id that
// its author edited it, as Mastodon does.
func (s *Service) notifyUpdate(ctx context.Context, tx store.Tx, id uuid.UUID, author store.Actor) error {
	boosters, err := Boost.repo(tx).LocalPeople(ctx, id, maxUpdateNotices)
	if err != nil {
		return err
	}
	for _, b := range boosters {
		if err := notify.Record(ctx, tx, s.now(), notify.Update, b, author, &id); err != nil {
			return err
		}
	}
	return nil
}
