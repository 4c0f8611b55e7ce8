package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// States of a submission.
const (
	SubmissionPending  = "pending"
	SubmissionAccepted = "accepted"
	SubmissionRejected = "rejected"
)

// Outcomes of a review.
const (
	OutcomePayout    = "payout"    // accepted within the reservation: the completer is paid
	OutcomeVolunteer = "volunteer" // accepted unreserved or late: a reallocation right instead
	OutcomeRejected  = "rejected"
)

// Submission is work delivered for a task.
type Submission struct {
	ID            uuid.UUID
	TaskID        uuid.UUID
	By            string // the completer's actor id
	ReservationID *uuid.UUID
	Text          string
	Links         []string
	Status        string
	SubmittedAt   time.Time
	ReviewedAt    *time.Time
	// URI is the submission's id on the instance that hosts it, when that
	// is another one (work delivered from elsewhere); "" here.
	URI string
}

func submissionFrom(r store.Submission) Submission {
	return Submission{ID: r.ID, TaskID: r.TaskID, By: r.By, ReservationID: r.ReservationID, Text: r.Text,
		Links: decodeList(r.Links), Status: r.Status, SubmittedAt: r.SubmittedAt, ReviewedAt: r.ReviewedAt, URI: r.URI}
}

// Submit delivers work for task id: by the holder of its reservation, or
// by anyone while it is open (a volunteer completion). The task waits on
// this submission until it is reviewed.
func (s *Service) Submit(ctx context.Context, by membership.Account, id uuid.UUID, text string, links []string) (Submission, error) {
	var fe fieldErrors
	text = fe.Text("text", text, MaxSubmission, true)
	links = fe.URIs("links", links, 0, MaxLinks)
	if err := fe.Err(); err != nil {
		return Submission{}, err
	}
	var out Submission
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		out, err = s.submit(ctx, tx, actor, id, text, links, "")
		return err
	})
	if err != nil {
		return Submission{}, fmt.Errorf("submit work for task %s: %w", id, err)
	}
	return out, nil
}

// submit is Submit for any actor, local or remote; uri is the submission's
// id on the instance that hosts it ("" here).
func (s *Service) submit(ctx context.Context, tx store.Tx, actor string, id uuid.UUID, text string, links []string, uri string) (Submission, error) {
	t, err := lockTask(ctx, tx, id)
	if err != nil {
		return Submission{}, err
	}
	now := s.now()
	row := store.Submission{ID: newID(), TaskID: id, By: actor, Text: text, Links: encodeList(links),
		Status: SubmissionPending, SubmittedAt: now, URI: uri}
	switch t.Status {
	case TaskOpen:
	case TaskReserved:
		res, err := tx.Reservations().Active(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return Submission{}, err
		}
		if err != nil || res.Actor != actor {
			return Submission{}, ErrReservedByOther
		}
		row.ReservationID = &res.ID
	default:
		return Submission{}, ErrNotSubmittable
	}
	ok, err := tx.Tasks().SetStatus(ctx, id, t.Status, TaskSubmitted, t.ReservedBy, t.ReservedUntil, now)
	if err != nil {
		return Submission{}, err
	}
	if !ok {
		return Submission{}, ErrNotSubmittable
	}
	if err := tx.Submissions().Create(ctx, &row); err != nil {
		return Submission{}, err
	}
	out := submissionFrom(row)
	if uri == "" {
		// Work hosted elsewhere was published by its host.
		if err := s.publish(ctx, tx, Publication{Type: "Create", Submission: &out}); err != nil {
			return Submission{}, err
		}
	}
	return out, s.publishTask(ctx, tx, "Update", id)
}

// Submission returns the submission id.
func (s *Service) Submission(ctx context.Context, id uuid.UUID) (Submission, error) {
	row, err := s.db.Submissions().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Submission{}, ErrNoSuchSubmission
	}
	if err != nil {
		return Submission{}, err
	}
	return submissionFrom(row), nil
}

// Submissions lists the submissions of task id, oldest first.
func (s *Service) Submissions(ctx context.Context, id uuid.UUID) ([]Submission, error) {
	rows, err := s.db.Submissions().OfTask(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Submission, len(rows))
	for i, r := range rows {
		out[i] = submissionFrom(r)
	}
	return out, nil
}

