package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

func TestAssociation_CreateJoinAndListMembers(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		if alice.get("/").byID("associations") != nil {
			t.Fatal("associations listed before any is created")
		}
		alice.post("/associations/new", url.Values{"name": {"Commons"}, "display_name": {"The Commons"},
			"summary": {"A shared garden"}, "statutes": {"Article 1.\nWe <b>garden</b>.\n\nArticle 2.\nWe share."},
			"currency": {"eur"}}).redirectsTo(t, "/@commons")

		page := alice.get("/@commons").want(t, http.StatusOK)
		page.contains(t, "The Commons", "A shared garden", "1 member")
		statutes := page.byID("statutes")
		if statutes == nil || strings.Count(page.Body, "<p>Article") != 2 {
			t.Fatalf("statutes not split in paragraphs:\n%s", page.Body)
		}
		page.contains(t, "We &lt;b&gt;garden&lt;/b&gt;.")
		page.lacks(t, "<b>garden</b>")
		if page.byID("settings-link") == nil || page.byID("join") != nil {
			t.Error("the founder is not shown as board member")
		}
		home := alice.get("/")
		if !strings.Contains(home.text(t, "associations"), "The Commons") {
			t.Error("home does not list the association")
		}

		bob := newBrowser(t, in)
		bob.signUp("bob")
		join := bob.get("/@commons").want(t, http.StatusOK).byID("join")
		if join == nil || attr(join, "action") != "/@commons/join" || !strings.Contains(textOf(join), "Join") {
			t.Fatalf("no join form for a non-member")
		}
		bob.post("/@commons/join", nil).redirectsTo(t, "/@commons")
		after := bob.get("/@commons")
		if after.byID("join") != nil || after.byID("leave") == nil {
			t.Error("a member still sees the join form, or no leave form")
		}
		after.contains(t, "2 members")
		bob.post("/@commons/join", nil).want(t, http.StatusUnprocessableEntity).contains(t, "already a member")

		members := newBrowser(t, in).get("/@commons/members").want(t, http.StatusOK)
		list := members.text(t, "members")
		for _, s := range []string{"Person ALICE", "@alice", "Board member", "Person BOB", "@bob", "Member"} {
			if !strings.Contains(list, s) {
				t.Errorf("members list lacks %q: %s", s, list)
			}
		}

		// A visitor is sent to log in, then back.
		newBrowser(t, in).post("/@commons/join", nil).redirectsTo(t, "/login?next=%2F%40commons")
		newBrowser(t, in).get("/associations/new").redirectsTo(t, "/login?next=%2Fassociations%2Fnew")

		// The person's profile lists the association.
		profile := newBrowser(t, in).get("/@bob").want(t, http.StatusOK)
		profile.contains(t, "Person BOB", "@bob@"+in.Config.Server.Host)
		if !strings.Contains(profile.text(t, "memberships"), "The Commons") {
			t.Error("profile does not list the association")
		}

		bob.post("/@commons/leave", nil).redirectsTo(t, "/@commons")
		bob.get("/@commons").contains(t, "1 member")
		alice.post("/@commons/leave", nil).want(t, http.StatusUnprocessableEntity).contains(t, "without a board member")
	})
}

func TestAssociation_CreateRefusesBadInput(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		cases := []struct {
			name, field, value, message string
		}{
			{"name taken by an association", "name", "Commons", "already taken"},
			{"name taken by a person", "name", "alice", "already taken"},
			{"bad name", "name", "le jardin", "Only letters a to z"},
			{"unknown currency", "currency", "EURO", "ISO 4217"},
			{"absurd statutes", "statutes", strings.Repeat("a", 100_001), "At most 100000 characters"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				form := url.Values{"name": {"garden"}, "display_name": {"Garden"}, "currency": {"EUR"}}
				form.Set(c.field, c.value)
				p := alice.post("/associations/new", form).want(t, http.StatusUnprocessableEntity)
				if got := p.text(t, c.field+"-error"); !strings.Contains(got, c.message) {
					t.Errorf("error = %q, want %q", got, c.message)
				}
				if _, err := in.Members.Association(context.Background(), "garden"); err == nil {
					t.Error("the association was created")
				}
			})
		}
	})
}

