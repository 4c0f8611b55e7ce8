package agenda

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Outcomes of a Join received from another instance.
const (
	Accepted   = "accepted"   // a participant: answered with an Accept
	Pending    = "pending"    // the board decides; answered when it does
	Waitlisted = "waitlisted" // the event is full; answered with an Accept when a place frees up
	Refused    = "refused"    // answered with a Reject saying why
)

// Answer is what the event says to a Join.
type Answer struct {
	Outcome string
	// Code and Reason say why a Join is refused (a core error code and
	// its sentence).
	Code          string
	Reason        string
	Participation Participation
}

// ReceiveJoin records the Join activityID by which the actor actorURI,
// on another instance, asks to take part in the local event eventURI.
// signer is the actor whose key signed the activity: an actor joins only
// for itself, with an activity from its own server (ErrActsForAnother
// otherwise). The actor must be known here (federation fetched it to check
// the signature). A Join of anything but a local event is ErrNoSuchEvent,
// for federation to pass on.
//
// The answer is decided as Participate decides, and handed to the
// Publisher (Accept or Reject) in the same transaction. A cancelled event,
// one that is over, a declined actor or a block are Refused, with the
// reason. A Join from an actor that already takes part is not a second
// participation: it is answered again with the current state.
func (s *Service) ReceiveJoin(ctx context.Context, actorURI, eventURI, activityID, signer string) (Answer, error) {
	if signer != actorURI || !core.IsHTTPURL(activityID) || !core.SameHost(activityID, actorURI) {
		return Answer{}, fmt.Errorf("receive join of %s by %s: %w", eventURI, actorURI, ErrActsForAnother)
	}
	var out Answer
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, actor, err := s.remoteParty(ctx, tx, actorURI, eventURI)
		if err != nil {
			return err
		}
		refusal := s.refuseBlocked(ctx, tx, row, actor.URI)
		var p store.EventParticipant
		if refusal == nil {
			// A Join says nothing of being shown: a participant from
			// elsewhere is counted, not named.
			p, refusal = s.admit(ctx, tx, &row, actor, false, activityID)
		}
		if errors.Is(refusal, ErrAlreadyJoined) {
			// The same Join again, or a new one: answer it with the
			// state as it is, naming the latest Join.
			p.JoinActivity, p.UpdatedAt = activityID, s.now()
			if err := tx.EventParticipants().Update(ctx, &p); err != nil {
				return err
			}
			refusal = nil
		}
		if refusal != nil {
			e, ok := core.As(refusal)
			if !ok {
				return refusal
			}
			out = Answer{Outcome: Refused, Code: e.Code, Reason: e.Detail}
			if p.ID != [16]byte{} {
				out.Participation = withActor(p, actor)
			}
			ev, err := load(ctx, tx, row)
			if err != nil {
				return err
			}
			part := withActor(store.EventParticipant{EventID: row.ID, Actor: actor.URI, State: StateRejected, JoinActivity: activityID}, actor)
			return s.publish(ctx, tx, Publication{Type: "Reject", Event: ev, Participation: &part, Reason: e.Detail})
		}
		out = Answer{Outcome: outcomeOf(p.State), Participation: withActor(p, actor)}
		if p.State == StateParticipant {
			return s.answer(ctx, tx, row, p, "Accept", "")
		}
		return nil
	})
	if err != nil {
		return Answer{}, fmt.Errorf("receive join of %s by %s: %w", eventURI, actorURI, err)
	}
	return out, nil
}

// ReceiveLeave ends the participation of the actor actorURI, on another
// instance, in the local event eventURI: its Leave, signed by signer. A
// place it frees goes to the first waiting.
func (s *Service) ReceiveLeave(ctx context.Context, actorURI, eventURI, signer string) error {
	if signer != actorURI {
		return fmt.Errorf("receive leave of %s by %s: %w", eventURI, actorURI, ErrActsForAnother)
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, actor, err := s.remoteParty(ctx, tx, actorURI, eventURI)
		if err != nil {
			return err
		}
		p, err := participationOf(ctx, tx, row.ID, actor.URI)
		if err != nil {
			return err
		}
		return s.withdraw(ctx, tx, &row, p)
	})
	if err != nil {
		return fmt.Errorf("receive leave of %s by %s: %w", eventURI, actorURI, err)
	}
	return nil
}

// remoteParty locks the local event eventURI and finds the actor elsewhere
// actorURI.
func (s *Service) remoteParty(ctx context.Context, tx store.Tx, actorURI, eventURI string) (store.Event, store.Actor, error) {
	found, err := tx.Events().ByURI(ctx, eventURI)
	if errors.Is(err, store.ErrNotFound) {
		return store.Event{}, store.Actor{}, ErrNoSuchEvent
	}
	if err != nil {
		return store.Event{}, store.Actor{}, err
	}
	row, err := lockEvent(ctx, tx, found.ID)
	if err != nil {
		return store.Event{}, store.Actor{}, err
	}
	actor, err := tx.Actors().ByURI(ctx, actorURI)
	if errors.Is(err, store.ErrNotFound) || (err == nil && actor.DeletedAt != nil) {
		return store.Event{}, store.Actor{}, ErrUnknownActor
	}
	if err != nil {
		return store.Event{}, store.Actor{}, err
	}
	if actor.Local {
		// Local actors take part through Participate, never an inbox.
		return store.Event{}, store.Actor{}, ErrActsForAnother
	}
	return row, actor, nil
}

func outcomeOf(state string) string {
	switch state {
	case StateParticipant:
		return Accepted
	case StatePending:
		return Pending
	case StateWaitlisted:
		return Waitlisted
	}
	return Refused
}
