package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/holon-network/holon/web/webtest"
)

// visitEveryPage walks an instance through every page and state it can
// show (forms empty and with errors, member and board views, error pages)
// and returns what each answered.
func visitEveryPage(t *testing.T, in *webtest.Instance) map[string]*page {
	t.Helper()
	pages := map[string]*page{}
	visitor := newBrowser(t, in)
	pages["home, visitor"] = visitor.get("/")
	pages["sign-up"] = visitor.get("/signup")
	pages["sign-up, errors"] = visitor.post("/signup", url.Values{"username": {"x y"}, "email": {"x"}, "password": {"x"}})
	pages["log-in"] = visitor.get("/login?next=/settings")
	pages["log-in, error"] = visitor.post("/login", url.Values{"username": {"nobody"}, "password": {"nothing"}})
	pages["not found"] = visitor.get("/no/such/page")
	pages["method not allowed"] = visitor.do(http.MethodPut, "/", nil)

	alice := newBrowser(t, in)
	alice.makeAdmin("alice")
	pages["home, admin"] = alice.get("/")
	pages["new association"] = alice.get("/associations/new")
	pages["new association, errors"] = alice.post("/associations/new", url.Values{"name": {"bad name"}, "currency": {"XX"}})
	alice.createAssociation("commons")
	form := settingsForm()
	form.Set("join_mode", "approval")
	alice.post("/@commons/settings", form).redirectsTo(t, "/@commons/settings?saved=1")
	pages["association settings"] = alice.get("/@commons/settings?saved=1")
	form.Set("consensus_period", "soon")
	pages["association settings, errors"] = alice.post("/@commons/settings", form)

	bob := newBrowser(t, in)
	bob.signUp("bob")
	pages["association, non-member"] = bob.get("/@commons")
	bob.post("/@commons/join", nil).redirectsTo(t, "/@commons")
	pages["association, pending"] = bob.get("/@commons")
	pages["members, board with requests"] = alice.get("/@commons/members")
	alice.post("/@commons/members/bob", url.Values{"action": {"approve"}}).redirectsTo(t, "/@commons/members")
	alice.post("/@commons/members/bob", url.Values{"action": {"suspend"}, "reason": {"spam"}}).redirectsTo(t, "/@commons/members")
	pages["members, board"] = alice.get("/@commons/members")
	pages["members, action error"] = alice.post("/@commons/members/alice", url.Values{"action": {"role"}, "role": {"member"}})
	pages["members, member"] = bob.get("/@commons/members")
	pages["association, member"] = bob.get("/@commons")
	pages["association, board"] = alice.get("/@commons")
	pages["association settings, forbidden"] = bob.get("/@commons/settings")
	bob.post("/settings", url.Values{"action": {"profile"}, "display_name": {"Bob"}, "email": {"bob@example.org"}, "locale": {"en"},
		"fields[0].name": {"Site"}, "fields[0].value": {"https://bob.example"}}).redirectsTo(t, "/settings?done=profile")
	bob.upload("/settings/avatar", "avatar", pngBytes(t, 8, 8)).redirectsTo(t, "/settings?done=avatar")
	pages["person"] = visitor.get("/@bob")
	pages["account settings, field errors"] = bob.post("/settings", url.Values{"action": {"profile"}, "display_name": {"Bob"},
		"email": {"bob@example.org"}, "locale": {"en"}, "fields[1].value": {"no name"}})
	pages["account settings, avatar error"] = bob.upload("/settings/avatar", "avatar", []byte("not an image"))
	pages["account settings, deletion error"] = bob.post("/settings", url.Values{"action": {"delete-account"}, "delete_password": {"wrong"}})
	pages["account settings"] = bob.get("/settings?done=profile")
	pages["account settings, new token"] = bob.post("/settings", url.Values{"action": {"create-token"}, "label": {"ci"}})
	pages["account settings, errors"] = bob.post("/settings", url.Values{"action": {"password"}, "current_password": {"wrong one"}, "new_password": {"x"}})
	pages["account settings, tokens"] = bob.get("/settings")
	tusky, _ := authorizeApp(t, in, mustAccount(t, in, "bob"), "Tusky", "https://tusky.app", "read", "write:statuses")
	authorizeApp(t, in, mustAccount(t, in, "bob"), "Elk", "", "read:accounts", "push")
	pages["account settings, authorised apps"] = bob.get("/settings")
	bob.post("/settings", url.Values{"action": {"revoke-app"}, "app": {tusky.ID.String()}}).redirectsTo(t, "/settings?done=app-revoked")
	pages["account settings, app revoked"] = bob.get("/settings?done=app-revoked")
	pages["account settings, revoke error"] = bob.post("/settings", url.Values{"action": {"revoke-app"}, "app": {tusky.ID.String()}})
	pages["admin"] = alice.get("/admin")
	pages["admin, forbidden"] = bob.get("/admin")
	pages["relays, none"] = alice.get("/admin/relays")
	pages["relays, errors"] = alice.post("/admin/relays", url.Values{"action": {"add"}, "inbox": {"ftp://relay.example/inbox"}})
	alice.post("/admin/relays", url.Values{"action": {"add"}, "inbox": {"https://relay.example/inbox"}}).redirectsTo(t, "/admin/relays?done=added")
	pages["relays, pending"] = alice.get("/admin/relays?done=added")
	pages["relays, forbidden"] = bob.get("/admin/relays")
	pages["audit, admin"] = alice.get("/admin/audit")
	pages["audit, admin, nothing found"] = alice.get("/admin/audit?action=nothing.")
	pages["audit, forbidden"] = bob.get("/admin/audit")
	pages["audit, association, member"] = bob.get("/@commons/audit?action=member.")
	pages["audit, association, French"] = frAudit(t, in)
	visitModeration(t, in, alice, pages)
	visitModerationPages(t, in, alice, pages)
	visitInstancePages(t, in, alice, pages)

	visitNewsPages(t, in, pages, visitor, alice, bob)
	visitWorkPages(t, in, pages)
	visitGovernancePages(t, in, pages)
	visitEventPages(t, in, pages)
	visitFederationPages(t, in, alice, bob, pages)
	visitPartnerPages(t, in, alice, bob, pages)

	frBrowser := newBrowser(t, in)
	frBrowser.lang = "fr"
	pages["home, French"] = frBrowser.get("/")
	pages["sign-up, French errors"] = frBrowser.post("/signup", url.Values{"username": {""}})
	return pages
}

