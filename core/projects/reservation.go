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

// Reservation is one reservation of a task, active or ended: released (by
// its holder, or by the board with a reason), lapsed at its deadline, or
// completed by the verification of the work.
type Reservation struct {
	ID         uuid.UUID
	TaskID     uuid.UUID
	Actor      string
	Status     string
	ReservedAt time.Time
	Deadline   time.Time
	EndedAt    *time.Time
	EndedBy    string
	Reason     string
}

func reservationFrom(r store.Reservation) Reservation {
	return Reservation{ID: r.ID, TaskID: r.TaskID, Actor: r.Actor, Status: r.Status, ReservedAt: r.ReservedAt,
		Deadline: r.Deadline, EndedAt: r.EndedAt, EndedBy: r.EndedBy, Reason: r.Reason}
}

// Reserve reserves the open task id for by until the deadline, which must
// lie after now and within the task's maximum reservation period. Of
// concurrent attempts exactly one wins: the task's status changes only
// from open, and the database holds one active reservation per task.
func (s *Service) Reserve(ctx context.Context, by membership.Account, id uuid.UUID, until time.Time) (Reservation, error) {
	var out Reservation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		res, err := s.reserve(ctx, tx, actor, id, until, "")
		out = res
		return err
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("reserve task %s: %w", id, err)
	}
	return out, nil
}

// reserve is Reserve for any actor, local or remote; offer is the id of
// the Offer a remote actor reserved with ("" here).
func (s *Service) reserve(ctx context.Context, tx store.Tx, actor string, id uuid.UUID, until time.Time, offer string) (Reservation, error) {
	t, err := lockTask(ctx, tx, id)
	if err != nil {
		return Reservation{}, err
	}
	switch t.Status {
	case TaskOpen:
	case TaskReserved, TaskSubmitted:
		return Reservation{}, ErrTaskReserved
	default:
		return Reservation{}, ErrTaskNotOpen
	}
	now := s.now()
	until = until.UTC().Truncate(time.Microsecond)
	limit := now.Add(time.Duration(t.MaxReservation) * time.Second)
	if !until.After(now) || until.After(limit) {
		return Reservation{}, core.Invalid(core.FieldError{Field: "until", Code: "deadline-out-of-range",
			Detail: fmt.Sprintf("the deadline must lie after now and at most %s from now", time.Duration(t.MaxReservation)*time.Second)})
	}
	ok, err := tx.Tasks().SetStatus(ctx, id, TaskOpen, TaskReserved, actor, &until, now)
	if err != nil {
		return Reservation{}, err
	}
	if !ok {
		return Reservation{}, ErrTaskReserved
	}
	// The payment is guaranteed: the budget must be there, and stays.
	if err := s.ledger.LockTask(ctx, tx, id); err != nil {
		return Reservation{}, err
	}
	row := store.Reservation{ID: newID(), TaskID: id, Actor: actor, Status: store.ReservationActive,
		ReservedAt: now, Deadline: until, OfferActivity: offer}
	if err := tx.Reservations().Create(ctx, &row); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return Reservation{}, ErrTaskReserved
		}
		return Reservation{}, err
	}
	tx.AfterCommit(s.lapses.Ring)
	if err := s.publishTask(ctx, tx, "Update", id); err != nil {
		return Reservation{}, err
	}
	return reservationFrom(row), nil
}

