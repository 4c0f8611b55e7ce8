package projects

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// ErrNoSuchReservation and ErrNotReviewed answer reads of what is not
// there.
var (
	ErrNoSuchReservation = core.New(core.KindNotFound, "reservation-not-found", "no such reservation")
	ErrNotReviewed       = core.New(core.KindNotFound, "submission-not-reviewed", "this submission has not been reviewed yet")
)

// Reservation returns the reservation id, active or ended.
func (s *Service) Reservation(ctx context.Context, id uuid.UUID) (Reservation, error) {
	row, err := s.db.Reservations().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Reservation{}, ErrNoSuchReservation
	}
	if err != nil {
		return Reservation{}, err
	}
	return reservationFrom(row), nil
}

// ReviewOf returns the review of submission id; ErrNotReviewed while it
// waits on one.
func (s *Service) ReviewOf(ctx context.Context, id uuid.UUID) (Review, error) {
	return reviewOf(ctx, s.db.Tx, id)
}

func reviewOf(ctx context.Context, tx store.Tx, id uuid.UUID) (Review, error) {
	rv, err := tx.Submissions().Review(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Review{}, ErrNotReviewed
	}
	if err != nil {
		return Review{}, err
	}
	var checks []CriterionCheck
	_ = json.Unmarshal([]byte(rv.Criteria), &checks)
	return Review{ID: rv.ID, SubmissionID: rv.SubmissionID, Reviewer: rv.Reviewer, Verdict: rv.Verdict, Criteria: checks,
		Comment: rv.Comment, Outcome: rv.Outcome, Value: rv.Value, ReviewedAt: rv.ReviewedAt}, nil
}