// CriterionCheck is a reviewer's check of one done criterion. Criterion,
// when the reviewer names it, must be the criterion checked at that place;
// the review records it either way.
type CriterionCheck struct {
	Criterion string `json:"criterion,omitempty"`
	Met       bool   `json:"met"`
	Comment   string `json:"comment,omitempty"`
}

// Review is the decision on a submission.
type Review struct {
	ID           uuid.UUID
	SubmissionID uuid.UUID
	Reviewer     string
	Verdict      string
	Criteria     []CriterionCheck
	Comment      string
	Outcome      string
	Value        int64 // the task's budget when accepted, in its currency
	ReviewedAt   time.Time
}

// ReviewSubmission decides on submission id, as one of the reviewers the
// task names (never its completer): every done criterion is checked in
// order; accepting needs them all met, rejecting needs a comment. A
// submission is reviewed once.
//
// Accepted while the completer's reservation holds (deadline not passed),
// the payout is owed; accepted otherwise, it is a volunteer completion.
// Either way the task is done and the work is on the completer's record.
// Rejected, the task goes back to its holder while the reservation lasts,
// or reopens.
func (s *Service) ReviewSubmission(ctx context.Context, by membership.Account, id uuid.UUID, checks []CriterionCheck, verdict, comment string) (Review, error) {
	var fe fieldErrors
	comment = fe.Text("comment", comment, MaxReviewText, verdict == Reject)
	if verdict != Accept && verdict != Reject {
		fe.Add("verdict", "invalid-choice", "must be accept or reject")
	}
	for i := range checks {
		checks[i].Comment = fe.Text("criteria", checks[i].Comment, MaxCriterionRem, false)
	}
	if err := fe.Err(); err != nil {
		return Review{}, err
	}
	var out Review
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		out, err = s.review(ctx, tx, actor, id, checks, verdict, comment)
		if err != nil {
			return err
		}
		// The reviewers judge in the association's name.
		t, err := taskOfSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		return recordBoard(ctx, tx, t.AssociationID, by, "submission.review", t.Name, map[string]any{"verdict": verdict})
	})
	if err != nil {
		return Review{}, fmt.Errorf("review submission %s: %w", id, err)
	}
	return out, nil
}

// review is ReviewSubmission for any reviewer, local or remote, once the
// form of the review is checked. A completer elsewhere is sent the verdict
// and, when paid, the payout.
func (s *Service) review(ctx context.Context, tx store.Tx, actor string, id uuid.UUID, checks []CriterionCheck, verdict, comment string) (Review, error) {
	sub, err := tx.Submissions().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Review{}, ErrNoSuchSubmission
	}
	if err != nil {
		return Review{}, err
	}
	t, err := lockTask(ctx, tx, sub.TaskID)
	if err != nil {
		return Review{}, err
	}
	if !slices.Contains(decodeList(t.Reviewers), actor) {
		return Review{}, ErrNotReviewer
	}
	if actor == sub.By {
		return Review{}, ErrOwnSubmission
	}
	if sub.Status != SubmissionPending {
		return Review{}, ErrAlreadyReviewed
	}
	if t.Status != TaskSubmitted {
		return Review{}, ErrStaleSubmission
	}
	criteria := decodeList(t.DoneCriteria)
	if n := len(criteria); len(checks) != n {
		return Review{}, core.Invalid(core.FieldError{Field: "criteria", Code: "one-check-per-criterion",
			Detail: fmt.Sprintf("check each of the task's %d done criteria, in order", n)})
	}
	for i := range checks {
		if c := strings.TrimSpace(checks[i].Criterion); c != "" && c != criteria[i] {
			return Review{}, core.Invalid(core.FieldError{Field: "criteria", Code: "criterion-mismatch",
				Detail: fmt.Sprintf("check %d names another criterion than the task's criterion %d, %q", i+1, i+1, criteria[i])})
		}
		checks[i].Criterion = criteria[i]
	}
	if verdict == Accept && slices.ContainsFunc(checks, func(c CriterionCheck) bool { return !c.Met }) {
		return Review{}, core.Invalid(core.FieldError{Field: "criteria", Code: "criteria-not-met",
			Detail: "work can be accepted only when every done criterion is met"})
	}
	return s.decide(ctx, tx, t, sub, criteria, checks, verdict, comment, actor)
}

// ErrNotReviewed is the answer for the review of a submission nobody has
// reviewed yet.
var ErrNotReviewed = core.New(core.KindNotFound, "review-not-found", "this submission has not been reviewed yet")

