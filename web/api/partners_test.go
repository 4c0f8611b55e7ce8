package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/holon-network/holon/core/membership"
)

type partnerReply struct {
	Acct  string `json:"acct"`
	Actor string `json:"actor"`
	Local bool   `json:"local"`
	State string `json:"state"`
	Since string `json:"since"`
}

type partnerPage struct {
	Items []partnerReply `json:"items"`
	Next  *string        `json:"next"`
}

// Two associations of one instance become partners through the API; the
// board sees the partnership asked, everyone the mutual one; refusals are
// problems a script can tell apart.
func TestPartners_API(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		bea, beaToken := e.person("bea")
		e.association(ada, "commons")
		e.join(bob, "commons")
		e.association(bea, "bakery")
		e.settings(bea, "bakery", membership.SettingsChange{FollowApproval: ptr(true)})
		host := e.Config.Server.Host
		path := "/associations/commons/partners"

		tests := []struct {
			name, token, body string
			status            int
			code, field       string
		}{
			{"anonymous", "", `{"target":"bakery@` + host + `"}`, http.StatusUnauthorized, "unauthenticated", ""},
			{"a member not on the board", bobToken, `{"target":"bakery@` + host + `"}`, http.StatusForbidden, "board-only", ""},
			{"no target", adaToken, `{"target":""}`, http.StatusBadRequest, "invalid-input", "required"},
			{"an unknown field", adaToken, `{"target":"bakery@` + host + `","why":1}`, http.StatusBadRequest, "unknown-field", ""},
			{"neither name@host nor URL", adaToken, `{"target":"bakery"}`, http.StatusBadRequest, "bad-actor-query", "bad-actor-query"},
			{"a person", adaToken, `{"target":"bob@` + host + `"}`, http.StatusBadRequest, "invalid-input", "not-an-association"},
			{"itself", adaToken, `{"target":"commons@` + host + `"}`, http.StatusBadRequest, "invalid-input", "partner-self"},
			{"unknown", adaToken, `{"target":"nobody@` + host + `"}`, http.StatusNotFound, "actor-not-found", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := e.post(path, tt.token, tt.body).problem(t, tt.status, tt.code)
				if tt.field != "" {
					sameFields(t, p, map[string]string{"target": tt.field})
				}
			})
		}
		e.post("/associations/nowhere/partners", adaToken, `{"target":"bakery@`+host+`"}`).problem(t, http.StatusNotFound, "association-not-found")

		var added partnerReply
		e.post(path, adaToken, `{"target":"bakery@`+host+`"}`).ok(t, http.StatusOK, "Partner", &added)
		if added.State != "requested" || added.Acct != "bakery@"+host || !added.Local {
			t.Fatalf("added %+v", added)
		}
		var page partnerPage
		e.get(path, adaToken).ok(t, http.StatusOK, "PartnerPage", &page)
		if len(page.Items) != 1 || page.Items[0].State != "requested" || page.Next != nil {
			t.Fatalf("the board's list %+v", page)
		}
		e.get(path, "").ok(t, http.StatusOK, "PartnerPage", &page)
		if len(page.Items) != 0 {
			t.Fatalf("the public sees %+v before it is mutual", page)
		}
		e.get(path+"?cursor=nonsense", adaToken).problem(t, http.StatusBadRequest, "invalid-input")

		// Bakery's board adds commons back: mutual on both sides.
		e.post("/associations/bakery/partners", beaToken, `{"target":"`+e.Config.BaseURL()+`/actors/commons"}`).ok(t, http.StatusOK, "Partner", &added)
		if added.State != "mutual" {
			t.Fatalf("added back %+v", added)
		}
		for _, p := range []string{path, "/associations/bakery/partners"} {
			e.get(p, "").ok(t, http.StatusOK, "PartnerPage", &page)
			if len(page.Items) != 1 || page.Items[0].State != "mutual" {
				t.Fatalf("%s: %+v", p, page)
			}
		}

		one := path + "/" + url.PathEscape("bakery@"+host)
		e.del(one, bobToken).problem(t, http.StatusForbidden, "board-only")
		e.del(one, "").problem(t, http.StatusUnauthorized, "unauthenticated")
		if r := e.del(one, adaToken); r.status != http.StatusNoContent {
			t.Fatalf("end: %d %s", r.status, r.body)
		}
		e.del(one, adaToken).problem(t, http.StatusNotFound, "partner-not-found")
		e.del(path+"/nobody@nowhere.example", adaToken).problem(t, http.StatusNotFound, "partner-not-found")
		e.get("/associations/bakery/partners", beaToken).ok(t, http.StatusOK, "PartnerPage", &page)
		if len(page.Items) != 0 {
			t.Fatalf("bakery's partners after the end: %+v", page)
		}
	})
}
