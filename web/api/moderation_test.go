package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

type pendingFollow struct {
	ID    string `json:"id"`
	Actor string `json:"actor"`
	Acct  string `json:"acct"`
	Local bool   `json:"local"`
	State string `json:"state"`
}

type pendingFollowPage struct {
	Items []pendingFollow `json:"items"`
	Next  *string         `json:"next"`
}

func TestFollowRequests_TheBoardAccepts(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		_, eveToken := e.person("eve")
		e.association(ada, "commons")
		e.join(bob, "commons")
		e.settings(ada, "commons", membership.SettingsChange{FollowApproval: ptr(true)})
		commons := "commons@" + e.Config.Server.Host
		for _, token := range []string{bobToken, eveToken} {
			var f struct{ State string }
			e.post("/follows", token, `{"target": "`+commons+`"}`).ok(t, http.StatusCreated, "Follow", &f)
			if f.State != "pending" {
				t.Fatalf("follow of an approving association: %s", f.State)
			}
		}

		path := "/associations/commons/follow-requests"
		e.get(path, "").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.get(path, bobToken).problem(t, http.StatusForbidden, "board-only")
		e.get("/associations/nowhere/follow-requests", adaToken).problem(t, http.StatusNotFound, "association-not-found")
		e.get(path+"?cursor=nonsense", adaToken).problem(t, http.StatusBadRequest, "invalid-input")
		var page pendingFollowPage
		e.get(path+"?limit=1", adaToken).ok(t, http.StatusOK, "PendingFollowPage", &page)
		if len(page.Items) != 1 || page.Next == nil || page.Items[0].Acct != "bob@"+e.Config.Server.Host || !page.Items[0].Local || page.Items[0].State != "pending" {
			t.Fatalf("first page %+v", page)
		}
		var rest pendingFollowPage
		e.get(path+"?limit=1&cursor="+*page.Next, adaToken).ok(t, http.StatusOK, "PendingFollowPage", &rest)
		if len(rest.Items) != 1 || rest.Next != nil || !strings.HasSuffix(rest.Items[0].Actor, "/actors/eve") {
			t.Fatalf("last page %+v", rest)
		}

		bobReq, eveReq := page.Items[0].ID, rest.Items[0].ID
		e.post(path+"/"+bobReq+"/accept", bobToken, "").problem(t, http.StatusForbidden, "board-only")
		e.post(path+"/not-an-id/accept", adaToken, "").problem(t, http.StatusNotFound, "follow-request-not-found")
		e.post(path+"/"+bobReq+"/accept", adaToken, `{"why": 1}`).problem(t, http.StatusBadRequest, "unknown-field")
		var answered pendingFollow
		e.post(path+"/"+bobReq+"/accept", adaToken, "").ok(t, http.StatusOK, "PendingFollow", &answered)
		if answered.State != "accepted" {
			t.Fatalf("accepted %+v", answered)
		}
		e.post(path+"/"+bobReq+"/reject", adaToken, "").problem(t, http.StatusNotFound, "follow-request-not-found")
		e.post(path+"/"+eveReq+"/reject", adaToken, "{}").ok(t, http.StatusOK, "PendingFollow", &answered)
		if answered.State != "rejected" {
			t.Fatalf("rejected %+v", answered)
		}
		var follows struct{ Items []struct{ State string } }
		e.get("/follows", bobToken).ok(t, http.StatusOK, "FollowList", &follows)
		if len(follows.Items) != 1 || follows.Items[0].State != "accepted" {
			t.Fatalf("bob's follows: %+v", follows)
		}
		e.get("/follows", eveToken).ok(t, http.StatusOK, "FollowList", &follows)
		if len(follows.Items) != 0 {
			t.Fatalf("eve's follows after the refusal: %+v", follows)
		}
		e.get(path, adaToken).ok(t, http.StatusOK, "PendingFollowPage", &page)
		if len(page.Items) != 0 {
			t.Fatalf("answered requests still listed: %+v", page)
		}
	})
}