// ReviewOf returns the review that decided submission id, or ErrNotReviewed.
func (s *Service) ReviewOf(ctx context.Context, id uuid.UUID) (Review, error) {
	rv, err := s.db.Submissions().Review(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Review{}, ErrNotReviewed
	}
	if err != nil {
		return Review{}, fmt.Errorf("review of submission %s: %w", id, err)
	}
	var checks []CriterionCheck
	if err := json.Unmarshal([]byte(rv.Criteria), &checks); err != nil {
		return Review{}, fmt.Errorf("review of submission %s: %w", id, err)
	}
	return Review{ID: rv.ID, SubmissionID: rv.SubmissionID, Reviewer: rv.Reviewer, Verdict: rv.Verdict, Criteria: checks,
		Comment: rv.Comment, Outcome: rv.Outcome, Value: rv.Value, ReviewedAt: rv.ReviewedAt}, nil
}

// settle moves the task after a review and ends or keeps its reservation;
// it returns the outcome.
func (s *Service) settle(ctx context.Context, tx store.Tx, t store.Task, sub store.Submission, verdict, reviewer string, now time.Time) (string, error) {
	// The completer's reservation, if it still holds.
	var res *store.Reservation
	if sub.ReservationID != nil {
		r, err := tx.Reservations().Active(ctx, t.ID)
		switch {
		case err == nil && r.ID == *sub.ReservationID && !now.After(r.Deadline):
			res = &r
		case err == nil && now.After(r.Deadline):
			// Past its deadline, not yet swept: it lapses now, on record.
			if _, err := tx.Reservations().End(ctx, r.ID, store.ReservationLapsed, "", "deadline passed", now); err != nil {
				return "", err
			}
			if err := s.ledger.UnlockTask(ctx, tx, t.ID); err != nil {
				return "", err
			}
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return "", err
		}
	}
	if verdict == Reject {
		to, by, until := TaskOpen, "", (*time.Time)(nil)
		if res != nil {
			to, by, until = TaskReserved, res.Actor, &res.Deadline
		}
		if _, err := tx.Tasks().SetStatus(ctx, t.ID, TaskSubmitted, to, by, until, now); err != nil {
			return "", err
		}
		return OutcomeRejected, nil
	}
	cause := s.submissionURI(sub)
	outcome := OutcomeVolunteer
	if res != nil {
		outcome = OutcomePayout
		if _, err := tx.Reservations().End(ctx, res.ID, store.ReservationCompleted, reviewer, "work accepted", now); err != nil {
			return "", err
		}
		if _, err := s.ledger.Payout(ctx, tx, t.ID, sub.By, cause); err != nil {
			return "", err
		}
	} else {
		if err := s.ledger.GrantReallocationRight(ctx, tx, t.ID, sub.By, cause); err != nil {
			return "", err
		}
		if err := s.ledger.CloseTaskAccount(ctx, tx, t.ID); err != nil {
			return "", err
		}
	}
	if _, err := tx.Tasks().SetStatus(ctx, t.ID, TaskSubmitted, TaskDone, "", nil, now); err != nil {
		return "", err
	}
	return outcome, nil
}

// Recognition is one piece of verified work on an actor's record.
type Recognition struct {
	TaskID     uuid.UUID
	TaskName   string
	ProjectID  uuid.UUID
	Outcome    string // payout or volunteer
	Value      int64  // minor units of Currency
	Currency   string
	VerifiedAt time.Time
}

// MaxRecognitions bounds the record Recognitions returns.
const MaxRecognitions = 1000

// Recognitions lists the verified work of actor (its id on the wire),
// newest first: paid and volunteer tasks, with their value and date.
func (s *Service) Recognitions(ctx context.Context, actor string) ([]Recognition, error) {
	rows, err := s.db.Submissions().VerifiedWorkOf(ctx, actor, MaxRecognitions)
	if err != nil {
		return nil, fmt.Errorf("recognitions of %s: %w", actor, err)
	}
	out := make([]Recognition, len(rows))
	for i, r := range rows {
		out[i] = Recognition{TaskID: r.TaskID, TaskName: r.TaskName, ProjectID: r.ProjectID, Outcome: r.Outcome,
			Value: r.Value, Currency: r.Currency, VerifiedAt: r.VerifiedAt}
	}
	return out, nil
}
