package projects

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// A local person's work on tasks that associations on other instances own
// (docs/vocabulary.md §5.2–5.3, the professional's side): the reservation
// is asked for with an Offer and holds once the association accepts it;
// the work is hosted here and sent to the association, whose verdict and
// payout come back. The association decides; this instance keeps what it
// was told.

// States of a reservation of a task elsewhere, beyond the local ones.
const (
	ReservationPending  = store.RemotePending  // offered, not yet answered
	ReservationRejected = store.RemoteRejected // refused by the association
	ReservationLapsed   = store.ReservationLapsed
)

// Refusals of the professional's side.
var (
	ErrAlreadyOffered = core.New(core.KindConflict, "reservation-pending-or-active", "you already have a pending or active reservation of this task")
	ErrNoOpenOffer    = core.New(core.KindConflict, "no-reservation", "you have no pending or active reservation of this task")
	ErrNotAssociation = core.New(core.KindForbidden, "not-the-association", "only the association that owns the task may answer for it")
)

func deadlineOutOfRange() error {
	return core.Invalid(core.FieldError{Field: "until", Code: "deadline-out-of-range",
		Detail: "the deadline must lie after now and within the task's maximum reservation period"})
}

// RemoteReservation is a local person's reservation of a task elsewhere.
type RemoteReservation struct {
	ID          uuid.UUID
	Task        string // the task's id on the wire
	TaskName    string
	Association string
	Actor       string
	Offer       string // the Offer's id
	Until       time.Time
	// Status is pending, active, rejected, released, completed, or lapsed
	// (active past its deadline: the association lapses it by itself).
	Status    string
	Reason    string // why the association refused or ended it
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (s *Service) remoteReservationFrom(r store.RemoteReservation) RemoteReservation {
	out := RemoteReservation{ID: r.ID, Task: r.TaskURI, TaskName: r.TaskName, Association: r.Association, Actor: r.Actor,
		Offer: r.OfferActivity, Until: r.Deadline, Status: r.Status, Reason: r.Reason, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if out.Status == store.RemoteActive && s.now().After(out.Until) {
		out.Status = ReservationLapsed
	}
	return out
}

// OfferReservation asks the association that owns task (this instance's
// copy of it) for a reservation by by until the deadline, which must lie
// within the task's maximum when the copy says it: the Offer is sent, and the reservation is
// pending until the association answers. One pending or active
// reservation of a task per person.
func (s *Service) OfferReservation(ctx context.Context, by membership.Account, task RemoteTask, until time.Time) (RemoteReservation, error) {
	now := s.now()
	until = until.UTC().Truncate(time.Microsecond)
	if !until.After(now) || (task.MaxReservation > 0 && until.After(now.Add(task.MaxReservation))) {
		return RemoteReservation{}, deadlineOutOfRange()
	}
	if !core.IsHTTPURL(task.URI) || !core.IsHTTPURL(task.Association) {
		return RemoteReservation{}, ErrNoSuchTask
	}
	var out RemoteReservation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if _, err := tx.RemoteReservations().Open(ctx, task.URI, actor); err == nil {
			return ErrAlreadyOffered
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		row := store.RemoteReservation{ID: newID(), TaskURI: task.URI, TaskName: line(task.Name, MaxTaskName),
			Association: task.Association, Actor: actor, OfferActivity: s.policy.BaseURL + "/activities/" + newID().String(),
			Deadline: until, Status: ReservationPending, CreatedAt: now, UpdatedAt: now}
		if err := tx.RemoteReservations().Create(ctx, &row); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return ErrAlreadyOffered
			}
			return err
		}
		out = s.remoteReservationFrom(row)
		return s.send(ctx, tx, Message{Type: MessageOffer, ID: row.OfferActivity, From: actor, To: task.Association,
			Reservation: &OfferedReservation{Task: task.URI, Until: until}})
	})
	if err != nil {
		return RemoteReservation{}, fmt.Errorf("offer a reservation of %s: %w", task.URI, err)
	}
	return out, nil
}

// WithdrawReservation gives up by's pending or active reservation of the
// task elsewhere: the Offer is undone (§5.2), and the association releases
// the task.
func (s *Service) WithdrawReservation(ctx context.Context, by membership.Account, task string) (RemoteReservation, error) {
	var out RemoteReservation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		row, err := tx.RemoteReservations().Open(ctx, task, actor)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoOpenOffer
		}
		if err != nil {
			return err
		}
		now := s.now()
		if ok, err := tx.RemoteReservations().Move(ctx, row.ID, row.Status, store.RemoteReleased, "", now); err != nil {
			return err
		} else if !ok {
			return ErrNoOpenOffer
		}
		row.Status, row.UpdatedAt = store.RemoteReleased, now
		out = s.remoteReservationFrom(row)
		return s.send(ctx, tx, Message{Type: MessageUndo, From: actor, To: row.Association, Object: row.OfferActivity,
			Reservation: &OfferedReservation{Task: row.TaskURI, Until: row.Deadline}})
	})
	if err != nil {
		return RemoteReservation{}, fmt.Errorf("withdraw the reservation of %s: %w", task, err)
	}
	return out, nil
}

// RemoteReservationOf returns actor's latest reservation of the task
// elsewhere; ErrNotReserved when there is none.
func (s *Service) RemoteReservationOf(ctx context.Context, actor, task string) (RemoteReservation, error) {
	row, err := s.db.RemoteReservations().Latest(ctx, task, actor)
	if errors.Is(err, store.ErrNotFound) {
		return RemoteReservation{}, ErrNotReserved
	}
	if err != nil {
		return RemoteReservation{}, err
	}
	return s.remoteReservationFrom(row), nil
}

// ReceiveOfferAnswer records the association's answer to a local person's
// Offer of a reservation or of a reallocation: accepted, the reservation
// holds (the reallocation is done, result naming it); rejected, it is
// refused with the association's reason. A Reject of a reservation it had
// accepted means the association ended it (its board released it). Only
// the association the Offer went to may answer. ErrNotOurs when offer is
// no Offer made here.
func (s *Service) ReceiveOfferAnswer(ctx context.Context, from, offer string, accepted bool, reason, result string) error {
	reason = line(reason, MaxRefusal)
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := tx.RemoteReservations().ByOffer(ctx, offer)
		if errors.Is(err, store.ErrNotFound) {
			return s.answerReallocation(ctx, tx, from, offer, accepted, reason, result)
		}
		if err != nil {
			return err
		}
		if row.Association != from {
			return ErrNotAssociation
		}
		now := s.now()
		switch {
		case row.Status == store.RemotePending && accepted:
			_, err = tx.RemoteReservations().Move(ctx, row.ID, store.RemotePending, store.RemoteActive, "", now)
		case row.Status == store.RemotePending:
			_, err = tx.RemoteReservations().Move(ctx, row.ID, store.RemotePending, store.RemoteRejected, reason, now)
		case row.Status == store.RemoteActive && !accepted:
			_, err = tx.RemoteReservations().Move(ctx, row.ID, store.RemoteActive, store.RemoteReleased, reason, now)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("receive the answer to %s: %w", offer, err)
	}
	return nil
}