func TestAssociation_CreationByAdminsOnly(t *testing.T) {
	admins := func(c *config.Config) { c.Instance.AssociationCreation = config.AssociationCreationAdmins }
	webtest.Each(t, admins, func(t *testing.T, in *webtest.Instance) {
		bob := newBrowser(t, in)
		bob.signUp("bob")
		bob.get("/").lacks(t, `href="/associations/new"`)
		bob.get("/associations/new").want(t, http.StatusForbidden).contains(t, "only administrators may create associations")
		bob.post("/associations/new", url.Values{"name": {"garden"}}).want(t, http.StatusForbidden)
		admin := newBrowser(t, in)
		admin.makeAdmin("root")
		admin.get("/").contains(t, `href="/associations/new"`)
		admin.createAssociation("garden")
	})
}

// settingsForm is a complete, valid association settings form.
func settingsForm() url.Values {
	return url.Values{
		"display_name": {"The Commons"}, "summary": {"Shared"}, "statutes": {"Art. 1"},
		"currency": {"EUR"}, "join_mode": {"free"}, "visibility": {"public"},
		"probation_period": {"0s"}, "debate_period": {"72h"}, "consensus_period": {"168h"},
		"value_vote_period": {"168h"}, "max_reservation_period": {"720h"}, "board_may_allocate_up_to": {"0.00"},
	}
}

func TestAssociationSettings_BoardChangesEverySetting(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		form := alice.get("/@commons/settings").want(t, http.StatusOK)
		if attr(form.byID("consensus_period"), "value") != "168h" || attr(form.byID("board_may_allocate_up_to"), "value") != "0.00" {
			t.Errorf("settings not prefilled:\n%s", form.Body)
		}
		change := url.Values{
			"display_name": {"Les Communs"}, "summary": {"Partagé"}, "statutes": {"Art. 1\nArt. 2"},
			"currency": {"CHF"}, "join_mode": {"approval"}, "visibility": {"members"},
			"follow_approval": {"on"}, "board_may_evaluate_projects": {"on"},
			"probation_period": {"24h"}, "debate_period": {"0s"}, "consensus_period": {"30m"},
			"value_vote_period": {"1h30m"}, "max_reservation_period": {"240h"}, "board_may_allocate_up_to": {"150.50"},
		}
		// The address may use capitals, as names are case-insensitive.
		alice.post("/@Commons/settings", change).redirectsTo(t, "/@commons/settings?saved=1")
		a, err := in.Members.Association(context.Background(), "commons")
		if err != nil {
			t.Fatal(err)
		}
		want := membership.Settings{Currency: "CHF", JoinMode: "approval", FollowApproval: true,
			ProbationPeriod: 24 * time.Hour, DebatePeriod: 0, ConsensusPeriod: 30 * time.Minute,
			ValueVotePeriod: 90 * time.Minute, MaxReservationPeriod: 240 * time.Hour,
			BoardMayAllocateUpTo: 15050, BoardMayEvaluateProjects: true, Visibility: "members"}
		if a.Settings != want || a.DisplayName != "Les Communs" || a.Summary != "Partagé" || a.Statutes != "Art. 1\nArt. 2" {
			t.Errorf("saved %+v %q %q %q", a.Settings, a.DisplayName, a.Summary, a.Statutes)
		}
		saved := alice.get("/@commons/settings?saved=1").want(t, http.StatusOK)
		saved.contains(t, "The settings are saved.")
		if attr(saved.byID("value_vote_period"), "value") != "1h30m" || !hasAttr(saved.byID("follow_approval"), "checked") {
			t.Errorf("saved values not shown:\n%s", saved.Body)
		}
		// Unticking a box turns the setting off.
		off := settingsForm()
		alice.post("/@commons/settings", off).redirectsTo(t, "/@commons/settings?saved=1")
		if a, _ := in.Members.Association(context.Background(), "commons"); a.Settings.FollowApproval || a.Settings.BoardMayEvaluateProjects {
			t.Error("unticked boxes stayed on")
		}
	})
}

