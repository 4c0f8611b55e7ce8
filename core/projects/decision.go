package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// The methods below carry out what an association decided by an adopted
// proposal (core/governance), inside the transaction that closes it: the
// decision stands for the board or the reviewers, so they check no one's
// role; by is who executes it (the association's actor).

// EvaluateByDecision accepts or rejects a proposed project (verdict
// Accept or Reject): it goes through evaluating to accepted or rejected,
// each step on record with reason.
func (s *Service) EvaluateByDecision(ctx context.Context, tx store.Tx, id uuid.UUID, verdict, reason, by string) error {
	if verdict != Accept && verdict != Reject {
		return core.Invalid(core.FieldError{Field: "verdict", Code: "invalid-choice", Detail: "must be accept or reject"})
	}
	p, err := loadProject(ctx, tx, id, true)
	if err != nil {
		return err
	}
	to := ProjectAccepted
	if verdict == Reject {
		to = ProjectRejected
	}
	now := s.now()
	if p.Status == ProjectProposed {
		if err := s.transition(ctx, tx, &p, ProjectEvaluating, by, reason, now); err != nil {
			return err
		}
	}
	if err := s.transition(ctx, tx, &p, to, by, reason, now); err != nil {
		return err
	}
	return s.publishProject(ctx, tx, "Update", p)
}

// VerifyByDecision accepts submission id, every done criterion met, as
// a proposal of category task_verification decided: the payout is owed if
// the completer's reservation holds, the reallocation right is granted
// otherwise (see ReviewSubmission).
func (s *Service) VerifyByDecision(ctx context.Context, tx store.Tx, id uuid.UUID, comment, by string) error {
	sub, err := tx.Submissions().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchSubmission
	}
	if err != nil {
		return err
	}
	t, err := lockTask(ctx, tx, sub.TaskID)
	if err != nil {
		return err
	}
	if sub.Status != SubmissionPending {
		return ErrAlreadyReviewed
	}
	if t.Status != TaskSubmitted {
		return ErrStaleSubmission
	}
	criteria := decodeList(t.DoneCriteria)
	checks := make([]CriterionCheck, len(criteria))
	for i, c := range criteria {
		checks[i] = CriterionCheck{Criterion: c, Met: true}
	}
	if _, err := s.decide(ctx, tx, t, sub, criteria, checks, Accept, comment, by); err != nil {
		return fmt.Errorf("verify submission %s by decision: %w", id, err)
	}
	return nil
}

// decide records the review of submission sub of task t, settles the
// task and publishes both (or tells the host of work delivered elsewhere);
// the caller has checked the reviewer and the criteria.
func (s *Service) decide(ctx context.Context, tx store.Tx, t store.Task, sub store.Submission, criteria []string, checks []CriterionCheck, verdict, comment, reviewer string) (Review, error) {
	now := s.now()
	status := SubmissionAccepted
	if verdict == Reject {
		status = SubmissionRejected
	}
	ok, err := tx.Submissions().Decide(ctx, sub.ID, status, now)
	if err != nil {
		return Review{}, err
	}
	if !ok {
		return Review{}, ErrAlreadyReviewed
	}
	outcome, err := s.settle(ctx, tx, t, sub, verdict, reviewer, now)
	if err != nil {
		return Review{}, err
	}
	value := int64(0)
	if verdict == Accept {
		value = t.Budget
	}
	crit, _ := json.Marshal(checks)
	rv := store.Review{ID: newID(), SubmissionID: sub.ID, Reviewer: reviewer, Verdict: verdict, Criteria: string(crit),
		Comment: comment, Outcome: outcome, Value: value, ReviewedAt: now}
	if err := tx.Submissions().AddReview(ctx, &rv); err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return Review{}, ErrAlreadyReviewed
		}
		return Review{}, err
	}
	out := Review{ID: rv.ID, SubmissionID: sub.ID, Reviewer: reviewer, Verdict: verdict, Criteria: checks,
		Comment: comment, Outcome: outcome, Value: value, ReviewedAt: now}
	if sub.URI != "" {
		// Work hosted elsewhere: its completer is told, its host updates it.
		err = s.sendVerdict(ctx, tx, t, sub, criteria, checks, verdict, comment)
	} else {
		err = s.publishSubmission(ctx, tx, "Update", sub.ID, &out)
	}
	if err != nil {
		return Review{}, err
	}
	return out, s.publishTask(ctx, tx, "Update", t.ID)
}
