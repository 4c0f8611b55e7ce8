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

// handlers process received activities by calling core. The inbox has
// already checked that the activity's actor signed it.
type handlers struct {
	members *membership.Service
	notes   *news.Service
}

func (h handlers) register(p *inbox.Processor) {
	p.Handle("Follow", h.follow)
	p.Handle("Undo", h.undo)
	p.Handle("Like", h.react(news.Like))
	p.Handle("Accept", h.answer(true))
	p.Handle("Reject", h.answer(false))
	p.Handle("Block", h.block)
	p.Handle("Flag", h.flag)
}

// answer handles the Accept or Reject of a local actor's Follow. The Follow
// may be embedded or only named by its id.
func (h handlers) answer(accepted bool) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		ref := membership.FollowRef{ActivityID: vocab.IDOf(doc["object"])}
		if inner, ok := doc["object"].(map[string]any); ok {
			if t := vocab.FirstType(inner["type"]); t != "" && t != "Follow" {
				return nil
			}
			ref.Follower, ref.Followed = vocab.IDOf(inner["actor"]), vocab.IDOf(inner["object"])
		}
		if ref.Follower == "" {
			// Only the Follow's id: it is ours, and names its follower.
			follower, err := h.members.FollowerOfActivity(ctx, ref.ActivityID)
			if err != nil || follower == "" {
				return err
			}
			ref.Follower = follower
		}
		return h.members.ReceiveFollowAnswer(ctx, a.Actor, accepted, ref)
	}
}

// follow records a follow of a local actor, answered (Accept) by core.
// A Follow of someone who is not here is done with: there is nothing to do.
func (h handlers) follow(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	_, err := h.members.ReceiveFollow(ctx, a.Actor, vocab.IDOf(doc["object"]), a.ActivityID)
	if errors.Is(err, membership.ErrNoSuchActor) {
		return nil
	}
	return err
}

// undo handles the Undo of a Follow, a Like, an Announce or a Block, embedded as Mastodon
// sends it; the embedded activity must be the same actor's.
func (h handlers) undo(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	inner, ok := doc["object"].(map[string]any)
	if !ok || vocab.IDOf(inner["actor"]) != a.Actor {
		return nil
	}
	switch vocab.FirstType(inner["type"]) {
	case "Follow":
		return h.members.ReceiveUnfollow(ctx, a.Actor, vocab.IDOf(inner["object"]))
	case "Like":
		return settled(h.notes.ReceiveUndoReaction(ctx, a.Actor, vocab.IDOf(inner["object"]), news.Like))
	case "Announce":
		return settled(h.notes.ReceiveUndoReaction(ctx, a.Actor, vocab.IDOf(inner["object"]), news.Boost))
	case "Block":
		return settled(h.members.ReceiveUnblock(ctx, a.Actor, vocab.IDOf(inner["object"])))
	}
	return nil
}

// react records a like of a note stored here; one of anything else is
// done with. (Announces, which may bring notes not stored here, are
// announce.go's.)
func (h handlers) react(r news.Reaction) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		return settled(h.notes.ReceiveReaction(ctx, a.Actor, vocab.IDOf(doc["object"]), a.ActivityID, r))
	}
}