func TestAssociationSettings_RefusedChangesChangeNothing(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		bob := newBrowser(t, in)
		bob.signUp("bob")
		bob.post("/@commons/join", nil).redirectsTo(t, "/@commons")
		before, _ := in.Members.Association(context.Background(), "commons")
		unchanged := func(t *testing.T) {
			t.Helper()
			after, _ := in.Members.Association(context.Background(), "commons")
			if after.Settings != before.Settings || after.DisplayName != before.DisplayName || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("the association changed: %+v -> %+v", before, after)
			}
		}

		t.Run("member not on the board", func(t *testing.T) {
			if bob.get("/@commons").byID("settings-link") != nil {
				t.Error("a plain member sees the settings link")
			}
			bob.get("/@commons/settings").want(t, http.StatusForbidden).contains(t, "Only the association’s board may do this.")
			hostile := settingsForm()
			hostile.Set("display_name", "Taken over")
			bob.post("/@commons/settings", hostile).want(t, http.StatusForbidden)
			unchanged(t)
		})
		t.Run("visitor", func(t *testing.T) {
			newBrowser(t, in).post("/@commons/settings", settingsForm()).redirectsTo(t, "/login?next=%2F%40commons%2Fsettings")
			unchanged(t)
		})
		cases := []struct {
			name, field, value, message string
		}{
			{"bad duration", "consensus_period", "a week", "Give a duration such as 168h"},
			{"duration out of range", "consensus_period", "0s", "Must be between 1s and 8784h"},
			{"negative probation", "probation_period", "-1h", "Must be between 0s and 8784h"},
			{"bad amount", "board_may_allocate_up_to", "lots", "Give an amount such as 100.00"},
			{"unknown join mode", "join_mode", "secret", "Choose one of the proposed values"},
			{"empty display name", "display_name", "  ", "This field is required"},
			{"absurd summary", "summary", strings.Repeat("é", 501), "At most 500 characters"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				form := settingsForm()
				form.Set("display_name", "Changed")
				form.Set(c.field, c.value)
				p := alice.post("/@commons/settings", form).want(t, http.StatusUnprocessableEntity)
				if got := p.text(t, c.field+"-error"); !strings.Contains(got, c.message) {
					t.Errorf("error = %q, want %q", got, c.message)
				}
				// What was typed stays in the form.
				if c.field != "summary" && c.field != "display_name" {
					if got := attr(p.byID(c.field), "value"); got != c.value && c.field != "join_mode" {
						t.Errorf("field shows %q, typed %q", got, c.value)
					}
					if got := attr(p.byID("display_name"), "value"); got != "Changed" {
						t.Errorf("display name shows %q", got)
					}
				}
				unchanged(t)
			})
		}
	})
}

