package federation_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// club is an association "garden" on instance a, founded by ada, and two
// persons on instance b, bob and carl, with their API tokens: members on
// other instances (docs/vocabulary.md §5.10), over real HTTP on loopback.
type club struct {
	a, b                    *webtest.Instance
	ada, bob, carl          membership.Account
	bobToken, carlToken     string
	garden, handle          string // the association's actor id, and name@host
	bobURI, carlURI, adaURI string
}

func newClub(t *testing.T, driver store.Driver, settings membership.SettingsChange) club {
	t.Helper()
	ctx := context.Background()
	c := club{a: webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil),
		b: webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)}
	c.ada, _ = account(t, c.a, "ada")
	c.bob, c.bobToken = account(t, c.b, "bob")
	c.carl, c.carlToken = account(t, c.b, "carl")
	if _, err := c.a.Members.CreateAssociation(ctx, c.ada, membership.NewAssociation{Name: "garden"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.a.Members.UpdateAssociation(ctx, c.ada, "garden", membership.AssociationChange{Settings: settings}); err != nil {
		t.Fatal(err)
	}
	c.garden, c.handle = c.a.Config.BaseURL()+"/actors/garden", "garden@"+c.a.Config.Server.Host
	c.bobURI, c.carlURI = c.b.Config.BaseURL()+"/actors/bob", c.b.Config.BaseURL()+"/actors/carl"
	c.adaURI = c.a.Config.BaseURL() + "/actors/ada"
	return c
}

// join asks, through b's API, that token's person join garden, and wants
// the pending membership (202).
func (c club) join(t *testing.T, token string) {
	t.Helper()
	status, body := api(t, c.b, token, "POST", "/associations/"+c.handle+"/members", nil)
	if status != http.StatusAccepted || body["status"] != "pending" || body["uri"] != c.garden || body["remote"] != true {
		t.Fatalf("join: %d %v", status, body)
	}
}

// member returns the membership of actor in garden as a has it.
func (c club) member(t *testing.T, actor string) (membership.Member, bool) {
	t.Helper()
	a, err := c.a.DB.Associations().ByName(context.Background(), "garden")
	if err != nil {
		t.Fatal(err)
	}
	m, err := membership.MemberByActor(context.Background(), c.a.DB.Tx, a.ID, actor)
	if errors.Is(err, membership.ErrNoSuchMember) {
		return membership.Member{}, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return m, true
}

// elsewhere returns acc's membership of garden as b has it.
func (c club) elsewhere(t *testing.T, acc membership.Account) membership.MembershipElsewhere {
	t.Helper()
	m, err := c.b.Members.MembershipElsewhere(context.Background(), acc, c.garden)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A person joins an association of another instance that joins freely:
// the Join, the Accept, an active member on both sides, listed with the
// local ones, counted, in the electorate of a vote and delegable to; then
// the Leave ends it on both.
func TestRemoteMembers_JoinVoteLeave(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			zero, day := "0s", "24h"
			c := newClub(t, driver, membership.SettingsChange{DebatePeriod: &zero, ConsensusPeriod: &day})
			c.join(t, c.bobToken)
			settle(t, c.a, c.b)

			m, ok := c.member(t, c.bobURI)
			if !ok || m.Status != membership.MemberActive || m.Local || m.Handle != "bob@"+c.b.Config.Server.Host ||
				m.AccountID != uuid.Nil || m.JoinedAt == nil {
				t.Fatalf("on a bob is %+v (%v)", m, ok)
			}
			e := c.elsewhere(t, c.bob)
			if e.Status != membership.ElsewhereActive || e.Handle != c.handle {
				t.Fatalf("on b bob's membership is %+v", e)
			}
			if accept := inboxOf(t, c.b, "Accept", e.JoinActivity); accept["actor"] != c.garden {
				t.Fatalf("the Accept: %v", accept)
			}
			status, body := api(t, c.b, c.bobToken, "GET", "/accounts/me/memberships", nil)
			items, _ := body["items"].([]any)
			if status != 200 || len(items) != 1 || items[0].(map[string]any)["status"] != "active" {
				t.Fatalf("bob's memberships: %d %v", status, body)
			}
			list, _, err := c.a.Members.Members(ctx, nil, "garden", uuid.Nil, 10)
			if err != nil || len(list) != 2 || list[1].ActorURI != c.bobURI {
				t.Fatalf("garden's members: %+v %v", list, err)
			}
			a, _ := c.a.Members.Association(ctx, "garden")
			if n, err := c.a.Members.MemberCount(ctx, a.ID); err != nil || n != 2 {
				t.Fatalf("garden counts %d members (%v)", n, err)
			}

			// bob votes like anyone: in the electorate, and ada may follow him.
			if _, err := c.a.Governance.SetInstructions(ctx, c.ada, "garden", []governance.VotingRule{
				{Delegates: []governance.DelegateRef{{Actor: c.bobURI}}}}); err != nil {
				t.Fatalf("delegate to a remote member: %v", err)
			}
			p, err := c.a.Governance.Propose(ctx, c.ada, "garden", governance.ProposalInput{Category: "general", Title: "Plant beans"})
			if err != nil {
				t.Fatal(err)
			}
			if use, err := c.a.Governance.VoteOf(ctx, c.bobURI, p.ID); err != nil || !use.Eligible {
				t.Fatalf("bob's vote: %+v %v", use, err)
			}

			// A person is no association; nobody is no one.
			for _, bad := range []string{"ada@" + c.a.Config.Server.Host, "nobody@" + c.a.Config.Server.Host} {
				if status, body := api(t, c.b, c.carlToken, "POST", "/associations/"+bad+"/members", nil); status != http.StatusNotFound || body["detail"] == "" {
					t.Errorf("join %s: %d %v", bad, status, body)
				}
			}
			// Asking again is refused on b: bob is a member already.
			if status, body := api(t, c.b, c.bobToken, "POST", "/associations/"+c.handle+"/members", nil); status != http.StatusConflict {
				t.Fatalf("join again: %d %v", status, body)
			}

			status, body = api(t, c.b, c.bobToken, "DELETE", "/associations/"+c.handle+"/members/me", nil)
			if status != http.StatusAccepted || body["status"] != "left" {
				t.Fatalf("leave: %d %v", status, body)
			}
			settle(t, c.a, c.b)
			if m, ok := c.member(t, c.bobURI); ok {
				t.Fatalf("on a bob is still %+v", m)
			}
			if e := c.elsewhere(t, c.bob); e.Status != membership.ElsewhereLeft {
				t.Fatalf("on b bob's membership is %+v", e)
			}
			if status, _ := api(t, c.b, c.bobToken, "DELETE", "/associations/"+c.handle+"/members/me", nil); status != http.StatusNotFound {
				t.Fatalf("leave again: %d", status)
			}
		})
	}
}

