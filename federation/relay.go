package federation

import (
	"context"
	"fmt"
	"maps"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// relay queues the Announces by which associations pass a member's note
// on to their followers (FEP-1b12): of the Note itself when it is created,
// embedded whole as Mastodon and Lemmy expect, and of the Update or Delete
// activity (activity, as it was just written) afterwards, as Lemmy groups
// do. Each is addressed as the note is: public, or unlisted.
func (pb *notePublisher) relay(ctx context.Context, tx store.Tx, p news.Publication, activity map[string]any) error {
	if len(p.Relays) == 0 {
		return nil
	}
	var object any
	switch p.Type {
	case "Create":
		object = activity["object"]
	case "Update", "Delete":
		inner := maps.Clone(activity)
		delete(inner, "@context")
		object = inner
	default:
		return fmt.Errorf("relay %s of a note: only its Create, Update and Delete are relayed", p.Type)
	}
	for _, r := range p.Relays {
		to, cc := []string{vocab.PublicAudience}, []string{r.By.Followers}
		if p.Note.Visibility == news.Unlisted {
			to, cc = cc, to
		}
		doc := map[string]any{
			"@context":  vocab.Context(),
			"id":        r.ActivityID,
			"type":      "Announce",
			"actor":     r.By.URI,
			"to":        to,
			"cc":        cc,
			"object":    object,
			"published": timestamp(pb.clock.Now()),
		}
		body, err := marshal(doc)
		if err != nil {
			return fmt.Errorf("relay %s by %s: %w", p.Type, r.By.URI, err)
		}
		if err := delivery.Enqueue(ctx, tx, r.ActivityID, r.By.Username, body, r.Inboxes, pb.clock.Now()); err != nil {
			return err
		}
	}
	return nil
}