func TestMembers_ApprovalModeAndBoardActions(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		form := settingsForm()
		form.Set("join_mode", "approval")
		alice.post("/@commons/settings", form).redirectsTo(t, "/@commons/settings?saved=1")

		bob := newBrowser(t, in)
		bob.signUp("bob")
		bob.get("/@commons").contains(t, "The board approves new members.")
		bob.post("/@commons/join", nil).redirectsTo(t, "/@commons")
		pending := bob.get("/@commons")
		if !strings.Contains(pending.text(t, "join-pending"), "Request pending") || pending.byID("join") != nil {
			t.Errorf("pending request not shown:\n%s", pending.Body)
		}
		// Outsiders do not see requests; the board does.
		if bob.get("/@commons/members").byID("pending") != nil {
			t.Error("a non-board person sees pending requests")
		}
		list := alice.get("/@commons/members").want(t, http.StatusOK)
		if !strings.Contains(list.text(t, "pending"), "@bob") || strings.Contains(list.text(t, "members"), "@bob") {
			t.Fatalf("pending request not listed apart:\n%s", list.Body)
		}
		// bob may not approve himself.
		bob.post("/@commons/members/bob", url.Values{"action": {"approve"}}).want(t, http.StatusForbidden)
		alice.post("/@commons/members/bob", url.Values{"action": {"approve"}}).redirectsTo(t, "/@commons/members")
		if !strings.Contains(alice.get("/@commons/members").text(t, "members"), "@bob") {
			t.Error("bob is not a member after approval")
		}
		// Approving twice (two board members at once) changes nothing more.
		alice.post("/@commons/members/bob", url.Values{"action": {"approve"}}).redirectsTo(t, "/@commons/members")
		alice.post("/@commons/members/bob", url.Values{"action": {"refuse"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "This request is not waiting for approval.")

		// Suspending needs a reason; the error says so above the list.
		p := alice.post("/@commons/members/bob", url.Values{"action": {"suspend"}, "reason": {""}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "form-error"); got != "Say why the voting rights are suspended." {
			t.Errorf("error = %q", got)
		}
		alice.post("/@commons/members/bob", url.Values{"action": {"suspend"}, "reason": {"spam"}}).redirectsTo(t, "/@commons/members")
		alice.get("/@commons/members").contains(t, "Voting rights suspended: spam")
		bob.get("/@commons/members").contains(t, "Voting rights suspended: spam")
		// Others see the suspension, not its reason.
		outsider := newBrowser(t, in).get("/@commons/members")
		outsider.contains(t, "Voting rights suspended.")
		outsider.lacks(t, "spam")
		alice.post("/@commons/members/bob", url.Values{"action": {"restore"}}).redirectsTo(t, "/@commons/members")
		alice.post("/@commons/members/bob", url.Values{"action": {"role"}, "role": {"pope"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "Choose one of the proposed values.")
		alice.post("/@commons/members/bob", url.Values{"action": {"role"}, "role": {"treasurer"}}).redirectsTo(t, "/@commons/members")
		if m, _ := in.Members.Membership(context.Background(), mustAccount(t, in, "bob"), "commons"); m.Role != "treasurer" || m.VotingSuspended {
			t.Errorf("bob's membership: %+v", m)
		}
		alice.post("/@commons/members/bob", url.Values{"action": {"dance"}}).want(t, http.StatusUnprocessableEntity)
		alice.post("/@commons/members/nobody", url.Values{"action": {"approve"}}).want(t, http.StatusNotFound)

		// Refusing a request removes it.
		carol := newBrowser(t, in)
		carol.signUp("carol")
		carol.post("/@commons/join", nil).redirectsTo(t, "/@commons")
		alice.post("/@commons/members/carol", url.Values{"action": {"refuse"}}).redirectsTo(t, "/@commons/members")
		if carol.get("/@commons").byID("join") == nil {
			t.Error("carol cannot ask again after a refusal")
		}
	})
}

func TestMembers_PrivateAssociation(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("secret")
		form := settingsForm()
		form.Set("visibility", "members")
		alice.post("/@secret/settings", form).redirectsTo(t, "/@secret/settings?saved=1")

		newBrowser(t, in).get("/@secret/members").want(t, http.StatusForbidden).contains(t, "Only the association’s members may see or do this.")
		alice.get("/@secret/members").want(t, http.StatusOK)
		// A person's profile does not reveal a private membership, except
		// to that person.
		if newBrowser(t, in).get("/@alice").byID("memberships") != nil {
			t.Error("a private membership shows on the profile")
		}
		if alice.get("/@alice").byID("memberships") == nil {
			t.Error("alice does not see her own membership")
		}
	})
}
