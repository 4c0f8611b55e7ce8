package governance_test

import (
	"context"
	"testing"
	"time"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
)

func TestVote_Refusals(t *testing.T) {
	cases := []struct {
		name string
		// setup brings the proposal where the ballot is cast and returns
		// the voter.
		setup func(t *testing.T, f *fixture, p governance.Proposal) membership.Account
		in    governance.BallotInput
		code  string // a core error's code, or "field:code" for an invalid field
	}{
		{"in debate", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			return f.bob
		}, agree, "proposal-in-debate"},
		{"after the deadline, before the scheduler closed the phase", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			f.clock.Advance(consensus)
			return f.bob
		}, agree, "phase-ended"},
		{"on a closed proposal", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			f.vote(t, f.alice, p, agree)
			f.advance(t, consensus)
			return f.bob
		}, agree, "proposal-closed"},
		{"from a non-member", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			return f.account(t, "erin")
		}, agree, "members-only"},
		{"from a member who joined after the opening", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			return f.member(t, "erin")
		}, agree, "not-in-electorate"},
		{"from a member in probation when the phase opened", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.setting(t, membershipChange("probation_period", "1h"))
			f.clock.Advance(30 * time.Minute)
			erin := f.member(t, "erin")
			f.advance(t, debate-30*time.Minute)
			f.clock.Advance(time.Hour) // past probation now, but not at the opening
			return erin
		}, agree, "in-probation"},
		{"from a suspended member", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			_, err := f.members.UpdateMember(context.Background(), f.alice, "commons", "dave",
				membership.MemberChange{VotingSuspended: ptr(true), SuspensionReason: ptr("spam")})
			if err != nil {
				t.Fatal(err)
			}
			return f.dave
		}, agree, "voting-suspended"},
		{"for another phase", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			return f.bob
		}, governance.BallotInput{Phase: governance.PhaseValueVote, Position: governance.Agree}, "wrong-phase"},
		{"scores in the consensus round", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			return f.bob
		}, scores(5, 0), "field:position-required"},
		{"an unknown position", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			return f.bob
		}, governance.BallotInput{Position: "maybe"}, "field:invalid-choice"},
		{"a score above the scale", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			toValueVote(t, f, p)
			return f.bob
		}, scores(6, 0), "field:out-of-scale"},
		{"a score below the scale", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			toValueVote(t, f, p)
			return f.bob
		}, scores(-1, 0), "field:out-of-scale"},
		{"too few scores", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			toValueVote(t, f, p)
			return f.bob
		}, scores(5), "field:one-score-per-option"},
		{"a position and scores", func(t *testing.T, f *fixture, p governance.Proposal) membership.Account {
			f.advance(t, debate)
			return f.bob
		}, governance.BallotInput{Position: governance.Agree, Scores: []int{1, 2}}, "field:position-or-scores"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case has a fixture and databases of its own
			each(t, func(t *testing.T, f *fixture) {
				ctx := context.Background()
				p := f.allocation(t, "10.00")
				voter := c.setup(t, f, p)
				before, err := f.svc.Tally(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				_, err = f.svc.Vote(ctx, voter, p.ID, c.in)
				if len(c.code) > 6 && c.code[:6] == "field:" {
					field := "scores"
					if c.code == "field:position-required" || c.code == "field:invalid-choice" || c.code == "field:position-or-scores" {
						field = "position"
					}
					wantField(t, err, field, c.code[6:])
				} else {
					wantCode(t, err, c.code)
				}
				after, err := f.svc.Tally(ctx, p.ID)
				if err != nil || after.Count.Participants != before.Count.Participants {
					t.Fatalf("a refused ballot was counted: %+v → %+v (%v)", before.Count, after.Count, err)
				}
				if phase := f.reload(t, p).Phase; phase == governance.PhaseConsensus || phase == governance.PhaseValueVote {
					if _, err := f.svc.Ballot(ctx, p.ID, phase, uri(voter.Username)); err == nil {
						t.Fatal("a refused ballot was recorded")
					}
				}
			})
		})
	}
}

// toValueVote brings p to its value vote: carol objects in consensus.
func toValueVote(t *testing.T, f *fixture, p governance.Proposal) {
	t.Helper()
	f.advance(t, debate)
	f.vote(t, f.carol, p, object)
	f.advance(t, consensus)
}

func TestVote_TheLastBallotStands(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		first, err := f.svc.Vote(ctx, f.bob, p.ID, agree)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		second, err := f.svc.Vote(ctx, f.bob, p.ID, governance.BallotInput{Position: governance.Object, Reason: "too expensive"})
		if err != nil {
			t.Fatal(err)
		}
		if second.ID != first.ID || !second.CastAt.Equal(first.CastAt) || !second.UpdatedAt.After(first.UpdatedAt) {
			t.Fatalf("second ballot %+v, first %+v: one ballot, replaced", second, first)
		}
		tally, err := f.svc.Tally(ctx, p.ID)
		if err != nil || tally.Count.Agree != 0 || tally.Count.Object != 1 || tally.Count.Participants != 1 ||
			len(tally.Count.Objectors) != 1 || tally.Count.Objectors[0] != uri("bob") {
			t.Fatalf("tally %+v (%v): bob's objection stands alone", tally.Count, err)
		}
		list, _, err := f.svc.Ballots(ctx, p.ID, governance.PhaseConsensus, -1, 10)
		if err != nil || len(list) != 1 || list[0].Position != governance.Object || list[0].Reason != "too expensive" {
			t.Fatalf("published ballots %+v (%v)", list, err)
		}
	})
}

// A member suspended after the opening is left out of the count: their
// ballot and what they carry no longer count.
func TestCount_LeavesOutMembersSuspendedSinceTheOpening(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		f.vote(t, f.dave, p, object)
		if _, err := f.svc.SetInstructions(ctx, f.carol, "commons", []governance.VotingRule{{Delegates: []governance.DelegateRef{{Actor: uri("dave")}}}}); err != nil {
			t.Fatal(err)
		}
		tally, _ := f.svc.Tally(ctx, p.ID)
		if tally.Count.Object != 2 {
			t.Fatalf("before the suspension: %+v", tally.Count)
		}
		_, err := f.members.UpdateMember(ctx, f.alice, "commons", "dave", membership.MemberChange{VotingSuspended: ptr(true), SuspensionReason: ptr("abuse")})
		if err != nil {
			t.Fatal(err)
		}
		f.vote(t, f.bob, p, agree)
		tally, _ = f.svc.Tally(ctx, p.ID)
		if tally.Count.Object != 0 || tally.Count.Eligible != 3 || tally.Count.Agree != 1 {
			t.Fatalf("after the suspension: %+v", tally.Count)
		}
		f.advance(t, consensus)
		if p = f.reload(t, p); p.Phase != governance.PhaseAdopted {
			t.Fatalf("%s, want adopted without dave's objection", p.Phase)
		}
	})
}