func TestPages_SecureHeadersAndNoInlineCode(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		for name, p := range visitEveryPage(t, in) {
			t.Run(name, func(t *testing.T) {
				if p.Status == http.StatusSeeOther || p.doc == nil {
					t.Fatalf("not a page: %d %s", p.Status, p.Header.Get("Content-Type"))
				}
				if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "style-src 'self'") {
					t.Errorf("Content-Security-Policy = %q", csp)
				}
				if p.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("Cache-Control = %q", p.Header.Get("Cache-Control"))
				}
				// Grep the raw HTML too: the parser must not hide anything.
				for _, banned := range []string{" style=", "<script", "<style", "javascript:"} {
					if strings.Contains(strings.ToLower(p.Body), banned) {
						t.Errorf("page holds %q", banned)
					}
				}
				walk(p.doc, func(n *html.Node) bool {
					for _, a := range n.Attr {
						if strings.HasPrefix(a.Key, "on") {
							t.Errorf("<%s> has an inline handler %s", n.Data, a.Key)
						}
					}
					return true
				})
			})
		}
	})
}

// TestPages_Accessible checks what a screen reader or a keyboard needs:
// the page's language, landmarks, one title, a label for every field,
// errors tied to their fields, named buttons and links.
func TestPages_Accessible(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		for name, p := range visitEveryPage(t, in) {
			t.Run(name, func(t *testing.T) {
				checkAccessible(t, p)
			})
		}
	})
}

