package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// recordBoard records, inside tx, what the board or the treasurer did with
// association's money.
func recordBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account, action, target string, detail map[string]any) error {
	id := by.ID
	return audit.Record(ctx, tx, audit.Entry{Association: &association, Account: &id, AccountName: by.Username,
		Action: action, Target: target, Detail: detail})
}

// amountOf writes amount as people read it: "250.00 EUR".
func amountOf(amount int64, currency string) string {
	return money.Format(amount, currency) + " " + currency
}

// recordAllocation records the board's allocation in: the task by name.
func recordAllocation(ctx context.Context, tx store.Tx, a membership.Association, by membership.Account, in AllocationInput) error {
	target, err := taskName(ctx, tx, in.Task)
	if err != nil {
		return err
	}
	from := in.From
	if from == "" {
		from = KeyGeneral
	}
	return recordBoard(ctx, tx, a.ID, by, "ledger.allocate", target,
		map[string]any{"amount": amountOf(in.Amount, a.Settings.Currency), "from": from})
}

// recordRefund records the treasurer's refund of amount.
func recordRefund(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account, amount int64) error {
	row, err := tx.Associations().ByID(ctx, association)
	if err != nil {
		return fmt.Errorf("audit refund: %w", err)
	}
	a, err := membership.AssociationFromRow(row)
	if err != nil {
		return fmt.Errorf("audit refund: %w", err)
	}
	return recordBoard(ctx, tx, association, by, "ledger.refund", amountOf(amount, a.Settings.Currency), nil)
}

// taskName is how the audit log names task: by its name, or its id when
// the ledger knows a task core/projects does not (the ledger's own tests).
func taskName(ctx context.Context, tx store.Tx, task uuid.UUID) (string, error) {
	t, err := tx.Tasks().ByID(ctx, task)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return task.String(), nil
	case err != nil:
		return "", fmt.Errorf("audit: task %s: %w", task, err)
	}
	return t.Name, nil
}
