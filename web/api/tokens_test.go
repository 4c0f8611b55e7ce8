package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

type tokenBody struct {
	ID         string  `json:"id"`
	Label      string  `json:"label"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
	Token      string  `json:"token"`
}

func TestGetMe_ShowsTheCallersAccount(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		var got struct {
			ID, Username, Email, Locale, Role, Status string
			DisplayName                               string `json:"display_name"`
		}
		e.get("/accounts/me", token).ok(t, http.StatusOK, "Account", &got)
		if got.ID != ada.ID.String() || got.Username != "ada" || got.DisplayName != "ada" || got.Email != "ada@example.org" ||
			got.Locale != "en" || got.Role != "user" || got.Status != "active" {
			t.Fatalf("account %+v", got)
		}
	})
}

func TestAuth_MissingOrBadCredentialsAreUnauthorized(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		e.association(ada, "garden")
		routes := []struct{ method, path, body string }{
			{http.MethodGet, "/accounts/me", ""},
			{http.MethodGet, "/tokens", ""},
			{http.MethodPost, "/tokens", `{"label": "x"}`},
			{http.MethodDelete, "/tokens/0190a0a0-0000-7000-8000-000000000000", ""},
			{http.MethodPost, "/associations", `{"name": "intruders"}`},
			{http.MethodPatch, "/associations/garden", `{"summary": "x"}`},
			{http.MethodPost, "/associations/garden/members", ""},
			{http.MethodDelete, "/associations/garden/members/me", ""},
			{http.MethodPatch, "/associations/garden/members/ada", `{"role": "member"}`},
			{http.MethodDelete, "/associations/garden/members/ada", ""},
		}
		credentials := []struct{ name, header, code string }{
			{"none", "", "unauthenticated"},
			{"unknown token", "Bearer hln_not-a-token", "unauthenticated"},
			{"wrong scheme", "Basic " + token, "unauthenticated"},
			{"empty bearer", "Bearer ", "unauthenticated"},
			{"oversized token", "Bearer " + strings.Repeat("x", 200), "unauthenticated"},
		}
		before := e.get("/associations/garden", "")
		for _, c := range credentials {
			for _, rt := range routes {
				t.Run(c.name+" "+rt.method+" "+rt.path, func(t *testing.T) {
					q := request{method: rt.method, path: rt.path, body: rt.body}
					if c.header != "" {
						q.header = map[string]string{"Authorization": c.header}
					}
					r := e.do(q)
					r.problem(t, http.StatusUnauthorized, c.code)
					if r.header.Get("WWW-Authenticate") == "" {
						t.Fatal("no WWW-Authenticate header")
					}
				})
			}
		}
		e.unchanged("garden", before)
		if n := e.associationCount(); n != 1 {
			t.Fatalf("%d associations", n)
		}
		// A bad token is refused even where visitors are welcome: a
		// script must learn that its token is wrong.
		e.get("/instance", "hln_not-a-token").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.get("/instance", "").ok(t, http.StatusOK, "Instance", nil)
	})
}

func TestTokens_CreateUseListAndRevoke(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, token := e.person("ada")
		_, bobToken := e.person("bob")

		var fresh tokenBody
		r := e.post("/tokens", token, `{"label": "backup script"}`)
		r.ok(t, http.StatusCreated, "NewToken", &fresh)
		if fresh.Label != "backup script" || !strings.HasPrefix(fresh.Token, "hln_") || fresh.ID == "" {
			t.Fatalf("new token %+v", fresh)
		}
		if r.header.Get("Location") != "/api/holon/v1/tokens/"+fresh.ID || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("headers %v", r.header)
		}
		var unlabelled tokenBody
		e.do(request{method: http.MethodPost, path: "/tokens", token: token}).ok(t, http.StatusCreated, "NewToken", &unlabelled)
		if unlabelled.Label != "API token" {
			t.Fatalf("default label %q", unlabelled.Label)
		}

		e.get("/accounts/me", fresh.Token).ok(t, http.StatusOK, "Account", nil)

		var list struct {
			Items []tokenBody `json:"items"`
			Next  *string     `json:"next"`
		}
		e.get("/tokens", token).ok(t, http.StatusOK, "TokenList", &list)
		if len(list.Items) != 3 || list.Next != nil || list.Items[1].ID != fresh.ID || list.Items[1].LastUsedAt == nil {
			t.Fatalf("tokens %+v", list)
		}
		for _, tk := range list.Items {
			if tk.Token != "" || tk.RevokedAt != nil {
				t.Fatalf("listed token %+v", tk)
			}
		}

		e.del("/tokens/"+fresh.ID, bobToken).problem(t, http.StatusNotFound, "token-not-found")
		e.get("/accounts/me", fresh.Token).ok(t, http.StatusOK, "Account", nil)

		e.del("/tokens/"+fresh.ID, token).ok(t, http.StatusNoContent, "", nil)
		e.get("/accounts/me", fresh.Token).problem(t, http.StatusUnauthorized, "unauthenticated")
		e.del("/tokens/"+fresh.ID, token).problem(t, http.StatusNotFound, "token-not-found")
		e.del("/tokens/not-a-uuid", token).problem(t, http.StatusNotFound, "token-not-found")

		e.get("/tokens", token).ok(t, http.StatusOK, "TokenList", &list)
		if list.Items[1].RevokedAt == nil {
			t.Fatalf("revoked token listed as %+v", list.Items[1])
		}
	})
}

func TestTokens_RevokingTheTokenInUseEndsIt(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		tokens, err := e.Members.Tokens(context.Background(), ada)
		if err != nil || len(tokens) != 1 {
			t.Fatalf("tokens %v: %v", tokens, err)
		}
		e.del("/tokens/"+tokens[0].ID.String(), token).ok(t, http.StatusNoContent, "", nil)
		e.get("/tokens", token).problem(t, http.StatusUnauthorized, "unauthenticated")
	})
}

func TestCreateToken_InvalidLabelCreatesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		p := e.post("/tokens", token, `{"label": "`+strings.Repeat("x", 101)+`"}`).problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"label": "too-long"})
		e.post("/tokens", token, `{"label": 7}`).problem(t, http.StatusBadRequest, "wrong-type")
		if tokens, _ := e.Members.Tokens(context.Background(), ada); len(tokens) != 1 {
			t.Fatalf("%d tokens", len(tokens))
		}
	})
}
