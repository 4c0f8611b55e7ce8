package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/webtest"
)

func TestSignUp_LogsInAndHomeShowsName(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		b := newBrowser(t, in)
		b.get("/signup").want(t, http.StatusOK)
		resp := b.post("/signup", url.Values{"username": {"Alice"}, "display_name": {"Alice Martin"},
			"email": {"alice@example.org"}, "password": {password}, "locale": {"en"}})
		resp.redirectsTo(t, "/")
		if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, auth.SessionCookie+"=") || !strings.Contains(c, "HttpOnly") {
			t.Errorf("session cookie = %q", c)
		}
		home := b.get("/").want(t, http.StatusOK)
		home.contains(t, "Alice Martin")
		if home.byID("logout") == nil {
			t.Error("no log-out form for a logged-in person")
		}
		if home.byID("associations") != nil {
			t.Error("a fresh instance lists associations")
		}
	})
}

func TestSignUp_BadInputIs422AndCreatesNothing(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		first := newBrowser(t, in)
		first.signUp("alice")
		valid := func(edit func(url.Values)) url.Values {
			v := url.Values{"username": {"bob"}, "display_name": {"Bob"}, "email": {"bob@example.org"},
				"password": {password}, "locale": {"en"}}
			edit(v)
			return v
		}
		cases := []struct {
			name    string
			form    url.Values
			field   string // whose error shows
			message string
		}{
			{"duplicate username", valid(func(v url.Values) { v.Set("username", "ALICE") }), "username", "This name is already taken"},
			{"duplicate e-mail", valid(func(v url.Values) { v.Set("email", "alice@example.org") }), "email", "An account already uses this e-mail address"},
			{"bad characters", valid(func(v url.Values) { v.Set("username", "bob smith") }), "username", "Only letters a to z"},
			{"short password", valid(func(v url.Values) { v.Set("password", "short") }), "password", "At least 8 characters"},
			{"bad e-mail", valid(func(v url.Values) { v.Set("email", "bob") }), "email", "not a valid e-mail address"},
			{"unknown locale", valid(func(v url.Values) { v.Set("locale", "de") }), "locale", "Choose English or French"},
			{"absurd display name", valid(func(v url.Values) { v.Set("display_name", strings.Repeat("x", 5000)) }), "display_name", "At most 100 characters"},
			{"absurd password", valid(func(v url.Values) { v.Set("password", strings.Repeat("x", 5000)) }), "password", "At most 256 characters"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before, _ := in.Members.AccountCount(context.Background())
				b := newBrowser(t, in)
				p := b.post("/signup", c.form).want(t, http.StatusUnprocessableEntity)
				if got := p.text(t, c.field+"-error"); !strings.Contains(got, c.message) {
					t.Errorf("error of %s = %q, want %q", c.field, got, c.message)
				}
				input := p.byID(c.field)
				if attr(input, "aria-invalid") != "true" || !strings.Contains(attr(input, "aria-describedby"), c.field+"-error") {
					t.Errorf("input %s is not tied to its error: %v", c.field, input.Attr)
				}
				if c.field != "email" && attr(p.byID("email"), "value") != c.form.Get("email") {
					t.Errorf("the e-mail typed is not kept")
				}
				p.lacks(t, c.form.Get("password"))
				if p.Header.Get("Set-Cookie") != "" {
					t.Error("a failed sign-up set a cookie")
				}
				if after, _ := in.Members.AccountCount(context.Background()); after != before {
					t.Errorf("accounts: %d before, %d after", before, after)
				}
			})
		}
	})
}

func TestSignUp_ByApprovalThenAdminApproves(t *testing.T) {
	approval := func(c *config.Config) { c.Instance.Registrations = config.RegistrationsApproval }
	webtest.Each(t, approval, func(t *testing.T, in *webtest.Instance) {
		bob := newBrowser(t, in)
		p := bob.post("/signup", url.Values{"username": {"bob"}, "email": {"bob@example.org"},
			"password": {password}, "locale": {"en"}}).want(t, http.StatusOK)
		if !strings.Contains(p.text(t, "signup-pending"), "An administrator must approve") {
			t.Errorf("pending page: %s", p.Body)
		}
		if p.Header.Get("Set-Cookie") != "" {
			t.Error("a pending account got a session")
		}
		bob.post("/login", url.Values{"username": {"bob"}, "password": {password}}).want(t, http.StatusForbidden).
			contains(t, "waiting for an administrator’s approval")

		admin := newBrowser(t, in)
		admin.makeAdmin("root")
		list := admin.get("/admin").want(t, http.StatusOK)
		if list.byID("approve-bob") == nil {
			t.Fatalf("bob is not listed for approval:\n%s", list.Body)
		}
		// A user who is not an administrator may not approve.
		other := newBrowser(t, in)
		other.get("/admin").redirectsTo(t, "/login?next=%2Fadmin")
		admin.post("/admin/accounts/BOB", url.Values{"action": {"approve"}}).redirectsTo(t, "/admin?approved=bob")
		admin.get("/admin?approved=bob").contains(t, "@bob is approved")
		bob.logIn("bob")
		bob.get("/admin").want(t, http.StatusForbidden)
		bob.post("/admin/accounts/bob", url.Values{"action": {"approve"}}).want(t, http.StatusForbidden)
	})
}