func TestBlocks_BlockListUnblock(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, adaToken := e.person("ada")
		_, bobToken := e.person("bob")
		bob := "bob@" + e.Config.Server.Host
		e.post("/follows", bobToken, `{"target": "ada@`+e.Config.Server.Host+`"}`).ok(t, http.StatusCreated, "Follow", nil)

		e.post("/blocks", "", `{"target": "`+bob+`"}`).problem(t, http.StatusUnauthorized, "unauthenticated")
		sameFields(t, e.post("/blocks", adaToken, `{"target": ""}`).problem(t, http.StatusBadRequest, "required"), map[string]string{"target": "required"})
		e.post("/blocks", adaToken, `{"target": "ada@`+e.Config.Server.Host+`"}`).problem(t, http.StatusBadRequest, "block-self")
		e.post("/blocks", adaToken, `{"target": "nobody@`+e.Config.Server.Host+`"}`).problem(t, http.StatusNotFound, "actor-not-found")

		var b struct{ ID, Target, Acct string }
		r := e.post("/blocks", adaToken, `{"target": "`+bob+`"}`)
		r.ok(t, http.StatusCreated, "Block", &b)
		if b.Acct != bob || !strings.HasSuffix(b.Target, "/actors/bob") || r.header.Get("Location") != "/api/holon/v1/blocks/"+b.ID {
			t.Fatalf("block %+v, Location %q", b, r.header.Get("Location"))
		}
		var again struct{ ID string }
		e.post("/blocks", adaToken, `{"target": "`+bob+`"}`).ok(t, http.StatusOK, "Block", &again)
		if again.ID != b.ID {
			t.Fatalf("second block %s, want %s", again.ID, b.ID)
		}
		var follows struct{ Items []any }
		e.get("/follows", bobToken).ok(t, http.StatusOK, "FollowList", &follows)
		if len(follows.Items) != 0 {
			t.Fatalf("bob still follows ada: %+v", follows)
		}
		e.post("/follows", bobToken, `{"target": "ada@`+e.Config.Server.Host+`"}`).problem(t, http.StatusForbidden, "blocked")

		var list struct {
			Items []struct{ ID string }
			Next  *string
		}
		e.get("/blocks", adaToken).ok(t, http.StatusOK, "BlockList", &list)
		if len(list.Items) != 1 || list.Items[0].ID != b.ID || list.Next != nil {
			t.Fatalf("ada's blocks %+v", list)
		}
		e.get("/blocks", bobToken).ok(t, http.StatusOK, "BlockList", &list)
		if len(list.Items) != 0 {
			t.Fatalf("bob's blocks %+v", list)
		}
		e.get("/blocks?limit=0", adaToken).problem(t, http.StatusBadRequest, "invalid-input")
		e.del("/blocks/"+b.ID, bobToken).problem(t, http.StatusNotFound, "block-not-found")
		e.del("/blocks/nonsense", adaToken).problem(t, http.StatusNotFound, "block-not-found")
		if r := e.del("/blocks/"+b.ID, adaToken); r.status != http.StatusNoContent {
			t.Fatalf("unblock: %d %s", r.status, r.body)
		}
		e.del("/blocks/"+b.ID, adaToken).problem(t, http.StatusNotFound, "block-not-found")
		e.post("/follows", bobToken, `{"target": "ada@`+e.Config.Server.Host+`"}`).ok(t, http.StatusCreated, "Follow", nil)
	})
}

type report struct {
	ID          string  `json:"id"`
	Target      string  `json:"target"`
	Association *string `json:"association"`
	Reporter    *string `json:"reporter"`
	Comment     string  `json:"comment"`
	Notes       []struct {
		ID string `json:"id"`
	} `json:"notes"`
	State      string  `json:"state"`
	ResolvedBy *string `json:"resolved_by"`
}

type reportList struct {
	Items []report `json:"items"`
	Next  *string  `json:"next"`
}

