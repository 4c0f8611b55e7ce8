package oauth_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/web/webtest"
)

func TestMetadata_AsMastodon(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		r := getPath(t, nil, in, "/.well-known/oauth-authorization-server", "")
		m := r.json(t)
		if r.status != http.StatusOK || r.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%d %v", r.status, r.header)
		}
		for key, want := range map[string]string{"issuer": in.URL + "/", "authorization_endpoint": in.URL + "/oauth/authorize",
			"token_endpoint": in.URL + "/oauth/token", "revocation_endpoint": in.URL + "/oauth/revoke",
			"app_registration_endpoint": in.URL + "/api/v1/apps"} {
			if m[key] != want {
				t.Errorf("%s = %v, want %s", key, m[key], want)
			}
		}
		list := func(key string) []string {
			var out []string
			for _, v := range m[key].([]any) {
				out = append(out, v.(string))
			}
			return out
		}
		for key, want := range map[string][]string{"response_types_supported": {"code"},
			"grant_types_supported":                 {"authorization_code", "client_credentials", "refresh_token"},
			"code_challenge_methods_supported":      {"S256"},
			"token_endpoint_auth_methods_supported": {"client_secret_basic", "client_secret_post"}} {
			if got := list(key); !slices.Equal(got, want) {
				t.Errorf("%s = %v, want %v", key, got, want)
			}
		}
		if s := list("scopes_supported"); !slices.Contains(s, "read") || !slices.Contains(s, "write:statuses") || !slices.Contains(s, "profile") {
			t.Errorf("scopes_supported = %v", s)
		}
	})
}

func TestCreateApp_Bodies(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		tests := []struct {
			name       string
			post       func() reply
			status     int
			redirects  []string
			scopes     []string
			errContain string
		}{
			{"form", func() reply {
				return postForm(t, nil, in, "/api/v1/apps", url.Values{"client_name": {"Tusky"}, "redirect_uris": {tuskyCB},
					"scopes": {"read write follow push"}, "website": {"https://tusky.app"}}, nil)
			}, 200, []string{tuskyCB}, []string{"read", "write", "follow", "push"}, ""},
			{"multipart, two URIs in one string, default scope", func() reply {
				return postMultipart(t, in, "/api/v1/apps", url.Values{"client_name": {"Ivory"},
					"redirect_uris": {webCB + "\n" + "urn:ietf:wg:oauth:2.0:oob"}})
			}, 200, []string{webCB, "urn:ietf:wg:oauth:2.0:oob"}, []string{"read"}, ""},
			{"JSON with an array", func() reply {
				return postJSON(t, in, "/api/v1/apps", map[string]any{"client_name": "Elk", "redirect_uris": []string{webCB, "elk://oauth"},
					"scopes": "read write:statuses"})
			}, 200, []string{webCB, "elk://oauth"}, []string{"read", "write:statuses"}, ""},
			{"JSON with a string", func() reply {
				return postJSON(t, in, "/api/v1/apps", map[string]any{"client_name": "masto.js", "redirect_uris": webCB, "scopes": "read+write"})
			}, 200, []string{webCB}, []string{"read", "write"}, ""},
			{"unknown scope", func() reply {
				return postJSON(t, in, "/api/v1/apps", map[string]any{"client_name": "x", "redirect_uris": webCB, "scopes": "read admin:everything"})
			}, 422, nil, nil, "Validation failed: Scopes"},
			{"no name", func() reply {
				return postForm(t, nil, in, "/api/v1/apps", url.Values{"redirect_uris": {webCB}}, nil)
			}, 422, nil, nil, "Validation failed: Name can't be blank"},
			{"relative redirect", func() reply {
				return postForm(t, nil, in, "/api/v1/apps", url.Values{"client_name": {"x"}, "redirect_uris": {"/callback"}}, nil)
			}, 422, nil, nil, "Redirect URI"},
			{"eleven redirects", func() reply {
				var uris []string
				for i := range 11 {
					uris = append(uris, webCB+strings.Repeat("x", i))
				}
				return postJSON(t, in, "/api/v1/apps", map[string]any{"client_name": "x", "redirect_uris": uris})
			}, 422, nil, nil, "Redirect URI"},
			{"oversize body", func() reply {
				return postForm(t, nil, in, "/api/v1/apps", url.Values{"client_name": {strings.Repeat("x", 2<<20)}, "redirect_uris": {webCB}}, nil)
			}, 413, nil, nil, ""},
			{"cross-origin browser app", func() reply {
				return postForm(t, nil, in, "/api/v1/apps", url.Values{"client_name": {"Phanpy"}, "redirect_uris": {webCB}}, func(r *http.Request) {
					r.Header.Set("Origin", "https://phanpy.social")
					r.Header.Set("Sec-Fetch-Site", "cross-site")
				})
			}, 200, []string{webCB}, []string{"read"}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.post()
				if r.status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
				}
				if tt.status == 413 {
					return
				}
				m := r.json(t)
				if tt.status != 200 {
					if e, _ := m["error"].(string); !strings.Contains(e, tt.errContain) {
						t.Fatalf("error %q, want it to contain %q", e, tt.errContain)
					}
					return
				}
				for _, key := range []string{"id", "name", "client_id", "client_secret", "redirect_uri", "vapid_key"} {
					if _, ok := m[key].(string); !ok {
						t.Errorf("%s = %#v, want a string", key, m[key])
					}
				}
				if m["client_secret_expires_at"] != float64(0) {
					t.Errorf("client_secret_expires_at = %v", m["client_secret_expires_at"])
				}
				var redirects, scopes []string
				for _, v := range m["redirect_uris"].([]any) {
					redirects = append(redirects, v.(string))
				}
				for _, v := range m["scopes"].([]any) {
					scopes = append(scopes, v.(string))
				}
				if !slices.Equal(redirects, tt.redirects) || !slices.Equal(scopes, tt.scopes) || m["redirect_uri"] != strings.Join(tt.redirects, "\n") {
					t.Errorf("redirects %v (%q), scopes %v", redirects, m["redirect_uri"], scopes)
				}
			})
		}
	})
}

