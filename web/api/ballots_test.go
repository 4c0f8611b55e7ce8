package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
)

// TestBallots_Refusals: who may not vote and what is not a ballot; a
// refused ballot records nothing. The voter is always the caller.
func TestBallots_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		dave, daveTok := e.person("dave")
		e.join(dave, c.name)
		yes, why := true, "unpaid dues"
		if _, err := e.Members.UpdateMember(context.Background(), c.board, c.name, dave.Username,
			membership.MemberChange{VotingSuspended: &yes, SuspensionReason: &why}); err != nil {
			t.Fatal(err)
		}
		// Everyone so far is past a day's probation; nina joins now.
		c.backdateMembers(t)
		day, hour, zero := "24h", "1h", "0s"
		e.settings(c.board, c.name, membership.SettingsChange{ProbationPeriod: &day, DebatePeriod: &hour})
		nina, ninaTok := e.person("nina")
		e.join(nina, c.name)
		inDebate := c.propose(t, c.boardTok, `{"category": "general", "title": "Still in debate"}`)
		e.settings(c.board, c.name, membership.SettingsChange{DebatePeriod: &zero})
		p := c.propose(t, c.boardTok, `{"category": "general", "title": "Paint the shed"}`)
		withdrawn := c.propose(t, c.boardTok, `{"category": "general", "title": "Withdrawn"}`)
		e.post("/proposals/"+withdrawn.ID+"/withdraw", c.boardTok, "").ok(t, http.StatusOK, "Proposal", nil)

		tests := []struct {
			name, token, proposal, body string
			status                      int
			code                        string
			fields                      map[string]string
		}{
			{"anonymous", "", p.ID, `{"position": "agree"}`, 401, "unauthenticated", nil},
			{"not a member", c.outsiderTok, p.ID, `{"position": "agree"}`, 403, "members-only", nil},
			{"in probation", ninaTok, p.ID, `{"position": "agree"}`, 403, "in-probation", nil},
			{"voting rights suspended", daveTok, p.ID, `{"position": "agree"}`, 403, "voting-suspended", nil},
			{"a voter named in the body", c.carolTok, p.ID, `{"position": "agree", "voter": "` + c.uri(c.board) + `"}`, 400, "unknown-field", map[string]string{"voter": "unknown-field"}},
			{"unknown position", c.carolTok, p.ID, `{"position": "maybe"}`, 400, "invalid-input", map[string]string{"position": "invalid-choice"}},
			{"nothing", c.carolTok, p.ID, `{}`, 400, "invalid-input", map[string]string{"position": "required"}},
			{"position and scores", c.carolTok, p.ID, `{"position": "agree", "scores": {"adopt": 5, "reject": 0}}`, 400, "invalid-input", map[string]string{"position": "position-or-scores"}},
			{"scores in the consensus round", c.carolTok, p.ID, `{"scores": {"adopt": 5, "reject": 0}}`, 400, "invalid-input", map[string]string{"position": "position-required"}},
			{"reason too long", c.carolTok, p.ID, `{"position": "agree", "reason": "` + strings.Repeat("x", 2001) + `"}`, 400, "invalid-input", map[string]string{"reason": "too-long"}},
			{"meant for the value vote", c.carolTok, p.ID, `{"phase": "value_vote", "position": "agree"}`, 409, "wrong-phase", nil},
			{"in debate", c.carolTok, inDebate.ID, `{"position": "agree"}`, 409, "proposal-in-debate", nil},
			{"withdrawn", c.carolTok, withdrawn.ID, `{"position": "agree"}`, 409, "proposal-closed", nil},
			{"no such proposal", c.carolTok, "0190a0a0-0000-7000-8000-000000000000", `{"position": "agree"}`, 404, "proposal-not-found", nil},
			{"not an id", c.carolTok, "paint", `{"position": "agree"}`, 404, "proposal-not-found", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				pr := e.post("/proposals/"+tt.proposal+"/ballots", tt.token, tt.body).problem(t, tt.status, tt.code)
				if tt.fields != nil {
					sameFields(t, pr, tt.fields)
				}
				var page apiBallotPage
				e.get("/proposals/"+p.ID+"/ballots", "").ok(t, http.StatusOK, "BallotPage", &page)
				if len(page.Items) != 0 {
					t.Fatalf("a refused ballot was recorded: %+v", page.Items)
				}
			})
		}
		e.do(request{method: http.MethodPost, path: "/proposals/" + p.ID + "/ballots", token: c.carolTok, body: `{"position": "agree"}`, contentType: "text/plain"}).
			problem(t, http.StatusUnsupportedMediaType, "unsupported-media-type")

		// A second ballot in the phase replaces the first.
		first := c.vote(t, c.carolTok, p.ID, `{"position": "agree"}`, http.StatusCreated)
		second := c.vote(t, c.carolTok, p.ID, `{"position": "object", "reason": "red, not green"}`, http.StatusOK)
		if first.Voter != c.uri(c.carol) || second.CastAt != first.CastAt || second.UpdatedAt <= first.UpdatedAt {
			t.Fatalf("first %+v, second %+v", first, second)
		}
		var page apiBallotPage
		e.get("/proposals/"+p.ID+"/ballots", "").ok(t, http.StatusOK, "BallotPage", &page)
		if len(page.Items) != 1 || *page.Items[0].Position != "object" || page.Items[0].Reason != "red, not green" {
			t.Fatalf("ballots %+v", page)
		}
		if tl := c.tally(t, p.ID); tl.Count.Positions.Object != 1 || tl.Count.Positions.Agree != 0 || tl.Count.Eligible != 4 {
			t.Fatalf("tally %+v", tl.Count)
		}
		if v := c.myVote(t, ninaTok, p.ID); v.Eligible || v.Counted {
			t.Fatalf("nina's vote %+v", v)
		}
		for _, q := range []string{"?phase=debate", "?cursor=x", "?cursor=-1", "?limit=0"} {
			e.get("/proposals/"+p.ID+"/ballots"+q, "").problem(t, http.StatusBadRequest, "invalid-input")
		}
	})
}

