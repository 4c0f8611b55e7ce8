package pages_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/webtest"
)

// authorizeApp registers an application and lets it act for acc with
// scopes, as the authorization code flow does (the code is issued and
// exchanged through core, without PKCE).
func authorizeApp(t *testing.T, in *webtest.Instance, acc membership.Account, name, website string, scopes ...string) (membership.OAuthApp, membership.Grant) {
	t.Helper()
	ctx := context.Background()
	const cb = "https://app.example/callback"
	app, _, err := in.Members.RegisterApp(ctx, membership.AppRegistration{Name: name, Website: website,
		RedirectURIs: []string{cb}, Scopes: []string{"read", "write", "follow", "push"}})
	if err != nil {
		t.Fatal(err)
	}
	code, err := in.Members.IssueCode(ctx, app, acc, membership.CodeRequest{RedirectURI: cb, Scopes: scopes})
	if err != nil {
		t.Fatal(err)
	}
	g, err := in.Members.ExchangeCode(ctx, app, code, cb, "")
	if err != nil {
		t.Fatal(err)
	}
	return app, g
}

// bearerStatus is the status of a Mastodon route called with token.
func bearerStatus(t *testing.T, in *webtest.Instance, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, in.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestAccountSettings_AuthorizedApps(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		alice := newBrowser(t, in)
		alice.signUp("alice")
		bob := newBrowser(t, in)
		bob.signUp("bob")

		alice.get("/settings").want(t, http.StatusOK).contains(t, "Authorised apps", "No app may act as you.")

		tusky, g := authorizeApp(t, in, mustAccount(t, in, "alice"), "Tusky", "https://tusky.app", "read", "write:statuses")
		// A second token of the same app (another device) is one entry.
		_, g2 := authorizeApp(t, in, mustAccount(t, in, "alice"), "Elk", "", "read:accounts", "read:notifications")
		if bearerStatus(t, in, g.AccessToken) != http.StatusOK {
			t.Fatal("the token does not work on the Mastodon API")
		}
		bobApp, bobGrant := authorizeApp(t, in, mustAccount(t, in, "bob"), "Bob's app", "", "read")

		p := alice.get("/settings").want(t, http.StatusOK)
		list := p.text(t, "apps")
		for _, want := range []string{"Tusky", "first authorised", "last used", "read everything your account can see",
			"change: statuses", "Elk", "read: notifications", "Revoke access"} {
			if !strings.Contains(list, want) {
				t.Errorf("the apps read %q, without %q", list, want)
			}
		}
		if strings.Contains(list, "Bob's app") {
			t.Error("alice sees bob's app")
		}
		// The website, when the app gave one, is a link.
		if !strings.Contains(p.Body, `<a href="https://tusky.app" rel="noopener noreferrer nofollow">Tusky</a>`) || strings.Contains(p.Body, `">Elk</a>`) {
			t.Errorf("the apps' links:\n%s", list)
		}

		t.Run("revoke", func(t *testing.T) {
			alice.post("/settings", url.Values{"action": {"revoke-app"}, "app": {tusky.ID.String()}}).redirectsTo(t, "/settings?done=app-revoked")
			if s := bearerStatus(t, in, g.AccessToken); s != http.StatusUnauthorized {
				t.Errorf("a revoked app's token answers %d", s)
			}
			if _, err := in.Members.Refresh(ctx, tusky, g.RefreshToken, nil, func(_, _ []string) bool { return true }); !errors.Is(err, membership.ErrBadGrant) {
				t.Errorf("a revoked app's refresh token: %v", err)
			}
			p := alice.get("/settings?done=app-revoked").want(t, http.StatusOK)
			p.contains(t, "The app’s access is revoked.")
			if list := p.text(t, "apps"); strings.Contains(list, "Tusky") || !strings.Contains(list, "Elk") {
				t.Errorf("after revoking Tusky, the apps read %q", list)
			}
			if bearerStatus(t, in, g2.AccessToken) != http.StatusOK {
				t.Error("revoking one app revoked another")
			}
			// Revoked already: nothing left to revoke.
			alice.post("/settings", url.Values{"action": {"revoke-app"}, "app": {tusky.ID.String()}}).want(t, http.StatusNotFound)
		})
		t.Run("another's app", func(t *testing.T) {
			for _, id := range []string{bobApp.ID.String(), "not-an-id", ""} {
				alice.post("/settings", url.Values{"action": {"revoke-app"}, "app": {id}}).want(t, http.StatusNotFound).
					contains(t, "There is no such app, or it may not act as you.")
			}
			if bearerStatus(t, in, bobGrant.AccessToken) != http.StatusOK {
				t.Error("alice revoked bob's token")
			}
		})
		t.Run("cross-origin", func(t *testing.T) {
			// The form is covered by the cross-origin protection of every
			// page form.
			req, _ := http.NewRequest(http.MethodPost, in.URL+"/settings",
				strings.NewReader(url.Values{"action": {"revoke-app"}, "app": {bobApp.ID.String()}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			resp, err := bob.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden || bearerStatus(t, in, bobGrant.AccessToken) != http.StatusOK {
				t.Errorf("a cross-site revocation answered %d", resp.StatusCode)
			}
		})
		t.Run("French", func(t *testing.T) {
			fr := newBrowser(t, in)
			fr.lang = "fr"
			fr.signUp("chloe")
			fr.post("/settings", url.Values{"action": {"profile"}, "display_name": {"Chloé"}, "email": {"chloe@example.org"},
				"locale": {"fr"}}).redirectsTo(t, "/settings?done=profile")
			authorizeApp(t, in, mustAccount(t, in, "chloe"), "Phanpy", "https://phanpy.social", "read", "write", "follow", "push")
			p := fr.get("/settings").want(t, http.StatusOK)
			p.contains(t, "Applications autorisées", "Révoquer l’accès", "lire tout ce que votre compte peut voir",
				"gérer vos abonnements et blocages", "recevoir des notifications push")
		})
	})
}