// The flow the masto.js scenario (federation/fedtest) runs, with PKCE, then what a leaked
// code and a revoked token become.
func TestAuthorizationCodeFlow_PKCEReplayAndRevoke(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		a := register(t, in, "read write follow", webCB)
		r := logInAndAllow(t, in, authorizeQuery(a, webCB, "read write", "xyz"), "ada")
		if r.status != http.StatusFound {
			t.Fatalf("allow: %d %s", r.status, r.body)
		}
		loc := r.location(t)
		if loc.Scheme+"://"+loc.Host+loc.Path != webCB || loc.Query().Get("state") != "xyz" || !strings.HasPrefix(loc.Query().Get("code"), "hlc_") {
			t.Fatalf("redirected to %s", loc)
		}
		code := loc.Query().Get("code")
		tok := exchange(t, in, a, code, webCB, verifier)
		m := tok.json(t)
		if tok.status != http.StatusOK || m["token_type"] != "Bearer" || m["scope"] != "read write" ||
			!strings.HasPrefix(m["refresh_token"].(string), "hlr_") || tok.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("token %d %v %v", tok.status, m, tok.header)
		}
		if _, ok := m["created_at"].(float64); !ok {
			t.Fatalf("created_at = %#v", m["created_at"])
		}
		access := m["access_token"].(string)
		v := getPath(t, nil, in, "/api/v1/apps/verify_credentials", access)
		if v.status != http.StatusOK || v.json(t)["name"] != "Test app" {
			t.Fatalf("verify_credentials: %d %s", v.status, v.body)
		}
		// The code again: refused, and the token it gave dies.
		replay := exchange(t, in, a, code, webCB, verifier)
		if replay.status != http.StatusBadRequest || replay.json(t)["error"] != "invalid_grant" {
			t.Fatalf("replay: %d %s", replay.status, replay.body)
		}
		dead := getPath(t, nil, in, "/api/v1/apps/verify_credentials", access)
		if dead.status != http.StatusUnauthorized || dead.json(t)["error"] != "The access token is invalid" {
			t.Fatalf("token of a replayed code: %d %s", dead.status, dead.body)
		}
		// A fresh grant, revoked by the app.
		m = userToken(t, in, a, "ada", "read")
		rv := postForm(t, nil, in, "/oauth/revoke", url.Values{"token": {m["access_token"].(string)}, "client_id": {a.id}, "client_secret": {a.secret}}, nil)
		if rv.status != http.StatusOK || string(bytes.TrimSpace(rv.body)) != "{}" {
			t.Fatalf("revoke: %d %s", rv.status, rv.body)
		}
		if g := getPath(t, nil, in, "/api/v1/apps/verify_credentials", m["access_token"].(string)); g.status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", g.status)
		}
		refresh := postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)},
			"client_id": {a.id}, "client_secret": {a.secret}}, nil)
		if refresh.status != http.StatusBadRequest {
			t.Fatalf("refresh of a revoked token: %d %s", refresh.status, refresh.body)
		}
		// Revoking an unknown token answers the same; a bad client does not.
		if rv := postForm(t, nil, in, "/oauth/revoke", url.Values{"token": {"hlo_nope"}, "client_id": {a.id}, "client_secret": {a.secret}}, nil); rv.status != http.StatusOK {
			t.Fatalf("revoke unknown: %d", rv.status)
		}
		if rv := postForm(t, nil, in, "/oauth/revoke", url.Values{"token": {"hlo_nope"}, "client_id": {a.id}, "client_secret": {"x"}}, nil); rv.status != http.StatusUnauthorized {
			t.Fatalf("revoke with a bad client: %d", rv.status)
		}
	})
}

