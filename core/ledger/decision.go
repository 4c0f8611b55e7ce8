package ledger

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// AllocateByDecision moves amount from the general fund or a project
// (from: "general" or "project:{id}") to task, inside tx, as an adopted
// proposal decided (cause: the proposal; by: who executes it, the
// association). The decision stands for the board, so neither the board's
// role nor board_may_allocate_up_to is checked; every rule of the money is
// (insufficient-funds, task-closed…).
func (s *Service) AllocateByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, from string, task uuid.UUID, amount int64, cause, by string) (Transaction, error) {
	if amount <= 0 || amount > maxTotal {
		return Transaction{}, ErrInvalidAmount
	}
	cause, err := checkCause(cause)
	if err != nil {
		return Transaction{}, err
	}
	out, err := s.allocate(ctx, tx, association, from, task, amount, cause, by)
	if err != nil {
		return Transaction{}, fmt.Errorf("allocate by decision: %w", err)
	}
	return out, nil
}
