package projects

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// What actors on other instances ask of an association here
// (docs/vocabulary.md §5: the association's instance is the authority; it
// answers with Accept or Reject). The inbox has checked that the actor
// signed the activity; federation has fetched from their origin the
// objects hosted elsewhere. The same rules apply as to local actors.

// Refusals of what a remote actor may not do.
var (
	ErrActsForAnother = core.New(core.KindForbidden, "acts-for-another", "an actor may only ask for itself, never for another")
	ErrNotOurs        = core.New(core.KindNotFound, "not-here", "this object is not kept on this instance")
)

// ProjectOffer is a project an actor elsewhere proposes to an association
// here (an Offer of a Project, §5.1).
type ProjectOffer struct {
	Activity    string // the Offer's id
	Actor       string // who sends it, the would-be holder
	For         string // whom the project is attributed to: must be Actor
	Association string // the association's actor id (the Offer's target)
	Input       ProjectInput
	// GoalCurrency is the currency of Input.Goal, which must be the
	// association's.
	GoalCurrency string
}

// ReceiveProjectOffer records a project proposed by an actor elsewhere, who
// holds it, and answers with an Accept whose result is the project's id; a
// project the rules refuse (a missing licence, a goal in another
// currency…) is answered with a Reject that says why, and nothing is kept.
// An Offer received again is not recorded twice. ErrNoSuchAssociation when
// the association is not here: there is nobody to answer.
func (s *Service) ReceiveProjectOffer(ctx context.Context, o ProjectOffer) (Project, error) {
	a, err := s.localAssociation(ctx, o.Association)
	if err != nil {
		return Project{}, err
	}
	if p, err := s.db.Projects().ByOffer(ctx, o.Activity); err == nil {
		return loadProject(ctx, s.db.Tx, p.ID, false)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Project{}, err
	}
	var out Project
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if o.For != o.Actor {
			return ErrActsForAnother
		}
		if o.Input.Goal != nil && o.GoalCurrency != a.Settings.Currency {
			return core.Invalid(core.FieldError{Field: "goal", Code: "invalid-currency",
				Detail: "the goal must be in the association's currency, " + a.Settings.Currency})
		}
		p, err := s.propose(ctx, tx, a, o.Actor, o.Input, o.Activity)
		if err != nil {
			return err
		}
		out = p
		return s.send(ctx, tx, Message{Type: MessageAccept, From: o.Association, To: o.Actor, Object: o.Activity,
			Result: s.projectURI(p.ID)})
	})
	if core.KindOf(err) != 0 {
		return Project{}, s.refuse(ctx, o.Association, o.Actor, o.Activity, err)
	}
	if err != nil {
		return Project{}, fmt.Errorf("receive project offer %s: %w", o.Activity, err)
	}
	return out, nil
}

// refuse answers the request activity of actor with a Reject carrying the
// reason of err, a refusal by the rules, which it returns.
func (s *Service) refuse(ctx context.Context, association, actor, activity string, err error) error {
	sendErr := s.db.InTx(ctx, func(tx store.Tx) error {
		return s.send(ctx, tx, Message{Type: MessageReject, From: association, To: actor, Object: activity, Reason: refusal(err)})
	})
	if sendErr != nil {
		return fmt.Errorf("refuse %s: %w", activity, sendErr)
	}
	return err
}

// ReservationOffer is a reservation an actor elsewhere asks for (an Offer
// of a Reservation, §5.2).
type ReservationOffer struct {
	Activity string // the Offer's id
	Actor    string
	For      string // whom the reservation is attributed to: must be Actor
	Task     string // the task's id on the wire
	Until    time.Time
}

