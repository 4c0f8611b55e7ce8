package federation

import (
	"context"
	"errors"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// actorLifecycle handles the Updates and Deletes whose object is an actor
// itself rather than one of its notes (notes.go dispatches here). The inbox
// has checked that the activity's actor signed it.
type actorLifecycle struct {
	members  *membership.Service
	resolver *actors.Resolver
}

// isActor reports whether an object's type is an actor type.
func isActor(v any) bool {
	for _, t := range list(v) {
		switch t {
		case "Person", "Group", "Service", "Application", "Organization":
			return true
		}
	}
	return false
}

// update refreshes the stored remote actor from the document its Update
// embeds: its profile (name, summary, icon, fields, inboxes). An actor
// updates only itself. A key change is never taken from the activity: the
// actor is fetched again from its origin, and the key comes from there.
func (h actorLifecycle) update(ctx context.Context, a store.InboxActivity, obj map[string]any) error {
	if vocab.IDOf(obj["id"]) != a.Actor {
		return nil // someone else's profile: not this actor's to change
	}
	stored, err := h.members.ActorByURI(ctx, a.Actor)
	if err != nil {
		return settled(err)
	}
	raw, err := marshal(obj)
	if err != nil {
		return nil
	}
	parsed, err := actors.ParseActor(raw)
	if err != nil || parsed.URI != a.Actor || !sameKey(parsed, stored) {
		// A new key, or a document that does not read: ask the origin.
		_, err := h.resolver.Refresh(ctx, a.Actor)
		if errors.Is(err, actors.ErrRefetchTooSoon) {
			return nil // just fetched (the signature check did): up to date
		}
		return settled(err)
	}
	_, err = h.members.SaveRemoteActor(ctx, parsed)
	return settled(err)
}

// sameKey reports whether a document names the key stored for the actor.
func sameKey(parsed membership.RemoteActor, stored membership.Actor) bool {
	if parsed.KeyID != stored.KeyID {
		return false
	}
	k1, err1 := membership.ParsePublicKey(parsed.PublicKeyPEM)
	k2, err2 := membership.ParsePublicKey(stored.PublicKeyPEM)
	return err1 == nil && err2 == nil && k1.Equal(k2)
}

// delete handles an actor deleting itself (Mastodon, Lemmy: the object is
// the actor's id). Deletions of others by their admins are not taken.
func (h actorLifecycle) delete(ctx context.Context, a store.InboxActivity) error {
	stored, err := h.members.ActorByURI(ctx, a.Actor)
	if err := h.members.ReceiveActorDelete(ctx, a.Actor); err != nil {
		return settled(err)
	}
	if err == nil {
		// The resolver remembers verified keys for a while; this process
		// refuses the deleted actor's signatures from now on (others
		// within actors.KeyCacheTTL).
		h.resolver.Forget(stored.KeyID)
	}
	return nil
}
