package agenda

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Refusals of taking part in an event elsewhere.
var (
	ErrRemoteEventCancelled = core.New(core.KindConflict, "event-cancelled",
		"this event is cancelled: one can no longer take part in it")
	ErrRemoteEventOver = core.New(core.KindConflict, "event-over",
		"this event is over: one can no longer take part in it")
	ErrNoRemoteParticipation = core.New(core.KindNotFound, "participation-not-found",
		"you do not take part in this event")
	ErrAnswerNotFromOrganiser = core.New(core.KindForbidden, "not-organiser",
		"only the event's association or organiser, on the event's host, answers a participation in it")
)

// ErrNotOurJoin says that an Accept or a Reject answers no Join sent from
// here for an event elsewhere: it is someone else's business (a follow, a
// reservation…).
var ErrNotOurJoin = errors.New("not a join of an event elsewhere sent from here")

// MaxReason bounds the reason of a refusal kept from the organiser.
const MaxReason = 500

// RemoteParticipation is a local person's participation in an event
// elsewhere: pending until the organiser answers the Join sent for them,
// then participant or rejected (with the organiser's reason). Waitlisted
// means the copy showed the event full when they asked: the organiser
// accepts them when a place frees up.
type RemoteParticipation struct {
	ID      uuid.UUID
	EventID uuid.UUID // the copy's local id
	Event   string    // the event's id on the wire
	Actor   string
	State   string
	Reason  string
	// JoinActivity is the id of the Join sent for them.
	JoinActivity string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func remoteParticipationFrom(p store.RemoteEventParticipation, event, actor string) RemoteParticipation {
	return RemoteParticipation{ID: p.ID, EventID: p.EventID, Event: event, Actor: actor, State: p.State, Reason: p.Reason,
		JoinActivity: p.JoinActivity, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// JoinRemote asks, for by, to take part in the event elsewhere whose copy
// is id: the participation is recorded pending (waitlisted when the copy
// shows the event full), and its Join sent to the organiser in the same
// transaction. Asking again answers the participation as it is, without a
// second Join. A cancelled event, or one that is over, is refused.
func (s *Service) JoinRemote(ctx context.Context, by membership.Account, id uuid.UUID) (RemoteParticipation, error) {
	var out RemoteParticipation
	join := func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		kept, owner, err := lockCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		switch old, err := tx.RemoteEvents().Participation(ctx, kept.ID, actor.ID); {
		case err == nil:
			out = remoteParticipationFrom(old, kept.URI, actor.URI)
			return nil
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		e := remoteEventFrom(kept, owner, nil)
		if err := e.Open(s.now()); err != nil {
			return err
		}
		state := StatePending
		if left, limited := e.Remaining(); limited && left == 0 && e.JoinMode == JoinFree {
			state = StateWaitlisted
		}
		now := s.now()
		p := store.RemoteEventParticipation{ID: newID(), EventID: kept.ID, ActorID: actor.ID, State: state,
			JoinActivity: s.policy.BaseURL + "/activities/" + newID().String(), CreatedAt: now, UpdatedAt: now}
		if err := tx.RemoteEvents().CreateParticipation(ctx, &p); err != nil {
			return err
		}
		out = remoteParticipationFrom(p, kept.URI, actor.URI)
		return s.tell(ctx, tx, "Join", e, actor.URI, p.JoinActivity)
	}
	err := s.db.InTx(ctx, join)
	if errors.Is(err, store.ErrDuplicate) {
		err = s.db.InTx(ctx, join) // asked twice at once: the second answers the first
	}
	if err != nil {
		return RemoteParticipation{}, fmt.Errorf("join event %s: %w", id, err)
	}
	return out, nil
}

// LeaveRemote ends by's participation in the event elsewhere whose copy is
// id, whatever its state: its Leave goes to the organiser, and the
// participation is forgotten.
func (s *Service) LeaveRemote(ctx context.Context, by membership.Account, id uuid.UUID) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		kept, owner, err := lockCopy(ctx, tx, id)
		if err != nil {
			return err
		}
		p, err := tx.RemoteEvents().Participation(ctx, kept.ID, actor.ID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoRemoteParticipation
		}
		if err != nil {
			return err
		}
		if err := tx.RemoteEvents().DeleteParticipation(ctx, p.ID); err != nil {
			return err
		}
		if p.State == StateParticipant && kept.ParticipantCount > 0 {
			kept.ParticipantCount--
			if err := tx.RemoteEvents().Update(ctx, &kept); err != nil {
				return err
			}
		}
		return s.tell(ctx, tx, "Leave", remoteEventFrom(kept, owner, nil), actor.URI, p.JoinActivity)
	})
	if err != nil {
		return fmt.Errorf("leave event %s: %w", id, err)
	}
	return nil
}

