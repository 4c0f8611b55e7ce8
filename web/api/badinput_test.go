package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/web/auth"
)

// Every malformed body gets a 400 (415 for another content type) that says
// what is wrong and where, and changes nothing.
func TestBadBody_IsRefusedAndChangesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		e.association(ada, "garden")
		before := e.get("/associations/garden", "")
		tests := []struct {
			name, body, contentType string
			status                  int
			code, field, detail     string
		}{
			{"malformed", "{\n  \"summary\": \"x\",\n}", "", 400, "malformed-json", "", "line 3, column 1"},
			{"truncated", `{"summary": "x`, "", 400, "malformed-json", "", "line 1, column 15"},
			{"unknown field", `{"summery": "x"}`, "", 400, "unknown-field", "summery", "summery: unknown field"},
			{"nested settings", `{"settings": {"join_mode": "approval"}}`, "", 400, "unknown-field", "settings", "settings: unknown field"},
			{"field in another case", `{"Summary": "x"}`, "", 400, "unknown-field", "Summary", "Summary: unknown field"},
			{"repeated field", `{"summary": "a", "summary": "b"}`, "", 400, "repeated-field", "summary", "summary: given more than once"},
			{"wrong type", `{"follow_approval": "yes"}`, "", 400, "wrong-type", "follow_approval", "follow_approval: must be true or false, not a string"},
			{"amount as a number", `{"board_may_allocate_up_to": 100}`, "", 400, "wrong-type", "board_may_allocate_up_to", "board_may_allocate_up_to: must be a string, not a number"},
			{"array", `[{"summary": "x"}]`, "", 400, "not-an-object", "", "an array"},
			{"null", `null`, "", 400, "not-an-object", "", "object"},
			{"trailing data", `{"summary": "x"} {"summary": "y"}`, "", 400, "trailing-data", "", "line 1, column 18"},
			{"empty", ``, "application/json", 400, "empty-body", "", "JSON object"},
			{"no content type", `{"summary": "x"}`, "-", 415, "unsupported-media-type", "", "application/json"},
			{"form", `summary=x`, "application/x-www-form-urlencoded", 415, "unsupported-media-type", "", "application/json"},
			{"other charset", `{"summary": "x"}`, "application/json; charset=latin1", 415, "unsupported-media-type", "", "application/json"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(request{method: http.MethodPatch, path: "/associations/garden", token: token, body: tt.body, contentType: tt.contentType})
				p := r.problem(t, tt.status, tt.code)
				if !strings.Contains(p.Detail, tt.detail) {
					t.Errorf("detail %q does not say %q", p.Detail, tt.detail)
				}
				if tt.field != "" {
					sameFields(t, p, map[string]string{tt.field: tt.code})
				}
				e.unchanged("garden", before)
			})
		}
		// JSON with a charset parameter of UTF-8 is JSON.
		e.do(request{method: http.MethodPatch, path: "/associations/garden", token: token, body: `{}`,
			contentType: "application/json; charset=UTF-8"}).ok(t, http.StatusOK, "Association", nil)
	})
}

func TestBadBody_CreatesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, token := e.person("ada")
		for _, body := range []string{`{"name": "garden",}`, `{"name": "garden", "owner": "bob"}`, `{"name": 5}`, `{"name": "garden"} x`} {
			r := e.post("/associations", token, body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("%s: status %d", body, r.status)
			}
		}
		e.do(request{method: http.MethodPost, path: "/associations", token: token, body: `{"name": "garden"}`, contentType: "text/plain"}).
			problem(t, http.StatusUnsupportedMediaType, "unsupported-media-type")
		if n := e.associationCount(); n != 0 {
			t.Fatalf("%d associations", n)
		}
	})
}

// hideLength hides a reader's length from net/http, so that the body is
// sent chunked, with no Content-Length for the server to check up front.
type hideLength struct{ io.Reader }

