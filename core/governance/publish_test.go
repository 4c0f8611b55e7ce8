package governance_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/store"
)

// publications records what the service hands its publisher, as the
// transaction saw it; fail makes the next publication fail.
type publications struct {
	mu   sync.Mutex
	list []governance.Publication
	fail error
}

func (p *publications) Publish(ctx context.Context, tx store.Tx, pub governance.Publication) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.list = append(p.list, pub)
	return nil
}

// take returns the publications since the last call.
func (p *publications) take() []governance.Publication {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

const countsEvery = 30 * time.Second

func (f *fixture) publishCounts(t testing.TB) int {
	t.Helper()
	n, err := f.svc.PublishCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A proposal is published when it is made, at each change of phase and
// when it closes, each time as it then stands (phases, options, counts);
// ballots are published too, but at most once per interval, however many
// there are.
func TestPublish_AProposalThroughItsPhases(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		pubs := &publications{}
		f.svc.UsePublisher(pubs, countsEvery)
		one := func(what, kind, phase string) governance.Publication {
			t.Helper()
			list := pubs.take()
			if len(list) != 1 || list[0].Type != kind || list[0].Proposal.Phase != phase {
				t.Fatalf("%s: published %+v, want one %s in phase %s", what, list, kind, phase)
			}
			return list[0]
		}

		p := f.allocation(t, "10.00")
		created := one("made", "Create", governance.PhaseDebate)
		if len(created.Phases) != 1 || created.Tally.Phase != governance.PhaseDebate || created.Proposal.Deadline == nil {
			t.Fatalf("made: %+v", created)
		}

		f.advance(t, debate)
		opened := one("consensus opens", "Update", governance.PhaseConsensus)
		if len(opened.Phases) != 2 || opened.Tally.Phase != governance.PhaseConsensus || opened.Tally.Count.Eligible != 4 {
			t.Fatalf("consensus opens: %+v", opened)
		}

		// Ballots: nothing at once; one Update once the interval has
		// passed since the first, with every ballot cast meanwhile.
		f.vote(t, f.bob, p, agree)
		f.clock.Advance(countsEvery / 2)
		f.vote(t, f.carol, p, abstain)
		f.vote(t, f.bob, p, abstain)
		if n := f.publishCounts(t); n != 0 || len(pubs.take()) != 0 {
			t.Fatalf("counts published before the interval: %d", n)
		}
		if next, ok, err := f.svc.NextCountsDue(ctx); err != nil || !ok || !next.Equal(f.clock.Now().Add(countsEvery/2)) {
			t.Fatalf("next counts due %v %v %v, now %v", next, ok, err, f.clock.Now())
		}
		f.clock.Advance(countsEvery / 2)
		if n := f.publishCounts(t); n != 1 {
			t.Fatalf("%d counts published", n)
		}
		counts := one("counts", "Update", governance.PhaseConsensus)
		if c := counts.Tally.Count; c.Abstain != 2 || c.Agree != 0 || c.Participants != 2 {
			t.Fatalf("counts published: %+v", c)
		}
		if n := f.publishCounts(t); n != 0 {
			t.Fatalf("counts published twice: %d", n)
		}
		if _, ok, _ := f.svc.NextCountsDue(ctx); ok {
			t.Fatal("counts still wait")
		}

		// A ballot just before the deadline: the change of phase publishes
		// it, and nothing waits after.
		f.vote(t, f.alice, p, agree)
		f.advance(t, consensus)
		closed := one("adopted", "Update", governance.PhaseAdopted)
		if closed.Proposal.ClosedAt == nil || !closed.Tally.Final || closed.Tally.Count.Agree != 1 || closed.Tally.Count.Abstain != 2 {
			t.Fatalf("adopted: %+v", closed)
		}
		f.clock.Advance(countsEvery)
		if n := f.publishCounts(t); n != 0 || len(pubs.take()) != 0 {
			t.Fatalf("counts published after the close: %d", n)
		}
	})
}

// Ballots cast while the counts are being published are never lost: once
// the voting stops, the last publication shows every ballot.
func TestPublish_BallotsDuringAPublicationAreNotLost(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		pubs := &publications{}
		f.svc.UsePublisher(pubs, time.Millisecond)
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		positions := []governance.BallotInput{agree, abstain, object}
		done := make(chan struct{})
		var wg sync.WaitGroup
		for i, voter := range []string{"bob", "carol", "dave"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				acc, err := f.members.Account(ctx, voter)
				if err != nil {
					t.Error(err)
					return
				}
				for k := range 12 {
					if _, err := f.svc.Vote(ctx, acc, p.ID, positions[(i+k)%3]); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		go func() { wg.Wait(); close(done) }()
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
			}
			f.clock.Advance(time.Millisecond)
			if _, err := f.svc.PublishCounts(ctx); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.Advance(time.Millisecond)
		f.publishCounts(t)
		list := pubs.take()
		tally, err := f.svc.Tally(ctx, p.ID)
		if err != nil || len(list) == 0 {
			t.Fatalf("%d publications, tally %v", len(list), err)
		}
		if got := list[len(list)-1].Tally.Count; got.Agree != tally.Count.Agree || got.Abstain != tally.Count.Abstain ||
			got.Object != tally.Count.Object || got.Participants != 3 {
			t.Fatalf("last published %+v, counted %+v", got, tally.Count)
		}
	})
}

// A withdrawal is published; a value vote opens with its options and no
// counts.
func TestPublish_WithdrawalAndValueVote(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		pubs := &publications{}
		f.svc.UsePublisher(pubs, countsEvery)
		p := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Where?", Options: []string{"North", "South"}})
		toValueVote(t, f, p)
		list := pubs.take()
		last := list[len(list)-1]
		if last.Proposal.Phase != governance.PhaseValueVote || last.Tally.Phase != governance.PhaseValueVote ||
			len(last.Tally.Options) != 2 || len(last.Tally.Count.Totals) != 2 || len(last.Phases) != 3 {
			t.Fatalf("value vote opens: %+v", last)
		}
		if _, err := f.svc.Withdraw(context.Background(), f.alice, p.ID); err != nil {
			t.Fatal(err)
		}
		list = pubs.take()
		if len(list) != 1 || list[0].Type != "Update" || list[0].Proposal.Phase != governance.PhaseWithdrawn || list[0].Proposal.ClosedAt == nil {
			t.Fatalf("withdrawn: %+v", list)
		}
	})
}

// The publication is part of the change: when it cannot be written the
// change is not made either.
func TestPublish_AFailedPublicationUndoesTheChange(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		pubs := &publications{fail: errors.New("the outbox is full")}
		f.svc.UsePublisher(pubs, countsEvery)
		if _, err := f.svc.Propose(ctx, f.alice, "commons", governance.ProposalInput{Category: governance.CategoryGeneral,
			Title: "Plant a hedge"}); err == nil {
			t.Fatal("proposed without its publication")
		}
		if list, _, err := f.svc.Proposals(ctx, "commons", uuid.Nil, 10); err != nil || len(list) != 0 {
			t.Fatalf("proposals: %+v %v", list, err)
		}
	})
}

// Without a publisher, ballots leave nothing waiting to be published.
func TestPublish_NothingWaitsWithoutAPublisher(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		f.vote(t, f.bob, p, agree)
		if _, err := f.db.CountChanges().Oldest(context.Background()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a change waits: %v", err)
		}
	})
}