func TestReports_ReportListResolve(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ctx := context.Background()
		ada, adaToken := e.person("ada")
		dee, deeToken := e.person("dee")
		admin, err := e.Members.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org", Password: "correct horse battery"}, membership.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		adminToken, _, _ := e.Members.CreateToken(ctx, admin, "t")
		e.association(ada, "commons")
		spoken, err := e.News.Post(ctx, ada, news.PostInput{Author: "commons", Content: "we speak"})
		if err != nil {
			t.Fatal(err)
		}
		deeNote, err := e.News.Post(ctx, dee, news.PostInput{Content: "dee speaks"})
		if err != nil {
			t.Fatal(err)
		}
		host := e.Config.Server.Host

		e.post("/reports", "", `{"target": "commons@`+host+`"}`).problem(t, http.StatusUnauthorized, "unauthenticated")
		sameFields(t, e.post("/reports", deeToken, `{"target": "commons@`+host+`", "comment": "`+strings.Repeat("x", 1001)+`", "notes": ["`+deeNote.ID.String()+`"]}`).
			problem(t, http.StatusBadRequest, "invalid-input"), map[string]string{"comment": "too-long", "notes": "not-by-target"})
		e.post("/reports", deeToken, `{"target": "dee@`+host+`"}`).problem(t, http.StatusBadRequest, "report-self")
		e.post("/reports", deeToken, `{"target": "commons@`+host+`", "notes": "x"}`).problem(t, http.StatusBadRequest, "wrong-type")

		var aboutCommons report
		r := e.post("/reports", deeToken, `{"target": "commons@`+host+`", "notes": ["`+spoken.ID.String()+`"], "comment": "rude", "forward": true}`)
		r.ok(t, http.StatusCreated, "Report", &aboutCommons)
		if aboutCommons.Association == nil || *aboutCommons.Association != "commons" || len(aboutCommons.Notes) != 1 ||
			aboutCommons.Notes[0].ID != spoken.URI || aboutCommons.State != "open" || r.header.Get("Location") != "/api/holon/v1/reports/"+aboutCommons.ID {
			t.Fatalf("report %+v", aboutCommons)
		}
		var aboutDee report
		e.post("/reports", adaToken, `{"target": "dee@`+host+`", "notes": ["`+deeNote.URI+`"]}`).ok(t, http.StatusCreated, "Report", &aboutDee)

		tests := []struct {
			name     string
			token    string
			want     []string
			reporter bool
		}{
			{"the admin sees both, with the reporters", adminToken, []string{aboutDee.ID, aboutCommons.ID}, true},
			{"commons' board sees the report about commons, not who made it", adaToken, []string{aboutCommons.ID}, false},
			{"a person sees none, not even their own", deeToken, nil, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var list reportList
				e.get("/reports?state=open", tt.token).ok(t, http.StatusOK, "ReportList", &list)
				if len(list.Items) != len(tt.want) {
					t.Fatalf("sees %+v, want %v", list.Items, tt.want)
				}
				for i, rp := range list.Items {
					if rp.ID != tt.want[i] || (rp.Reporter != nil) != tt.reporter {
						t.Fatalf("item %d: %+v", i, rp)
					}
				}
			})
		}
		e.get("/reports?state=closed", adminToken).problem(t, http.StatusBadRequest, "invalid-input")
		var first reportList
		e.get("/reports?limit=1", adminToken).ok(t, http.StatusOK, "ReportList", &first)
		if len(first.Items) != 1 || first.Next == nil {
			t.Fatalf("first page %+v", first)
		}

		e.post("/reports/"+aboutDee.ID+"/resolve", adaToken, "").problem(t, http.StatusNotFound, "report-not-found")
		e.post("/reports/nonsense/resolve", adminToken, "").problem(t, http.StatusNotFound, "report-not-found")
		var resolved report
		e.post("/reports/"+aboutCommons.ID+"/resolve", adaToken, "").ok(t, http.StatusOK, "Report", &resolved)
		if resolved.State != "resolved" || resolved.ResolvedBy == nil || *resolved.ResolvedBy != "ada" || resolved.Reporter != nil {
			t.Fatalf("resolved %+v", resolved)
		}
		e.post("/reports/"+aboutCommons.ID+"/resolve", adminToken, "").problem(t, http.StatusConflict, "report-resolved")
		var open reportList
		e.get("/reports?state=open", adminToken).ok(t, http.StatusOK, "ReportList", &open)
		if len(open.Items) != 1 || open.Items[0].ID != aboutDee.ID {
			t.Fatalf("open reports %+v", open)
		}
	})
}
