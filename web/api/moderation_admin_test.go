package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// staff creates an account with role and returns it with a bearer token.
func (e env) staff(username, role string) (membership.Account, string) {
	e.t.Helper()
	ctx := context.Background()
	acc, err := e.Members.CreateAccount(ctx, membership.NewAccount{Username: username, Email: username + "@example.org",
		Password: "correct horse battery"}, role)
	if err != nil {
		e.t.Fatal(err)
	}
	token, _, err := e.Members.CreateToken(ctx, acc, "t")
	if err != nil {
		e.t.Fatal(err)
	}
	return acc, token
}

func TestModeration_ReportStepsAccountActionsAndAudit(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ctx := context.Background()
		_, adminToken := e.staff("root", membership.RoleAdmin)
		_, modToken := e.staff("mod", membership.RoleModerator)
		_, bobToken := e.person("bob")
		dee, deeToken := e.person("dee")
		host := e.Config.Server.Host
		note, err := e.News.Post(ctx, dee, news.PostInput{Content: "buy now"})
		if err != nil {
			t.Fatal(err)
		}
		var rp struct{ ID string }
		e.post("/reports", bobToken, `{"target": "dee@`+host+`", "notes": ["`+note.ID.String()+`"], "comment": "spam"}`).
			ok(t, http.StatusCreated, "Report", &rp)
		report := "/reports/" + rp.ID

		tests := []struct {
			name, method, path, token, body string
			status                          int
			code, schema                    string
		}{
			{"another user's report", "GET", report, deeToken, "", http.StatusNotFound, "report-not-found", ""},
			{"an unknown report", "GET", "/reports/01a1ff93-4f0e-7146-a623-80fce4223a6c", adminToken, "", http.StatusNotFound, "report-not-found", ""},
			{"the report, for a moderator", "GET", report, modToken, "", http.StatusOK, "", "ReportDetail"},
			{"an oversized note", "POST", report + "/notes", modToken, `{"text": "` + strings.Repeat("x", 2001) + `"}`, http.StatusBadRequest, "invalid-input", ""},
			{"a note", "POST", report + "/notes", modToken, `{"text": "checking"}`, http.StatusCreated, "", "ModeratorNote"},
			{"an unknown action", "POST", report + "/resolve", modToken, `{"action": "ban"}`, http.StatusBadRequest, "invalid-input", ""},
			{"a moderator does not delete", "POST", report + "/resolve", modToken, `{"action": "delete"}`, http.StatusForbidden, "not-allowed", ""},
			{"resolved with a warning", "POST", report + "/resolve", modToken, `{"action": "warn", "comment": "no ads"}`, http.StatusOK, "", "Report"},
			{"not twice", "POST", report + "/resolve", modToken, `{"action": "none"}`, http.StatusConflict, "report-resolved", ""},
			{"a local target is not forwarded", "POST", report + "/forward", adminToken, "", http.StatusConflict, "report-not-forwardable", ""},
			{"reopened", "POST", report + "/reopen", modToken, "", http.StatusOK, "", "Report"},
			{"not reopened twice", "POST", report + "/reopen", modToken, "", http.StatusConflict, "report-open", ""},
			{"the warned person reads it", "GET", "/accounts/me/warnings", deeToken, "", http.StatusOK, "", "ModerationActionList"},
			{"a user acts on nobody", "POST", "/admin/accounts/dee/actions", bobToken, `{"type": "warn"}`, http.StatusForbidden, "not-allowed", ""},
			{"an unknown account", "POST", "/admin/accounts/nobody/actions", modToken, `{"type": "warn"}`, http.StatusNotFound, "actor-not-found", ""},
			{"an unknown remote actor", "POST", "/admin/accounts/nobody@peer.example/actions", modToken, `{"type": "warn"}`, http.StatusNotFound, "actor-not-found", ""},
			{"an unknown account action", "POST", "/admin/accounts/dee/actions", modToken, `{"type": "ban"}`, http.StatusBadRequest, "invalid-input", ""},
			{"silenced", "POST", "/admin/accounts/dee/actions", modToken, `{"type": "silence", "report": "` + rp.ID + `"}`, http.StatusCreated, "", "ModerationAction"},
			{"the account's page", "GET", "/admin/accounts/dee", modToken, "", http.StatusOK, "", "ModeratedAccount"},
			{"not for a user", "GET", "/admin/accounts/dee", bobToken, "", http.StatusForbidden, "not-allowed", ""},
			{"a user removes no note", "POST", "/admin/notes/" + note.ID.String() + "/remove", bobToken, "", http.StatusForbidden, "not-allowed", ""},
			{"a note removed", "POST", "/admin/notes/" + note.ID.String() + "/remove", modToken, `{"reason": "ads"}`, http.StatusOK, "", "ModerationAction"},
			{"not twice", "POST", "/admin/notes/" + note.ID.String() + "/remove", modToken, "", http.StatusNotFound, "note-deleted", ""},
			{"suspended", "POST", "/admin/accounts/dee/actions", modToken, `{"type": "suspend"}`, http.StatusCreated, "", "ModerationAction"},
			{"the suspended person's token is refused", "GET", "/accounts/me", deeToken, "", http.StatusUnauthorized, "unauthenticated", ""},
			{"the suspended actor answers 410 Gone", "ACTOR", "/actors/dee", "", "", http.StatusGone, "", ""},
			{"a moderator deletes no account", "POST", "/admin/accounts/dee/actions", modToken, `{"type": "delete"}`, http.StatusForbidden, "not-allowed", ""},
			{"an administrator does", "POST", "/admin/accounts/dee/actions", adminToken, `{"type": "delete"}`, http.StatusCreated, "", "ModerationAction"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var r reply
				if tt.method == "ACTOR" {
					req, _ := http.NewRequest(http.MethodGet, e.URL+tt.path, nil)
					req.Header.Set("Accept", "application/activity+json")
					if r = e.send(req); r.status != tt.status {
						t.Fatalf("status %d, want %d", r.status, tt.status)
					}
					return
				}
				if tt.method == "GET" {
					r = e.get(tt.path, tt.token)
				} else {
					r = e.post(tt.path, tt.token, tt.body)
				}
				if tt.code != "" {
					r.problem(t, tt.status, tt.code)
					return
				}
				r.ok(t, tt.status, tt.schema, nil)
			})
		}
		var d struct {
			State          string
			Resolution     *string
			ModeratorNotes []struct{ Text string } `json:"moderator_notes"`
			Actions        []struct{ Action string }
		}
		e.get(report, adminToken).ok(t, http.StatusOK, "ReportDetail", &d)
		if d.State != "open" || d.Resolution == nil || *d.Resolution != "warn" || len(d.ModeratorNotes) != 1 || len(d.Actions) != 2 {
			t.Fatalf("report %+v", d)
		}
		list, err := e.DB.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(list) - 1; i >= 0; i-- {
			got = append(got, list[i].Action)
		}
		want := "report.note,account.warn,report.resolve,report.reopen,account.silence,note.remove,account.suspend,account.delete"
		if strings.Join(got, ",") != want {
			t.Fatalf("audit log %v, want %s", got, want)
		}
		if !strings.Contains(list[len(list)-2].Detail, rp.ID) || list[len(list)-2].AccountName != "mod" {
			t.Fatalf("resolution entry %+v", list[len(list)-2])
		}
	})
}
