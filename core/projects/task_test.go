package projects_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
)

func TestAddTask_RefusesBadFields(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		p := f.acceptedProject(t)
		long := make([]string, projects.MaxCriteria+1)
		for i := range long {
			long[i] = "criterion"
		}
		bad := []struct {
			name, field, code string
			mutate            func(*projects.TaskInput)
		}{
			{"no criteria", "done_criteria", "too-few", func(in *projects.TaskInput) { in.DoneCriteria = nil }},
			{"too many criteria", "done_criteria", "too-many", func(in *projects.TaskInput) { in.DoneCriteria = long }},
			{"blank criterion", "done_criteria", "required", func(in *projects.TaskInput) { in.DoneCriteria = []string{" "} }},
			{"negative budget", "budget", "invalid-amount", func(in *projects.TaskInput) { in.Budget = "-1.00" }},
			{"three decimals", "budget", "invalid-amount", func(in *projects.TaskInput) { in.Budget = "1.001" }},
			{"category", "category", "invalid-choice", func(in *projects.TaskInput) { in.Category = "magic" }},
			{"reservation past the association's", "max_reservation", "out-of-range", func(in *projects.TaskInput) { in.MaxReservation = "8760h" }},
			{"no reviewers", "reviewers", "too-few", func(in *projects.TaskInput) { in.Reviewers = nil }},
			{"reviewer not a URL", "reviewers", "not-a-url", func(in *projects.TaskInput) { in.Reviewers = []string{"alice"} }},
		}
		for _, tt := range bad {
			t.Run(tt.name, func(t *testing.T) {
				in := projects.TaskInput{Name: "x", Category: "other", DoneCriteria: []string{"done"}, Budget: "1",
					MaxReservation: "24h", Reviewers: []string{uri("alice")}}
				tt.mutate(&in)
				_, err := f.svc.AddTask(ctx, f.bob, p.ID, in)
				wantField(t, err, tt.field, tt.code)
			})
		}
		outsider := f.member(t, "carol")
		_, err := f.svc.AddTask(ctx, outsider, p.ID, projects.TaskInput{})
		wantCode(t, err, "holder-or-board-only")

		proposed, err := f.svc.Propose(ctx, f.bob, "commons", validProject())
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AddTask(ctx, f.bob, proposed.ID, projects.TaskInput{})
		wantCode(t, err, "project-not-accepted")

		task := f.task(t, p, nil)
		if task.Status != projects.TaskOpen || task.Budget != 25000 || task.MaxReservation != 72*time.Hour ||
			task.EstimatedEffort != 16*time.Hour || len(task.DoneCriteria) != 2 {
			t.Fatalf("got %+v", task)
		}
		draft := f.task(t, p, func(in *projects.TaskInput) { in.Draft = true })
		if draft.Status != projects.TaskDraft {
			t.Fatalf("draft: %+v", draft)
		}
		if _, err := f.svc.Reserve(ctx, f.bob, draft.ID, f.clock.Now().Add(time.Hour)); err == nil {
			t.Fatal("a draft task was reserved")
		}
		if draft, err = f.svc.OpenTask(ctx, f.bob, draft.ID); err != nil || draft.Status != projects.TaskOpen {
			t.Fatalf("open draft: %v %+v", err, draft)
		}
		if draft, err = f.svc.CancelTask(ctx, f.alice, draft.ID); err != nil || draft.Status != projects.TaskCancelled {
			t.Fatalf("cancel: %v %+v", err, draft)
		}
		_, err = f.svc.CancelTask(ctx, f.alice, draft.ID)
		wantCode(t, err, "task-not-open")
	})
}

func TestReserve_ConcurrentAttemptsOneWins(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		var people []membership.Account
		for i := range 20 {
			people = append(people, f.account(t, fmt.Sprintf("pro%d", i)))
		}
		until := f.clock.Now().Add(48 * time.Hour)
		var wg sync.WaitGroup
		errs := make([]error, len(people))
		for i, p := range people {
			wg.Go(func() { _, errs[i] = f.svc.Reserve(ctx, p, task.ID, until) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, projects.ErrTaskReserved):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d reservations won, want exactly 1", won)
		}
		res, err := f.svc.Reservations(ctx, task.ID)
		if err != nil || len(res) != 1 || res[0].Status != "active" {
			t.Fatalf("reservations: %v %+v", err, res)
		}
		got, _ := f.svc.Task(ctx, task.ID)
		if got.Status != projects.TaskReserved || got.ReservedBy != res[0].Actor || !got.ReservedUntil.Equal(until) {
			t.Fatalf("task %+v", got)
		}
	})
}

