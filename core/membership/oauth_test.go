package membership_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

const testVerifier = "dBjftJeZ4CVP-mJ0-kOgAZ3Rg7zrx7bJYQhwo5n8M7xlqcsw-xvuGM9k-RM" // 58 characters

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// within is web/oauth's Subset in its simplest form, enough here.
func within(asked, granted []string) bool {
	for _, a := range asked {
		if !slices.Contains(granted, a) {
			return false
		}
	}
	return true
}

func (f fixture) app(t *testing.T, redirects ...string) (membership.OAuthApp, string) {
	t.Helper()
	if len(redirects) == 0 {
		redirects = []string{"https://app.example/callback", membership.OOBRedirect}
	}
	app, secret, err := f.svc.RegisterApp(context.Background(), membership.AppRegistration{Name: "Elk",
		Website: "https://elk.zone", RedirectURIs: redirects, Scopes: []string{"read", "write"}})
	if err != nil {
		t.Fatalf("register app: %v", err)
	}
	return app, secret
}

func (f fixture) code(t *testing.T, app membership.OAuthApp, acc membership.Account, challenge string) string {
	t.Helper()
	method := ""
	if challenge != "" {
		method = membership.PKCEMethodS256
	}
	code, err := f.svc.IssueCode(context.Background(), app, acc, membership.CodeRequest{RedirectURI: app.RedirectURIs[0],
		Scopes: []string{"read"}, Challenge: challenge, Method: method})
	if err != nil {
		t.Fatalf("issue code: %v", err)
	}
	return code
}

func TestRegisterApp_Validation(t *testing.T) {
	long := strings.Repeat("a", membership.MaxAppNameLength+1)
	many := make([]string, membership.MaxRedirectURIs+1)
	for i := range many {
		many[i] = "https://app.example/" + strings.Repeat("x", i+1)
	}
	tests := []struct {
		name  string
		reg   membership.AppRegistration
		field string // "" = accepted
	}{
		{"web app", membership.AppRegistration{Name: "Elk", RedirectURIs: []string{"https://elk.zone/api/x/oauth"}, Scopes: []string{"read"}}, ""},
		{"custom scheme", membership.AppRegistration{Name: "Tusky", RedirectURIs: []string{"com.keylesspalace.tusky://oauth"}, Scopes: []string{"read"}}, ""},
		{"out of band", membership.AppRegistration{Name: "CLI", RedirectURIs: []string{membership.OOBRedirect}, Scopes: []string{"read"}}, ""},
		{"no name", membership.AppRegistration{RedirectURIs: []string{membership.OOBRedirect}, Scopes: []string{"read"}}, "client_name"},
		{"name too long", membership.AppRegistration{Name: long, RedirectURIs: []string{membership.OOBRedirect}, Scopes: []string{"read"}}, "client_name"},
		{"no redirect", membership.AppRegistration{Name: "x", Scopes: []string{"read"}}, "redirect_uris"},
		{"relative redirect", membership.AppRegistration{Name: "x", RedirectURIs: []string{"/callback"}, Scopes: []string{"read"}}, "redirect_uris"},
		{"redirect with a fragment", membership.AppRegistration{Name: "x", RedirectURIs: []string{"https://a.example/cb#x"}, Scopes: []string{"read"}}, "redirect_uris"},
		{"javascript redirect", membership.AppRegistration{Name: "x", RedirectURIs: []string{"javascript:alert(1)"}, Scopes: []string{"read"}}, "redirect_uris"},
		{"http without host", membership.AppRegistration{Name: "x", RedirectURIs: []string{"https:///cb"}, Scopes: []string{"read"}}, "redirect_uris"},
		{"too many redirects", membership.AppRegistration{Name: "x", RedirectURIs: many, Scopes: []string{"read"}}, "redirect_uris"},
		{"website not a URL", membership.AppRegistration{Name: "x", Website: "javascript:alert(1)", RedirectURIs: []string{membership.OOBRedirect}, Scopes: []string{"read"}}, "website"},
		{"no scopes", membership.AppRegistration{Name: "x", RedirectURIs: []string{membership.OOBRedirect}}, "scopes"},
	}
	each(t, openPolicy, func(t *testing.T, f fixture) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				app, secret, err := f.svc.RegisterApp(context.Background(), tt.reg)
				if tt.field == "" {
					if err != nil || secret == "" || app.ClientID == "" {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				if codes := fieldCodes(err); codes[tt.field] == "" {
					t.Fatalf("err = %v, want a fault on %s", err, tt.field)
				}
			})
		}
	})
}