func TestAuthorize_RefusalsNeverRedirectToUnregisteredURIs(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		a := register(t, in, "read", webCB)
		oob := register(t, in, "read", "urn:ietf:wg:oauth:2.0:oob")
		base := func(edit func(url.Values)) url.Values {
			q := authorizeQuery(a, webCB, "read", "st")
			edit(q)
			return q
		}
		tests := []struct {
			name   string
			q      url.Values
			status int
			error  string // OAuth error at the redirect URI; "" for an error page
		}{
			{"unknown client", base(func(q url.Values) { q.Set("client_id", "nobody") }), 400, ""},
			{"unregistered redirect", base(func(q url.Values) { q.Set("redirect_uri", "https://evil.example/callback") }), 400, ""},
			{"redirect with an extra path", base(func(q url.Values) { q.Set("redirect_uri", webCB+"/../evil") }), 400, ""},
			{"redirect with a query added", base(func(q url.Values) { q.Set("redirect_uri", webCB+"?x=1") }), 400, ""},
			{"plain PKCE", base(func(q url.Values) { q.Set("code_challenge", verifier); q.Set("code_challenge_method", "plain") }), 302, "invalid_request"},
			{"PKCE without method", base(func(q url.Values) { q.Del("code_challenge_method") }), 302, "invalid_request"},
			{"scope beyond the app's", base(func(q url.Values) { q.Set("scope", "read write") }), 302, "invalid_scope"},
			{"unknown scope", base(func(q url.Values) { q.Set("scope", "admin") }), 302, "invalid_scope"},
			{"implicit grant", base(func(q url.Values) { q.Set("response_type", "token") }), 302, "unsupported_response_type"},
			{"out of band, bad scope", func() url.Values {
				q := authorizeQuery(oob, "urn:ietf:wg:oauth:2.0:oob", "write", "")
				return q
			}(), 400, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, method := range []string{http.MethodGet, http.MethodPost} {
					var r reply
					if method == http.MethodGet {
						r = getPath(t, nil, in, "/oauth/authorize?"+tt.q.Encode(), "")
					} else {
						q := url.Values{}
						for k, v := range tt.q {
							q[k] = v
						}
						q.Set("decision", "allow")
						q.Set("username", "ada")
						q.Set("password", password)
						r = postForm(t, nil, in, "/oauth/authorize", q, nil)
					}
					if r.status != tt.status {
						t.Fatalf("%s: %d, want %d: %s", method, r.status, tt.status, r.body)
					}
					if tt.error == "" {
						if r.header.Get("Location") != "" || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
							t.Fatalf("%s: an error page redirects (%s)", method, r.header.Get("Location"))
						}
						continue
					}
					loc := r.location(t)
					if !strings.HasPrefix(loc.String(), webCB+"?") || loc.Query().Get("error") != tt.error || loc.Query().Get("state") != "st" || loc.Query().Get("code") != "" {
						t.Fatalf("%s: redirected to %s", method, loc)
					}
				}
			})
		}
	})
}