func TestReserve_DeadlineWithinTheTasksMaximum(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		now := f.clock.Now()
		unfunded := f.task(t, f.acceptedProject(t), nil)
		_, err := f.svc.Reserve(ctx, f.bob, unfunded.ID, now.Add(time.Hour))
		wantCode(t, err, "task-not-funded")
		for _, until := range []time.Time{now, now.Add(-time.Hour), now.Add(72*time.Hour + time.Second)} {
			_, err := f.svc.Reserve(ctx, f.bob, task.ID, until)
			wantField(t, err, "until", "deadline-out-of-range")
		}
		if _, err := f.svc.Reserve(ctx, f.bob, task.ID, now.Add(72*time.Hour)); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Reserve(ctx, f.alice, task.ID, now.Add(time.Hour))
		wantCode(t, err, "task-already-reserved")
		_, err = f.svc.Reserve(ctx, f.bob, uuid.Must(uuid.NewV7()), now.Add(time.Hour))
		wantCode(t, err, "task-not-found")
	})
}

func TestRelease_ByTheHolderOrTheBoardWithAReason(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		carol := f.member(t, "carol")
		if _, err := f.svc.Reserve(ctx, f.bob, task.ID, f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Release(ctx, carol, task.ID, "mine now")
		wantCode(t, err, "not-reservation-holder")
		_, err = f.svc.Release(ctx, f.alice, task.ID, "")
		wantField(t, err, "reason", "required")
		r, err := f.svc.Release(ctx, f.alice, task.ID, "no news for weeks")
		if err != nil || r.Status != "released" || r.EndedBy != uri("alice") || r.Reason != "no news for weeks" {
			t.Fatalf("board release: %v %+v", err, r)
		}
		_, err = f.svc.Release(ctx, f.bob, task.ID, "")
		wantCode(t, err, "task-not-reserved")
		if _, err := f.svc.Reserve(ctx, carol, task.ID, f.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Release(ctx, carol, task.ID, ""); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.Task(ctx, task.ID)
		if got.Status != projects.TaskOpen || got.ReservedBy != "" || got.ReservedUntil != nil {
			t.Fatalf("task after release %+v", got)
		}
	})
}

func TestLapseDue_ReopensEachReservationOnceWithSeveralSweepers(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		p := f.acceptedProject(t)
		var tasks []projects.Task
		for range 5 {
			task := f.fundedTask(t, p)
			if _, err := f.svc.Reserve(ctx, f.bob, task.ID, f.clock.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			tasks = append(tasks, task)
		}
		late := f.fundedTask(t, p)
		if _, err := f.svc.Reserve(ctx, f.bob, late.ID, f.clock.Now().Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.LapseDue(ctx); err != nil || n != 0 {
			t.Fatalf("nothing due yet: %d %v", n, err)
		}
		f.clock.Advance(time.Hour)
		// Several processes sweep at once: each reservation lapses once.
		sweepers := make([]*projects.Service, 4)
		counts := make([]int, len(sweepers))
		var wg sync.WaitGroup
		for i := range sweepers {
			sweepers[i] = projects.New(f.db, f.clock, projects.Policy{BaseURL: base}, f.ledger)
			wg.Go(func() {
				n, err := sweepers[i].LapseDue(ctx)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			})
		}
		wg.Wait()
		total := 0
		for _, n := range counts {
			total += n
		}
		if total != len(tasks) {
			t.Fatalf("lapsed %d reservations (%v), want %d", total, counts, len(tasks))
		}
		for _, task := range tasks {
			got, _ := f.svc.Task(ctx, task.ID)
			res, _ := f.svc.Reservations(ctx, task.ID)
			if got.Status != projects.TaskOpen || len(res) != 1 || res[0].Status != "lapsed" || res[0].EndedAt == nil {
				t.Fatalf("task %+v reservations %+v", got, res)
			}
		}
		if got, _ := f.svc.Task(ctx, late.ID); got.Status != projects.TaskReserved {
			t.Fatalf("a reservation lapsed before its deadline: %+v", got)
		}
	})
}
