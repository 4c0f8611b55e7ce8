package federation

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// objectPublisher turns the publications of core/projects and core/ledger
// into Create and Update activities of the association, to everyone and
// to its followers, and queues their delivery in the same transaction
// (projects.Publisher, ledger.Publisher). Mastodon shows the Create as a
// post (name, summary line, link); Holon peers keep the structured object.
// A members-only association publishes nothing.
type objectPublisher struct {
	docs  objectDocs
	clock core.Clock
	// queued tells the delivery worker there is work, once the
	// transaction has committed.
	queued func()
}

// projectPublisher and ledgerPublisher are objectPublisher seen by each
// core package.
type (
	projectPublisher struct{ *objectPublisher }
	ledgerPublisher  struct{ *objectPublisher }
)

// Publish implements projects.Publisher.
func (pb projectPublisher) Publish(ctx context.Context, tx store.Tx, p projects.Publication) error {
	var (
		doc objectDoc
		err error
	)
	switch {
	case p.Project != nil:
		doc, err = pb.docs.project(ctx, tx, *p.Project)
	case p.Task != nil:
		doc, err = pb.docs.task(ctx, tx, *p.Task)
	case p.Submission != nil:
		doc, err = pb.docs.submission(ctx, tx, *p.Submission, p.Review)
	default:
		return fmt.Errorf("publish %s: nothing to publish", p.Type)
	}
	if err != nil {
		return err
	}
	return pb.send(ctx, tx, p.Type, doc, nil)
}

// Publish implements ledger.Publisher.
func (pb ledgerPublisher) Publish(ctx context.Context, tx store.Tx, p ledger.Publication) error {
	doc, err := pb.docs.transaction(ctx, tx, p.Transaction, p.Payee)
	if err != nil {
		return err
	}
	var also []string
	if p.Payee != "" {
		also = append(also, p.Payee)
	}
	return pb.send(ctx, tx, "Create", doc, also)
}

// send wraps doc in an activity of kind by its association, addressed as
// the object is, and queues it for the followers' inboxes and those of
// also (actors the activity concerns: a payout's payee).
func (pb *objectPublisher) send(ctx context.Context, tx store.Tx, kind string, doc objectDoc, also []string) error {
	o := doc.owner
	if !o.public() {
		return nil
	}
	now := pb.clock.Now().UTC()
	id := pb.docs.baseURL + "/activities/" + uuid.Must(uuid.NewV7()).String()
	to, cc := addressed(o)
	activity, err := vocab.NewActivity(kind, vocab.ActivityFields{ID: id, Actor: o.actor.URI, Object: doc.obj,
		Published: now, To: to, Cc: append(cc, also...)})
	if err != nil {
		return fmt.Errorf("publish %s: %w", kind, err)
	}
	m, err := vocab.Serialize(activity)
	if err != nil {
		return fmt.Errorf("publish %s: %w", kind, err)
	}
	if obj, ok := m["object"].(map[string]any); ok {
		doc.precise(obj)
	}
	body, err := marshal(m)
	if err != nil {
		return fmt.Errorf("publish %s: %w", kind, err)
	}
	inboxes, err := tx.Follows().FollowerInboxes(ctx, o.actor.ID)
	if err != nil {
		return err
	}
	for _, a := range also {
		if inbox, ok := remoteInbox(ctx, tx, a); ok {
			inboxes = append(inboxes, inbox)
		}
	}
	if err := delivery.Enqueue(ctx, tx, id, o.actor.Username, body, inboxes, now); err != nil {
		return err
	}
	tx.AfterCommit(pb.queued)
	return nil
}

// remoteInbox returns where to deliver to the remote actor uri, when it is
// known here.
func remoteInbox(ctx context.Context, tx store.Tx, uri string) (string, bool) {
	a, err := tx.Actors().ByURI(ctx, uri)
	if err != nil || a.Local || a.DeletedAt != nil {
		return "", false
	}
	if a.SharedInbox != "" {
		return a.SharedInbox, true
	}
	return a.Inbox, a.Inbox != ""
}
