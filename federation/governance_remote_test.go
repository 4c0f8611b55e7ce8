package federation_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// votingClub is a club whose proposals open their consensus round at
// once, with dan, a member on a, as its treasurer, and bob, on b, a
// member.
func votingClub(t *testing.T, driver store.Driver) (club, membership.Account, string) {
	t.Helper()
	ctx := context.Background()
	zero, day := "0s", "24h"
	c := newClub(t, driver, membership.SettingsChange{DebatePeriod: &zero, ConsensusPeriod: &day})
	dan, _ := account(t, c.a, "dan")
	if _, err := c.a.Members.Join(ctx, dan, "garden"); err != nil {
		t.Fatal(err)
	}
	treasurer := membership.MemberTreasurer
	if _, err := c.a.Members.UpdateMember(ctx, c.ada, "garden", "dan", membership.MemberChange{Role: &treasurer}); err != nil {
		t.Fatal(err)
	}
	c.join(t, c.bobToken)
	settle(t, c.a, c.b)
	return c, dan, c.a.Config.BaseURL() + "/actors/dan"
}

// A member on another instance gives the association voting instructions
// (budget decisions follow whoever is treasurer) and votes directly on
// another proposal: each is sent, accepted, and counted on the
// association's instance, where the tally shows the member's vote
// following the treasurer's.
func TestRemoteGovernance_DelegateToTreasurerAndVote(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			c, dan, danURI := votingClub(t, driver)
			base := "/accounts/me/memberships/" + c.handle

			status, body := api(t, c.b, c.bobToken, "PUT", base+"/delegations", map[string]any{
				"rules": []any{map[string]any{"scope": "budget_allocation", "delegates": []any{map[string]any{"role": "treasurer"}}}}})
			items, _ := body["items"].([]any)
			if status != http.StatusAccepted || len(items) != 1 || items[0].(map[string]any)["status"] != "pending" {
				t.Fatalf("delegate: %d %v", status, body)
			}
			settle(t, c.a, c.b)
			_, body = api(t, c.b, c.bobToken, "GET", base+"/delegations", nil)
			if items, _ := body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["status"] != "accepted" {
				t.Fatalf("bob's delegations on b: %v", body)
			}

			seeds, err := c.a.Governance.Propose(ctx, c.ada, "garden", governance.ProposalInput{Category: "budget_allocation", Title: "Buy seeds"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.a.Governance.Vote(ctx, dan, seeds.ID, governance.BallotInput{Position: "agree"}); err != nil {
				t.Fatal(err)
			}
			use, err := c.a.Governance.VoteOf(ctx, c.bobURI, seeds.ID)
			if err != nil || !use.Eligible || !slices.Equal(use.Chain, []string{c.bobURI, danURI}) {
				t.Fatalf("bob's vote on the budget: %+v %v", use, err)
			}
			tally, err := c.a.Governance.Tally(ctx, seeds.ID)
			if err != nil || tally.Count.Participants != 2 || tally.Count.Delegated != 1 || tally.Count.Agree != 2 {
				t.Fatalf("the tally: %+v %v", tally.Count, err)
			}

			// On a general question bob follows nobody: he votes himself.
			beans, err := c.a.Governance.Propose(ctx, c.ada, "garden", governance.ProposalInput{Category: "general", Title: "Plant beans"})
			if err != nil {
				t.Fatal(err)
			}
			proposal := c.a.Governance.ProposalURI(beans.ID)
			status, body = api(t, c.b, c.bobToken, "POST", base+"/ballots", map[string]any{
				"proposal": proposal, "position": "object", "reason": "Beans need more sun."})
			if status != http.StatusAccepted || body["status"] != "pending" || body["phase"] != "consensus" {
				t.Fatalf("vote: %d %v", status, body)
			}
			settle(t, c.a, c.b)
			b, err := c.a.Governance.Ballot(ctx, beans.ID, governance.PhaseConsensus, c.bobURI)
			if err != nil || b.Position != "object" || b.Reason != "Beans need more sun." {
				t.Fatalf("bob's ballot on a: %+v %v", b, err)
			}
			_, body = api(t, c.b, c.bobToken, "GET", base+"/ballots?proposal="+proposal, nil)
			if items, _ := body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["status"] != "accepted" {
				t.Fatalf("bob's ballots on b: %v", body)
			}
			// He changes his mind: an Update of the same ballot.
			first := body["items"].([]any)[0].(map[string]any)
			sentBefore := countSent(t, c.b)
			if status, body := api(t, c.b, c.bobToken, "POST", base+"/ballots", map[string]any{"proposal": proposal, "position": "agree"}); status != http.StatusAccepted ||
				body["id"] != first["id"] || body["uri"] != first["uri"] {
				t.Fatalf("vote again: %d %v (first %v)", status, body, first)
			}
			if sent := sentSince(t, c.b, sentBefore); !slices.Equal(sent, []string{"Update Ballot"}) {
				t.Fatalf("b sent %v", sent)
			}
			settle(t, c.a, c.b)
			if b, err := c.a.Governance.Ballot(ctx, beans.ID, governance.PhaseConsensus, c.bobURI); err != nil || b.Position != "agree" {
				t.Fatalf("bob's ballot after the Update: %+v %v", b, err)
			}
		})
	}
}

