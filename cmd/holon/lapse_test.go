package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestLapsePeriodically_ReopensATaskAtItsDeadline(t *testing.T) {
	cases := []struct {
		name        string
		until       time.Duration // the deadline, from now
		every       time.Duration // the loop's longest sleep
		whileAsleep bool          // reserved once the loop sleeps, not before it starts
	}{
		// Reserved two hours ago for one hour: due at once.
		{"past its deadline", -time.Hour, 10 * time.Millisecond, false},
		// Due in a moment: the loop wakes for it, not after its hour.
		{"at its deadline", 1500 * time.Millisecond, time.Hour, false},
		// Reserved while the loop sleeps for its hour: the reservation
		// wakes it, and it lapses at its deadline.
		{"reserved while the loop sleeps", 1500 * time.Millisecond, time.Hour, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { lapseAt(t, c.until, c.every, c.whileAsleep) })
	}
}

func lapseAt(t *testing.T, until, every time.Duration, whileAsleep bool) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		past := fixedClock{time.Now().Add(-2 * time.Hour)}
		members := membership.New(db, past, membership.Policy{})
		ledgers := ledger.New(db, past, members)
		tasks := projects.New(db, past, projects.Policy{}, ledgers)
		acc, err := members.CreateAccount(ctx, membership.NewAccount{Username: "alice", Email: "alice@example.org", Password: goodPassword}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := members.CreateAssociation(ctx, acc, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		if _, err := members.UpdateAssociation(ctx, acc, "commons", membership.AssociationChange{Settings: membership.SettingsChange{BoardMayEvaluateProjects: &yes}}); err != nil {
			t.Fatal(err)
		}
		s := func(v string) *string { return &v }
		p, err := tasks.Propose(ctx, acc, "commons", projects.ProjectInput{Name: s("Mesh"), Licence: s("MIT"), Architecture: s("distributed")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tasks.Evaluate(ctx, acc, p.ID, projects.Accept, ""); err != nil {
			t.Fatal(err)
		}
		task, err := tasks.AddTask(ctx, acc, p.ID, projects.TaskInput{Name: "Flash", Category: "other", DoneCriteria: []string{"flashed"},
			Budget: "10.00", MaxReservation: "3h", Reviewers: []string{"http://127.0.0.1:8080/actors/bob"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ledgers.Donate(ctx, nil, "commons", ledger.DonationInput{Amount: 1000, Currency: "EUR", Target: "task:" + task.ID.String()}); err != nil {
			t.Fatal(err)
		}
		now := projects.New(db, core.SystemClock{}, projects.Policy{}, ledger.New(db, core.SystemClock{}, members))
		reserve := func() {
			by := now
			if until < 0 {
				by = tasks // two hours ago
			}
			if _, err := by.Reserve(ctx, acc, task.ID, time.Now().Add(until)); err != nil {
				t.Fatal(err)
			}
		}
		if !whileAsleep {
			reserve()
		}

		var logs syncBuffer
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			lapsePeriodically(ctx, now, zerolog.New(&logs), every)
		}()
		if whileAsleep {
			time.Sleep(50 * time.Millisecond) // the loop has looked, found nothing, and sleeps
			reserve()
		}
		deadline := time.Now().Add(max(until, 0) + 5*time.Second)
		for !strings.Contains(logs.String(), `"reservations":1`) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
		got, err := tasks.Task(t.Context(), task.ID)
		if err != nil || got.Status != projects.TaskOpen || strings.Count(logs.String(), "lapsed reservations") != 1 {
			t.Fatalf("task %+v (%v), logs:\n%s", got, err, logs.String())
		}
	})
}