// An association whose board approves members: a remote person's Join
// waits; the board admits one (Accept) and refuses another (Reject, with
// the reason), and a decision of the association later excludes the
// first (Reject): each side ends up knowing the same.
func TestRemoteMembers_BoardAdmitsRefusesExcludes(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			approval := membership.JoinApproval
			c := newClub(t, driver, membership.SettingsChange{JoinMode: &approval})
			c.join(t, c.bobToken)
			c.join(t, c.carlToken)
			settle(t, c.a, c.b)
			for _, who := range []string{c.bobURI, c.carlURI} {
				if m, ok := c.member(t, who); !ok || m.Status != membership.MemberPending || m.JoinedAt != nil {
					t.Fatalf("on a %s is %+v", who, m)
				}
			}
			if e := c.elsewhere(t, c.bob); e.Status != membership.ElsewherePending {
				t.Fatalf("before the board answers, bob's membership is %+v", e)
			}
			// The board sees them by their handles, and answers.
			list, _, err := c.a.Members.Members(ctx, &c.ada, "garden", uuid.Nil, 10)
			if err != nil || len(list) != 3 {
				t.Fatalf("the board sees %+v (%v)", list, err)
			}
			active := membership.MemberActive
			if _, err := c.a.Members.UpdateMember(ctx, c.ada, "garden", "bob@"+c.b.Config.Server.Host,
				membership.MemberChange{Status: &active}); err != nil {
				t.Fatal(err)
			}
			if err := c.a.Members.RefuseMember(ctx, c.ada, "garden", "carl@"+c.b.Config.Server.Host); err != nil {
				t.Fatal(err)
			}
			settle(t, c.a, c.b)
			if e := c.elsewhere(t, c.bob); e.Status != membership.ElsewhereActive {
				t.Fatalf("bob's membership is %+v", e)
			}
			if e := c.elsewhere(t, c.carl); e.Status != membership.ElsewhereRejected || e.Reason != "the board refused the request to join" {
				t.Fatalf("carl's membership is %+v", e)
			}
			if _, ok := c.member(t, c.carlURI); ok {
				t.Fatal("a keeps carl's refused request")
			}

			// Excluded by a decision: bob hears it.
			a, _ := c.a.Members.Association(ctx, "garden")
			if err := c.a.DB.InTx(ctx, func(tx store.Tx) error {
				return c.a.Members.ExcludeByDecision(ctx, tx, a.ID, c.bobURI)
			}); err != nil {
				t.Fatal(err)
			}
			settle(t, c.a, c.b)
			if e := c.elsewhere(t, c.bob); e.Status != membership.ElsewhereRejected || e.Reason != "the association ended the membership" {
				t.Fatalf("after the exclusion bob's membership is %+v", e)
			}
			if _, ok := c.member(t, c.bobURI); ok {
				t.Fatal("a keeps the excluded bob")
			}
			// carl may ask again.
			c.join(t, c.carlToken)
		})
	}
}