// RemoteParticipation returns by's participation in the event elsewhere
// whose copy is id.
func (s *Service) RemoteParticipation(ctx context.Context, by membership.Account, id uuid.UUID) (RemoteParticipation, error) {
	actor, err := actorOf(ctx, s.db.Tx, by)
	if err != nil {
		return RemoteParticipation{}, err
	}
	kept, err := s.db.RemoteEvents().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return RemoteParticipation{}, ErrNoSuchRemoteEvent
	}
	if err != nil {
		return RemoteParticipation{}, err
	}
	p, err := s.db.RemoteEvents().Participation(ctx, kept.ID, actor.ID)
	if errors.Is(err, store.ErrNotFound) {
		return RemoteParticipation{}, ErrNoRemoteParticipation
	}
	if err != nil {
		return RemoteParticipation{}, err
	}
	return remoteParticipationFrom(p, kept.URI, actor.URI), nil
}

// ReceiveJoinAnswer records the organiser's answer to the Join join sent
// from here: an Accept makes the person a participant, a Reject refuses
// them with its reason. signer, who signed the answer, must be the event's
// association or organiser, on the event's host (ErrAnswerNotFromOrganiser
// otherwise). An answer to no Join of ours is ErrNotOurJoin.
func (s *Service) ReceiveJoinAnswer(ctx context.Context, signer, join string, accepted bool, reason string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, err := tx.RemoteEvents().ParticipationByJoin(ctx, join)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotOurJoin
		}
		if err != nil {
			return err
		}
		kept, owner, err := lockCopy(ctx, tx, p.EventID)
		if err != nil {
			return err
		}
		if !core.SameHost(signer, kept.URI) || (signer != owner.URI && signer != kept.Organiser) {
			return ErrAnswerNotFromOrganiser
		}
		state, why := StateRejected, cut(strings.TrimSpace(reason), MaxReason)
		if accepted {
			state, why = StateParticipant, ""
		}
		if p.State == state && p.Reason == why {
			return nil // the same answer again
		}
		// The copy counts what its origin said, and this person since.
		switch {
		case state == StateParticipant:
			kept.ParticipantCount++
		case p.State == StateParticipant && kept.ParticipantCount > 0:
			kept.ParticipantCount--
		}
		if err := tx.RemoteEvents().Update(ctx, &kept); err != nil {
			return err
		}
		p.State, p.Reason, p.UpdatedAt = state, why, s.now()
		return tx.RemoteEvents().UpdateParticipation(ctx, &p)
	})
	if err != nil {
		return fmt.Errorf("answer to join %s from %s: %w", join, signer, err)
	}
	return nil
}

// lockCopy reads the copy id, locked until the transaction ends, and its
// association's actor.
func lockCopy(ctx context.Context, tx store.Tx, id uuid.UUID) (store.RemoteEvent, store.Actor, error) {
	found, err := tx.RemoteEvents().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.RemoteEvent{}, store.Actor{}, ErrNoSuchRemoteEvent
	}
	if err != nil {
		return store.RemoteEvent{}, store.Actor{}, err
	}
	kept, err := tx.RemoteEvents().ByURIForUpdate(ctx, found.URI)
	if err != nil {
		return store.RemoteEvent{}, store.Actor{}, err
	}
	owner, err := tx.Actors().ByID(ctx, kept.AssociationActorID)
	if err != nil {
		return store.RemoteEvent{}, store.Actor{}, err
	}
	return kept, owner, nil
}

// tell hands the Join or Leave of the event elsewhere e by actor to the
// publisher, in the caller's transaction.
func (s *Service) tell(ctx context.Context, tx store.Tx, kind string, e RemoteEvent, actor, join string) error {
	if s.publisher == nil {
		return nil
	}
	p := Publication{Type: kind, Remote: &e, Participation: &Participation{EventID: e.ID, Actor: actor, JoinActivity: join}}
	if err := s.publisher.Publish(ctx, tx, p); err != nil {
		return fmt.Errorf("publish %s of event %s: %w", kind, e.URI, err)
	}
	return nil
}