func TestSignUp_Closed(t *testing.T) {
	closed := func(c *config.Config) { c.Instance.Registrations = config.RegistrationsClosed }
	webtest.Each(t, closed, func(t *testing.T, in *webtest.Instance) {
		b := newBrowser(t, in)
		p := b.get("/signup").want(t, http.StatusOK)
		if p.byID("signup") != nil || !strings.Contains(p.text(t, "signup-closed"), "Registrations are closed") {
			t.Errorf("closed sign-up page:\n%s", p.Body)
		}
		b.post("/signup", url.Values{"username": {"bob"}, "email": {"bob@example.org"}, "password": {password}}).
			want(t, http.StatusForbidden).contains(t, "Registrations are closed")
		if n, _ := in.Members.AccountCount(context.Background()); n != 0 {
			t.Errorf("%d accounts on a closed instance", n)
		}
	})
}

func TestLogIn_UnknownUserAndWrongPasswordLookAlike(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		newBrowser(t, in).signUp("alice")
		b := newBrowser(t, in)
		wrong := b.post("/login", url.Values{"username": {"alice"}, "password": {"not the password"}})
		unknown := b.post("/login", url.Values{"username": {"alicf"}, "password": {"not the password"}})
		if wrong.Status != http.StatusUnprocessableEntity || unknown.Status != wrong.Status {
			t.Fatalf("statuses %d and %d", wrong.Status, unknown.Status)
		}
		if got := wrong.text(t, "form-error"); got != "Wrong username or password." {
			t.Errorf("message = %q", got)
		}
		// The pages differ only by the username typed, which is kept.
		if strings.ReplaceAll(wrong.Body, "alice", "X") != strings.ReplaceAll(unknown.Body, "alicf", "X") {
			t.Errorf("the answers differ:\n%s\n---\n%s", wrong.Body, unknown.Body)
		}
		wrong.lacks(t, "not the password")
	})
}

func TestLogIn_RateLimitedAfterFiveFailures(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		newBrowser(t, in).signUp("alice")
		b := newBrowser(t, in)
		for i := range 5 {
			if p := b.post("/login", url.Values{"username": {"alice"}, "password": {"wrong password"}}); p.Status != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: status %d", i+1, p.Status)
			}
		}
		// Even the right password is refused now.
		p := b.post("/login", url.Values{"username": {"alice"}, "password": {password}}).want(t, http.StatusTooManyRequests)
		if !strings.Contains(p.text(t, "form-error"), "Wait a few minutes") {
			t.Errorf("rate limit message: %s", p.text(t, "form-error"))
		}
		if p.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if p.Header.Get("Set-Cookie") != "" {
			t.Error("a refused log-in set a cookie")
		}
	})
}

func TestLogIn_GoesToSafeNextOnly(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		newBrowser(t, in).signUp("alice")
		cases := []struct{ next, want string }{
			{"", "/"},
			{"/settings", "/settings"},
			{"/@alice?x=1", "/@alice?x=1"},
			{"//evil.example/", "/"},
			{`/\evil.example`, "/"},
			{"https://evil.example/", "/"},
			{"javascript:alert(1)", "/"},
			{"settings", "/"},
		}
		for _, c := range cases {
			t.Run(c.next, func(t *testing.T) {
				b := newBrowser(t, in)
				form := b.get("/login?next="+url.QueryEscape(c.next)).want(t, http.StatusOK)
				next := ""
				walk(form.doc, func(n *htmlNode) bool {
					if attr(n, "name") == "next" {
						next = attr(n, "value")
					}
					return true
				})
				if next != c.want {
					t.Errorf("form carries next %q, want %q", next, c.want)
				}
				b.post("/login", url.Values{"username": {"alice"}, "password": {password}, "next": {c.next}}).redirectsTo(t, c.want)
			})
		}
	})
}

func TestLogOut_EndsTheSession(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		b := newBrowser(t, in)
		b.signUp("alice")
		u, _ := url.Parse(in.URL)
		cookies := b.client.Jar.Cookies(u)
		b.get("/settings").want(t, http.StatusOK)
		resp := b.post("/logout", nil)
		resp.redirectsTo(t, "/")
		if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "Max-Age=0") {
			t.Errorf("log-out cookie = %q", c)
		}
		b.get("/settings").redirectsTo(t, "/login?next=%2Fsettings")
		home := b.get("/")
		if home.byID("logout") != nil {
			t.Error("still logged in after log-out")
		}
		// The old cookie is worthless, even replayed.
		thief := newBrowser(t, in)
		thief.client.Jar.SetCookies(u, cookies)
		thief.get("/settings").redirectsTo(t, "/login?next=%2Fsettings")
	})
}