func checkAccessible(t *testing.T, p *page) {
	t.Helper()
	ids := map[string]int{}
	labels := map[string]string{} // for → text
	count := map[string]int{}
	navLabels := map[string]int{}
	var fields, describedBy []*html.Node
	walk(p.doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if n.Namespace == "" { // an SVG chart's <title> is no page title
			count[n.Data]++
		}
		if id := attr(n, "id"); id != "" {
			ids[id]++
		}
		switch n.Data {
		case "html":
			if l := attr(n, "lang"); l != "en" && l != "fr" {
				t.Errorf(`<html lang=%q>`, l)
			}
		case "label":
			if strings.TrimSpace(textOf(n)) == "" {
				t.Errorf("empty label for %q", attr(n, "for"))
			}
			labels[attr(n, "for")] = textOf(n)
		case "input", "select", "textarea":
			switch attr(n, "type") {
			case "hidden", "submit", "button", "reset", "image":
			default:
				fields = append(fields, n)
			}
		case "button":
			if strings.TrimSpace(textOf(n)) == "" {
				t.Error("a button without a name")
			}
		case "a":
			if attr(n, "href") == "" || strings.TrimSpace(textOf(n)) == "" {
				t.Errorf("link %q without a target or a name", attr(n, "href"))
			}
		case "form":
			// Forms change things by POST; a search (filters) reads by GET.
			method := "post"
			if attr(n, "role") == "search" {
				method = "get"
			}
			if attr(n, "method") != method || !strings.HasPrefix(attr(n, "action"), "/") {
				t.Errorf("form %q: method %q action %q", attr(n, "id"), attr(n, "method"), attr(n, "action"))
			}
		case "nav":
			// Several navigation landmarks (the site's, the admin
			// sections') are told apart by their names.
			navLabels[attr(n, "aria-label")]++
		case "svg":
			// A chart is an image with a name and a description.
			if attr(n, "role") != "img" || attr(n, "aria-labelledby") == "" || attr(n, "aria-describedby") == "" {
				t.Errorf("<svg> without role=img and its title and description: %v", n.Attr)
			}
		}
		if hasAttr(n, "aria-describedby") {
			describedBy = append(describedBy, n)
		}
		return true
	})
	for label, n := range navLabels {
		if count["nav"] > 1 && (label == "" || n > 1) {
			t.Errorf("%d <nav> named %q: several navigation landmarks need distinct names", n, label)
		}
	}
	for _, landmark := range []string{"header", "nav", "main", "footer", "h1", "title"} {
		if landmark == "nav" && count["nav"] > 1 {
			continue
		}
		if count[landmark] != 1 {
			t.Errorf("%d <%s>, want 1", count[landmark], landmark)
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	for _, f := range fields {
		id := attr(f, "id")
		if attr(f, "name") == "" {
			t.Errorf("<%s id=%q> has no name", f.Data, id)
		}
		if id == "" {
			t.Errorf("<%s name=%q> has no id for its label", f.Data, attr(f, "name"))
			continue
		}
		if _, ok := labels[id]; !ok {
			t.Errorf("<%s id=%q> has no <label for>", f.Data, id)
		}
	}
	for _, n := range describedBy {
		for _, id := range strings.Fields(attr(n, "aria-describedby")) {
			if ids[id] == 0 {
				t.Errorf("<%s id=%q> is described by #%s, which does not exist", n.Data, attr(n, "id"), id)
			}
		}
	}
}

func TestStatic_HashedNamesCachedForAYear(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		b := newBrowser(t, in)
		home := b.get("/")
		var css string
		walk(home.doc, func(n *html.Node) bool {
			if n.Data == "link" && attr(n, "rel") == "stylesheet" {
				css = attr(n, "href")
			}
			return true
		})
		if !strings.HasPrefix(css, "/static/holon.") || css == "/static/holon.css" {
			t.Fatalf("style sheet at %q has no content hash", css)
		}
		p := b.get(css).want(t, http.StatusOK)
		if ct := p.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Errorf("Content-Type = %q", ct)
		}
		if cc := p.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("Cache-Control = %q", cc)
		}
		if !strings.Contains(p.Body, ":focus-visible") {
			t.Error("the style sheet has no visible focus")
		}
		req, _ := http.NewRequest(http.MethodGet, in.URL+css, nil)
		req.Header.Set("If-None-Match", p.Header.Get("ETag"))
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("revalidation: %d", resp.StatusCode)
		}
		if head := b.do(http.MethodHead, css, nil); head.Status != http.StatusOK || head.Body != "" {
			t.Errorf("HEAD: %d %q", head.Status, head.Body)
		}
		b.do(http.MethodHead, "/", nil).want(t, http.StatusOK)
		b.get("/static/holon.css").want(t, http.StatusNotFound)
		b.get("/static/holon.0000.css").want(t, http.StatusNotFound)
		b.get("/static/../pages.go").want(t, http.StatusNotFound)
	})
}
