package federation

import (
	"context"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// announces handles received Announces: an actor's boost of a note
// (named by its id, or embedded as groups and Mastodon send it), or a
// group passing on an activity of one of its members (Announce{Create},
// Announce{Update}, Announce{Delete}, as Lemmy and FEP-1b12 groups send).
// Nothing embedded is trusted: news fetches notes from their origin. An
// announced activity is unwrapped one level only, and only its object's id
// is read; what else it announces (Like, Undo, another Announce…) is done
// with.
type announces struct {
	notes *news.Service
}

func (h announces) register(p *inbox.Processor) {
	p.Handle("Announce", h.announce)
}

func (h announces) announce(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	inner, ok := doc["object"].(map[string]any)
	if _, isActivity := inner["actor"]; !ok || !isActivity {
		// A note (or something else, which news refuses once fetched).
		return settled(h.notes.ReceiveAnnounce(ctx, a.Actor, a.ActivityID, vocab.IDOf(doc["object"])))
	}
	object := vocab.IDOf(inner["object"])
	switch vocab.FirstType(inner["type"]) {
	case "Create":
		// The group passes a member's post on: it boosts it.
		return settled(h.notes.ReceiveAnnounce(ctx, a.Actor, a.ActivityID, object))
	case "Update":
		_, err := h.notes.ReceiveRelayedUpdate(ctx, object)
		return settled(err)
	case "Delete":
		return settled(h.notes.ReceiveRelayedDelete(ctx, object))
	}
	return nil
}
