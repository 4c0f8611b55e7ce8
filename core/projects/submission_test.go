package projects_test

import (
	"context"
	"testing"
	"time"

	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
)

func allMet(n int) []projects.CriterionCheck {
	c := make([]projects.CriterionCheck, n)
	for i := range c {
		c[i].Met = true
	}
	return c
}

// funding reads task's balance and lock from the ledger.
func (f fixture) funding(t *testing.T, task projects.Task) (balance int64, locked bool) {
	t.Helper()
	var err error
	_ = f.db.InTx(context.Background(), func(tx store.Tx) error {
		balance, _, locked, err = f.ledger.TaskFunding(context.Background(), tx, task.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return balance, locked
}

func TestReview_AcceptedWithinTheReservationPaysOut(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		pro := f.member(t, "pro")
		if _, err := f.svc.Reserve(ctx, pro, task.ID, f.clock.Now().Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, locked := f.funding(t, task); !locked {
			t.Fatal("the reservation did not lock the budget")
		}
		_, err := f.svc.Submit(ctx, f.bob, task.ID, "I did it", nil)
		wantCode(t, err, "reserved-by-another")
		_, err = f.svc.Submit(ctx, pro, task.ID, "done", []string{"javascript:alert(1)"})
		wantField(t, err, "links", "not-a-url")
		sub, err := f.svc.Submit(ctx, pro, task.ID, "All ten routers run the new firmware.", []string{"https://git.example/mesh"})
		if err != nil {
			t.Fatal(err)
		}

		_, err = f.svc.ReviewSubmission(ctx, f.bob, sub.ID, allMet(2), projects.Accept, "")
		wantCode(t, err, "not-reviewer")
		_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(1), projects.Accept, "")
		wantField(t, err, "criteria", "one-check-per-criterion")
		_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, []projects.CriterionCheck{{Met: true}, {Met: false}}, projects.Accept, "")
		wantField(t, err, "criteria", "criteria-not-met")

		f.clock.Advance(time.Hour)
		rv, err := f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(2), projects.Accept, "thanks")
		if err != nil || rv.Outcome != projects.OutcomePayout || rv.Value != 25000 {
			t.Fatalf("review: %v %+v", err, rv)
		}
		_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(2), projects.Accept, "again")
		wantCode(t, err, "already-reviewed")

		got, _ := f.svc.Task(ctx, task.ID)
		if got.Status != projects.TaskDone {
			t.Fatalf("task %+v", got)
		}
		if balance, locked := f.funding(t, task); balance != 0 || locked {
			t.Fatalf("after payout: balance %d locked %v", balance, locked)
		}
		res, _ := f.svc.Reservations(ctx, task.ID)
		if len(res) != 1 || res[0].Status != "completed" {
			t.Fatalf("reservations %+v", res)
		}
		rec, err := f.svc.Recognitions(ctx, uri("pro"))
		if err != nil || len(rec) != 1 || rec[0].Outcome != "payout" || rec[0].Value != 25000 || rec[0].TaskID != task.ID {
			t.Fatalf("recognitions: %v %+v", err, rec)
		}
	})
}

func TestReview_LateOrUnreservedIsAVolunteerCompletion(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		p := f.acceptedProject(t)
		volunteer := f.member(t, "vol")

		// Unreserved: anyone may complete the task.
		free := f.fundedTask(t, p)
		sub, err := f.svc.Submit(ctx, volunteer, free.ID, "translated it", nil)
		if err != nil {
			t.Fatal(err)
		}
		rv, err := f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(2), projects.Accept, "")
		if err != nil || rv.Outcome != projects.OutcomeVolunteer {
			t.Fatalf("review: %v %+v", err, rv)
		}
		if balance, locked := f.funding(t, free); balance != 25000 || locked {
			t.Fatalf("a volunteer completion moved money: balance %d locked %v", balance, locked)
		}

		// Reserved, submitted in time, accepted after the deadline.
		late := f.fundedTask(t, p)
		if _, err := f.svc.Reserve(ctx, volunteer, late.ID, f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		sub, err = f.svc.Submit(ctx, volunteer, late.ID, "done", nil)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(2 * time.Hour)
		rv, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(2), projects.Accept, "")
		if err != nil || rv.Outcome != projects.OutcomeVolunteer {
			t.Fatalf("late review: %v %+v", err, rv)
		}
		res, _ := f.svc.Reservations(ctx, late.ID)
		if len(res) != 1 || res[0].Status != "lapsed" {
			t.Fatalf("reservations %+v", res)
		}
		rec, err := f.svc.Recognitions(ctx, uri("vol"))
		if err != nil || len(rec) != 2 || rec[0].Outcome != "volunteer" || rec[1].Outcome != "volunteer" {
			t.Fatalf("recognitions: %v %+v", err, rec)
		}
	})
}

func TestReview_OwnSubmissionIsRefused(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		// alice reviews this task: she may not review her own work.
		sub, err := f.svc.Submit(ctx, f.alice, task.ID, "mine", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(2), projects.Accept, "")
		wantCode(t, err, "own-submission")
		_, err = f.svc.Submit(ctx, f.bob, task.ID, "also mine", nil)
		wantCode(t, err, "task-not-submittable")
	})
}

func TestReview_RejectedGoesBackToTheHolderUntilTheDeadline(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		if _, err := f.svc.Reserve(ctx, f.bob, task.ID, f.clock.Now().Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		sub, err := f.svc.Submit(ctx, f.bob, task.ID, "first try", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, []projects.CriterionCheck{{Met: true}, {Met: false}}, projects.Reject, "")
		wantField(t, err, "comment", "required")
		rv, err := f.svc.ReviewSubmission(ctx, f.alice, sub.ID, []projects.CriterionCheck{{Met: true}, {Met: false, Comment: "two routers missing"}}, projects.Reject, "almost")
		if err != nil || rv.Outcome != projects.OutcomeRejected || rv.Value != 0 {
			t.Fatalf("reject: %v %+v", err, rv)
		}
		got, _ := f.svc.Task(ctx, task.ID)
		if got.Status != projects.TaskReserved || got.ReservedBy != uri("bob") {
			t.Fatalf("rejected within the reservation: %+v", got)
		}
		if _, locked := f.funding(t, task); !locked {
			t.Fatal("the budget was unlocked while the reservation holds")
		}
		// The reservation then lapses: the task reopens, the budget is free.
		f.clock.Advance(25 * time.Hour)
		if n, err := f.svc.LapseDue(ctx); err != nil || n != 1 {
			t.Fatalf("lapse: %d %v", n, err)
		}
		got, _ = f.svc.Task(ctx, task.ID)
		if _, locked := f.funding(t, task); got.Status != projects.TaskOpen || locked {
			t.Fatalf("after lapse: %+v locked %v", got, locked)
		}
	})
}