// ReceiveReservationOffer reserves a task here for an actor elsewhere, by
// the rules of Reserve (one reservation at a time, a deadline within the
// task's maximum, the budget locked), and answers with an Accept, or with
// a Reject that says why (already reserved, deadline too far…), changing
// nothing. ErrNoSuchTask when the task is not here.
func (s *Service) ReceiveReservationOffer(ctx context.Context, o ReservationOffer) (Reservation, error) {
	id, ok := s.localID("tasks", o.Task)
	if !ok {
		return Reservation{}, ErrNoSuchTask
	}
	t, err := s.db.Tasks().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Reservation{}, ErrNoSuchTask
	}
	if err != nil {
		return Reservation{}, err
	}
	association, err := associationActor(ctx, s.db.Tx, t.AssociationID)
	if err != nil {
		return Reservation{}, err
	}
	if res, err := s.db.Reservations().ByOffer(ctx, o.Activity); err == nil {
		return reservationFrom(res), nil // answered already
	} else if !errors.Is(err, store.ErrNotFound) {
		return Reservation{}, err
	}
	var out Reservation
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if o.For != o.Actor {
			return ErrActsForAnother
		}
		res, err := s.reserve(ctx, tx, o.Actor, id, o.Until, o.Activity)
		if err != nil {
			return err
		}
		out = res
		return s.send(ctx, tx, Message{Type: MessageAccept, From: association, To: o.Actor, Object: o.Activity})
	})
	if core.KindOf(err) != 0 {
		return Reservation{}, s.refuse(ctx, association, o.Actor, o.Activity, err)
	}
	if err != nil {
		return Reservation{}, fmt.Errorf("receive reservation offer %s: %w", o.Activity, err)
	}
	return out, nil
}

// ReceiveReservationUndo releases the reservation actor made with the
// Offer offer, as its holder releases it here (the Undo of the Offer,
// §5.2). Only its holder may; a reservation no longer active is left as
// it is.
func (s *Service) ReceiveReservationUndo(ctx context.Context, actor, offer string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		res, err := tx.Reservations().ByOffer(ctx, offer)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNotOurs
		}
		if err != nil {
			return err
		}
		if res.Actor != actor {
			return ErrNotHolder
		}
		if _, err := lockTask(ctx, tx, res.TaskID); err != nil {
			return err
		}
		if res.Status != store.ReservationActive {
			return nil
		}
		return s.release(ctx, tx, res, actor, "", s.now())
	})
	if err != nil {
		return fmt.Errorf("receive the undo of %s: %w", offer, err)
	}
	return nil
}

// WorkDelivered is a submission an actor elsewhere hosts for a task here,
// as fetched from its origin (§5.3).
type WorkDelivered struct {
	URI   string // its id on the instance that hosts it
	Actor string // who sent its Create
	For   string // whom it is attributed to: must be Actor
	Task  string // the task's id on the wire
	Text  string
	Links []string
}

// ReceiveSubmission records work delivered from elsewhere, by the rules of
// Submit (by the holder of the reservation, or by anyone while the task is
// open); refused, it is answered with a Reject of the submission that says
// why. A submission received again is not recorded twice. ErrNoSuchTask
// when the task is not here.
func (s *Service) ReceiveSubmission(ctx context.Context, w WorkDelivered) (Submission, error) {
	id, ok := s.localID("tasks", w.Task)
	if !ok {
		return Submission{}, ErrNoSuchTask
	}
	t, err := s.db.Tasks().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Submission{}, ErrNoSuchTask
	}
	if err != nil {
		return Submission{}, err
	}
	association, err := associationActor(ctx, s.db.Tx, t.AssociationID)
	if err != nil {
		return Submission{}, err
	}
	if sub, err := s.db.Submissions().ByURI(ctx, w.URI); err == nil {
		return submissionFrom(sub), nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return Submission{}, err
	}
	var fe fieldErrors
	text := fe.Text("text", w.Text, MaxSubmission, true)
	links := fe.URIs("links", w.Links, 0, MaxLinks)
	var out Submission
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if w.For != w.Actor {
			return ErrActsForAnother
		}
		if err := fe.Err(); err != nil {
			return err
		}
		sub, err := s.submit(ctx, tx, w.Actor, id, text, links, w.URI)
		out = sub
		return err
	})
	if core.KindOf(err) != 0 {
		return Submission{}, s.refuse(ctx, association, w.Actor, w.URI, err)
	}
	if err != nil {
		return Submission{}, fmt.Errorf("receive submission %s: %w", w.URI, err)
	}
	return out, nil
}