func TestAuthorize_CustomSchemeOOBAndDeny(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		tusky := register(t, in, "read write", tuskyCB)
		r := logInAndAllow(t, in, authorizeQuery(tusky, tuskyCB, "read", ""), "ada")
		loc := r.location(t)
		if r.status != http.StatusFound || loc.Scheme != "com.keylesspalace.tusky" || loc.Query().Get("code") == "" || loc.Query().Has("state") {
			t.Fatalf("custom scheme: %d %s", r.status, loc)
		}

		cli := register(t, in, "read", "urn:ietf:wg:oauth:2.0:oob")
		q := authorizeQuery(cli, "urn:ietf:wg:oauth:2.0:oob", "read", "")
		q.Del("code_challenge")
		q.Del("code_challenge_method")
		page := logInAndAllow(t, in, q, "ada")
		if page.status != http.StatusOK || page.header.Get("Location") != "" {
			t.Fatalf("oob: %d", page.status)
		}
		code := regexpFind(t, `hlc_[A-Za-z0-9_-]+`, page.body)
		if tok := exchange(t, in, cli, code, "urn:ietf:wg:oauth:2.0:oob", ""); tok.status != http.StatusOK {
			t.Fatalf("oob code exchange: %d %s", tok.status, tok.body)
		}

		web := register(t, in, "read", webCB)
		v, _ := form(t, getPath(t, nil, in, "/oauth/authorize?"+authorizeQuery(web, webCB, "read", "st").Encode(), ""))
		v.Set("decision", "deny")
		d := postForm(t, nil, in, "/oauth/authorize", v, nil)
		if dl := d.location(t); d.status != http.StatusFound || dl.Query().Get("error") != "access_denied" || dl.Query().Get("state") != "st" || dl.Query().Has("code") {
			t.Fatalf("deny: %d %s", d.status, dl)
		}
	})
}

func TestAuthorize_LogInSessionAndForceLogin(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		a := register(t, in, "read", webCB)
		q := authorizeQuery(a, webCB, "read", "s")
		browser := webtest.Browser()

		// A wrong password shows the form again, with no code.
		v, _ := form(t, getPath(t, browser, in, "/oauth/authorize?"+q.Encode(), ""))
		v.Set("username", "ada")
		v.Set("password", "wrong")
		v.Set("decision", "allow")
		if r := postForm(t, browser, in, "/oauth/authorize", v, nil); r.status != http.StatusUnauthorized || r.header.Get("Location") != "" {
			t.Fatalf("wrong password: %d %s", r.status, r.header.Get("Location"))
		}
		// Without credentials nor session: the form again.
		v.Del("username")
		v.Del("password")
		if r := postForm(t, browser, in, "/oauth/authorize", v, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("no one: %d", r.status)
		}
		// The right password opens a session too.
		v.Set("username", "ada")
		v.Set("password", password)
		if r := postForm(t, browser, in, "/oauth/authorize", v, nil); r.status != http.StatusFound {
			t.Fatalf("log in and allow: %d %s", r.status, r.body)
		}
		v2, login := form(t, getPath(t, browser, in, "/oauth/authorize?"+q.Encode(), ""))
		if login {
			t.Fatal("the session's page asks for a password")
		}
		v2.Set("decision", "allow")
		if r := postForm(t, browser, in, "/oauth/authorize", v2, nil); r.status != http.StatusFound || r.location(t).Query().Get("code") == "" {
			t.Fatalf("allow with the session: %d", r.status)
		}
		// force_login asks again, even with a session.
		q.Set("force_login", "true")
		v3, login := form(t, getPath(t, browser, in, "/oauth/authorize?"+q.Encode(), ""))
		if !login || v3.Get("force_login") != "true" {
			t.Fatal("force_login does not ask for the password")
		}
		v3.Set("decision", "allow")
		if r := postForm(t, browser, in, "/oauth/authorize", v3, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("force_login without credentials: %d", r.status)
		}
		// A page of another site may not post the form with the cookie.
		r := postForm(t, browser, in, "/oauth/authorize", v2, func(r *http.Request) {
			r.Header.Set("Origin", "https://evil.example")
			r.Header.Set("Sec-Fetch-Site", "cross-site")
		})
		if r.status != http.StatusForbidden || r.header.Get("Location") != "" {
			t.Fatalf("cross-site post: %d %s", r.status, r.header.Get("Location"))
		}
	})
}

