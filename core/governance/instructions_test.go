package governance_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
)

func rule(scope string, delegates ...string) governance.VotingRule {
	r := governance.VotingRule{Scope: scope}
	for _, d := range delegates {
		if role, ok := strings.CutPrefix(d, "@"); ok {
			r.Delegates = append(r.Delegates, governance.DelegateRef{Role: role})
		} else {
			r.Delegates = append(r.Delegates, governance.DelegateRef{Actor: uri(d)})
		}
	}
	return r
}

func (f *fixture) instruct(t testing.TB, by membership.Account, rules ...governance.VotingRule) {
	t.Helper()
	if _, err := f.svc.SetInstructions(context.Background(), by, "commons", rules); err != nil {
		t.Fatalf("instructions of %s: %v", by.Username, err)
	}
}

func TestSetInstructions_Refusals(t *testing.T) {
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "@board"
	}
	cases := []struct {
		name  string
		rules []governance.VotingRule
		field string
		code  string
	}{
		{"a delegation to oneself", []governance.VotingRule{rule("", "bob")}, "rules[0].delegates", "self-delegation"},
		{"a delegate who is not a member", []governance.VotingRule{rule("", "erin")}, "rules[0].delegates", "delegate-not-member"},
		{"a role nobody may be delegated", []governance.VotingRule{rule("", "@president")}, "rules[0].delegates", "invalid-role"},
		{"more delegates than MaxDelegates", []governance.VotingRule{rule("", eleven...)}, "rules[0].delegates", "too-many"},
		{"a delegate neither member nor role", []governance.VotingRule{{Delegates: []governance.DelegateRef{{}}}}, "rules[0].delegates", "actor-or-role"},
		{"a delegate not an address", []governance.VotingRule{{Delegates: []governance.DelegateRef{{Actor: "alice"}}}}, "rules[0].delegates", "not-a-url"},
		{"an unknown scope", []governance.VotingRule{rule("elections", "alice")}, "rules[0].scope", "invalid-choice"},
		{"a scope twice", []governance.VotingRule{rule("", "alice"), rule("", "carol")}, "rules[1].scope", "duplicate-scope"},
	}
	// Refusals change nothing: the cases share one association.
	each(t, func(t *testing.T, f *fixture) {
		f.account(t, "erin")
		f.instruct(t, f.bob, rule("", "alice"))
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.SetInstructions(context.Background(), f.bob, "commons", c.rules)
				wantField(t, err, c.field, c.code)
				got, err := f.svc.Instructions(context.Background(), f.bob, "commons")
				if err != nil || len(got) != 1 || got[0].Delegates[0].Actor != uri("alice") {
					t.Fatalf("a refused change changed the instructions: %+v (%v)", got, err)
				}
			})
		}
		t.Run("from a non-member", func(t *testing.T) {
			_, err := f.svc.SetInstructions(context.Background(), f.accountNamed(t, "erin"), "commons", []governance.VotingRule{rule("", "alice")})
			wantCode(t, err, "members-only")
		})
	})
}