func TestAuthenticateClient(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		app, secret := f.app(t)
		other, otherSecret := f.app(t)
		tests := []struct {
			name, id, secret string
			ok               bool
		}{
			{"right secret", app.ClientID, secret, true},
			{"wrong secret", app.ClientID, secret + "x", false},
			{"another app's secret", app.ClientID, otherSecret, false},
			{"unknown client", "nobody", secret, false},
			{"empty secret", other.ClientID, "", false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.svc.AuthenticateClient(ctx, tt.id, tt.secret)
				if tt.ok != (err == nil) {
					t.Fatalf("err = %v", err)
				}
				if !tt.ok && !errors.Is(err, membership.ErrBadClient) {
					t.Fatalf("err = %v, want ErrBadClient", err)
				}
				if tt.ok && got.ID != app.ID {
					t.Fatalf("got app %s", got.ClientID)
				}
			})
		}
	})
}

func TestIssueCode_Refusals(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		app, _ := f.app(t)
		ada := f.account(t, "ada")
		tests := []struct {
			name string
			req  membership.CodeRequest
			want error
		}{
			{"redirect not registered", membership.CodeRequest{RedirectURI: "https://app.example/callback/evil"}, membership.ErrBadRedirect},
			{"plain PKCE", membership.CodeRequest{RedirectURI: app.RedirectURIs[0], Challenge: testVerifier, Method: "plain"}, membership.ErrBadPKCE},
			{"challenge without method", membership.CodeRequest{RedirectURI: app.RedirectURIs[0], Challenge: s256(testVerifier)}, membership.ErrBadPKCE},
			{"malformed challenge", membership.CodeRequest{RedirectURI: app.RedirectURIs[0], Challenge: "short", Method: "S256"}, membership.ErrBadPKCE},
			{"method without challenge", membership.CodeRequest{RedirectURI: app.RedirectURIs[0], Method: "S256"}, membership.ErrBadPKCE},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := f.svc.IssueCode(context.Background(), app, ada, tt.req); !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			})
		}
	})
}

func TestExchangeCode(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		app, _ := f.app(t)
		other, _ := f.app(t)
		ada := f.account(t, "ada")
		tests := []struct {
			name      string
			challenge string
			exchange  func(code string) (membership.Grant, error)
			ok        bool
		}{
			{"PKCE verifier right", s256(testVerifier), func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], testVerifier)
			}, true},
			{"no PKCE", "", func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], "")
			}, true},
			{"PKCE verifier wrong", s256(testVerifier), func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], strings.ToUpper(testVerifier))
			}, false},
			{"PKCE verifier missing", s256(testVerifier), func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], "")
			}, false},
			{"PKCE challenge as verifier", s256(testVerifier), func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], s256(testVerifier))
			}, false},
			{"other redirect URI", "", func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[1], "")
			}, false},
			{"another app", "", func(code string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, other, code, app.RedirectURIs[0], "")
			}, false},
			{"unknown code", "", func(string) (membership.Grant, error) {
				return f.svc.ExchangeCode(ctx, app, "hlc_nope", app.RedirectURIs[0], "")
			}, false},
			{"expired", "", func(code string) (membership.Grant, error) {
				f.clock.Advance(membership.CodeLifetime)
				return f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], "")
			}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				g, err := tt.exchange(f.code(t, app, ada, tt.challenge))
				if !tt.ok {
					if !errors.Is(err, membership.ErrBadGrant) {
						t.Fatalf("err = %v, want ErrBadGrant", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if g.RefreshToken == "" || !slices.Equal(g.Scopes, []string{"read"}) || g.Account == nil || g.Account.ID != ada.ID {
					t.Fatalf("grant %+v", g)
				}
				b, err := f.svc.BearerOf(ctx, g.AccessToken)
				if err != nil || b.Account == nil || b.Account.ID != ada.ID || b.App == nil || b.App.ID != app.ID ||
					!slices.Equal(b.Scopes, []string{"read"}) {
					t.Fatalf("bearer %+v, %v", b, err)
				}
			})
		}
	})
}

func TestExchangeCode_ReplayRevokesItsTokens(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		app, _ := f.app(t)
		ada := f.account(t, "ada")
		code := f.code(t, app, ada, "")
		g, err := f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], "")
		if err != nil {
			t.Fatal(err)
		}
		// The app refreshes once: the new token comes from the code too.
		g2, err := f.svc.Refresh(ctx, app, g.RefreshToken, nil, within)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], ""); !errors.Is(err, membership.ErrBadGrant) {
			t.Fatalf("replay: %v", err)
		}
		for _, tok := range []string{g.AccessToken, g2.AccessToken} {
			if _, err := f.svc.BearerOf(ctx, tok); !errors.Is(err, membership.ErrUnauthenticated) {
				t.Fatalf("a token of a replayed code still works: %v", err)
			}
		}
		if _, err := f.svc.Refresh(ctx, app, g2.RefreshToken, nil, within); !errors.Is(err, membership.ErrBadGrant) {
			t.Fatalf("refresh after replay: %v", err)
		}
	})
}

