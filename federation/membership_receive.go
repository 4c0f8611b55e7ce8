package federation

import (
	"context"
	"errors"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// memberHandlers process the activities of joining an association
// (docs/vocabulary.md §5.10) by calling membership: on the association's
// instance a remote person's Join and Leave; on the person's instance the
// association's Accept or Reject of the Join. The inbox has checked that
// the actor signed the activity. A Join or Leave of anything but a local
// association, and the answers to anything but a Join sent from here, go
// on to the handler registered before (follows).
type memberHandlers struct {
	members *membership.Service
}

func (h memberHandlers) register(p *inbox.Processor) {
	p.Handle("Join", h.join(p.Handler("Join")))
	p.Handle("Leave", h.leave(p.Handler("Leave")))
	p.Handle("Accept", h.answer(true, p.Handler("Accept")))
	p.Handle("Reject", h.answer(false, p.Handler("Reject")))
}

// join records the actor's Join of an association here: the association
// answers it (Accept or Reject) in core.
func (h memberHandlers) join(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		_, err := h.members.ReceiveJoin(ctx, a.Actor, vocab.IDOf(doc["object"]), a.ActivityID)
		if errors.Is(err, membership.ErrNotAnAssociation) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

// leave ends the actor's membership of an association here.
func (h memberHandlers) leave(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		err := h.members.ReceiveLeave(ctx, a.Actor, vocab.IDOf(doc["object"]))
		if errors.Is(err, membership.ErrNotAnAssociation) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

// answer handles an association's Accept or Reject of a Join sent from
// here, named by its id or embedded.
func (h memberHandlers) answer(accepted bool, next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		inner, embedded := doc["object"].(map[string]any)
		if embedded && !hasType(inner["type"], "Join") {
			return orNothing(ctx, next, a, doc)
		}
		ref := membership.JoinRef{ActivityID: vocab.IDOf(doc["object"])}
		if embedded {
			ref.Member, ref.Association = vocab.IDOf(inner["actor"]), vocab.IDOf(inner["object"])
		}
		reason := vocab.TextOf(doc["summary"])
		if reason == "" {
			reason = news.PlainText(vocab.TextOf(doc["content"]))
		}
		err := h.members.ReceiveJoinAnswer(ctx, a.Actor, ref, accepted, reason)
		if errors.Is(err, membership.ErrNoSuchMembershipElsewhere) && !embedded {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}
