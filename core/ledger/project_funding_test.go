package ledger_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// TestFundingOfProject sums what reached a project and its tasks, what was
// allocated to its tasks, paid out for them and what is left; money of
// other projects does not count.
func TestFundingOfProject(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		empty, err := f.ledger.FundingOfProject(ctx, nil, f.assoc.Name, uuid.Must(uuid.NewV7()))
		if err != nil || empty != (ledger.ProjectFunding{Currency: "EUR"}) {
			t.Fatalf("a project with no account: %+v, %v", empty, err)
		}
		paid, kept := f.task(t, 3000), f.task(t, 2000)
		if err := f.inTx(t, func(tx store.Tx) error {
			return f.ledger.OpenProjectAccount(ctx, tx, f.assoc.ID, f.project)
		}); err != nil {
			t.Fatal(err)
		}
		f.donate(t, ledger.ProjectKey(f.project), 1000)
		f.donate(t, ledger.TaskKey(paid), 2500)
		f.donate(t, "general", 5000)
		for _, a := range []ledger.AllocationInput{
			{From: ledger.ProjectKey(f.project), Task: paid, Amount: 500},
			{From: "general", Task: kept, Amount: 1200},
		} {
			if _, err := f.ledger.Allocate(ctx, f.board, f.assoc.Name, a); err != nil {
				t.Fatal(err)
			}
		}
		// Another project's task, funded from the general fund: not ours.
		other := uuid.Must(uuid.NewV7())
		if err := f.inTx(t, func(tx store.Tx) error {
			return f.ledger.OpenTaskAccount(ctx, tx, f.assoc.ID, uuid.Must(uuid.NewV7()), other, 100)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ledger.Allocate(ctx, f.board, f.assoc.Name, ledger.AllocationInput{From: "general", Task: other, Amount: 100}); err != nil {
			t.Fatal(err)
		}
		if err := f.inTx(t, func(tx store.Tx) error {
			if err := f.ledger.LockTask(ctx, tx, paid); err != nil {
				return err
			}
			_, err := f.ledger.Payout(ctx, tx, paid, "https://b.example/actors/pro", "https://holon.example/submissions/1")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		got, err := f.ledger.FundingOfProject(ctx, nil, f.assoc.Name, f.project)
		want := ledger.ProjectFunding{Currency: "EUR", Donated: 3500, Allocated: 1700, Spent: 3000, Balance: 500 + 1200}
		if err != nil || got != want {
			t.Fatalf("funding %+v, %v; want %+v", got, err, want)
		}

		p, err := f.ledger.PayoutOfTask(ctx, nil, paid)
		if err != nil || p.Amount != 3000 || p.Paid {
			t.Fatalf("payout %+v, %v", p, err)
		}
		_, err = f.ledger.PayoutOfTask(ctx, nil, kept)
		wantCode(t, err, "payout-not-found")

		// A members-only association keeps its figures to its members.
		vis := membership.VisibilityMembers
		if _, err := f.members.UpdateAssociation(ctx, f.board, f.assoc.Name,
			membership.AssociationChange{Settings: membership.SettingsChange{Visibility: &vis}}); err != nil {
			t.Fatal(err)
		}
		outsider := f.account(t, "outsider")
		_, err = f.ledger.FundingOfProject(ctx, &outsider, f.assoc.Name, f.project)
		wantCode(t, err, "not-allowed")
		_, err = f.ledger.PayoutOfTask(ctx, &outsider, paid)
		wantCode(t, err, "not-allowed")
		if _, err := f.ledger.FundingOfProject(ctx, &f.board, f.assoc.Name, f.project); err != nil {
			t.Fatal(err)
		}
	})
}