func TestAuthorize_PageHeadersAndLanguage(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		a := register(t, in, "read write", webCB)
		for _, tt := range []struct{ lang, accept, want string }{
			{"", "", "Authorise an application"},
			{"fr", "", "Autoriser une application"},
			{"", "fr-FR,fr;q=0.9", "Autoriser une application"},
			{"xx", "en", "Authorise an application"},
		} {
			q := authorizeQuery(a, webCB, "read write:statuses", "")
			if tt.lang != "" {
				q.Set("lang", tt.lang)
			}
			req, _ := http.NewRequest(http.MethodGet, in.URL+"/oauth/authorize?"+q.Encode(), nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Language", tt.accept)
			}
			r := do(t, nil, req)
			if !bytes.Contains(r.body, []byte(tt.want)) || !bytes.Contains(r.body, []byte("Test app")) {
				t.Errorf("lang %q accept %q: want %q in\n%s", tt.lang, tt.accept, tt.want, r.body)
			}
			csp := r.header.Get("Content-Security-Policy")
			if r.header.Get("X-Frame-Options") != "DENY" || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "form-action") {
				t.Errorf("headers: %v", r.header)
			}
		}
	})
}

func TestToken_Errors(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		a := register(t, in, "read write", webCB)
		other := register(t, in, "read", webCB)
		newCode := func() string {
			return logInAndAllow(t, in, authorizeQuery(a, webCB, "read", ""), "ada").location(t).Query().Get("code")
		}
		form := func(v url.Values) func() reply {
			return func() reply { return postForm(t, nil, in, "/oauth/token", v, nil) }
		}
		creds := func(v url.Values) url.Values {
			v.Set("client_id", a.id)
			v.Set("client_secret", a.secret)
			return v
		}
		tests := []struct {
			name   string
			post   func() reply
			status int
			error  string
		}{
			{"wrong client secret", form(url.Values{"grant_type": {"client_credentials"}, "client_id": {a.id}, "client_secret": {a.secret + "x"}}), 401, "invalid_client"},
			{"no client secret", form(url.Values{"grant_type": {"client_credentials"}, "client_id": {a.id}}), 401, "invalid_client"},
			{"unknown client", form(url.Values{"grant_type": {"client_credentials"}, "client_id": {"nobody"}, "client_secret": {a.secret}}), 401, "invalid_client"},
			{"Basic with a wrong secret", func() reply {
				return postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"client_credentials"}}, func(r *http.Request) { r.SetBasicAuth(a.id, "nope") })
			}, 401, "invalid_client"},
			{"Basic", func() reply {
				return postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "scope": {"read"}}, func(r *http.Request) { r.SetBasicAuth(a.id, a.secret) })
			}, 200, ""},
			{"JSON body", func() reply {
				return postJSON(t, in, "/oauth/token", map[string]string{"grant_type": "client_credentials", "client_id": a.id, "client_secret": a.secret, "scope": "read"})
			}, 200, ""},
			{"no grant type", form(creds(url.Values{})), 400, "invalid_request"},
			{"password grant", form(creds(url.Values{"grant_type": {"password"}, "username": {"ada"}, "password": {password}})), 400, "unsupported_grant_type"},
			{"client credentials beyond the app's scopes", form(creds(url.Values{"grant_type": {"client_credentials"}, "scope": {"read follow"}})), 400, "invalid_scope"},
			{"unknown scope", form(creds(url.Values{"grant_type": {"client_credentials"}, "scope": {"admin:read"}})), 400, "invalid_scope"},
			{"no code", form(creds(url.Values{"grant_type": {"authorization_code"}, "redirect_uri": {webCB}})), 400, "invalid_request"},
			{"wrong verifier", func() reply { return exchange(t, in, a, newCode(), webCB, strings.Repeat("a", 43)) }, 400, "invalid_grant"},
			{"missing verifier", func() reply { return exchange(t, in, a, newCode(), webCB, "") }, 400, "invalid_grant"},
			{"other redirect URI", func() reply { return exchange(t, in, a, newCode(), webCB+"/", verifier) }, 400, "invalid_grant"},
			{"code of another app", func() reply { return exchange(t, in, other, newCode(), webCB, verifier) }, 400, "invalid_grant"},
			{"unknown code", func() reply { return exchange(t, in, a, "hlc_nope", webCB, verifier) }, 400, "invalid_grant"},
			{"unknown refresh token", form(creds(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"hlr_nope"}})), 400, "invalid_grant"},
			{"oversize body", form(creds(url.Values{"grant_type": {"client_credentials"}, "pad": {strings.Repeat("x", 2<<20)}})), 413, "invalid_request"},
			{"malformed JSON", func() reply {
				req, _ := http.NewRequest(http.MethodPost, in.URL+"/oauth/token", strings.NewReader("{"))
				req.Header.Set("Content-Type", "application/json")
				return do(t, nil, req)
			}, 400, "invalid_request"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := tt.post()
				m := r.json(t)
				if r.status != tt.status || (tt.error != "" && m["error"] != tt.error) {
					t.Fatalf("%d %v, want %d %s", r.status, m, tt.status, tt.error)
				}
				if tt.error != "" {
					if d, _ := m["error_description"].(string); d == "" {
						t.Errorf("no error_description: %v", m)
					}
				} else if _, ok := m["refresh_token"]; ok || m["scope"] != "read" {
					t.Errorf("app token %v", m)
				}
			})
		}
	})
}

