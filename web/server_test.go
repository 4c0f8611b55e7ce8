package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/webtest"
)

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHandler_HealthReadinessAndHeaders(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		for _, tt := range []struct{ method, path string }{{"GET", "/healthz"}, {"HEAD", "/healthz"}, {"GET", "/readyz"}} {
			req, _ := http.NewRequest(tt.method, in.URL+tt.path, nil)
			resp, _ := do(t, req)
			if resp.StatusCode != 200 {
				t.Errorf("%s %s: %d", tt.method, tt.path, resp.StatusCode)
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s %s: no %s header", tt.method, tt.path, h)
				}
			}
			if resp.Header.Get("X-Request-Id") == "" {
				t.Errorf("%s %s: no request id", tt.method, tt.path)
			}
		}
	})
}

func TestHandler_ReadinessFailsWhenTheDatabaseIsGone(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		_ = in.DB.Close()
		req, _ := http.NewRequest("GET", in.URL+"/readyz", nil)
		resp, _ := do(t, req)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("readyz with a closed database: %d", resp.StatusCode)
		}
	})
}

func TestHandler_OversizedBodyIs413(t *testing.T) {
	webtest.Each(t, func(c *config.Config) { c.Server.MaxBodyBytes = 2048 }, func(t *testing.T, in *webtest.Instance) {
		req, _ := http.NewRequest("POST", in.URL+"/api/holon/v1/associations", strings.NewReader(strings.Repeat("x", 4096)))
		req.Header.Set("Content-Type", "application/json")
		resp, body := do(t, req)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(resp.Header.Get("Content-Type"), "problem+json") {
			t.Fatalf("got %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})
}

// A page on another site must not make a visitor's browser change anything
// with the visitor's cookie; a script using a bearer token is not a browser
// forging anything and goes through.
func TestHandler_CrossSiteWritesRefusedUnlessBearer(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		session, _, _ := in.Members.StartSession(ctx, ada)
		token, _, _ := in.Members.CreateToken(ctx, ada, "t")
		body := `{"name":"commons"}`

		req, _ := http.NewRequest("POST", in.URL+"/api/holon/v1/associations", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: session})
		resp, _ := do(t, req)
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site cookie write: %d", resp.StatusCode)
		}
		if _, err := in.Members.Association(ctx, "commons"); err == nil {
			t.Fatal("the refused request created the association")
		}

		req, _ = http.NewRequest("POST", in.URL+"/api/holon/v1/associations", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, got := do(t, req)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("bearer write: %d %s", resp.StatusCode, got)
		}
	})
}

// The router's own refusals answer a browser with a page, and the API with
// problem+json.
func TestHandler_RefusalsSpeakTheSurfacesLanguage(t *testing.T) {
	webtest.Each(t, func(c *config.Config) { c.Server.MaxBodyBytes = 2048 }, func(t *testing.T, in *webtest.Instance) {
		tests := []struct {
			name, path, contentType string
			body                    string
			crossSite               bool
			wantStatus              int
			wantType                string
		}{
			{"cross-site form", "/login", "application/x-www-form-urlencoded", "username=a&password=b", true, 403, "text/html"},
			{"oversized form", "/login", "application/x-www-form-urlencoded", strings.Repeat("x", 4096), false, 413, "text/html"},
			{"cross-site API", "/api/holon/v1/associations", "application/json", "{}", true, 403, "application/problem+json"},
			{"oversized API", "/api/holon/v1/associations", "application/json", strings.Repeat("x", 4096), false, 413, "application/problem+json"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("POST", in.URL+tt.path, strings.NewReader(tt.body))
				req.Header.Set("Content-Type", tt.contentType)
				req.Header.Set("Accept-Language", "fr")
				if tt.crossSite {
					req.Header.Set("Sec-Fetch-Site", "cross-site")
				}
				resp, body := do(t, req)
				if resp.StatusCode != tt.wantStatus || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.wantType) {
					t.Fatalf("got %d %s, want %d %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.wantStatus, tt.wantType, body)
				}
				if tt.wantType == "text/html" && !strings.Contains(body, `lang="fr"`) {
					t.Fatalf("the page is not in the reader's language: %.300s", body)
				}
			})
		}
	})
}
