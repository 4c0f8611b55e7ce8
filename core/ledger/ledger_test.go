package ledger_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// balances returns every balance of the fixture's association, by key.
func (f *fixture) balances(t tb) map[string]int64 {
	t.Helper()
	list, err := f.ledger.Balances(context.Background(), &f.board, f.assoc.Name)
	if err != nil {
		t.Fatalf("balances: %v", err)
	}
	out := map[string]int64{}
	for _, b := range list {
		out[b.Account] = b.Balance
	}
	return out
}

func (f *fixture) treasurer(t testing.TB) membership.Account {
	t.Helper()
	acc := f.account(t, "treasurer")
	ctx := context.Background()
	if _, err := f.members.Join(ctx, acc, f.assoc.Name); err != nil {
		t.Fatalf("join: %v", err)
	}
	role := membership.MemberTreasurer
	if _, err := f.members.UpdateMember(ctx, f.board, f.assoc.Name, acc.Username, membership.MemberChange{Role: &role}); err != nil {
		t.Fatalf("make treasurer: %v", err)
	}
	return acc
}

// TestRefusals checks that every bad money operation is refused with its
// code and changes nothing.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		open := f.task(t, 1000)
		closed := f.task(t, 1000)
		locked := f.task(t, 1000)
		done := f.task(t, 1000)
		f.donate(t, "general", 5000)
		f.donate(t, ledger.TaskKey(locked), 1500)
		f.donate(t, ledger.TaskKey(done), 800)
		holder := "https://c.example/actors/v"
		err := f.inTx(t, func(tx store.Tx) error {
			if err := f.ledger.CloseTaskAccount(ctx, tx, closed); err != nil {
				return err
			}
			if err := f.ledger.LockTask(ctx, tx, locked); err != nil {
				return err
			}
			return f.ledger.GrantReallocationRight(ctx, tx, done, holder, "https://holon.example/submissions/9")
		})
		if err != nil {
			t.Fatal(err)
		}
		outsider := f.account(t, "outsider")
		donate := func(amount int64, cur, target string) func() error {
			return func() error {
				_, err := f.ledger.Donate(ctx, nil, f.assoc.Name, ledger.DonationInput{Amount: amount, Currency: cur, Target: target})
				return err
			}
		}
		allocate := func(by membership.Account, from string, task uuid.UUID, amount int64) func() error {
			return func() error {
				_, err := f.ledger.Allocate(ctx, by, f.assoc.Name, ledger.AllocationInput{From: from, Task: task, Amount: amount, Currency: "EUR"})
				return err
			}
		}
		reallocate := func(to uuid.UUID, amount int64) func() error {
			return func() error {
				_, err := f.ledger.Reallocate(ctx, holder, done, []ledger.Part{{Task: to, Amount: amount}})
				return err
			}
		}
		tests := []struct {
			name string
			do   func() error
			code string
		}{
			{"zero donation", donate(0, "EUR", "general"), "invalid-amount"},
			{"negative donation", donate(-100, "EUR", "general"), "invalid-amount"},
			{"wrong currency", donate(100, "USD", "general"), "wrong-currency"},
			{"unknown currency", donate(100, "XXZ", "general"), "wrong-currency"},
			{"donation to a closed task", donate(100, "EUR", ledger.TaskKey(closed)), "task-closed"},
			{"donation to an unknown task", donate(100, "EUR", ledger.TaskKey(uuid.Must(uuid.NewV7()))), "ledger-account-not-found"},
			{"donation to a bad target", donate(100, "EUR", "payees"), "invalid-target"},
			{"donation to an external account", donate(100, "EUR", "external:payees"), "invalid-target"},
			{"a donor's name of 201 letters", func() error {
				_, err := f.ledger.Donate(ctx, nil, f.assoc.Name, ledger.DonationInput{Amount: 100, Currency: "EUR",
					Donor: strings.Repeat("ж", ledger.MaxDonorName+1)})
				return err
			}, "invalid-input"},
			{"allocation beyond the balance", allocate(f.board, "general", open, 5001), "insufficient-funds"},
			{"allocation above the board's limit", allocate(f.board, "general", open, 100001), "allocation-needs-proposal"},
			{"allocation by a non-member", allocate(outsider, "general", open, 100), "board-or-treasurer-only"},
			{"allocation to a closed task", allocate(f.board, "general", closed, 100), "task-closed"},
			{"allocation out of a task", allocate(f.board, ledger.TaskKey(locked), open, 100), "invalid-target"},
			{"negative allocation", allocate(f.board, "general", open, -5), "invalid-amount"},
			{"reallocation beyond the right", reallocate(open, 801), "reallocation-right-exceeded"},
			{"reallocation to a closed task", reallocate(closed, 100), "task-closed"},
			{"reallocation out of a locked task", func() error {
				err := f.inTx(t, func(tx store.Tx) error {
					return f.ledger.GrantReallocationRight(ctx, tx, locked, holder, "https://holon.example/submissions/10")
				})
				return err
			}, "task-locked"},
			{"zero reallocation", reallocate(open, 0), "invalid-amount"},
			{"refund from a locked task", func() error {
				tr := f.treasurer(t)
				page, err := f.ledger.Ledger(ctx, &f.board, f.assoc.Name, uuid.Nil, 10)
				if err != nil {
					return err
				}
				var lockedDonation uuid.UUID
				for _, tx := range page.Items {
					for _, p := range tx.Postings {
						if p.Account == ledger.TaskKey(locked) && tx.Kind == ledger.KindDonation {
							lockedDonation = tx.ID
						}
					}
				}
				_, err = f.ledger.Refund(ctx, tr, lockedDonation, 1, "asked back")
				return err
			}, "insufficient-funds"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.balances(t)
				err := tt.do()
				wantCode(t, err, tt.code)
				after := f.balances(t)
				for k, v := range before {
					if after[k] != v {
						t.Errorf("%s changed from %d to %d", k, v, after[k])
					}
				}
			})
		}
		// 200 letters of two bytes each are 200 letters.
		if _, err := f.ledger.Donate(ctx, nil, f.assoc.Name, ledger.DonationInput{Amount: 100, Currency: "EUR",
			Donor: strings.Repeat("ж", ledger.MaxDonorName)}); err != nil {
			t.Errorf("a donor's name of 200 Cyrillic letters: %v", err)
		}
	})
}

