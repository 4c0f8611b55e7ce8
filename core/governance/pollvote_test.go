package governance_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// remote records a remote actor who is no member: a Mastodon user.
func (f *fixture) remote(t testing.TB, uri string) string {
	t.Helper()
	now := f.clock.Now()
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: uri, Kind: "Person", Username: uri[strings.LastIndex(uri, "/")+1:],
		Host: "mastodon.example", Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
	if err := f.db.Actors().SaveRemote(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	return uri
}

func (f *fixture) pollVote(p governance.Proposal, voter, option string) (string, error) {
	return f.svc.ReceivePollVote(context.Background(), governance.PollVote{Proposal: f.svc.ProposalURI(p.ID), Voter: voter, Option: option})
}

// A member's vote in the poll is their consensus ballot, the last one
// standing, exactly as one cast here. The member is local: memberships
// of remote actors are looked up by the same path (memberByActor) once
// the store holds them.
func TestReceivePollVote_AMembersVoteIsTheirBallot(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		for _, option := range []string{governance.Agree, governance.Object} {
			if got, err := f.pollVote(p, uri("bob"), option); err != nil || got != governance.PollVoteCounted {
				t.Fatalf("vote %s: %q %v", option, got, err)
			}
		}
		b, err := f.svc.Ballot(ctx, p.ID, governance.PhaseConsensus, uri("bob"))
		if err != nil || b.Position != governance.Object {
			t.Fatalf("bob's ballot: %+v %v", b, err)
		}
		tally, err := f.svc.Tally(ctx, p.ID)
		if err != nil || tally.Count.Object != 1 || tally.Count.Agree != 0 || tally.Count.Participants != 1 || tally.Outside.Total() != 0 {
			t.Fatalf("tally: %+v %v", tally, err)
		}
	})
}

// Someone who is not a member votes apart: the vote is kept and shown as
// an outside vote, the last one of each standing, and never counted.
func TestReceivePollVote_OutsideVotesAreKeptApart(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.allocation(t, "10.00")
		f.advance(t, debate)
		dan, eve := f.remote(t, "https://mastodon.example/users/dan"), f.remote(t, "https://mastodon.example/users/eve")
		votes := []struct{ voter, option string }{{dan, governance.Agree}, {eve, governance.Agree}, {dan, governance.Object}}
		for _, v := range votes {
			if got, err := f.pollVote(p, v.voter, v.option); err != nil || got != governance.PollVoteOutside {
				t.Fatalf("vote of %s: %q %v", v.voter, got, err)
			}
		}
		// Someone who left votes outside too.
		if err := f.members.Leave(ctx, f.dave, "commons"); err != nil {
			t.Fatal(err)
		}
		if got, err := f.pollVote(p, uri("dave"), governance.Abstain); err != nil || got != governance.PollVoteOutside {
			t.Fatalf("vote of a former member: %q %v", got, err)
		}
		tally, err := f.svc.Tally(ctx, p.ID)
		want := governance.OutsideVotes{Agree: 1, Abstain: 1, Object: 1}
		if err != nil || tally.Outside != want || tally.Count.Participants != 0 || tally.Count.Agree+tally.Count.Object+tally.Count.Abstain != 0 {
			t.Fatalf("tally: %+v %v", tally, err)
		}
		if _, err := f.svc.Ballot(ctx, p.ID, governance.PhaseConsensus, dan); !errors.Is(err, governance.ErrNoSuchBallot) {
			t.Fatalf("an outside vote became a ballot: %v", err)
		}
		// The round closes without them: nobody voted, so no quorum, and
		// the value vote's tally shows none.
		f.advance(t, consensus)
		if p = f.reload(t, p); p.Phase != governance.PhaseValueVote {
			t.Fatalf("phase %s", p.Phase)
		}
		if tally, _ = f.svc.Tally(ctx, p.ID); tally.Outside.Total() != 0 {
			t.Fatalf("the value vote shows outside votes: %+v", tally.Outside)
		}
	})
}

func TestReceivePollVote_Refusals(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, f *fixture, p governance.Proposal) (voter, option string)
		code  string
	}{
		{"in debate", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			return uri("bob"), governance.Agree
		}, "proposal-in-debate"},
		{"an option the round does not have", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			return uri("bob"), "orange"
		}, "unknown-option"},
		{"an outsider's unknown option", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			return f.remote(t, "https://mastodon.example/users/dan"), "Agree"
		}, "unknown-option"},
		{"in the value vote", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			toValueVote(t, f, p)
			return f.remote(t, "https://mastodon.example/users/dan"), governance.OptionAdopt
		}, "wrong-phase"},
		{"after the deadline", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			f.clock.Advance(consensus)
			return uri("bob"), governance.Agree
		}, "phase-ended"},
		{"on a closed proposal", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			f.vote(t, f.alice, p, agree)
			f.advance(t, consensus)
			return f.remote(t, "https://mastodon.example/users/dan"), governance.Agree
		}, "proposal-closed"},
		{"from a suspended member", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			_, err := f.members.UpdateMember(context.Background(), f.alice, "commons", "dave",
				membership.MemberChange{VotingSuspended: ptr(true), SuspensionReason: ptr("spam")})
			if err != nil {
				t.Fatal(err)
			}
			return uri("dave"), governance.Agree
		}, "voting-suspended"},
		{"from a member who joined after the opening", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			f.member(t, "erin")
			return uri("erin"), governance.Agree
		}, "not-in-electorate"},
		{"from a member in probation when the phase opened", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.setting(t, membershipChange("probation_period", "1h"))
			f.clock.Advance(30 * time.Minute)
			f.member(t, "erin")
			f.advance(t, debate-30*time.Minute)
			return uri("erin"), governance.Agree
		}, "in-probation"},
		{"on a proposal of another instance", func(t *testing.T, f *fixture, p governance.Proposal) (string, string) {
			f.advance(t, debate)
			return uri("bob"), governance.Agree
		}, "proposal-not-found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case has a fixture and databases of its own
			each(t, func(t *testing.T, f *fixture) {
				ctx := context.Background()
				p := f.allocation(t, "10.00")
				voter, option := c.setup(t, f, p)
				before, err := f.svc.Tally(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				proposal := f.svc.ProposalURI(p.ID)
				if c.code == "proposal-not-found" {
					proposal = "https://elsewhere.example/proposals/" + p.ID.String()
				}
				_, err = f.svc.ReceivePollVote(ctx, governance.PollVote{Proposal: proposal, Voter: voter, Option: option})
				wantCode(t, err, c.code)
				after, err := f.svc.Tally(ctx, p.ID)
				if err != nil || after.Count.Participants != before.Count.Participants || after.Outside != before.Outside {
					t.Fatalf("a refused vote was counted: %+v → %+v (%v)", before, after, err)
				}
			})
		})
	}
}