func TestRefresh_RotatesOverHTTP(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		a := register(t, in, "read write", webCB)
		m := userToken(t, in, a, "ada", "read write")
		refresh := func(token string, basic bool) reply {
			v := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}}
			if basic {
				return postForm(t, nil, in, "/oauth/token", v, func(r *http.Request) { r.SetBasicAuth(a.id, a.secret) })
			}
			v.Set("client_id", a.id)
			v.Set("client_secret", a.secret)
			return postForm(t, nil, in, "/oauth/token", v, nil)
		}
		r := refresh(m["refresh_token"].(string), true)
		n := r.json(t)
		if r.status != http.StatusOK || n["scope"] != "read write" || n["refresh_token"] == m["refresh_token"] {
			t.Fatalf("refresh: %d %v", r.status, n)
		}
		if old := refresh(m["refresh_token"].(string), false); old.status != http.StatusBadRequest || old.json(t)["error"] != "invalid_grant" {
			t.Fatalf("old refresh token: %d %s", old.status, old.body)
		}
		if g := getPath(t, nil, in, "/api/v1/apps/verify_credentials", m["access_token"].(string)); g.status != http.StatusUnauthorized {
			t.Fatalf("old access token: %d", g.status)
		}
		if g := getPath(t, nil, in, "/api/v1/apps/verify_credentials", n["access_token"].(string)); g.status != http.StatusOK {
			t.Fatalf("new access token: %d", g.status)
		}
	})
}