// RemoteReview is the verdict a reviewer elsewhere sends on a submission
// (the Accept or Reject of §5.3).
type RemoteReview struct {
	Reviewer   string
	Submission string // its id on the wire: here, or on the instance hosting it
	Verdict    string // projects.Accept or projects.Reject
	Checks     []CriterionCheck
	Comment    string
}

// ReceiveReview records a review sent by a reviewer elsewhere, by the rules
// of ReviewSubmission: only a reviewer the task names, never the
// completer, once. ErrNotOurs when the submission is not one for a task
// here.
func (s *Service) ReceiveReview(ctx context.Context, r RemoteReview) (Review, error) {
	var fe fieldErrors
	comment := fe.Text("comment", r.Comment, MaxReviewText, r.Verdict == Reject)
	if len(r.Checks) > MaxCriteria {
		fe.Add("criteria", "too-many", "at most "+itoa(MaxCriteria)+" checks")
	}
	for i := range r.Checks {
		r.Checks[i].Comment = fe.Text("criteria", r.Checks[i].Comment, MaxCriterionRem, false)
	}
	var out Review
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		sub, err := s.submissionAt(ctx, tx, r.Submission)
		if err != nil {
			return err
		}
		if err := fe.Err(); err != nil {
			return err
		}
		out, err = s.review(ctx, tx, r.Reviewer, sub.ID, r.Checks, r.Verdict, comment)
		return err
	})
	if err != nil {
		return Review{}, fmt.Errorf("receive review of %s: %w", r.Submission, err)
	}
	return out, nil
}

// submissionAt finds the submission for a task here whose id on the wire
// is uri.
func (s *Service) submissionAt(ctx context.Context, tx store.Tx, uri string) (store.Submission, error) {
	var sub store.Submission
	var err error
	if id, ok := s.localID("submissions", uri); ok {
		sub, err = tx.Submissions().ByID(ctx, id)
		if err == nil && sub.URI != "" {
			err = store.ErrNotFound // hosted elsewhere: named by its own id only
		}
	} else {
		sub, err = tx.Submissions().ByURI(ctx, uri)
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.Submission{}, ErrNotOurs
	}
	return sub, err
}

// sendVerdict tells the completer of a submission hosted elsewhere the
// verdict on it (§5.3). The payout, when there is one, reaches them as the
// ledger publishes it (to the payee too).
func (s *Service) sendVerdict(ctx context.Context, tx store.Tx, t store.Task, sub store.Submission, criteria []string,
	checks []CriterionCheck, verdict, comment string) error {
	association, err := associationActor(ctx, tx, t.AssociationID)
	if err != nil {
		return err
	}
	m := Message{Type: MessageAccept, From: association, To: sub.By, Object: sub.URI, Reason: line(comment, MaxRefusal)}
	if verdict == Reject {
		m.Type = MessageReject
	}
	for i, c := range checks {
		m.Checks = append(m.Checks, CheckedCriterion{Criterion: criteria[i], Met: c.Met, Comment: c.Comment})
	}
	return s.send(ctx, tx, m)
}

// IsLocalTask reports whether uri is the id of a task here.
func (s *Service) IsLocalTask(uri string) bool {
	_, ok := s.localID("tasks", uri)
	return ok
}

// localAssociation returns the association here whose actor's id is uri;
// ErrNoSuchAssociation for any other actor.
func (s *Service) localAssociation(ctx context.Context, uri string) (membership.Association, error) {
	a, err := s.db.Actors().ByURI(ctx, uri)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!a.Local || a.AssociationID == nil || a.DeletedAt != nil)) {
		return membership.Association{}, ErrNoSuchAssociation
	}
	if err != nil {
		return membership.Association{}, err
	}
	return associationByID(ctx, s.db.Tx, *a.AssociationID)
}
