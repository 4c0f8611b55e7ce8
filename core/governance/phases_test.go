package governance_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
)

func TestAllocation_ReachesConsensusAndTheLedgerFollows(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.allocation(t, "100.00")
		if p.Phase != governance.PhaseDebate || !p.Deadline.Equal(f.clock.Now().Add(debate)) {
			t.Fatalf("opens in %s until %v, want debate for %s", p.Phase, p.Deadline, debate)
		}
		if n := f.advance(t, debate-time.Second); n != 0 {
			t.Fatalf("moved %d proposals before the end of the debate", n)
		}
		if n := f.advance(t, time.Second); n != 1 {
			t.Fatalf("moved %d proposals at the end of the debate, want 1", n)
		}
		p = f.reload(t, p)
		if p.Phase != governance.PhaseConsensus || !p.Deadline.Equal(f.clock.Now().Add(consensus)) {
			t.Fatalf("after the debate: %s until %v", p.Phase, p.Deadline)
		}
		f.vote(t, f.alice, p, agree)
		f.vote(t, f.bob, p, agree)
		f.vote(t, f.carol, p, abstain)
		task, general := f.balances(t)
		if n := f.advance(t, consensus); n != 1 {
			t.Fatalf("moved %d at the end of the consensus round", n)
		}
		p = f.reload(t, p)
		o := p.Outcome
		if p.Phase != governance.PhaseAdopted || o.DecidedBy != governance.PhaseConsensus || o.Option != 0 || p.Deadline != nil {
			t.Fatalf("after consensus: %s %+v", p.Phase, o)
		}
		if len(o.Actions) != 1 || o.Actions[0].Status != governance.ActionDone || o.Actions[0].Transaction == nil {
			t.Fatalf("actions: %+v", o.Actions)
		}
		task2, general2 := f.balances(t)
		if task2 != task+10000 || general2 != general-10000 {
			t.Fatalf("balances task %d→%d general %d→%d, want 100.00 moved", task, task2, general, general2)
		}
		tr, err := f.db.Ledger().Transaction(ctx, *o.Actions[0].Transaction)
		if err != nil || tr.Kind != ledger.KindAllocation || tr.Cause != f.svc.ProposalURI(p.ID) {
			t.Fatalf("the allocation %+v (%v) names the proposal as its cause", tr, err)
		}
		// Exactly once: nothing is due any more.
		if n := f.advance(t, 24*time.Hour); n != 0 {
			t.Fatalf("moved %d after closing", n)
		}
		phases, err := f.svc.Phases(ctx, p.ID)
		if err != nil || len(phases) != 2 || phases[1].Count == nil || phases[1].Count.Agree != 2 || phases[1].Count.Abstain != 1 ||
			phases[1].Count.Eligible != 4 || phases[1].Count.Participants != 3 {
			t.Fatalf("phases %+v (%v)", phases, err)
		}
	})
}

func TestConsensus_AnObjectionOpensTheValueVote(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Where should the compost go?",
			Options: []string{"North corner", "Beside the shed", "Nowhere"}})
		f.advance(t, debate)
		p = f.reload(t, p)
		f.vote(t, f.alice, p, agree)
		f.vote(t, f.bob, p, agree)
		f.vote(t, f.carol, p, object)
		f.advance(t, consensus)
		p = f.reload(t, p)
		if p.Phase != governance.PhaseValueVote || !p.Deadline.Equal(f.clock.Now().Add(valueVote)) {
			t.Fatalf("after an objection: %s until %v, want the value vote", p.Phase, p.Deadline)
		}
		// A consensus ballot does not fit the value vote.
		_, err := f.svc.Vote(context.Background(), f.alice, p.ID, agree)
		wantField(t, err, "scores", "one-score-per-option")
		// Totals 9, 9, 3: the tie goes to the option more ballots score
		// highest (the shed: bob and dave).
		f.vote(t, f.alice, p, scores(5, 2, 1))
		f.vote(t, f.bob, p, scores(2, 4, 0))
		f.vote(t, f.carol, p, scores(1, 1, 2))
		f.vote(t, f.dave, p, scores(1, 2, 0))
		f.advance(t, valueVote)
		p = f.reload(t, p)
		if p.Phase != governance.PhaseAdopted || p.Outcome.DecidedBy != governance.PhaseValueVote ||
			p.Outcome.Option != 1 || p.Outcome.OptionName != "Beside the shed" {
			t.Fatalf("after the value vote: %s %+v", p.Phase, p.Outcome)
		}
		tally, err := f.svc.Tally(context.Background(), p.ID)
		if err != nil || !tally.Final || !slices.Equal(tally.Count.Totals, []int{9, 9, 3}) || !slices.Equal(tally.Count.Top, []int{1, 2, 1}) {
			t.Fatalf("tally %+v (%v)", tally, err)
		}
	})
}