// The association counts only a member's own ballot and instructions: a
// ballot attributed to someone else, a delegation to a non-member, a
// ballot for another phase, are refused with a Reject saying why, which
// the member's instance keeps; a person who is no member is refused at
// home.
func TestRemoteGovernance_Refusals(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			c, _, _ := votingClub(t, driver)
			base := "/accounts/me/memberships/" + c.handle
			p, err := c.a.Governance.Propose(ctx, c.ada, "garden", governance.ProposalInput{Category: "general", Title: "Plant beans"})
			if err != nil {
				t.Fatal(err)
			}
			proposal := c.a.Governance.ProposalURI(p.ID)

			// bob votes in ada's name.
			forged := activity(c.b, "bob", "Create", map[string]any{"to": []string{c.garden}, "object": map[string]any{
				"type": "Ballot", "id": c.b.Config.BaseURL() + "/ballots/forged", "attributedTo": c.adaURI,
				"inReplyTo": proposal, "phase": "consensus", "position": "object"}})
			deliver(t, c.b, "bob", c.a, "garden", forged, http.StatusAccepted)
			// bob scores a consensus round.
			wrong := activity(c.b, "bob", "Create", map[string]any{"to": []string{c.garden}, "object": map[string]any{
				"type": "Ballot", "id": c.b.Config.BaseURL() + "/ballots/wrong", "attributedTo": c.bobURI,
				"inReplyTo": proposal, "phase": "value_vote", "scores": []any{map[string]any{"type": "Score", "name": "adopt", "score": 5}}}})
			deliver(t, c.b, "bob", c.a, "garden", wrong, http.StatusAccepted)
			// bob delegates to carl, who is no member.
			status, _ := api(t, c.b, c.bobToken, "PUT", base+"/delegations", map[string]any{
				"rules": []any{map[string]any{"scope": "", "delegates": []any{map[string]any{"actor": c.carlURI}}}}})
			if status != http.StatusAccepted {
				t.Fatalf("delegate to carl: %d", status)
			}
			settle(t, c.a, c.b)

			for _, voter := range []string{c.adaURI, c.bobURI} {
				if b, err := c.a.Governance.Ballot(ctx, p.ID, governance.PhaseConsensus, voter); err == nil {
					t.Fatalf("a counted %+v", b)
				}
			}
			if r := inboxOf(t, c.b, "Reject", forged["id"].(string)); r["summary"] != "a member votes and delegates only for themselves" {
				t.Fatalf("the answer to the forged ballot: %v", r)
			}
			if r := inboxOf(t, c.b, "Reject", wrong["id"].(string)); r["summary"] != governance.ErrWrongPhase.Detail {
				t.Fatalf("the answer to the ballot for another phase: %v", r)
			}
			_, body := api(t, c.b, c.bobToken, "GET", base+"/delegations", nil)
			items, _ := body["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["status"] != "rejected" ||
				items[0].(map[string]any)["refusal"] != "rules[0].delegates: each delegate must be a member of the association: "+c.carlURI+" is not" {
				t.Fatalf("bob's delegation on b: %v", body)
			}
			if rules, err := c.a.Governance.Instructions(ctx, c.ada, "garden"); err != nil || len(rules) != 0 {
				t.Fatalf("ada's instructions changed: %v %v", rules, err)
			}

			// carl is no member: b does not send his ballot.
			status, body = api(t, c.b, c.carlToken, "POST", base+"/ballots", map[string]any{"proposal": proposal, "position": "agree"})
			if status != http.StatusForbidden || body["code"] != "not-member-elsewhere" {
				t.Fatalf("carl votes: %d %v", status, body)
			}
			// A ballot on a proposal of another host is refused at home.
			status, _ = api(t, c.b, c.bobToken, "POST", base+"/ballots", map[string]any{"proposal": c.b.Config.BaseURL() + "/proposals/x", "position": "agree"})
			if status != http.StatusBadRequest {
				t.Fatalf("a ballot on a proposal elsewhere: %d", status)
			}
		})
	}
}
