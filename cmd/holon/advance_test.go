package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestAdvancePeriodically_AdoptsAProposalPastItsDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		// Proposed two hours ago for a one-hour consensus round: due now.
		past := fixedClock{time.Now().Add(-2 * time.Hour)}
		services := func(c core.Clock) *governance.Service {
			members := membership.New(db, c, membership.Policy{})
			ledgers := ledger.New(db, c, members)
			return governance.New(db, c, governance.Policy{}, governance.Executors{Ledger: ledgers,
				Projects: projects.New(db, c, projects.Policy{}, ledgers), Members: members})
		}
		members := membership.New(db, past, membership.Policy{})
		acc, err := members.CreateAccount(ctx, membership.NewAccount{Username: "alice", Email: "alice@example.org", Password: goodPassword}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := members.CreateAssociation(ctx, acc, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		none, hour := "0s", "1h"
		_, err = members.UpdateAssociation(ctx, acc, "commons", membership.AssociationChange{
			Settings: membership.SettingsChange{DebatePeriod: &none, ConsensusPeriod: &hour}})
		if err != nil {
			t.Fatal(err)
		}
		then := services(past)
		p, err := then.Propose(ctx, acc, "commons", governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Plant a hedge"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := then.Vote(ctx, acc, p.ID, governance.BallotInput{Position: governance.Agree}); err != nil {
			t.Fatal(err)
		}

		var logs syncBuffer
		ctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			advancePeriodically(ctx, services(core.SystemClock{}), zerolog.New(&logs), 10*time.Millisecond)
		}()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(logs.String(), `"proposals":1`) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(30 * time.Millisecond) // a few more rounds: nothing moves twice
		cancel()
		<-done
		got, err := then.Proposal(t.Context(), p.ID)
		if err != nil || got.Phase != governance.PhaseAdopted || strings.Count(logs.String(), "moved proposals") != 1 {
			t.Fatalf("proposal %+v (%v), logs:\n%s", got, err, logs.String())
		}
	})
}

// countsPublished records the counts the governance service publishes.
type countsPublished struct {
	mu     sync.Mutex
	agreed []int
}

func (c *countsPublished) Publish(_ context.Context, _ store.Tx, p governance.Publication) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.agreed = append(c.agreed, p.Tally.Count.Agree)
	return nil
}

func (c *countsPublished) last() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.agreed) == 0 {
		return 0, 0
	}
	return len(c.agreed), c.agreed[len(c.agreed)-1]
}

// The same loop publishes the counts a ballot changed, once the interval
// has passed: a ballot cast while it sleeps for its hour wakes it.
func TestAdvancePeriodically_PublishesTheCountsBallotsChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		votes, acc := commons(t, db, "1h")
		published := &countsPublished{}
		votes.UsePublisher(published, 50*time.Millisecond)
		p, err := votes.Propose(ctx, acc, "commons", governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Plant a hedge"})
		if err != nil {
			t.Fatal(err)
		}
		loop, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			advancePeriodically(loop, votes, zerolog.Nop(), time.Hour)
		}()
		time.Sleep(50 * time.Millisecond) // the loop has looked, found nothing, and sleeps
		if _, err := votes.Vote(ctx, acc, p.ID, governance.BallotInput{Position: governance.Agree}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for n, agreed := published.last(); (n < 2 || agreed != 1) && time.Now().Before(deadline); n, agreed = published.last() {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
		if n, agreed := published.last(); n != 2 || agreed != 1 {
			t.Fatalf("%d publications, the last with %d agreeing; want the Create then one Update with 1", n, agreed)
		}
	})
}

// A proposal made while the loop sleeps for its hour wakes it: its
// one-second consensus round closes on time.
func TestAdvancePeriodically_WakesForAProposalMadeWhileItSleeps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		votes, acc := commons(t, db, "1s")
		var logs syncBuffer
		loop, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			advancePeriodically(loop, votes, zerolog.New(&logs), time.Hour)
		}()
		time.Sleep(50 * time.Millisecond) // the loop has looked, found nothing, and sleeps
		p, err := votes.Propose(ctx, acc, "commons", governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Plant a hedge"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := votes.Vote(ctx, acc, p.ID, governance.BallotInput{Position: governance.Agree}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(6 * time.Second)
		for !strings.Contains(logs.String(), `"proposals":1`) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		<-done
		got, err := votes.Proposal(ctx, p.ID)
		if err != nil || got.Phase != governance.PhaseAdopted {
			t.Fatalf("proposal %+v (%v), logs:\n%s", got, err, logs.String())
		}
	})
}

// commons is alice's association "commons" on db, on the system clock,
// whose proposals go straight to a consensus round of the given length;
// and its governance service.
func commons(t *testing.T, db *store.DB, consensus string) (*governance.Service, membership.Account) {
	t.Helper()
	ctx := t.Context()
	c := core.SystemClock{}
	members := membership.New(db, c, membership.Policy{})
	ledgers := ledger.New(db, c, members)
	votes := governance.New(db, c, governance.Policy{}, governance.Executors{Ledger: ledgers,
		Projects: projects.New(db, c, projects.Policy{}, ledgers), Members: members})
	acc, err := members.CreateAccount(ctx, membership.NewAccount{Username: "alice", Email: "alice@example.org", Password: goodPassword}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := members.CreateAssociation(ctx, acc, membership.NewAssociation{Name: "commons"}); err != nil {
		t.Fatal(err)
	}
	none := "0s"
	if _, err := members.UpdateAssociation(ctx, acc, "commons", membership.AssociationChange{
		Settings: membership.SettingsChange{DebatePeriod: &none, ConsensusPeriod: &consensus}}); err != nil {
		t.Fatal(err)
	}
	return votes, acc
}