// An OAuth token works on the Mastodon API only; an app's own token is no
// one; a bad token on the Mastodon API answers in Mastodon's shape.
func TestTokens_WhereTheyWork(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		a := register(t, in, "read write", webCB)
		user := userToken(t, in, a, "ada", "read")["access_token"].(string)
		appTok := postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {a.id},
			"client_secret": {a.secret}}, nil).json(t)["access_token"].(string)
		tests := []struct {
			name, path, token string
			status            int
			mastodonError     bool
		}{
			{"user token, app credentials", "/api/v1/apps/verify_credentials", user, 200, false},
			{"app token, app credentials", "/api/v1/apps/verify_credentials", appTok, 200, false},
			{"no token, app credentials", "/api/v1/apps/verify_credentials", "", 401, true},
			{"bad token on the Mastodon API", "/api/v1/instance", "hlo_nope", 401, true},
			{"bad token on the v2 API", "/api/v2/instance", "garbage", 401, true},
			{"user token on the native API", "/api/holon/v1/accounts/me", user, 401, false},
			{"app token on the native API", "/api/holon/v1/accounts/me", appTok, 401, false},
			{"user token on the pages", "/settings", user, 401, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := getPath(t, nil, in, tt.path, tt.token)
				if r.status != tt.status {
					t.Fatalf("%d, want %d: %s", r.status, tt.status, r.body)
				}
				if tt.mastodonError && r.json(t)["error"] != "The access token is invalid" {
					t.Fatalf("error %s", r.body)
				}
			})
		}
		// The app's own token names the app, never a person.
		if m := getPath(t, nil, in, "/api/v1/apps/verify_credentials", appTok).json(t); m["name"] != "Test app" || m["client_secret"] != nil {
			t.Fatalf("verify_credentials %v", m)
		}
	})
}

func regexpFind(t *testing.T, expr string, b []byte) string {
	t.Helper()
	m := regexpMust(expr).Find(b)
	if m == nil {
		t.Fatalf("no %s in\n%s", expr, b)
	}
	return string(m)
}

// Browser apps on other origins preflight the registration and the token
// endpoints.
func TestCORS_Preflight(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		for _, path := range []string{"/api/v1/apps", "/oauth/token", "/oauth/revoke"} {
			req, _ := http.NewRequest(http.MethodOptions, in.URL+path, nil)
			req.Header.Set("Origin", "https://phanpy.social")
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type")
			r := do(t, nil, req)
			if r.status != http.StatusNoContent || r.header.Get("Access-Control-Allow-Origin") != "*" ||
				!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "POST") {
				t.Errorf("%s: %d %v", path, r.status, r.header)
			}
		}
		a := register(t, in, "read", webCB)
		r := postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {a.id}, "client_secret": {a.secret}},
			func(r *http.Request) {
				r.Header.Set("Origin", "https://phanpy.social")
				r.Header.Set("Sec-Fetch-Site", "cross-site")
			})
		if r.status != http.StatusOK || r.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("cross-origin token request: %d %v", r.status, r.header)
		}
	})
}

// An expired code is refused as invalid_grant. The service's clock is the
// system's here, so the code's expiry is moved back instead (the core
// tests move their clock).
func TestToken_ExpiredCode(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		person(t, in, "ada")
		a := register(t, in, "read", webCB)
		code := logInAndAllow(t, in, authorizeQuery(a, webCB, "read", ""), "ada").location(t).Query().Get("code")
		if _, err := in.DB.Bun().NewUpdate().Table("oauth_authorization_codes").
			Set("expires_at = ?", time.Now().UTC().Add(-time.Second)).Where("1 = 1").Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := exchange(t, in, a, code, webCB, verifier)
		if r.status != http.StatusBadRequest || r.json(t)["error"] != "invalid_grant" {
			t.Fatalf("expired code: %d %s", r.status, r.body)
		}
	})
}
