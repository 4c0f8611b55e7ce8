package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

// instanceForm is a valid settings form.
func instanceForm() url.Values {
	return url.Values{"instance_name": {"Jardin"}, "short_description": {"Shared gardens"},
		"extended_description": {"We grow things.\n\nTogether, <b>openly</b>."}, "contact_email": {"team@example.org"},
		"contact_account": {"alice"}, "languages": {"fr, en"}, "registrations": {"approval"},
		"association_creation": {"users"}, "rules[0].text": {"Be kind"}, "rules[0].id": {""},
		"rules[1].text": {"No spam"}, "rules[1].id": {""}, "rules[2].text": {""}, "rules[2].id": {""},
		"privacy_policy": {"We keep your e-mail address.\n\nWe sell nothing."}}
}

// visitInstancePages adds the settings, about and privacy pages to
// visitEveryPage's walk; alice is an administrator.
func visitInstancePages(t *testing.T, in *webtest.Instance, alice *browser, pages map[string]*page) {
	t.Helper()
	visitor := newBrowser(t, in)
	pages["about, defaults"] = visitor.get("/about")
	pages["privacy policy, none"] = visitor.get("/privacy-policy")
	pages["admin settings, defaults"] = alice.get("/admin/settings")
	bad := instanceForm()
	bad.Set("instance_name", "")
	bad.Set("rules[1].text", strings.Repeat("r", 501))
	bad.Set("languages", "English")
	pages["admin settings, errors"] = alice.post("/admin/settings", bad)
	alice.post("/admin/settings", instanceForm()).redirectsTo(t, "/admin/settings?saved=1")
	pages["admin settings"] = alice.get("/admin/settings?saved=1")
	pages["about"] = visitor.get("/about")
	pages["privacy policy"] = visitor.get("/privacy-policy")
	fr := newBrowser(t, in)
	fr.lang = "fr"
	pages["about, French"] = fr.get("/about")
	pages["privacy policy, French"] = fr.get("/privacy-policy")
	frAdmin := newBrowser(t, in)
	frAdmin.lang = "fr"
	frAdmin.logIn("alice")
	pages["admin settings, French errors"] = frAdmin.post("/admin/settings", bad)
	// Back to open sign-ups: the walk signs people up after this.
	open := instanceForm()
	open.Set("registrations", "open")
	alice.post("/admin/settings", open).redirectsTo(t, "/admin/settings?saved=1")
}

func TestAdminSettings_SaveShowsEverywhere(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice, bob, visitor := newBrowser(t, in), newBrowser(t, in), newBrowser(t, in)
		alice.makeAdmin("alice")
		bob.signUp("bob")
		bob.get("/admin/settings").want(t, http.StatusForbidden)
		bob.post("/admin/settings", instanceForm()).want(t, http.StatusForbidden)
		visitor.get("/admin/settings").want(t, http.StatusSeeOther)

		alice.get("/admin/settings").want(t, http.StatusOK).contains(t, "values of the configuration file", `aria-current="page"`)
		bad := instanceForm()
		bad.Set("instance_name", " ")
		bad.Set("contact_email", "nope")
		bad.Set("registrations", "maybe")
		bad.Set("rules[1].text", "Be kind") // the same rule twice is fine
		bad.Set("languages", "fr, English")
		p := alice.post("/admin/settings", bad).want(t, http.StatusUnprocessableEntity)
		for _, id := range []string{"instance_name-error", "contact_email-error", "registrations-error", "languages-error"} {
			if p.byID(id) == nil {
				t.Errorf("no error %s:\n%s", id, p.Body)
			}
		}
		long := instanceForm()
		long.Set("rules[1].text", strings.Repeat("r", 501))
		if alice.post("/admin/settings", long).want(t, http.StatusUnprocessableEntity).byID("rules[1].text-error") == nil {
			t.Error("no error next to the long rule")
		}
		unknown := instanceForm()
		unknown.Set("rules[0].id", "99")
		alice.post("/admin/settings", unknown).want(t, http.StatusUnprocessableEntity).contains(t, "This rule does not exist any more")
		visitor.get("/about").want(t, http.StatusOK).lacks(t, "Jardin")

		alice.post("/admin/settings", instanceForm()).redirectsTo(t, "/admin/settings?saved=1")
		alice.get("/admin/settings?saved=1").want(t, http.StatusOK).contains(t, "The settings are saved", "Be kind", `name="rules[0].id" value="1"`)
		about := visitor.get("/about").want(t, http.StatusOK)
		about.contains(t, "About Jardin", "Shared gardens", "<p>Together, &lt;b&gt;openly&lt;/b&gt;.</p>", `<li id="rule-1">Be kind</li>`,
			`<li id="rule-2">No spam</li>`, "mailto:team@example.org", `href="/@alice"`, "open, with an administrator’s approval",
			`href="/privacy-policy"`)
		visitor.get("/privacy-policy").want(t, http.StatusOK).contains(t, "<p>We keep your e-mail address.</p>", "<p>We sell nothing.</p>")
		// The name shows in every page's header, the description on the home page.
		visitor.get("/").want(t, http.StatusOK).contains(t, `<a class="brand" href="/">Jardin</a>`, "Shared gardens")

		// Sign-up follows the saved mode at once.
		carol := newBrowser(t, in)
		carol.post("/signup", url.Values{"username": {"carol"}, "email": {"carol@example.org"}, "password": {password}, "locale": {"en"}}).
			want(t, http.StatusOK)
		if acc := mustAccount(t, in, "carol"); acc.Status != "pending" {
			t.Fatalf("carol = %s, want pending", acc.Status)
		}
		closed := instanceForm()
		closed.Set("registrations", "closed")
		closed.Set("rules[0].id", "1")
		closed.Set("rules[0].text", "Be very kind")
		closed.Set("rules[1].id", "2")
		closed.Set("rules[1].text", "")
		alice.post("/admin/settings", closed).redirectsTo(t, "/admin/settings?saved=1")
		newBrowser(t, in).post("/signup", url.Values{"username": {"dan"}, "email": {"dan@example.org"}, "password": {password}}).
			want(t, http.StatusForbidden)
		about = visitor.get("/about")
		about.contains(t, `<li id="rule-1">Be very kind</li>`)
		about.lacks(t, "No spam")

		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get("/about").want(t, http.StatusOK).contains(t, "À propos de Jardin", "Règles", "fermées")
		fr.get("/privacy-policy").want(t, http.StatusOK).contains(t, "Politique de confidentialité", "Mise à jour le")
	})
}

func TestAdmin_DashboardCounts(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice, bob := newBrowser(t, in), newBrowser(t, in)
		alice.makeAdmin("alice")
		bob.signUp("bob")
		alice.createAssociation("commons")
		p := alice.get("/admin").want(t, http.StatusOK)
		for id, want := range map[string]string{"count-active": "2", "count-pending": "0", "count-associations": "1",
			"queue-depth": "0", "dead-letters": "0", "count-reports": "0, see the reports"} {
			if got := p.text(t, id); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		p.contains(t, `href="/admin/reports"`, `href="/admin/federation"`)
		bob.get("/admin").want(t, http.StatusForbidden)
	})
}
