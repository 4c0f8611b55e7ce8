package federation

import (
	"context"
	"errors"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
)

// handlers process received activities by calling core. The inbox has
// already checked that the activity's actor signed it.
type handlers struct {
	members *membership.Service
}

func (h handlers) register(p *inbox.Processor) {
	p.Handle("Follow", h.follow)
	p.Handle("Undo", h.undo)
}

// follow records a follow of a local actor, answered (Accept) by core.
// A Follow of someone who is not here is done with: there is nothing to do.
func (h handlers) follow(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	_, err := h.members.ReceiveFollow(ctx, a.Actor, idOf(doc["object"]), a.ActivityID)
	if errors.Is(err, membership.ErrNoSuchActor) {
		return nil
	}
	return err
}

// undo handles the Undo of a Follow, embedded as Mastodon sends it; the
// embedded Follow must be the same actor's.
func (h handlers) undo(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	inner, ok := doc["object"].(map[string]any)
	if !ok || firstType(inner["type"]) != "Follow" || idOf(inner["actor"]) != a.Actor {
		return nil
	}
	return h.members.ReceiveUnfollow(ctx, a.Actor, idOf(inner["object"]))
}

func idOf(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		id, _ := t["id"].(string)
		return id
	}
	return ""
}

func firstType(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			s, _ := t[0].(string)
			return s
		}
	}
	return ""
}
