package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/web/webtest"
)

// TestAuthorize_SkipsConsentForAPriorGrant: as Mastodon, the consent page
// is skipped when the session's account already let the same app in,
// through the same redirect URI, with scopes at least as wide, and still
// holds a live token of it; in every other case the page is shown.
func TestAuthorize_SkipsConsentForAPriorGrant(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ada := person(t, in, "ada")
		person(t, in, "bob")
		a := register(t, in, "read write follow", webCB, tuskyCB)
		other := register(t, in, "read write follow", webCB)
		browser := webtest.Browser()

		// Before any token: the page, even with a session (a code never
		// exchanged is no grant).
		v, _ := form(t, getPath(t, browser, in, "/oauth/authorize?"+authorizeQuery(a, webCB, "read write", "s0").Encode(), ""))
		v.Set("username", "ada")
		v.Set("password", password)
		v.Set("decision", "allow")
		r := postForm(t, browser, in, "/oauth/authorize", v, nil)
		if r.status != http.StatusFound {
			t.Fatalf("log in and allow: %d %s", r.status, r.body)
		}
		if _, login := form(t, getPath(t, browser, in, "/oauth/authorize?"+authorizeQuery(a, webCB, "read", "s").Encode(), "")); login {
			t.Fatal("the session's page asks for a password")
		}
		tok := exchange(t, in, a, r.location(t).Query().Get("code"), webCB, verifier)
		if tok.status != http.StatusOK {
			t.Fatalf("exchange: %d %s", tok.status, tok.body)
		}
		// A refresh keeps the grant: the new token remembers the redirect URI.
		refreshed := postForm(t, nil, in, "/oauth/token", url.Values{"grant_type": {"refresh_token"},
			"refresh_token": {tok.json(t)["refresh_token"].(string)}, "client_id": {a.id}, "client_secret": {a.secret}}, nil)
		if refreshed.status != http.StatusOK {
			t.Fatalf("refresh: %d %s", refreshed.status, refreshed.body)
		}

		bob := webtest.Browser()
		bv, _ := form(t, getPath(t, bob, in, "/oauth/authorize?"+authorizeQuery(a, webCB, "read", "s").Encode(), ""))
		bv.Set("username", "bob")
		bv.Set("password", password)
		bv.Set("decision", "allow")
		if r := postForm(t, bob, in, "/oauth/authorize", bv, nil); r.status != http.StatusFound {
			t.Fatalf("bob logs in and allows: %d", r.status)
		}

		cases := []struct {
			name   string
			client *http.Client
			q      url.Values
			skip   bool
		}{
			{"same scopes", browser, authorizeQuery(a, webCB, "read write", "s1"), true},
			{"narrower scopes", browser, authorizeQuery(a, webCB, "read", "s2"), true},
			{"a sub-scope", browser, authorizeQuery(a, webCB, "read:statuses write:media", "s3"), true},
			{"wider scopes", browser, authorizeQuery(a, webCB, "read write follow", "s4"), false},
			{"another redirect URI", browser, authorizeQuery(a, tuskyCB, "read", "s5"), false},
			{"force_login", browser, withForceLogin(authorizeQuery(a, webCB, "read", "s6")), false},
			{"another app", browser, authorizeQuery(other, webCB, "read", "s7"), false},
			{"another account", bob, authorizeQuery(a, webCB, "read", "s8"), false},
			{"no session", nil, authorizeQuery(a, webCB, "read", "s9"), false},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := getPath(t, c.client, in, "/oauth/authorize?"+c.q.Encode(), "")
				if !c.skip {
					form(t, r) // the consent page, with its one form
					return
				}
				if r.status != http.StatusFound {
					t.Fatalf("not skipped: %d", r.status)
				}
				loc := r.location(t)
				if loc.Scheme+"://"+loc.Host+loc.Path != webCB || loc.Query().Get("state") != c.q.Get("state") {
					t.Fatalf("redirected to %s", loc)
				}
				// The code is bound to this request: its scopes, its PKCE challenge.
				tok := exchange(t, in, a, loc.Query().Get("code"), webCB, verifier)
				if tok.status != http.StatusOK || tok.json(t)["scope"] != c.q.Get("scope") {
					t.Fatalf("exchange of a skipped consent: %d %s", tok.status, tok.body)
				}
			})
		}

		// Once the person revokes the app, it asks again.
		appID := appOf(t, in, a.id)
		if err := in.Members.RevokeApp(context.Background(), ada, appID); err != nil {
			t.Fatal(err)
		}
		form(t, getPath(t, browser, in, "/oauth/authorize?"+authorizeQuery(a, webCB, "read", "s10").Encode(), ""))
	})
}

func withForceLogin(q url.Values) url.Values {
	q.Set("force_login", "true")
	return q
}

// appOf is the id of the application of clientID.
func appOf(t *testing.T, in *webtest.Instance, clientID string) uuid.UUID {
	t.Helper()
	app, err := in.Members.AppByClientID(context.Background(), clientID)
	if err != nil {
		t.Fatal(err)
	}
	return app.ID
}
