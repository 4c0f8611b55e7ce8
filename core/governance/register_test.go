package governance_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
)

// TestRegister_OpenFirstThenDecidedPaged: the register lists the open
// proposals by deadline, then the closed ones newest first, a page at a
// time.
func TestRegister_OpenFirstThenDecidedPaged(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		first := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "First"})
		f.clock.Advance(debate / 2)
		second := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Second"})
		gone := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Withdrawn"})
		gone2 := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Withdrawn too"})
		for _, p := range []governance.Proposal{gone, gone2} {
			if _, err := f.svc.Withdraw(ctx, f.alice, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		open, err := f.svc.OpenProposals(ctx, "commons")
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(open); !slices.Equal(got, []uuid.UUID{first.ID, second.ID}) {
			t.Errorf("open proposals %v, want first then second", got)
		}
		page, next, err := f.svc.Decided(ctx, "commons", uuid.Nil, 1)
		if err != nil || !slices.Equal(ids(page), []uuid.UUID{gone2.ID}) || next != gone2.ID {
			t.Fatalf("first page of decisions %v next %v (%v), want the last withdrawn", ids(page), next, err)
		}
		page, next, err = f.svc.Decided(ctx, "commons", next, 1)
		if err != nil || !slices.Equal(ids(page), []uuid.UUID{gone.ID}) || next != uuid.Nil {
			t.Fatalf("second page of decisions %v next %v (%v), want the first withdrawn and no more", ids(page), next, err)
		}
		if _, err := f.svc.OpenProposals(ctx, "nowhere"); err == nil {
			t.Error("an unknown association has a register")
		}
	})
}

// TestCarriers_CountTheVotesDelegatesCarry: a delegate carries the votes
// of those who follow them, transitively.
func TestCarriers_CountTheVotesDelegatesCarry(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral})
		if got, err := f.svc.Tally(ctx, p.ID); err != nil || len(got.Carriers) != 0 || got.CarrierCount != 0 {
			t.Fatalf("carriers in debate %v (%v), want none", got.Carriers, err)
		}
		f.instruct(t, f.bob, rule("", "alice"))
		f.instruct(t, f.carol, rule("", "bob"))
		f.instruct(t, f.dave, rule("", "carol"))
		f.advance(t, debate)
		f.vote(t, f.alice, f.reload(t, p), agree)
		tally, err := f.svc.Tally(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []governance.Carrier{{Actor: uri("alice"), Carried: 3, Direct: true}, {Actor: uri("bob"), Carried: 2},
			{Actor: uri("carol"), Carried: 1}}
		if !slices.Equal(tally.Carriers, want) || tally.CarrierCount != 3 {
			t.Errorf("carriers %+v (%d), want %+v", tally.Carriers, tally.CarrierCount, want)
		}
	})
}

func ids(list []governance.Proposal) []uuid.UUID {
	out := []uuid.UUID{}
	for _, p := range list {
		out = append(out, p.ID)
	}
	return out
}
