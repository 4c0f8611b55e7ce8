package federation

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
)

// Fallback returns the plain-text name and summary line that the document
// of a local project, task, event or proposal (kind: "projects", "tasks",
// "events", "proposals") carries for Mastodon (docs/vocabulary.md §4): the
// Mastodon client API (web/mastodon) shows its apps the same words a
// Mastodon server following the association shows its users, written in
// one place. viewer reads the event (agenda's own read rule); for the
// others the caller has checked that viewer may read the association's
// records (membership.MayRead), as the documents here are the public's.
func (o *Objects) Fallback(ctx context.Context, viewer *membership.Account, kind string, id uuid.UUID) (name, summary string, err error) {
	var doc objectDoc
	switch kind {
	case "projects":
		doc, err = o.project(ctx, id)
	case "tasks":
		doc, err = o.task(ctx, id)
	case "events":
		if o.events == nil {
			return "", "", fmt.Errorf("fallback of event %s: the agenda is not wired", id)
		}
		e, err := o.events.Event(ctx, viewer, id)
		if err != nil {
			return "", "", fmt.Errorf("fallback of event %s: %w", id, err)
		}
		doc, err = o.eventDocs.event(ctx, o.db.Tx, e)
		if err != nil {
			return "", "", err
		}
	case "proposals":
		if o.governance == nil {
			return "", "", fmt.Errorf("fallback of proposal %s: governance is not wired", id)
		}
		doc, err = o.proposal(ctx, id)
	default:
		return "", "", fmt.Errorf("fallback of %s %s: no such kind of object", kind, id)
	}
	if err != nil {
		return "", "", fmt.Errorf("fallback of %s %s: %w", kind, id, err)
	}
	return doc.name, doc.summary, nil
}
