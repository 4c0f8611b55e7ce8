package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// OpenTaskAccount opens task (of project, in association) for funding, with
// budget as its announced payment. Called again, it updates the budget and
// reopens the account; a locked task's budget cannot change.
func (s *Service) OpenTaskAccount(ctx context.Context, tx store.Tx, association, project, task uuid.UUID, budget int64) error {
	if budget < 0 || budget > maxTotal {
		return ErrInvalidAmount
	}
	if _, err := s.ensureAccount(ctx, tx, association, ProjectKey(project)); err != nil {
		return fmt.Errorf("open account of task %s: %w", task, err)
	}
	a, err := tx.Ledger().AccountOfTask(ctx, task, true)
	if errors.Is(err, store.ErrNotFound) {
		p := project
		t := task
		_, err = tx.Ledger().EnsureAccount(ctx, &store.LedgerAccount{ID: newID(), AssociationID: association,
			Key: TaskKey(task), Kind: AccountTask, ProjectID: &p, TaskID: &t, Budget: budget, Open: true, CreatedAt: s.now()})
		if err != nil {
			return fmt.Errorf("open account of task %s: %w", task, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("open account of task %s: %w", task, err)
	}
	if a.AssociationID != association {
		return fmt.Errorf("open account of task %s: %w", task, ErrNoSuchTaskAccount)
	}
	if a.Locked && a.Budget != budget {
		return ErrTaskLocked
	}
	a.Budget, a.Open = budget, true
	return tx.Ledger().UpdateAccount(ctx, &a)
}

// CloseTaskAccount stops donations, allocations and reallocations into task
// (cancelled or done). Its balance stays until paid out, reallocated or
// refunded. Closing a closed task does nothing.
func (s *Service) CloseTaskAccount(ctx context.Context, tx store.Tx, task uuid.UUID) error {
	a, err := taskAccount(ctx, tx, task, true)
	if err != nil {
		return fmt.Errorf("close account of task %s: %w", task, err)
	}
	if !a.Open {
		return nil
	}
	a.Open = false
	return tx.Ledger().UpdateAccount(ctx, &a)
}

// LockTask locks task's budget for a reservation: from now on its money
// leaves only as its payout. It refuses (ErrTaskNotFunded) unless the
// balance covers the budget, so that the payment is guaranteed.
func (s *Service) LockTask(ctx context.Context, tx store.Tx, task uuid.UUID) error {
	a, err := taskAccount(ctx, tx, task, true)
	if err != nil {
		return fmt.Errorf("lock task %s: %w", task, err)
	}
	switch {
	case !a.Open:
		return ErrTaskClosed
	case a.Locked:
		return ErrTaskLocked
	case a.Balance < a.Budget:
		return ErrTaskNotFunded
	}
	a.Locked = true
	return tx.Ledger().UpdateAccount(ctx, &a)
}

// UnlockTask releases task's budget (the reservation was released or
// lapsed). Unlocking an unlocked task does nothing.
func (s *Service) UnlockTask(ctx context.Context, tx store.Tx, task uuid.UUID) error {
	a, err := taskAccount(ctx, tx, task, true)
	if err != nil {
		return fmt.Errorf("unlock task %s: %w", task, err)
	}
	if !a.Locked {
		return nil
	}
	a.Locked = false
	return tx.Ledger().UpdateAccount(ctx, &a)
}

// TaskFunding returns task's balance, its budget and whether a reservation
// locks it.
func (s *Service) TaskFunding(ctx context.Context, tx store.Tx, task uuid.UUID) (balance, budget int64, locked bool, err error) {
	a, err := taskAccount(ctx, tx, task, false)
	if err != nil {
		return 0, 0, false, fmt.Errorf("funding of task %s: %w", task, err)
	}
	return a.Balance, a.Budget, a.Locked, nil
}

// Payout records that task's budget is owed to payee (an actor URI) for the
// verified submission cause: the budget moves to external:payees, the
// payout waits to be marked paid, and the task is unlocked and closed.
func (s *Service) Payout(ctx context.Context, tx store.Tx, task uuid.UUID, payee, cause string) (Transaction, error) {
	a, err := taskAccount(ctx, tx, task, true)
	if err != nil {
		return Transaction{}, fmt.Errorf("pay out task %s: %w", task, err)
	}
	if payee == "" || len(payee) > MaxCause {
		return Transaction{}, ErrInvalidCause
	}
	if a.Budget <= 0 {
		return Transaction{}, ErrInvalidAmount
	}
	if a.Balance < a.Budget {
		return Transaction{}, ErrTaskNotFunded
	}
	payees, err := s.ensureAccount(ctx, tx, a.AssociationID, KeyPayees)
	if err != nil {
		return Transaction{}, err
	}
	t, err := s.record(ctx, tx, entry{association: a.AssociationID, kind: KindPayout, cause: cause, payee: payee,
		flows: []flow{{from: a.ID, to: payees.ID, amount: a.Budget}}})
	if err != nil {
		return Transaction{}, fmt.Errorf("pay out task %s: %w", task, err)
	}
	if err := tx.Ledger().AddPayout(ctx, &store.LedgerPayout{ID: t.ID, AssociationID: a.AssociationID,
		TaskID: task, Payee: payee, Amount: a.Budget}); err != nil {
		return Transaction{}, err
	}
	// record changed the balance: read the row again before writing the flags.
	a, err = taskAccount(ctx, tx, task, false)
	if err != nil {
		return Transaction{}, err
	}
	a.Locked, a.Open = false, false
	if err := tx.Ledger().UpdateAccount(ctx, &a); err != nil {
		return Transaction{}, err
	}
	return t, nil
}

// GrantReallocationRight gives holder (an actor URI), who completed task as a
// volunteer, the right to move the task's balance to other open tasks, each
// minor unit once. The task is closed to new money; one right per task.
func (s *Service) GrantReallocationRight(ctx context.Context, tx store.Tx, task uuid.UUID, holder, cause string) error {
	a, err := taskAccount(ctx, tx, task, true)
	if err != nil {
		return fmt.Errorf("grant reallocation right on task %s: %w", task, err)
	}
	if holder == "" || len(holder) > MaxCause {
		return ErrInvalidCause
	}
	cause, err = checkCause(cause)
	if err != nil {
		return err
	}
	if a.Locked {
		return ErrTaskLocked
	}
	// The task's row is locked: checking first keeps a duplicate from
	// aborting the caller's PostgreSQL transaction.
	if _, err := tx.Ledger().RightOfTaskForUpdate(ctx, task); err == nil {
		return ErrRightExists
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	err = tx.Ledger().AddRight(ctx, &store.LedgerRight{ID: newID(), TaskID: task, Holder: holder,
		Amount: a.Balance, Cause: cause, CreatedAt: s.now()})
	if err != nil {
		return err
	}
	a.Open = false
	return tx.Ledger().UpdateAccount(ctx, &a)
}

// OpenProjectAccount opens project's account in association, so that it
// can receive donations before any of its tasks opens. Opening an open
// account does nothing.
func (s *Service) OpenProjectAccount(ctx context.Context, tx store.Tx, association, project uuid.UUID) error {
	if _, err := s.ensureAccount(ctx, tx, association, ProjectKey(project)); err != nil {
		return fmt.Errorf("open account of project %s: %w", project, err)
	}
	return nil
}
