package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/webtest"
)

func TestAdminReports_QueueReportPageAndAccountActions(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		alice, bob, dee := newBrowser(t, in), newBrowser(t, in), newBrowser(t, in)
		alice.makeAdmin("alice")
		bob.signUp("bob")
		dee.signUp("dee")
		note, err := in.News.Post(ctx, mustAccount(t, in, "dee"), news.PostInput{Content: "something awful"})
		if err != nil {
			t.Fatal(err)
		}
		target, _ := in.Members.LocalActor(ctx, "dee")
		rp, err := in.Members.Report(ctx, mustAccount(t, in, "bob"), membership.ReportInput{Target: target, Notes: []string{note.URI}, Comment: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		host := in.Config.Server.Host
		page := "/admin/reports/" + rp.ID.String()

		alice.get("/admin/reports").want(t, http.StatusOK).contains(t, `href="`+page+`"`, "About dee@"+host)
		resolved := alice.get("/admin/reports?state=resolved").want(t, http.StatusOK)
		resolved.contains(t, "No report here.")
		resolved.lacks(t, page)
		alice.get(page).want(t, http.StatusOK).contains(t, "something awful", "bob@"+host, "spam", `id="resolve-form"`)
		bob.get(page).want(t, http.StatusNotFound)
		bob.get("/admin/reports").want(t, http.StatusOK).lacks(t, page)
		alice.get("/admin/reports/"+uuid.Must(uuid.NewV7()).String()).want(t, http.StatusNotFound)

		tests := []struct {
			name   string
			form   url.Values
			status int
			shows  string
		}{
			{"an unknown resolution", url.Values{"action": {"resolve"}, "resolution": {"ban"}}, http.StatusUnprocessableEntity, "Choose one of the proposed values."},
			{"an empty note", url.Values{"action": {"note"}, "text": {" "}}, http.StatusUnprocessableEntity, ""},
			{"an oversized note", url.Values{"action": {"note"}, "text": {strings.Repeat("x", membership.MaxReportNote+1)}}, http.StatusUnprocessableEntity, ""},
			{"a note", url.Values{"action": {"note"}, "text": {"checking the history"}}, http.StatusSeeOther, ""},
			{"resolved with a warning", url.Values{"action": {"resolve"}, "resolution": {"warn"}, "comment": {"please be civil"}}, http.StatusSeeOther, ""},
			{"not twice", url.Values{"action": {"resolve"}, "resolution": {"none"}}, http.StatusUnprocessableEntity, "This report is already resolved."},
			{"a local target is not forwarded", url.Values{"action": {"forward"}}, http.StatusUnprocessableEntity, "can be forwarded"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := alice.post(page, tt.form).want(t, tt.status)
				if tt.shows != "" {
					p.contains(t, tt.shows)
				}
			})
		}
		alice.get(page+"?done=resolved").want(t, http.StatusOK).contains(t, "checking the history", "please be civil", `id="reopen-form"`)
		dee.get("/settings").want(t, http.StatusOK).contains(t, "Warnings from the moderators", "please be civil")
		alice.post(page, url.Values{"action": {"reopen"}}).redirectsTo(t, page+"?done=reopened")

		// The account page and its actions.
		account := "/admin/accounts/dee"
		alice.get(account).want(t, http.StatusOK).contains(t, "Moderation of dee", "please be civil", `href="`+page+`"`)
		bob.get(account).want(t, http.StatusForbidden)
		bob.post(account+"/actions", url.Values{"type": {"suspend"}}).want(t, http.StatusForbidden)
		alice.post(account+"/actions", url.Values{"type": {"ban"}}).want(t, http.StatusUnprocessableEntity)
		alice.get("/admin/accounts/nobody").want(t, http.StatusNotFound)
		alice.post(account+"/actions", url.Values{"type": {"suspend"}, "text": {"enough"}}).redirectsTo(t, account+"?done=suspend")
		alice.get(account+"?done=suspend").want(t, http.StatusOK).contains(t, "Lift the suspension")
		dee.get("/settings").redirectsTo(t, "/login?next="+url.QueryEscape("/settings"))
		if _, err := in.Members.LogIn(ctx, "dee", password, "192.0.2.9"); err == nil {
			t.Fatal("a suspended person logs in")
		}
	})
}

// visitModerationPages adds the report queue, a report and an account's
// moderation page to visitEveryPage's walk (visitModeration made a report
// about bob).
func visitModerationPages(t *testing.T, in *webtest.Instance, alice *browser, pages map[string]*page) {
	t.Helper()
	list, _, err := in.Members.Reports(context.Background(), mustAccount(t, in, "alice"), membership.ReportOpen, uuid.Nil, 10)
	if err != nil || len(list) == 0 {
		t.Fatalf("reports %v, %v", list, err)
	}
	report := "/admin/reports/" + list[0].ID.String()
	pages["admin reports, open"] = alice.get("/admin/reports")
	pages["admin reports, resolved"] = alice.get("/admin/reports?state=resolved")
	pages["admin report"] = alice.get(report)
	pages["admin report, errors"] = alice.post(report, url.Values{"action": {"resolve"}, "resolution": {"ban"}, "comment": {strings.Repeat("x", 1001)}})
	alice.post(report, url.Values{"action": {"note"}, "text": {"seen"}}).redirectsTo(t, report+"?done=noted")
	alice.post(report, url.Values{"action": {"resolve"}, "resolution": {"warn"}, "comment": {"careful"}}).redirectsTo(t, report+"?done=resolved")
	pages["admin report, resolved"] = alice.get(report + "?done=resolved")
	pages["admin account"] = alice.get("/admin/accounts/bob")
	pages["admin account, errors"] = alice.post("/admin/accounts/bob/actions", url.Values{"type": {"ban"}})
}