// TestGovernance_MembersOnlyAssociation: an association that keeps its
// records to its members shows its proposals, ballots, tallies and
// delegations to them only.
func TestGovernance_MembersOnlyAssociation(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		members, approval := membership.VisibilityMembers, membership.JoinApproval
		e.settings(c.board, c.name, membership.SettingsChange{Visibility: &members, JoinMode: &approval})
		pending, pendingTok := e.person("pending")
		e.join(pending, c.name) // a request to join, not yet membership
		p := c.propose(t, c.holderTok, `{"category": "general", "title": "Members only"}`)
		c.vote(t, c.holderTok, p.ID, `{"position": "agree"}`, http.StatusCreated)

		reads := []struct{ path, schema string }{
			{"/associations/" + c.name + "/proposals", "ProposalPage"},
			{"/proposals/" + p.ID, "Proposal"},
			{"/proposals/" + p.ID + "/ballots", "BallotPage"},
			{"/proposals/" + p.ID + "/tally", "Tally"},
		}
		for _, rd := range reads {
			t.Run(rd.path, func(t *testing.T) {
				e.get(rd.path, "").problem(t, http.StatusForbidden, "members-only")
				e.get(rd.path, c.outsiderTok).problem(t, http.StatusForbidden, "members-only")
				e.get(rd.path, pendingTok).problem(t, http.StatusForbidden, "members-only")
				e.get(rd.path, c.carolTok).ok(t, http.StatusOK, rd.schema, nil)
			})
		}
		e.get("/proposals/"+p.ID+"/ballots/me", "").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.get("/proposals/"+p.ID+"/ballots/me", c.outsiderTok).problem(t, http.StatusForbidden, "members-only")
		e.get("/proposals/"+p.ID+"/ballots/me", c.carolTok).ok(t, http.StatusOK, "MyVote", nil)

		// Made public again, the world reads them.
		public := membership.VisibilityPublic
		e.settings(c.board, c.name, membership.SettingsChange{Visibility: &public})
		for _, rd := range reads {
			e.get(rd.path, "").ok(t, http.StatusOK, rd.schema, nil)
		}
	})
}

// TestProposals_Withdraw: only the author withdraws, once, while open.
func TestProposals_Withdraw(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		p := c.propose(t, c.carolTok, `{"category": "general", "title": "Move the bins"}`)
		path := "/proposals/" + p.ID + "/withdraw"
		e.post(path, "", "").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.post(path, c.boardTok, "").problem(t, http.StatusForbidden, "author-only")
		var w apiProposal
		e.post(path, c.carolTok, "").ok(t, http.StatusOK, "Proposal", &w)
		if w.Phase != "withdrawn" || w.Outcome == nil || w.Outcome.Result != "withdrawn" || w.Deadline != nil ||
			len(w.Phases) != 1 || w.Phases[0].ClosedAt == nil {
			t.Fatalf("withdrawn %+v", w)
		}
		e.post(path, c.carolTok, "").problem(t, http.StatusConflict, "proposal-closed")
		e.post("/proposals/0190a0a0-0000-7000-8000-000000000000/withdraw", c.carolTok, "").problem(t, http.StatusNotFound, "proposal-not-found")
		if tl := c.tally(t, p.ID); tl.Phase != "withdrawn" || !tl.Final || tl.Count != nil {
			t.Fatalf("tally of a proposal withdrawn before any count %+v", tl)
		}
		if v := c.myVote(t, c.carolTok, p.ID); v.Ballot != nil || v.Counted {
			t.Fatalf("vote on a withdrawn proposal %+v", v)
		}
	})
}
