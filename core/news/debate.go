package news

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// A proposal's debate is the notes that reply to it (DESIGN §4). A
// proposal is no note: a reply keeps the proposal's id as its inReplyTo,
// without a parent note, and mentions the association, which passes it on
// to its followers when the author is one of its members (relay.go).

// topicOwner returns the actor of the association whose proposal ref is
// (the proposal's id on the wire here); store.ErrNotFound when ref names
// no proposal here.
func (s *Service) topicOwner(ctx context.Context, tx store.Tx, ref string) (store.Actor, error) {
	rest, ok := strings.CutPrefix(ref, s.policy.BaseURL+"/proposals/")
	if !ok {
		return store.Actor{}, store.ErrNotFound
	}
	id, err := uuid.Parse(rest)
	if err != nil {
		return store.Actor{}, store.ErrNotFound
	}
	p, err := tx.Proposals().ByID(ctx, id)
	if err != nil {
		return store.Actor{}, err
	}
	return tx.Actors().OfAssociation(ctx, p.AssociationID)
}

// Debate returns a page of at most MaxReplies of the notes replying to
// the object uri (a proposal) that viewer may read, oldest first, after
// cursor: the debate of the proposal.
func (s *Service) Debate(ctx context.Context, viewer *membership.Account, uri, cursor string) (Page, error) {
	after, err := ParseCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.db.Notes().RepliesToURI(ctx, v, uri, store.TimelinePage{Cursor: after, Limit: MaxReplies + 1})
	if err != nil {
		return Page{}, fmt.Errorf("debate of %s: %w", uri, err)
	}
	return s.page(ctx, rows, MaxReplies)
}
