package agenda

import (
	"context"
	"fmt"

	"github.com/holon-network/holon/store"
)

// Publication is a change others must hear of, handed over inside the
// transaction that makes it (DESIGN §1):
//   - Create or Update of Event, as it is once changed (a cancellation is an
//     Update whose status is cancelled);
//   - Accept or Reject of Participation's Join (its JoinActivity), sent to
//     a participant on another instance when the event or its board
//     decides, including when a place frees up for someone waiting.
type Publication struct {
	Type          string // Create, Update, Accept or Reject
	Event         Event
	Participation *Participation
	// Reason says why, in a Reject.
	Reason string
	// Remote is the event elsewhere a Join or a Leave is about.
	Remote *RemoteEvent
}

// Publisher queues publications inside the caller's transaction;
// federation provides it.
type Publisher interface {
	Publish(ctx context.Context, tx store.Tx, p Publication) error
}

// UsePublisher sets who turns publications into activities. It is set once,
// at wiring, before the service is used by several goroutines. Without one
// nothing is published (a service used without federation, in tests).
func (s *Service) UsePublisher(p Publisher) { s.publisher = p }

func (s *Service) publish(ctx context.Context, tx store.Tx, p Publication) error {
	if s.publisher == nil {
		return nil
	}
	if err := s.publisher.Publish(ctx, tx, p); err != nil {
		return fmt.Errorf("publish %s of event %s: %w", p.Type, p.Event.ID, err)
	}
	return nil
}

// answer tells a participant elsewhere the event's answer to their Join.
// Participants here see it on the page: nothing goes on the wire for them.
func (s *Service) answer(ctx context.Context, tx store.Tx, row store.Event, p store.EventParticipant, kind, reason string) error {
	if s.publisher == nil || p.Local {
		return nil
	}
	e, err := load(ctx, tx, row)
	if err != nil {
		return err
	}
	part := participationFrom(store.ParticipantRow{EventParticipant: p})
	return s.publish(ctx, tx, Publication{Type: kind, Event: e, Participation: &part, Reason: reason})
}