// Release ends the active reservation of task id and reopens the task: by
// its holder, or by the board, which must say why.
func (s *Service) Release(ctx context.Context, by membership.Account, id uuid.UUID, reason string) (Reservation, error) {
	var fe fieldErrors
	reason = fe.Text("reason", reason, MaxReason, false)
	if err := fe.Err(); err != nil {
		return Reservation{}, err
	}
	var out Reservation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		t, err := lockTask(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.Status != TaskReserved {
			return ErrNotReserved
		}
		res, err := tx.Reservations().Active(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotReserved
		}
		if err != nil {
			return err
		}
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		if actor != res.Actor {
			board, err := isBoard(ctx, tx, t.AssociationID, by)
			if err != nil {
				return err
			}
			if !board {
				return ErrNotHolder
			}
			if reason == "" {
				return core.Invalid(core.FieldError{Field: "reason", Code: "required",
					Detail: "say why the board releases someone else's reservation"})
			}
		}
		now := s.now()
		if err := s.release(ctx, tx, res, actor, reason, now); err != nil {
			return err
		}
		if actor != res.Actor {
			if err := recordBoard(ctx, tx, t.AssociationID, by, "reservation.release", t.Name,
				map[string]any{"holder": handleOf(ctx, tx, res.Actor)}); err != nil {
				return err
			}
		}
		if res.OfferActivity != "" && actor != res.Actor {
			// A holder elsewhere learns that the board ended it, and why.
			association, err := associationActor(ctx, tx, t.AssociationID)
			if err != nil {
				return err
			}
			if err := s.send(ctx, tx, Message{Type: MessageReject, From: association, To: res.Actor,
				Object: res.OfferActivity, Reason: line(reason, MaxRefusal)}); err != nil {
				return err
			}
		}
		res.Status, res.EndedAt, res.EndedBy, res.Reason = store.ReservationReleased, &now, actor, reason
		out = reservationFrom(res)
		return nil
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("release task %s: %w", id, err)
	}
	return out, nil
}

// release ends the active reservation res, by actor, and reopens (and
// publishes) its task, whose row the caller has locked.
func (s *Service) release(ctx context.Context, tx store.Tx, res store.Reservation, actor, reason string, now time.Time) error {
	if _, err := tx.Reservations().End(ctx, res.ID, store.ReservationReleased, actor, reason, now); err != nil {
		return err
	}
	if _, err := tx.Tasks().SetStatus(ctx, res.TaskID, TaskReserved, TaskOpen, "", nil, now); err != nil {
		return err
	}
	if err := s.ledger.UnlockTask(ctx, tx, res.TaskID); err != nil {
		return err
	}
	return s.publishTask(ctx, tx, "Update", res.TaskID)
}

// Reservations lists every reservation of task id, oldest first: the
// lapsed and released ones stay on record.
func (s *Service) Reservations(ctx context.Context, id uuid.UUID) ([]Reservation, error) {
	rows, err := s.db.Reservations().OfTask(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Reservation, len(rows))
	for i, r := range rows {
		out[i] = reservationFrom(r)
	}
	return out, nil
}

// Lapses rings when a reservation starts here, whose deadline the lapse
// loop (LapseDue, NextLapse) may not know of yet.
func (s *Service) Lapses() <-chan struct{} { return s.lapses.C() }

// NextLapse returns the earliest deadline of an active reservation, when
// LapseDue has work next; ok is false when no reservation is active.
func (s *Service) NextLapse(ctx context.Context) (t time.Time, ok bool, err error) {
	t, err = s.db.Reservations().NextDeadline(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next reservation deadline: %w", err)
	}
	return t, true, nil
}

// LapseDue lapses every active reservation whose deadline has passed, one
// transaction each, and returns how many it lapsed. A reserved task
// reopens; a submitted one stays submitted (its review may still accept
// the work, as a volunteer completion). Several processes may run it at
// once: each reservation is claimed by a conditional UPDATE, so it lapses
// exactly once.
func (s *Service) LapseDue(ctx context.Context) (int, error) {
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		lapsed := false
		err := s.db.InTx(ctx, func(tx store.Tx) error {
			now := s.now()
			res, err := tx.Reservations().ClaimLapsed(ctx, now, "")
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			lapsed = true
			if err := s.ledger.UnlockTask(ctx, tx, res.TaskID); err != nil {
				return err
			}
			reopened, err := tx.Tasks().SetStatus(ctx, res.TaskID, TaskReserved, TaskOpen, "", nil, now)
			if err != nil {
				return err
			}
			if !reopened {
				// Submitted in time but not yet reviewed: the task waits on
				// its review, no longer held by anyone.
				if _, err := tx.Tasks().SetStatus(ctx, res.TaskID, TaskSubmitted, TaskSubmitted, "", nil, now); err != nil {
					return err
				}
			}
			return s.publishTask(ctx, tx, "Update", res.TaskID)
		})
		if err != nil {
			return n, fmt.Errorf("lapse due reservations: %w", err)
		}
		if !lapsed {
			return n, nil
		}
		n++
	}
}
