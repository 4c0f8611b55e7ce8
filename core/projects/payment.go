package projects

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// MarkPaid records, as the association's treasurer, that payout was paid
// with the bank's reference, and moves its task from done to paid in the
// same transaction: the ledger's record of the payment (who, when, which
// reference) is the task's record of it.
//
// The payout's row is locked before the task's. Nothing else locks an
// existing payout, and a task with a payout is done, which no other change
// touches, so the order cannot deadlock against the task-first paths.
func (s *Service) MarkPaid(ctx context.Context, by membership.Account, payout uuid.UUID, bankReference string) (ledger.Payout, error) {
	var out ledger.Payout
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, err := s.ledger.MarkPaid(ctx, tx, by, payout, bankReference)
		if err != nil {
			return err
		}
		if _, err := lockTask(ctx, tx, p.TaskID); err != nil {
			return err
		}
		ok, err := tx.Tasks().SetStatus(ctx, p.TaskID, TaskDone, TaskPaid, "", nil, *p.PaidAt)
		if err != nil {
			return err
		}
		if !ok {
			return ErrTaskNotDone
		}
		t, err := tx.Tasks().ByID(ctx, p.TaskID)
		if err != nil {
			return err
		}
		if err := recordBoard(ctx, tx, t.AssociationID, by, "payout.paid", t.Name, map[string]any{
			"payee": handleOf(ctx, tx, p.Payee), "amount": money.Format(p.Amount, t.Currency) + " " + t.Currency}); err != nil {
			return err
		}
		out = p
		return s.publishTask(ctx, tx, "Update", p.TaskID)
	})
	if err != nil {
		return ledger.Payout{}, fmt.Errorf("mark payout %s paid: %w", payout, err)
	}
	return out, nil
}
