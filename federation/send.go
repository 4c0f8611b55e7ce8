package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// message is one activity from a local actor to one stored actor, as the
// domain's messengers (projects, governance) send them.
type message struct {
	kind     string // for errors: Offer, Accept…
	from, to string // actor ids
	// id is the activity's; "" makes a new one.
	id string
	// build makes the activity, once its id and sender are known.
	build func(id string, from store.Actor) (vocab.Type, error)
}

// sendOne queues m's delivery in tx, to be sent once tx commits (queued
// wakes the delivery worker). A message to a local actor is not sent: it
// is seen here already.
func sendOne(ctx context.Context, tx store.Tx, baseURL string, now time.Time, queued func(), m message) error {
	from, err := tx.Actors().ByURI(ctx, m.from)
	if err != nil || !from.Local {
		return fmt.Errorf("send %s: sender %s is no local actor: %w", m.kind, m.from, errors.Join(err, store.ErrNotFound))
	}
	to, err := tx.Actors().ByURI(ctx, m.to)
	if err != nil {
		return fmt.Errorf("send %s: recipient %s: %w", m.kind, m.to, err)
	}
	if to.Local {
		return nil
	}
	id := m.id
	if id == "" {
		id = baseURL + "/activities/" + uuid.Must(uuid.NewV7()).String()
	}
	activity, err := m.build(id, from)
	if err != nil {
		return fmt.Errorf("send %s: %w", m.kind, err)
	}
	body, err := vocab.Marshal(activity)
	if err != nil {
		return fmt.Errorf("send %s: %w", m.kind, err)
	}
	inbox := to.SharedInbox
	if inbox == "" {
		inbox = to.Inbox
	}
	if inbox == "" {
		return fmt.Errorf("send %s: %s has no inbox", m.kind, m.to)
	}
	if err := delivery.Enqueue(ctx, tx, id, from.Username, body, []string{inbox}, now); err != nil {
		return err
	}
	tx.AfterCommit(queued)
	return nil
}
