package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// publisher turns core's publications into activities and queues their
// delivery in the same transaction (membership.Publisher).
type publisher struct {
	baseURL string
	clock   core.Clock
	// queued tells the delivery worker there is work, once the
	// transaction has committed.
	queued func()
}

// Publish writes the activity p describes and queues it for its
// recipients' inboxes (shared inboxes where their servers have one).
func (pb *publisher) Publish(ctx context.Context, tx store.Tx, p membership.Publication) error {
	id := pb.baseURL + "/activities/" + uuid.Must(uuid.NewV7()).String()
	doc := map[string]any{
		"@context": vocab.Context(),
		"id":       id,
		"type":     p.Type,
		"actor":    p.Actor.URI,
	}
	var to, inboxes []string
	for _, a := range p.To {
		to = append(to, a.URI)
		switch {
		case a.Local:
		case a.SharedInbox != "":
			inboxes = append(inboxes, a.SharedInbox)
		default:
			inboxes = append(inboxes, a.Inbox)
		}
	}
	doc["to"] = to
	inboxes = append(inboxes, p.Inboxes...)
	switch {
	case p.Join != nil:
		return pb.publishJoin(ctx, tx, id, doc, p, inboxes)
	case p.Type == "Update" && p.Profile != nil:
		// The actor's whole new document, as Mastodon sends a profile
		// change; peers that doubt it fetch it from its id.
		obj := actors.LocalDocument(p.Actor, *p.Profile, pb.baseURL)
		delete(obj, "@context")
		doc["object"] = obj
		doc["to"] = []string{vocab.PublicAudience}
		doc["published"] = pb.clock.Now().UTC().Format(time.RFC3339)
	case p.Type == "Delete" && p.Follow == nil:
		// The actor deletes itself; it is signed with its key, which stays
		// until these deliveries are done.
		doc["object"] = p.Actor.URI
		doc["to"] = []string{vocab.PublicAudience}
	default:
		return pb.publishFollow(ctx, tx, id, doc, p, inboxes)
	}
	return pb.enqueue(ctx, tx, id, doc, p, inboxes)
}

// publishFollow writes the activities about a follow: the Follow, its
// Accept or Reject, its Undo.
func (pb *publisher) publishFollow(ctx context.Context, tx store.Tx, id string, doc map[string]any, p membership.Publication, inboxes []string) error {
	switch p.Type {
	case "Block":
		if p.Block == nil {
			return errors.New("publish Block: no block")
		}
		// Its id is the one core stored, so that its Undo names it.
		id = p.Block.ActivityID
		doc["id"], doc["object"] = id, p.Block.Blocked
	case "Undo":
		if p.Block != nil {
			doc["object"] = map[string]any{"id": p.Block.ActivityID, "type": "Block", "actor": p.Block.Blocker, "object": p.Block.Blocked}
			break
		}
		fallthrough
	case "Accept", "Reject":
		if p.Follow == nil {
			return fmt.Errorf("publish %s: no Follow to answer or undo", p.Type)
		}
		// The Follow is embedded, not only named: not every server keeps
		// the ids of the Follows it sent or received.
		doc["object"] = map[string]any{"id": p.Follow.ActivityID, "type": "Follow", "actor": p.Follow.Follower, "object": p.Follow.Followed}
	case "Follow":
		if p.Follow == nil {
			return fmt.Errorf("publish Follow: no follow")
		}
		// Its id is the one core stored, so that the answer can be matched.
		id = p.Follow.ActivityID
		doc["id"] = id
		doc["object"] = p.Follow.Followed
	case "Flag":
		if p.Report == nil {
			return errors.New("publish Flag: no report")
		}
		// As Mastodon sends it: from the instance actor, so that the
		// reporter stays anonymous, naming the actor and its notes.
		id = p.Report.ActivityID
		doc["id"], doc["object"], doc["content"] = id, p.Report.Objects, p.Report.Content
	default:
		return fmt.Errorf("publish %s: not a type Holon publishes yet", p.Type)
	}
	return pb.enqueue(ctx, tx, id, doc, p, inboxes)
}

func (pb *publisher) enqueue(ctx context.Context, tx store.Tx, id string, doc map[string]any, p membership.Publication, inboxes []string) error {
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("publish %s: %w", p.Type, err)
	}
	if err := delivery.Enqueue(ctx, tx, id, p.Actor.Username, body, inboxes, pb.clock.Now()); err != nil {
		return err
	}
	tx.AfterCommit(pb.queued)
	return nil
}