func TestSessionCookie_SecureOverHTTPS(t *testing.T) {
	https := func(c *config.Config) {
		c.Server.Protocol = config.ProtocolHTTPS
		c.Server.Host = "holon.example"
	}
	webtest.Each(t, https, func(t *testing.T, in *webtest.Instance) {
		resp := newBrowser(t, in).post("/signup", url.Values{"username": {"alice"}, "email": {"a@example.org"},
			"password": {password}, "locale": {"en"}})
		resp.redirectsTo(t, "/")
		if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "Secure") {
			t.Errorf("cookie over https = %q", c)
		}
	})
}

func TestAccountSettings(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		b := newBrowser(t, in)
		b.signUp("alice")

		t.Run("profile", func(t *testing.T) {
			b.post("/settings", url.Values{"action": {"profile"}, "display_name": {"Alice M."}, "locale": {"fr"}}).
				redirectsTo(t, "/settings?done=profile")
			// The account's locale beats the browser's language.
			b.lang = "en"
			p := b.get("/settings?done=profile").want(t, http.StatusOK)
			p.contains(t, `lang="fr"`, "Votre profil est enregistré.", "Alice M.")
			b.post("/settings", url.Values{"action": {"profile"}, "display_name": {" "}, "locale": {"en"}}).
				want(t, http.StatusUnprocessableEntity).contains(t, "Ce champ est obligatoire.")
			b.post("/settings", url.Values{"action": {"profile"}, "display_name": {"Alice M."}, "locale": {"en"}}).
				redirectsTo(t, "/settings?done=profile")
		})
		t.Run("e-mail", func(t *testing.T) {
			other := newBrowser(t, in)
			other.signUp("bob")
			b.post("/settings", url.Values{"action": {"profile"}, "email": {"bob@example.org"}}).
				want(t, http.StatusUnprocessableEntity).contains(t, "An account already uses this e-mail address.")
			b.post("/settings", url.Values{"action": {"profile"}, "email": {"Alice@Example.net"}}).
				redirectsTo(t, "/settings?done=profile")
			if got := mustAccount(t, in, "alice").Email; got != "alice@example.net" {
				t.Fatalf("e-mail = %q", got)
			}
		})
		t.Run("password", func(t *testing.T) {
			p := b.post("/settings", url.Values{"action": {"password"}, "current_password": {"nope nope"}, "new_password": {"a new password"}}).
				want(t, http.StatusUnprocessableEntity)
			if got := p.text(t, "current_password-error"); got != "The current password is wrong." {
				t.Errorf("error = %q", got)
			}
			p.lacks(t, "nope nope", "a new password")
			b.post("/settings", url.Values{"action": {"password"}, "current_password": {password}, "new_password": {"short"}}).
				want(t, http.StatusUnprocessableEntity).contains(t, "At least 8 characters.")
			b.post("/settings", url.Values{"action": {"password"}, "current_password": {password}, "new_password": {"a new password"}}).
				redirectsTo(t, "/settings?done=password")
			// Still logged in here, with the new session.
			b.get("/settings").want(t, http.StatusOK)
			other := newBrowser(t, in)
			other.post("/login", url.Values{"username": {"alice"}, "password": {"a new password"}}).redirectsTo(t, "/")
		})
		t.Run("tokens", func(t *testing.T) {
			p := b.post("/settings", url.Values{"action": {"create-token"}, "label": {"backup script"}}).want(t, http.StatusOK)
			secret := textOf(firstTag(p.byID("token-secret"), "code"))
			if !strings.HasPrefix(secret, "hln_") {
				t.Fatalf("secret shown = %q", p.text(t, "token-secret"))
			}
			if _, err := in.Members.TokenAccount(context.Background(), secret); err != nil {
				t.Fatalf("the token shown does not work: %v", err)
			}
			list := b.get("/settings").want(t, http.StatusOK)
			list.lacks(t, secret)
			list.contains(t, "backup script")
			toks, _ := in.Members.Tokens(context.Background(), mustAccount(t, in, "alice"))
			b.post("/settings", url.Values{"action": {"revoke-token"}, "token": {toks[0].ID.String()}}).redirectsTo(t, "/settings?done=revoked")
			if _, err := in.Members.TokenAccount(context.Background(), secret); err == nil {
				t.Error("a revoked token still works")
			}
			b.post("/settings", url.Values{"action": {"revoke-token"}, "token": {"not-an-id"}}).want(t, http.StatusNotFound)
			b.post("/settings", url.Values{"action": {"explode"}}).want(t, http.StatusUnprocessableEntity)
		})
	})
}