func TestOversizedBody_IsTooLargeAndChangesNothing(t *testing.T) {
	each(t, func(c *config.Config) { c.Server.MaxBodyBytes = 1024 }, func(t *testing.T, e env) {
		ada, token := e.person("ada")
		e.association(ada, "garden")
		before := e.get("/associations/garden", "")
		body := `{"summary": "` + strings.Repeat("x", 2000) + `"}`
		for _, chunked := range []bool{false, true} {
			name := "with Content-Length"
			if chunked {
				name = "chunked"
			}
			t.Run(name, func(t *testing.T) {
				var rd io.Reader = strings.NewReader(body)
				if chunked {
					rd = hideLength{rd}
				}
				req, err := http.NewRequest(http.MethodPatch, e.URL+"/api/holon/v1/associations/garden", rd)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+token)
				p := e.send(req).problem(t, http.StatusRequestEntityTooLarge, "too-large")
				if !strings.Contains(p.Detail, "1024 bytes") {
					t.Errorf("detail %q", p.Detail)
				}
				e.unchanged("garden", before)
			})
		}
		// Under the limit is fine.
		e.patch("/associations/garden", token, `{"summary": "`+strings.Repeat("x", 400)+`"}`).ok(t, http.StatusOK, "Association", nil)
	})
}

func TestUnknownRoute_IsProblemNotFound(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		for _, path := range []string{"", "/", "/nothing", "/associations/garden/nothing", "/tokens/x/y"} {
			e.get(path, "").problem(t, http.StatusNotFound, "route-not-found")
		}
	})
}

func TestWrongMethod_IsProblemMethodNotAllowedWithAllow(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, token := e.person("ada")
		tests := []struct{ method, path, allow string }{
			{http.MethodPut, "/associations", "GET, POST"},
			{http.MethodDelete, "/instance", "GET"},
			{http.MethodGet, "/tokens/0190a0a0-0000-7000-8000-000000000000", "DELETE"},
			{http.MethodPost, "/associations/garden", "GET, PATCH"},
			{http.MethodGet, "/associations/garden/members/me", "PATCH, DELETE"},
			{http.MethodDelete, "/proposals/0190a0a0-0000-7000-8000-000000000000", "GET"},
			{http.MethodGet, "/proposals/0190a0a0-0000-7000-8000-000000000000/withdraw", "POST"},
			{http.MethodDelete, "/proposals/0190a0a0-0000-7000-8000-000000000000/ballots", "GET, POST"},
			{http.MethodPost, "/associations/garden/delegations/me", "GET, PUT"},
		}
		for _, tt := range tests {
			t.Run(tt.method+" "+tt.path, func(t *testing.T) {
				r := e.do(request{method: tt.method, path: tt.path, token: token})
				r.problem(t, http.StatusMethodNotAllowed, "method-not-allowed")
				if got := strings.Join(r.header.Values("Allow"), ", "); got != tt.allow {
					t.Fatalf("Allow %q, want %q", got, tt.allow)
				}
			})
		}
	})
}

// A page on another site must not make a logged-in browser write through
// the API: its cross-site POST carries the session cookie but is refused.
func TestCrossOriginBrowserPost_IsRefused(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ada, _ := e.person("ada")
		secret, _, err := e.Members.StartSession(context.Background(), ada)
		if err != nil {
			t.Fatal(err)
		}
		post := func(name, site string) reply {
			req, err := http.NewRequest(http.MethodPost, e.URL+"/api/holon/v1/associations", strings.NewReader(`{"name": "`+name+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Sec-Fetch-Site", site)
			req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: secret})
			return e.send(req)
		}
		post("stolen", "cross-site").problem(t, http.StatusForbidden, "cross-origin")
		if n := e.associationCount(); n != 0 {
			t.Fatalf("%d associations after a cross-site request", n)
		}
		post("garden", "same-origin").ok(t, http.StatusCreated, "Association", nil)

		// Reading with the cookie from anywhere is harmless and allowed.
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/holon/v1/accounts/me", nil)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: secret})
		e.send(req).ok(t, http.StatusOK, "Account", nil)
	})
}
