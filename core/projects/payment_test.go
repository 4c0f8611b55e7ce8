package projects_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
)

// treasurer makes a new member of commons its treasurer.
func (f fixture) treasurer(t *testing.T, name string) membership.Account {
	t.Helper()
	acc := f.member(t, name)
	role := membership.MemberTreasurer
	if _, err := f.members.UpdateMember(context.Background(), f.alice, "commons", name, membership.MemberChange{Role: &role}); err != nil {
		t.Fatal(err)
	}
	return acc
}

// paidOut is a task of commons done by pro within their reservation: its
// budget is owed to pro.
func (f fixture) paidOut(t *testing.T) projects.Task {
	t.Helper()
	ctx := context.Background()
	task := f.fundedTask(t, f.acceptedProject(t))
	pro := f.member(t, "pro")
	if _, err := f.svc.Reserve(ctx, pro, task.ID, f.clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	sub, err := f.svc.Submit(ctx, pro, task.ID, "flashed", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(2), projects.Accept, ""); err != nil {
		t.Fatal(err)
	}
	return task
}

func TestMarkPaid_MovesTheTaskFromDoneToPaid(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.paidOut(t)
		tess := f.treasurer(t, "tess")
		payout, err := f.ledger.PayoutOfTask(ctx, nil, task.ID)
		if err != nil || payout.Paid || payout.Payee != uri("pro") {
			t.Fatalf("payout %+v, %v", payout, err)
		}
		status := func() string {
			got, err := f.svc.Task(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}

		_, err = f.svc.MarkPaid(ctx, f.alice, payout.ID, "SEPA-1")
		wantCode(t, err, "treasurer-only")
		_, err = f.svc.MarkPaid(ctx, tess, payout.ID, " ")
		wantCode(t, err, "invalid-cause")
		_, err = f.svc.MarkPaid(ctx, tess, uuid.Must(uuid.NewV7()), "SEPA-1")
		wantCode(t, err, "payout-not-found")
		if s := status(); s != projects.TaskDone {
			t.Fatalf("refusals moved the task to %s", s)
		}

		f.clock.Advance(time.Hour)
		p, err := f.svc.MarkPaid(ctx, tess, payout.ID, "SEPA-1")
		if err != nil || !p.Paid || p.BankReference != "SEPA-1" || p.PaidBy != uri("tess") || !p.PaidAt.Equal(f.clock.Now().Truncate(time.Microsecond)) {
			t.Fatalf("mark paid = %+v, %v", p, err)
		}
		got, _ := f.svc.Task(ctx, task.ID)
		if got.Status != projects.TaskPaid || !got.UpdatedAt.Equal(*p.PaidAt) {
			t.Fatalf("task %+v", got)
		}
		_, err = f.svc.MarkPaid(ctx, tess, payout.ID, "SEPA-2")
		wantCode(t, err, "payout-already-paid")
		if again, _ := f.ledger.PayoutOfTask(ctx, nil, task.ID); again.BankReference != "SEPA-1" || status() != projects.TaskPaid {
			t.Fatalf("after a second attempt: %+v, task %s", again, status())
		}
	})
}

// A payout whose task is not done (here: a ledger account with no task)
// is not marked paid: the transaction holds both changes or neither.
func TestMarkPaid_WithoutADoneTaskChangesNothing(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		tess := f.treasurer(t, "tess")
		a, err := f.members.Association(ctx, "commons")
		if err != nil {
			t.Fatal(err)
		}
		project, orphan := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		err = f.db.InTx(ctx, func(tx store.Tx) error {
			if err := f.ledger.OpenTaskAccount(ctx, tx, a.ID, project, orphan, 1000); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f.fund(t, projects.Task{ID: orphan}, 1000)
		err = f.db.InTx(ctx, func(tx store.Tx) error {
			_, err := f.ledger.Payout(ctx, tx, orphan, uri("pro"), base+"/submissions/x")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		payout, err := f.ledger.PayoutOfTask(ctx, nil, orphan)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.MarkPaid(ctx, tess, payout.ID, "SEPA-1")
		wantCode(t, err, "task-not-found")
		if p, _ := f.ledger.PayoutOfTask(ctx, nil, orphan); p.Paid || p.BankReference != "" {
			t.Fatalf("the payout was marked paid without its task: %+v", p)
		}
	})
}