// TestConcurrentAllocations_NeverOverdraw races 20 allocations of 100 for a
// general fund of 1,000: exactly ten win.
func TestConcurrentAllocations_NeverOverdraw(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		f.donate(t, "general", 1000)
		tasks := make([]uuid.UUID, 4)
		for i := range tasks {
			tasks[i] = f.task(t, 500)
		}
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = f.ledger.Allocate(ctx, f.board, f.assoc.Name,
					ledger.AllocationInput{From: "general", Task: tasks[i%len(tasks)], Amount: 100, Currency: "EUR"})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, ledger.ErrInsufficientFunds):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		b := f.balances(t)
		if won != 10 || b["general"] != 0 {
			t.Fatalf("%d allocations won, general = %d; want 10 and 0", won, b["general"])
		}
		checkInvariants(t, f)
	})
}

// TestTrace follows a donation through an allocation and a payout, and shows
// which donations fund a task; the hidden donor stays hidden from the public.
func TestTrace(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		task := f.task(t, 700)
		first, err := f.ledger.Donate(ctx, nil, f.assoc.Name, ledger.DonationInput{Amount: 500, Currency: "eur", Donor: "Ada", PublicName: false})
		if err != nil {
			t.Fatal(err)
		}
		second, err := f.ledger.Donate(ctx, nil, f.assoc.Name, ledger.DonationInput{Amount: 500, Currency: "EUR", Donor: "Grace", PublicName: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.ledger.Allocate(ctx, f.board, f.assoc.Name, ledger.AllocationInput{Task: task, Amount: 700}); err != nil {
			t.Fatal(err)
		}
		err = f.inTx(t, func(tx store.Tx) error {
			if err := f.ledger.LockTask(ctx, tx, task); err != nil {
				return err
			}
			_, err := f.ledger.Payout(ctx, tx, task, "https://b.example/actors/pro", "https://holon.example/submissions/1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := f.ledger.Trace(ctx, nil, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		// FIFO: the first donation went first, so 200 of the second reached
		// the task and the payee, and 300 stay in the general fund.
		var got []string
		for _, s := range tr.Steps {
			got = append(got, s.Kind+" "+s.From+">"+strings.SplitN(s.To, ":", 2)[0]+" "+money(s.Amount)+" "+s.Payee)
		}
		want := []string{"donation external:donors>general 500 ", "allocation general>task 200 ",
			"payout task:" + task.String() + ">external 200 https://b.example/actors/pro"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("trace steps:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(tr.Holdings) != 1 || tr.Holdings[0].Account != "general" || tr.Holdings[0].Amount != 300 {
			t.Fatalf("holdings = %+v", tr.Holdings)
		}
		if tr.Donation.Donor != "Grace" {
			t.Fatalf("public donor = %q", tr.Donation.Donor)
		}
		funding, err := f.ledger.FundingOf(ctx, nil, task)
		if err != nil {
			t.Fatal(err)
		}
		if len(funding) != 2 || funding[0].Donation != first.ID || funding[0].In != 500 || funding[0].Donor != "" ||
			funding[1].In != 200 || funding[1].Donor != "Grace" || funding[0].Remaining+funding[1].Remaining != 0 {
			t.Fatalf("funding = %+v", funding)
		}
		members, err := f.ledger.FundingOf(ctx, &f.board, task)
		if err != nil || members[0].Donor != "Ada" {
			t.Fatalf("members see donor %+v, %v", members, err)
		}
		page, err := f.ledger.Ledger(ctx, nil, f.assoc.Name, uuid.Nil, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Items[0].Kind != ledger.KindPayout || page.Next == uuid.Nil {
			t.Fatalf("first page = %+v", page)
		}
		rest, err := f.ledger.Ledger(ctx, nil, f.assoc.Name, page.Next, 10)
		if err != nil || len(rest.Items) != 2 || rest.Items[1].Donor != "" || rest.Next != uuid.Nil {
			t.Fatalf("second page = %+v, %v", rest, err)
		}
		var buf bytes.Buffer
		if err := ledger.WriteCSV(&buf, rest); err != nil {
			t.Fatal(err)
		}
		if lines := strings.Count(buf.String(), "\n"); lines != 3 || !strings.Contains(buf.String(), "Grace") || strings.Contains(buf.String(), "Ada") {
			t.Fatalf("csv:\n%s", buf.String())
		}
	})
}

// TestMarkPaidAndRefund: only the treasurer marks a payout paid, once, and
// refunds a donation from where it sits.
func TestMarkPaidAndRefund(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		tr := f.treasurer(t)
		task := f.task(t, 300)
		d := f.donate(t, ledger.TaskKey(task), 1000)
		var payout ledger.Transaction
		err := f.inTx(t, func(tx store.Tx) error {
			var err error
			payout, err = f.ledger.Payout(ctx, tx, task, "https://b.example/actors/pro", "https://holon.example/submissions/1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		markPaid := func(by membership.Account, id uuid.UUID, ref string) (p ledger.Payout, err error) {
			_ = f.db.InTx(ctx, func(tx store.Tx) error {
				p, err = f.ledger.MarkPaid(ctx, tx, by, id, ref)
				return err
			})
			return p, err
		}
		_, err = markPaid(f.board, payout.ID, "SEPA-1")
		wantCode(t, err, "treasurer-only")
		p, err := markPaid(tr, payout.ID, "SEPA-1")
		if err != nil || !p.Paid || p.BankReference != "SEPA-1" || p.PaidAt == nil {
			t.Fatalf("mark paid = %+v, %v", p, err)
		}
		_, err = markPaid(tr, payout.ID, "SEPA-2")
		wantCode(t, err, "payout-already-paid")
		_, err = markPaid(tr, uuid.Must(uuid.NewV7()), "SEPA-2")
		wantCode(t, err, "payout-not-found")

		_, err = f.ledger.Refund(ctx, f.board, d.ID, 100, "")
		wantCode(t, err, "treasurer-only")
		_, err = f.ledger.Refund(ctx, tr, d.ID, 701, "")
		wantCode(t, err, "insufficient-funds")
		if _, err := f.ledger.Refund(ctx, tr, d.ID, 700, "asked back"); err != nil {
			t.Fatal(err)
		}
		if b := f.balances(t); b[ledger.TaskKey(task)] != 0 || b["external:donors"] != -300 || b["external:payees"] != 300 {
			t.Fatalf("balances = %v", b)
		}
		checkInvariants(t, f)
	})
}

func money(n int64) string { return strconv.FormatInt(n, 10) }

// TestRecordDonation checks that only the treasurer writes a received
// donation into the ledger, under the donor's name, signed by the treasurer.
func TestRecordDonation(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, f *fixture) {
		outsider := f.account(t, "outsider")
		in := ledger.DonationInput{Amount: 1200, Currency: "EUR", Donor: "Ada", PublicName: true}
		for _, by := range []membership.Account{outsider, f.board} {
			_, err := f.ledger.RecordDonation(ctx, by, f.assoc.Name, in)
			wantCode(t, err, "treasurer-only")
		}
		if got := f.balances(t)[ledger.KeyGeneral]; got != 0 {
			t.Fatalf("general holds %d after refused donations", got)
		}
		tr := f.treasurer(t)
		d, err := f.ledger.RecordDonation(ctx, tr, f.assoc.Name, in)
		if err != nil {
			t.Fatal(err)
		}
		if d.Donor != "Ada" || !d.DonorPublic || d.CreatedBy != f.members.ActorURI(tr.Username) || d.Amount != 1200 {
			t.Fatalf("donation %+v", d)
		}
		if got := f.balances(t)[ledger.KeyGeneral]; got != 1200 {
			t.Fatalf("general holds %d, want 1200", got)
		}
		task := f.task(t, 500)
		if c, err := f.ledger.TaskCurrency(ctx, task); err != nil || c != "EUR" {
			t.Fatalf("task currency %q, %v", c, err)
		}
		_, err = f.ledger.TaskCurrency(ctx, uuid.Must(uuid.NewV7()))
		wantCode(t, err, "task-account-not-found")
	})
}