func TestValueVote_OutcomesThatAdoptNothing(t *testing.T) {
	cases := []struct {
		name    string
		options []string
		ballots map[string]governance.BallotInput
		phase   string
		reason  string
	}{
		{"a yes-or-no proposal the value vote rejects", nil,
			map[string]governance.BallotInput{"alice": scores(1, 4), "bob": scores(0, 5)}, governance.PhaseRejected, governance.OptionReject},
		{"a tie through every tie-break", []string{"A", "B"},
			map[string]governance.BallotInput{"alice": scores(5, 0), "bob": scores(0, 5)}, governance.PhaseRejected, governance.OutcomeTie},
		{"nobody votes", []string{"A", "B"}, nil, governance.PhaseRejected, governance.OutcomeNoQuorum},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture) {
				p := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Options: c.options})
				f.advance(t, debate)
				f.vote(t, f.carol, f.reload(t, p), object)
				f.advance(t, consensus)
				p = f.reload(t, p)
				for name, b := range c.ballots {
					f.vote(t, f.by(name), p, b)
				}
				f.advance(t, valueVote)
				p = f.reload(t, p)
				if p.Phase != c.phase || p.Outcome.Reason != c.reason {
					t.Fatalf("got %s %+v, want %s for %s", p.Phase, p.Outcome, c.phase, c.reason)
				}
			})
		})
	}
}

func TestWithdraw_OnlyTheAuthorWhileOpen(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.allocation(t, "10.00")
		_, err := f.svc.Withdraw(ctx, f.bob, p.ID)
		wantCode(t, err, "author-only")
		p, err = f.svc.Withdraw(ctx, f.alice, p.ID)
		if err != nil || p.Phase != governance.PhaseWithdrawn || p.Deadline != nil || p.Outcome.Result != governance.PhaseWithdrawn {
			t.Fatalf("withdrawn: %+v (%v)", p, err)
		}
		_, err = f.svc.Withdraw(ctx, f.alice, p.ID)
		wantCode(t, err, "proposal-closed")
		task, _ := f.balances(t)
		if n := f.advance(t, 24*time.Hour); n != 0 || task != 0 {
			t.Fatalf("a withdrawn proposal moved (%d) or allocated (%d)", n, task)
		}
	})
}

// Several schedulers at once close a due proposal once: its allocation is
// recorded once.
func TestAdvanceDue_ConcurrentSchedulersCloseOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		var list []governance.Proposal
		for range 3 {
			list = append(list, f.allocation(t, "10.00"))
		}
		f.advance(t, debate)
		for _, p := range list {
			f.vote(t, f.alice, f.reload(t, p), agree)
		}
		f.clock.Advance(consensus)
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for range 4 {
			wg.Go(func() {
				n, err := f.svc.AdvanceDue(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total += n
				mu.Unlock()
			})
		}
		wg.Wait()
		task, _ := f.balances(t)
		if total != 3 || task != 3000 {
			t.Fatalf("moved %d proposals, task holds %d; want 3 and 30.00", total, task)
		}
		for _, p := range list {
			if p = f.reload(t, p); p.Phase != governance.PhaseAdopted {
				t.Errorf("proposal %s is %s", p.ID, p.Phase)
			}
		}
	})
}

func TestPropose_WithoutDebateOpensTheConsensusAtOnce(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.setting(t, membershipChange("debate_period", "0s"))
		p := f.allocation(t, "10.00")
		if p.Phase != governance.PhaseConsensus || !p.Deadline.Equal(f.clock.Now().Add(consensus)) {
			t.Fatalf("opens in %s until %v", p.Phase, p.Deadline)
		}
		f.vote(t, f.bob, p, agree)
		if n := f.advance(t, consensus); n != 1 || f.reload(t, p).Phase != governance.PhaseAdopted {
			t.Fatal("not adopted at the end of the consensus round")
		}
	})
}

// A proposal that cannot be moved (here its stored options are damaged)
// is reported and passed over: the others still move.
func TestAdvanceDue_ADamagedProposalDoesNotHoldUpTheOthers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		damaged := f.allocation(t, "10.00")
		f.clock.Advance(time.Minute)
		sound := f.allocation(t, "10.00")
		if _, err := f.db.Bun().ExecContext(ctx, `UPDATE proposals SET options = '{"not": "a list"}' WHERE id = ?`, damaged.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(debate)
		n, err := f.svc.AdvanceDue(ctx)
		if n != 1 || err == nil || !strings.Contains(err.Error(), damaged.ID.String()) {
			t.Fatalf("moved %d (%v), want the sound one moved and the damaged one reported", n, err)
		}
		if p := f.reload(t, sound); p.Phase != governance.PhaseConsensus {
			t.Fatalf("the sound proposal is in %s", p.Phase)
		}
	})
}