// A member alone on their page of instructions may drop them all: the
// page is kept, empty.
func TestSetInstructions_NoneLeavesAnEmptyPage(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.instruct(t, f.bob, rule("", "alice"))
		f.instruct(t, f.bob)
		got, err := f.svc.Instructions(context.Background(), f.bob, "commons")
		if err != nil || len(got) != 0 {
			t.Fatalf("instructions %+v (%v)", got, err)
		}
		p := f.propose(t, governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Counted with an empty page"})
		f.advance(t, debate)
		if _, err := f.svc.Tally(context.Background(), p.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDelegation_FollowsChainsRolesAndChanges(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		_, err := f.members.UpdateMember(ctx, f.alice, "commons", "carol", membership.MemberChange{Role: ptr(membership.MemberTreasurer)})
		if err != nil {
			t.Fatal(err)
		}
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		// bob follows alice; dave follows bob in general, the treasurer
		// (carol) on budget allocations.
		f.instruct(t, f.bob, rule("", "alice"))
		f.instruct(t, f.dave, rule("", "bob"), rule(governance.CategoryBudgetAllocation, "@treasurer", "bob"))
		f.vote(t, f.alice, p, agree)
		use := func(who string) governance.VoteUse {
			u, err := f.svc.VoteOf(ctx, uri(who), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		if u := use("dave"); strings.Join(u.Chain, " ") != uri("dave")+" "+uri("bob")+" "+uri("alice") {
			t.Fatalf("dave's vote: %+v, want dave → bob → alice (the treasurer has no vote yet)", u)
		}
		if u := use("alice"); u.Carried != 2 || len(u.Chain) != 1 {
			t.Fatalf("alice carries %d votes (%+v), want 2", u.Carried, u)
		}
		f.vote(t, f.carol, p, object)
		if u := use("dave"); !slices.Equal(u.Chain, []string{uri("dave"), uri("carol")}) {
			t.Fatalf("dave's vote: %+v, want dave → carol, the treasurer", u)
		}
		// A change applies to the open vote at once.
		f.instruct(t, f.dave, rule("", "bob"))
		if u := use("dave"); len(u.Chain) != 3 {
			t.Fatalf("dave's vote after his change: %+v", u)
		}
		tally, _ := f.svc.Tally(ctx, p.ID)
		if tally.Count.Agree != 3 || tally.Count.Object != 1 || tally.Count.Delegated != 2 || tally.Count.Direct != 2 {
			t.Fatalf("tally %+v", tally.Count)
		}
		// The closed count keeps the instructions it read.
		f.vote(t, f.carol, p, agree)
		f.advance(t, consensus)
		f.instruct(t, f.dave, rule("", "carol"))
		f.instruct(t, f.bob)
		after, _ := f.svc.Tally(ctx, p.ID)
		if !after.Final || after.Phase != governance.PhaseConsensus || after.Count.Agree != 4 || after.Count.Delegated != 2 {
			t.Fatalf("closed tally after a change %+v, want it unchanged", after)
		}
		if u := use("dave"); len(u.Chain) != 3 || u.Phase != governance.PhaseConsensus {
			t.Fatalf("dave's vote in the closed count: %+v", u)
		}
	})
}

// A circle of delegations without a way out counts as no vote: not an
// error, the others' votes count.
func TestDelegation_ACircleCountsAsNoVote(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.instruct(t, f.bob, rule("", "carol"))
		f.instruct(t, f.carol, rule("", "dave"))
		f.instruct(t, f.dave, rule("", "bob"))
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		f.vote(t, f.alice, p, agree)
		tally, err := f.svc.Tally(ctx, p.ID)
		if err != nil || tally.Count.Participants != 1 || tally.Count.Agree != 1 {
			t.Fatalf("tally %+v (%v)", tally.Count, err)
		}
		u, err := f.svc.VoteOf(ctx, uri("carol"), p.ID)
		if err != nil || !u.Eligible || len(u.Chain) != 0 {
			t.Fatalf("carol's vote %+v (%v): eligible, counted for nothing", u, err)
		}
		// The way out: dave votes, and the circle follows him.
		f.vote(t, f.dave, p, object)
		u, _ = f.svc.VoteOf(ctx, uri("bob"), p.ID)
		if !slices.Equal(u.Chain, []string{uri("bob"), uri("carol"), uri("dave")}) {
			t.Fatalf("bob's vote %+v", u)
		}
		if u, _ = f.svc.VoteOf(ctx, uri("dave"), p.ID); u.Carried != 2 {
			t.Fatalf("dave carries %d, want 2", u.Carried)
		}
	})
}

// A beneficiary of the project a proposal concerns is marked as such when
// they object.
func TestCount_MarksABeneficiarysObjection(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		f.vote(t, f.carol, p, object) // carol is a beneficiary of the mesh
		tally, err := f.svc.Tally(context.Background(), p.ID)
		if err != nil || !tally.Count.BeneficiaryObjected {
			t.Fatalf("tally %+v (%v): a beneficiary objected", tally.Count, err)
		}
	})
}

// Members on one page of instructions, or of the ballot box, changing them
// at once: nobody's change is lost (each page is rewritten under its lock).
func TestConcurrentChanges_OnOnePageAreAllKept(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		extra := []membership.Account{f.member(t, "erin"), f.member(t, "fred"), f.member(t, "gina")}
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		f.vote(t, f.alice, p, agree)
		delegators := append([]membership.Account{f.bob, f.carol, f.dave}, extra...)
		var wg sync.WaitGroup
		for _, m := range delegators {
			wg.Go(func() {
				if _, err := f.svc.SetInstructions(ctx, m, "commons", []governance.VotingRule{rule("", "alice")}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		tally, err := f.svc.Tally(ctx, p.ID)
		if err != nil || tally.Count.Delegated != len(delegators) {
			t.Fatalf("tally %+v (%v), want %d delegated votes", tally.Count, err, len(delegators))
		}
		for _, m := range delegators {
			wg.Go(func() {
				if _, err := f.svc.Vote(ctx, m, p.ID, object); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		tally, err = f.svc.Tally(ctx, p.ID)
		if err != nil || tally.Count.Object != len(delegators) || tally.Count.Direct != len(delegators)+1 {
			t.Fatalf("tally %+v (%v), want %d direct objections", tally.Count, err, len(delegators))
		}
	})
}
