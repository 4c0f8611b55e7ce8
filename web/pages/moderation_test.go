package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/webtest"
)

// askToFollow makes username follow association name, which approves its
// followers, and returns the request's id.
func askToFollow(t *testing.T, in *webtest.Instance, username, name string) string {
	t.Helper()
	ctx := context.Background()
	target, err := in.Members.LocalActor(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := in.Members.Follow(ctx, mustAccount(t, in, username), target)
	if err != nil || f.State != membership.FollowPending {
		t.Fatalf("%s follows %s: %+v %v", username, name, f, err)
	}
	return f.ID.String()
}

func TestFollowRequests_TheBoardAnswersOnItsPage(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		alice, bob, eve, visitor := newBrowser(t, in), newBrowser(t, in), newBrowser(t, in), newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		approve := true
		if _, err := in.Members.UpdateAssociation(ctx, mustAccount(t, in, "alice"), "commons",
			membership.AssociationChange{Settings: membership.SettingsChange{FollowApproval: &approve}}); err != nil {
			t.Fatal(err)
		}
		bob.signUp("bob")
		eve.signUp("eve")
		bobReq, eveReq := askToFollow(t, in, "bob", "commons"), askToFollow(t, in, "eve", "commons")
		page := "/@commons/followers/requests"
		host := in.Config.Server.Host

		alice.get("/@commons").want(t, http.StatusOK).contains(t, `href="`+page+`"`)
		alice.get(page).want(t, http.StatusOK).contains(t, "@bob@"+host, "@eve@"+host, "Requests to follow The commons")
		bob.get(page).want(t, http.StatusForbidden)
		bob.get("/@commons").want(t, http.StatusOK).lacks(t, page)
		visitor.get(page).redirectsTo(t, "/login?next="+url.QueryEscape(page))
		bob.post(page+"/"+bobReq, url.Values{"action": {"accept"}}).want(t, http.StatusForbidden)

		alice.post(page+"/"+bobReq, url.Values{"action": {"accept"}}).redirectsTo(t, page+"?done=accepted")
		done := alice.get(page+"?done=accepted").want(t, http.StatusOK)
		done.contains(t, "The request is accepted")
		done.lacks(t, "@bob@"+host)
		if st, _ := in.Members.FollowState(ctx, in.Config.BaseURL()+"/actors/bob", in.Config.BaseURL()+"/actors/commons"); st != membership.FollowAccepted {
			t.Fatalf("bob's follow: %q", st)
		}
		alice.post(page+"/"+eveReq, url.Values{"action": {"dance"}}).want(t, http.StatusUnprocessableEntity).contains(t, "Choose one of the proposed values.")
		alice.post(page+"/"+bobReq, url.Values{"action": {"reject"}}).want(t, http.StatusNotFound)
		alice.post(page+"/not-an-id", url.Values{"action": {"reject"}}).want(t, http.StatusNotFound)
		alice.post(page+"/"+eveReq, url.Values{"action": {"reject"}}).redirectsTo(t, page+"?done=rejected")
		alice.get(page+"?done=rejected").want(t, http.StatusOK).contains(t, "The request is refused.", "No one is waiting for an answer.")
		if st, _ := in.Members.FollowState(ctx, in.Config.BaseURL()+"/actors/eve", in.Config.BaseURL()+"/actors/commons"); st != "" {
			t.Fatalf("eve's follow after the refusal: %q", st)
		}
		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.logIn("alice")
		french := "fr"
		if _, err := in.Members.UpdateProfile(ctx, mustAccount(t, in, "alice"), membership.ProfileChange{Locale: &french}); err != nil {
			t.Fatal(err)
		}
		fr.get(page).want(t, http.StatusOK).contains(t, "Demandes d’abonnement à The commons", "Personne n’attend de réponse.")
	})
}

func TestAdmin_ListsAndResolvesReports(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		alice, bob := newBrowser(t, in), newBrowser(t, in)
		alice.makeAdmin("alice")
		bob.signUp("bob")
		dee := newBrowser(t, in)
		dee.signUp("dee")
		note, err := in.News.Post(ctx, mustAccount(t, in, "dee"), news.PostInput{Content: "something awful"})
		if err != nil {
			t.Fatal(err)
		}
		target, _ := in.Members.LocalActor(ctx, "dee")
		rp, err := in.Members.Report(ctx, mustAccount(t, in, "bob"), membership.ReportInput{Target: target, Notes: []string{note.URI}, Comment: "spam <b>here</b>"})
		if err != nil {
			t.Fatal(err)
		}
		host := in.Config.Server.Host
		// The dashboard counts the open reports and links to them.
		_ = host
		alice.get("/admin").want(t, http.StatusOK).contains(t, `<a href="/admin/reports">1, see the reports</a>`)
		action := "/admin/reports/" + rp.ID.String()
		bob.post(action, url.Values{"action": {"resolve"}}).want(t, http.StatusNotFound)
		bob.get("/admin").want(t, http.StatusForbidden)
		alice.post(action, url.Values{"action": {"shrug"}}).want(t, http.StatusUnprocessableEntity)
		alice.post("/admin/reports/"+uuid.Must(uuid.NewV7()).String(), url.Values{"action": {"resolve"}}).want(t, http.StatusNotFound)
		alice.post(action, url.Values{"action": {"resolve"}}).redirectsTo(t, "/admin?resolved=1")
		after := alice.get("/admin?resolved=1").want(t, http.StatusOK)
		after.contains(t, "The report is resolved.", `<a href="/admin/reports">0, see the reports</a>`)
		alice.post(action, url.Values{"action": {"resolve"}}).want(t, http.StatusUnprocessableEntity).contains(t, "This report is already resolved.")
	})
}

// visitModeration adds the moderation pages to visitEveryPage's walk:
// alice is an administrator and on the board of commons, bob a member.
func visitModeration(t *testing.T, in *webtest.Instance, alice *browser, pages map[string]*page) {
	t.Helper()
	ctx := context.Background()
	approve := true
	if _, err := in.Members.UpdateAssociation(ctx, mustAccount(t, in, "alice"), "commons",
		membership.AssociationChange{Settings: membership.SettingsChange{FollowApproval: &approve}}); err != nil {
		t.Fatal(err)
	}
	carol, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "carol", Email: "carol@example.org", Password: password}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	req := askToFollow(t, in, "carol", "commons")
	pages["follow requests, board"] = alice.get("/@commons/followers/requests")
	pages["follow requests, error"] = alice.post("/@commons/followers/requests/"+req, url.Values{"action": {"dance"}})
	bob, _ := in.Members.LocalActor(ctx, "bob")
	if _, err := in.Members.Report(ctx, carol, membership.ReportInput{Target: bob, Comment: "spam"}); err != nil {
		t.Fatal(err)
	}
	pages["admin, reports"] = alice.get("/admin")
}