func TestRefresh_RotatesAndNarrows(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		app, _ := f.app(t)
		other, _ := f.app(t)
		ada := f.account(t, "ada")
		code, err := f.svc.IssueCode(ctx, app, ada, membership.CodeRequest{RedirectURI: app.RedirectURIs[0], Scopes: []string{"read", "write"}})
		if err != nil {
			t.Fatal(err)
		}
		g, err := f.svc.ExchangeCode(ctx, app, code, app.RedirectURIs[0], "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Refresh(ctx, other, g.RefreshToken, nil, within); !errors.Is(err, membership.ErrBadGrant) {
			t.Fatalf("another app refreshed: %v", err)
		}
		if _, err := f.svc.Refresh(ctx, app, g.RefreshToken, []string{"push"}, within); !errors.Is(err, membership.ErrBadScope) {
			t.Fatalf("widened scopes: %v", err)
		}
		g2, err := f.svc.Refresh(ctx, app, g.RefreshToken, []string{"read"}, within)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g2.Scopes, []string{"read"}) || g2.RefreshToken == g.RefreshToken || g2.AccessToken == g.AccessToken {
			t.Fatalf("refreshed %+v", g2)
		}
		if _, err := f.svc.Refresh(ctx, app, g.RefreshToken, nil, within); !errors.Is(err, membership.ErrBadGrant) {
			t.Fatalf("old refresh token: %v", err)
		}
		if _, err := f.svc.BearerOf(ctx, g.AccessToken); !errors.Is(err, membership.ErrUnauthenticated) {
			t.Fatalf("old access token: %v", err)
		}
		b, err := f.svc.BearerOf(ctx, g2.AccessToken)
		if err != nil || !slices.Equal(b.Scopes, []string{"read"}) {
			t.Fatalf("new access token: %+v %v", b, err)
		}
		// Revocation by the refresh token kills the pair.
		if err := f.svc.RevokeOAuthToken(ctx, other, g2.RefreshToken); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.BearerOf(ctx, g2.AccessToken); err != nil {
			t.Fatalf("another app revoked the token: %v", err)
		}
		if err := f.svc.RevokeOAuthToken(ctx, app, g2.RefreshToken); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.BearerOf(ctx, g2.AccessToken); !errors.Is(err, membership.ErrUnauthenticated) {
			t.Fatalf("revoked token: %v", err)
		}
	})
}

func TestBearerOf(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		app, _ := f.app(t)
		admin, err := f.svc.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org",
			Password: "correct horse battery"}, membership.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		native, _, err := f.svc.CreateToken(ctx, admin, "cli")
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.svc.BearerOf(ctx, native)
		if err != nil || b.Account == nil || b.Scopes != nil || b.App != nil {
			t.Fatalf("native token: %+v %v", b, err)
		}
		appOwn, err := f.svc.AppToken(ctx, app, []string{"read"})
		if err != nil || appOwn.RefreshToken != "" || appOwn.Account != nil {
			t.Fatalf("app token %+v %v", appOwn, err)
		}
		b, err = f.svc.BearerOf(ctx, appOwn.AccessToken)
		if err != nil || b.Account != nil || b.App == nil || !slices.Equal(b.Scopes, []string{"read"}) {
			t.Fatalf("app token: %+v %v", b, err)
		}
		for _, action := range []string{membership.ActionSuspend, membership.ActionDelete} {
			t.Run(action, func(t *testing.T) {
				name := strings.ToLower(action) + "d"
				acc := f.account(t, name)
				g, err := f.svc.ExchangeCode(ctx, app, f.code(t, app, acc, ""), app.RedirectURIs[0], "")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.svc.ModerateAccount(ctx, admin, name, membership.ActionInput{Type: action}); err != nil {
					t.Fatal(err)
				}
				if _, err := f.svc.BearerOf(ctx, g.AccessToken); core.KindOf(err) != core.KindUnauthenticated {
					t.Fatalf("token of a %s account: %v", action, err)
				}
				if _, err := f.svc.Refresh(ctx, app, g.RefreshToken, nil, within); !errors.Is(err, membership.ErrBadGrant) {
					t.Fatalf("refresh for a %s account: %v", action, err)
				}
			})
		}
		for _, bad := range []string{"", "hlo_unknown", "hlo_" + strings.Repeat("x", 200), "nonsense"} {
			if _, err := f.svc.BearerOf(ctx, bad); core.KindOf(err) != core.KindUnauthenticated {
				t.Errorf("BearerOf(%q) = %v", bad, err)
			}
		}
	})
}
