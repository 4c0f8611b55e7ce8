package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// AssociationOf returns the association id, to which a project or a task
// belongs, so that a page can link to it and know the viewer's role there.
func (s *Service) AssociationOf(ctx context.Context, id uuid.UUID) (membership.Association, error) {
	a, err := associationByID(ctx, s.db.Tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Association{}, ErrNoSuchAssociation
	}
	return a, err
}

// ReviewOf returns the review that decided submission id; ok is false
// while the submission waits for its review.
func (s *Service) ReviewOf(ctx context.Context, id uuid.UUID) (rv Review, ok bool, err error) {
	row, err := s.db.Submissions().Review(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Review{}, false, nil
	}
	if err != nil {
		return Review{}, false, fmt.Errorf("review of submission %s: %w", id, err)
	}
	var checks []CriterionCheck
	if err := json.Unmarshal([]byte(row.Criteria), &checks); err != nil {
		return Review{}, false, fmt.Errorf("review of submission %s: criteria: %w", id, err)
	}
	return Review{ID: row.ID, SubmissionID: row.SubmissionID, Reviewer: row.Reviewer, Verdict: row.Verdict,
		Criteria: checks, Comment: row.Comment, Outcome: row.Outcome, Value: row.Value, ReviewedAt: row.ReviewedAt}, true, nil
}
