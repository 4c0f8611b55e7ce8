package mastodon

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/testkeys"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/auth"
)

// The scope guard over real tokens: a route needing a scope answers 403
// to a token without it, 401 to an application's own token (no person),
// and viewer treats a token that may not read as no token.
func TestGuard_ScopesOfRealTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		members := membership.New(db, core.SystemClock{}, membership.Policy{NewKeyPair: testkeys.Small})
		ada, err := members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org",
			Password: "correct horse battery"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		native, _, err := members.CreateToken(ctx, ada, "cli")
		if err != nil {
			t.Fatal(err)
		}
		app, _, err := members.RegisterApp(ctx, membership.AppRegistration{Name: "Elk", RedirectURIs: []string{membership.OOBRedirect},
			Scopes: []string{"read", "write", "follow", "push", "profile"}})
		if err != nil {
			t.Fatal(err)
		}
		token := func(scopes ...string) string {
			code, err := members.IssueCode(ctx, app, ada, membership.CodeRequest{RedirectURI: membership.OOBRedirect, Scopes: scopes})
			if err != nil {
				t.Fatal(err)
			}
			g, err := members.ExchangeCode(ctx, app, code, membership.OOBRedirect, "")
			if err != nil {
				t.Fatal(err)
			}
			return g.AccessToken
		}
		appOwn, err := members.AppToken(ctx, app, []string{"read", "write"})
		if err != nil {
			t.Fatal(err)
		}

		r := chi.NewRouter()
		r.Use(auth.Middleware(members, AuthFailed))
		r.Post("/statuses", func(w http.ResponseWriter, r *http.Request) {
			if acc, ok := authorized(w, r, "write:statuses"); ok {
				writeJSON(w, r, http.StatusOK, map[string]string{"by": acc.Username})
			}
		})
		r.Get("/home", func(w http.ResponseWriter, r *http.Request) {
			if acc, ok := authorized(w, r, "read:statuses"); ok {
				writeJSON(w, r, http.StatusOK, map[string]string{"by": acc.Username})
			}
		})
		r.Get("/public", func(w http.ResponseWriter, r *http.Request) {
			who := "visitor"
			if acc := viewer(r, "read:statuses"); acc != nil {
				who = acc.Username
			}
			writeJSON(w, r, http.StatusOK, map[string]string{"by": who})
		})
		srv := httptest.NewServer(r)
		defer srv.Close()

		tests := []struct {
			name, method, path, token string
			status                    int
			body                      string
		}{
			{"read token reads", "GET", "/home", token("read"), 200, `"by":"ada"`},
			{"read token may not post", "POST", "/statuses", token("read"), 403, errOutsideScope},
			{"write:statuses posts", "POST", "/statuses", token("write:statuses"), 200, `"by":"ada"`},
			{"write:media may not post", "POST", "/statuses", token("write:media"), 403, errOutsideScope},
			{"profile may not read the home", "GET", "/home", token("profile"), 403, errOutsideScope},
			{"native token may do anything", "POST", "/statuses", native, 200, `"by":"ada"`},
			{"app's own token is no one", "POST", "/statuses", appOwn.AccessToken, 401, errTokenInvalid},
			{"app's own token reads as a visitor", "GET", "/public", appOwn.AccessToken, 200, `"by":"visitor"`},
			{"a token that may not read reads as a visitor", "GET", "/public", token("write"), 200, `"by":"visitor"`},
			{"a token that reads is the viewer", "GET", "/public", token("read:statuses"), 200, `"by":"ada"`},
			{"no token", "GET", "/home", "", 401, errTokenInvalid},
			{"unknown token", "GET", "/public", "hlo_unknown", 401, errTokenInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
				if tt.token != "" {
					req.Header.Set("Authorization", "Bearer "+tt.token)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.body) {
					t.Fatalf("%d %s, want %d %s", resp.StatusCode, b, tt.status, tt.body)
				}
			})
		}
	})
}
