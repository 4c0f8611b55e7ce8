package ledger_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/store"
)

// TestTaskContract walks a task through what core/projects calls: open,
// fund, lock, payout; and a second task through volunteer completion.
func TestTaskContract(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		task := f.task(t, 5000)
		err := f.inTx(t, func(tx store.Tx) error { return f.ledger.LockTask(ctx, tx, task) })
		wantCode(t, err, "task-not-funded")

		f.donate(t, ledger.TaskKey(task), 3000)
		f.donate(t, ledger.TaskKey(task), 2500)
		if b, budget, locked := f.funding(t, task); b != 5500 || budget != 5000 || locked {
			t.Fatalf("funding = %d/%d locked %v, want 5500/5000 unlocked", b, budget, locked)
		}
		if err := f.inTx(t, func(tx store.Tx) error { return f.ledger.LockTask(ctx, tx, task) }); err != nil {
			t.Fatalf("lock: %v", err)
		}
		err = f.inTx(t, func(tx store.Tx) error { return f.ledger.LockTask(ctx, tx, task) })
		wantCode(t, err, "task-locked")
		err = f.inTx(t, func(tx store.Tx) error { return f.ledger.OpenTaskAccount(ctx, tx, f.assoc.ID, f.project, task, 9000) })
		wantCode(t, err, "task-locked")
		if _, _, locked := f.funding(t, task); !locked {
			t.Fatal("task not locked after LockTask")
		}
		if err := f.inTx(t, func(tx store.Tx) error { return f.ledger.UnlockTask(ctx, tx, task) }); err != nil {
			t.Fatalf("unlock: %v", err)
		}
		if err := f.inTx(t, func(tx store.Tx) error { return f.ledger.UnlockTask(ctx, tx, task) }); err != nil {
			t.Fatalf("second unlock: %v", err)
		}
		if err := f.inTx(t, func(tx store.Tx) error { return f.ledger.LockTask(ctx, tx, task) }); err != nil {
			t.Fatalf("lock again: %v", err)
		}
		var payout ledger.Transaction
		err = f.inTx(t, func(tx store.Tx) error {
			var err error
			payout, err = f.ledger.Payout(ctx, tx, task, "https://b.example/actors/pro", "https://holon.example/submissions/1")
			return err
		})
		if err != nil {
			t.Fatalf("payout: %v", err)
		}
		if payout.Kind != ledger.KindPayout || payout.Amount != 5000 {
			t.Fatalf("payout = %+v", payout)
		}
		if b, _, locked := f.funding(t, task); b != 500 || locked {
			t.Fatalf("after payout: balance %d locked %v, want 500 unlocked", b, locked)
		}
		_, err = f.ledger.Donate(ctx, nil, f.assoc.Name, ledger.DonationInput{Amount: 1, Currency: "EUR", Target: ledger.TaskKey(task)})
		wantCode(t, err, "task-closed")

		// Volunteer completion: the right to move the balance, once.
		done := f.task(t, 2000)
		other := f.task(t, 4000)
		f.donate(t, ledger.TaskKey(done), 2000)
		holder := "https://c.example/actors/volunteer"
		grant := func() error {
			return f.inTx(t, func(tx store.Tx) error {
				return f.ledger.GrantReallocationRight(ctx, tx, done, holder, "https://holon.example/submissions/2")
			})
		}
		if err := grant(); err != nil {
			t.Fatalf("grant: %v", err)
		}
		wantCode(t, grant(), "reallocation-right-exists")
		if err := f.inTx(t, func(tx store.Tx) error { return f.ledger.CloseTaskAccount(ctx, tx, done) }); err != nil {
			t.Fatalf("close: %v", err)
		}
		if _, err := f.ledger.Reallocate(ctx, holder, done, []ledger.Part{{Task: other, Amount: 1500}}); err != nil {
			t.Fatalf("reallocate: %v", err)
		}
		_, err = f.ledger.Reallocate(ctx, holder, done, []ledger.Part{{Task: other, Amount: 501}})
		wantCode(t, err, "reallocation-right-exceeded")
		_, err = f.ledger.Reallocate(ctx, "https://c.example/actors/other", done, []ledger.Part{{Task: other, Amount: 1}})
		wantCode(t, err, "no-reallocation-right")
		if b, _, _ := f.funding(t, other); b != 1500 {
			t.Fatalf("other task balance = %d, want 1500", b)
		}
		_, _, _, err = f.ledger.TaskFunding(ctx, f.db.Tx, uuid.Must(uuid.NewV7()))
		wantCode(t, err, "task-account-not-found")
	})
}
