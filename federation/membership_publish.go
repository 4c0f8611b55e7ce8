package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// publishJoin writes the activities of joining an association
// (docs/vocabulary.md §5.10): a person's Join and Leave, and the
// association's Accept or Reject of the Join, which names it by its id as
// the example there does (embedded only when its id is not known).
func (pb *publisher) publishJoin(ctx context.Context, tx store.Tx, id string, doc map[string]any, p membership.Publication, inboxes []string) error {
	j := p.Join
	switch p.Type {
	case "Join":
		if j.ActivityID == "" {
			return errors.New("publish Join: no activity id")
		}
		// Its id is the one core stored, so that the answer can be matched.
		id = j.ActivityID
		doc["id"], doc["object"] = id, j.Association
	case "Leave":
		doc["object"] = j.Association
	case "Accept", "Reject":
		if j.ActivityID != "" {
			doc["object"] = j.ActivityID
		} else {
			doc["object"] = map[string]any{"type": "Join", "actor": j.Member, "object": j.Association}
		}
		if p.Summary != "" {
			doc["summary"] = p.Summary
		}
	default:
		return fmt.Errorf("publish %s of a Join: not an activity of joining", p.Type)
	}
	doc["published"] = pb.clock.Now().UTC().Format(time.RFC3339)
	return pb.enqueue(ctx, tx, id, doc, p, inboxes)
}