// What is refused: a Join signed by someone else than its actor (by the
// inbox), a Join of a person, a Join by an association, a Leave by
// someone who is no member, a Join from a blocked domain. None leaves a
// membership behind; the same Join again gets the same answer, and one
// membership.
func TestRemoteMembers_Refusals(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			c := newClub(t, driver, membership.SettingsChange{})
			if _, err := c.b.Members.CreateAssociation(ctx, c.carl, membership.NewAssociation{Name: "choir"}); err != nil {
				t.Fatal(err)
			}
			join := func(by string, fields map[string]any) map[string]any {
				return activity(c.b, by, "Join", fields)
			}
			to := map[string]any{"object": c.garden, "to": []string{c.garden}}

			// bob signs a Join claiming to be carl: the inbox refuses it.
			forged := join("carl", to)
			if got := signedPost(t, c.b, "bob", c.a.Config.BaseURL()+"/actors/garden/inbox", forged); got != http.StatusUnauthorized && got != http.StatusForbidden {
				t.Fatalf("a forged Join: %d", got)
			}
			// carl joins ada, a person: nothing happens.
			deliver(t, c.b, "carl", c.a, "ada", join("carl", map[string]any{"object": c.adaURI, "to": []string{c.adaURI}}), http.StatusAccepted)
			// choir, an association, joins garden: refused with a Reject.
			byGroup := join("choir", to)
			deliver(t, c.b, "choir", c.a, "garden", byGroup, http.StatusAccepted)
			// carl leaves garden, which he never joined.
			deliver(t, c.b, "carl", c.a, "garden", activity(c.b, "carl", "Leave", to), http.StatusAccepted)
			settle(t, c.a, c.b)
			for _, who := range []string{c.carlURI, c.b.Config.BaseURL() + "/actors/choir"} {
				if m, ok := c.member(t, who); ok {
					t.Fatalf("a made %s a member: %+v", who, m)
				}
			}
			if reject := inboxOf(t, c.b, "Reject", byGroup["id"].(string)); reject["summary"] != "only a person may join an association" {
				t.Fatalf("the answer to choir: %v", reject)
			}
			if n := countSent(t, c.a); n != 1 {
				t.Fatalf("a sent %d activities, want the one Reject", n)
			}

			// bob joins twice (a retried Join has a new id): one membership,
			// each Join accepted.
			first, second := join("bob", to), join("bob", to)
			deliver(t, c.b, "bob", c.a, "garden", first, http.StatusAccepted)
			deliver(t, c.b, "bob", c.a, "garden", second, http.StatusAccepted)
			settle(t, c.a, c.b)
			if m, ok := c.member(t, c.bobURI); !ok || m.Status != membership.MemberActive {
				t.Fatalf("bob is %+v", m)
			}
			for _, j := range []map[string]any{first, second} {
				inboxOf(t, c.b, "Accept", j["id"].(string))
			}
			list, _, _ := c.a.Members.Members(ctx, nil, "garden", uuid.Nil, 10)
			if len(list) != 2 {
				t.Fatalf("garden has %d members", len(list))
			}

			// Once b's domain is blocked (confirmed: bob is cut off), its Joins are
			// refused at the door.
			if _, _, err := c.a.Domains.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "127.0.0.3", Confirm: true}); err != nil {
				t.Fatal(err)
			}
			deliver(t, c.b, "carl", c.a, "garden", join("carl", to), http.StatusForbidden)
		})
	}
}

// A member elsewhere who deletes their account leaves: the association
// hears the Delete of their actor and ends the membership.
func TestRemoteMembers_DeletedAccountLeaves(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			c := newClub(t, driver, membership.SettingsChange{})
			c.join(t, c.bobToken)
			settle(t, c.a, c.b)
			if _, ok := c.member(t, c.bobURI); !ok {
				t.Fatal("bob did not join")
			}
			if err := c.b.Members.DeleteOwnAccount(context.Background(), c.bob, "long enough pw"); err != nil {
				t.Fatal(err)
			}
			settle(t, c.a, c.b)
			if m, ok := c.member(t, c.bobURI); ok {
				t.Fatalf("a keeps the deleted bob: %+v", m)
			}
			if e := c.elsewhere(t, c.bob); e.Status != membership.ElsewhereLeft {
				t.Fatalf("on b bob's membership is %+v", e)
			}
		})
	}
}
