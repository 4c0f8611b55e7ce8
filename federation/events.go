package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// UseAgenda wires the associations' events into the federation
// (docs/vocabulary.md §4.5, §5.11): each is published to the association's
// followers as an Event (Create when made, Update on every change and on
// its cancellation, also to its participants elsewhere), its id answers
// with that Event, and people elsewhere (Mobilizon, Holon) take part with
// Join and Leave (or Undo of their Join), answered with Accept or Reject.
// Call it once, after UseProjects (whose Objects serve the events too),
// before the Processor runs and before the service is used by several
// goroutines.
func (f *Federation) UseAgenda(events *agenda.Service) {
	docs := objectDocs{baseURL: f.cfg.BaseURL(), locale: f.cfg.Instance.DefaultLocale}
	pub := &objectPublisher{docs: docs, clock: f.clock, queued: f.Delivery.Wake}
	events.UsePublisher(eventPublisher{pub})
	if f.Objects != nil {
		f.Objects.useAgenda(events, docs)
	}
	eventHandlers{events: events}.register(f.Processor)
	// Partners' events are kept here, and local people join them.
	f.copies = &eventCopies{events: events, fetcher: f.Fetcher}
	f.copies.register(f.Processor)
}

// eventPublisher is objectPublisher seen by core/agenda.
type eventPublisher struct{ *objectPublisher }

// maxEventAudience bounds how many participants elsewhere an event's
// Update is sent to directly (its followers hear of it anyway).
const maxEventAudience = 5000

// Publish implements agenda.Publisher.
func (pb eventPublisher) Publish(ctx context.Context, tx store.Tx, p agenda.Publication) error {
	switch p.Type {
	case "Create", "Update":
		doc, err := pb.docs.event(ctx, tx, p.Event)
		if err != nil {
			return err
		}
		var also []string
		if p.Type == "Update" {
			if also, err = remoteParticipants(ctx, tx, p.Event.ID); err != nil {
				return fmt.Errorf("publish Update of event %s: %w", p.Event.ID, err)
			}
		}
		return pb.send(ctx, tx, p.Type, doc, also)
	case "Accept", "Reject":
		return pb.answer(ctx, tx, p)
	case "Join", "Leave":
		return pb.participation(ctx, tx, p)
	}
	return fmt.Errorf("publish %s of event %s: not an activity of events", p.Type, p.Event.ID)
}

// remoteParticipants are the actors elsewhere taking part in event, waiting
// or waiting for the board.
func remoteParticipants(ctx context.Context, tx store.Tx, event uuid.UUID) ([]string, error) {
	var out []string
	for _, state := range []string{agenda.StateParticipant, agenda.StatePending, agenda.StateWaitlisted} {
		after := uuid.Nil
		for len(out) < maxEventAudience {
			rows, err := tx.EventParticipants().List(ctx, store.ParticipantQuery{Event: event, State: state, After: after, Limit: 500})
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			for _, r := range rows {
				if !r.Local {
					out = append(out, r.Actor)
				}
			}
			if len(rows) < 500 {
				break
			}
			after = rows[len(rows)-1].ID
		}
	}
	return out, nil
}

// answer sends the participant elsewhere the event's Accept or Reject of
// its Join, naming the Join by its id (§5.11); a Reject says why in its
// summary and content.
func (pb eventPublisher) answer(ctx context.Context, tx store.Tx, p agenda.Publication) error {
	part := p.Participation
	if part == nil || part.Actor == "" || part.JoinActivity == "" {
		return fmt.Errorf("publish %s of event %s: no Join to answer", p.Type, p.Event.ID)
	}
	o, err := pb.docs.owner(ctx, tx, p.Event.AssociationID)
	if err != nil {
		return err
	}
	inbox, ok := remoteInbox(ctx, tx, part.Actor)
	if !ok {
		return nil // nobody to tell
	}
	now := pb.clock.Now().UTC()
	id := pb.docs.baseURL + "/activities/" + uuid.Must(uuid.NewV7()).String()
	doc := map[string]any{"@context": vocab.Context(), "id": id, "type": p.Type, "actor": o.actor.URI,
		"object": part.JoinActivity, "to": []string{part.Actor}, "published": now.Format(time.RFC3339)}
	if p.Type == "Reject" && p.Reason != "" {
		reason := line(p.Reason, vocab.MaxSummaryLength)
		doc["summary"], doc["content"] = reason, paragraphsOf(reason)
	}
	body, err := marshal(doc)
	if err != nil {
		return fmt.Errorf("publish %s of event %s: %w", p.Type, p.Event.ID, err)
	}
	if err := delivery.Enqueue(ctx, tx, id, o.actor.Username, body, []string{inbox}, now); err != nil {
		return err
	}
	tx.AfterCommit(pb.queued)
	return nil
}

// useAgenda makes o serve /events/{id}.
func (o *Objects) useAgenda(events *agenda.Service, docs objectDocs) {
	o.events, o.eventDocs = events, docs
	o.router.Get("/events/{id}", o.serve(func(ctx context.Context, id uuid.UUID) (objectDoc, error) {
		e, err := events.Event(ctx, nil, id) // as anyone reads it: a members-only association publishes nothing
		if err != nil {
			return objectDoc{}, err
		}
		return docs.event(ctx, o.db.Tx, e)
	}))
}

// eventHandlers process the activities of taking part in a local event
// (§5.11) by calling agenda: a Join, a Leave and an Undo of a Join. The
// inbox has checked that the actor signed the activity, so the actor is
// the signer; agenda refuses an actor acting for another. Activities of
// anything but a local event go on to the handler registered before.
type eventHandlers struct {
	events *agenda.Service
}

func (h eventHandlers) register(p *inbox.Processor) {
	p.Handle("Join", h.join(p.Handler("Join")))
	p.Handle("Leave", h.leave(p.Handler("Leave")))
	p.Handle("Undo", h.undo(p.Handler("Undo")))
}

func (h eventHandlers) join(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		_, err := h.events.ReceiveJoin(ctx, a.Actor, vocab.IDOf(doc["object"]), a.ActivityID, a.Actor)
		if errors.Is(err, agenda.ErrNoSuchEvent) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

func (h eventHandlers) leave(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		err := h.events.ReceiveLeave(ctx, a.Actor, vocab.IDOf(doc["object"]), a.Actor)
		if errors.Is(err, agenda.ErrNoSuchEvent) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

// undo takes Mobilizon's Undo of a Join, embedded, as a Leave.
func (h eventHandlers) undo(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		inner, ok := doc["object"].(map[string]any)
		if !ok || !hasType(inner["type"], "Join") {
			return orNothing(ctx, next, a, doc)
		}
		// The Join undone is the signer's own, or it is refused.
		joiner := vocab.IDOf(inner["actor"])
		if joiner == "" {
			joiner = a.Actor
		}
		err := h.events.ReceiveLeave(ctx, joiner, vocab.IDOf(inner["object"]), a.Actor)
		if errors.Is(err, agenda.ErrNoSuchEvent) {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}
