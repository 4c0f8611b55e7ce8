package pages_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/web/webtest"
)

func TestLanguage_FrenchPages(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")

		visitor := newBrowser(t, in)
		visitor.lang = "fr-FR,fr;q=0.9,en;q=0.5"
		home := visitor.get("/").want(t, http.StatusOK)
		home.contains(t, `<html lang="fr">`, "Créer un compte", "Associations")
		if home.Header.Get("Content-Language") != "fr" {
			t.Errorf("Content-Language = %q", home.Header.Get("Content-Language"))
		}
		visitor.get("/signup").contains(t, "Nom d’utilisateur", "Adresse électronique")

		// Sign-up errors are translated too.
		p := visitor.post("/signup", url.Values{"username": {"alice"}, "email": {"x"}, "password": {"short"}, "locale": {"fr"}}).
			want(t, http.StatusUnprocessableEntity)
		for id, want := range map[string]string{
			"email-error":    "Cette adresse électronique n’est pas valide.",
			"password-error": "Au moins 8 caractères.",
		} {
			if got := p.text(t, id); got != want {
				t.Errorf("#%s = %q, want %q", id, got, want)
			}
		}
		p = visitor.post("/signup", url.Values{"username": {"alice"}, "email": {"a2@example.org"}, "password": {password}, "locale": {"fr"}}).
			want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "username-error"); got != "Ce nom est déjà pris par une personne ou une association." {
			t.Errorf("#username-error = %q", got)
		}

		// A person who chose French reads French, whatever the browser says.
		bob := newBrowser(t, in)
		bob.lang = "en"
		bob.post("/signup", url.Values{"username": {"bob"}, "email": {"bob@example.org"}, "password": {password}, "locale": {"fr"}}).
			redirectsTo(t, "/")
		page := bob.get("/@commons").want(t, http.StatusOK)
		if got := textOf(firstTag(page.byID("join"), "button")); got != "Adhérer" {
			t.Errorf("join button = %q", got)
		}
		page.contains(t, "1 membre", "Statuts")
		bob.post("/@commons/join", nil).redirectsTo(t, "/@commons")
		bob.get("/@commons").contains(t, "2 membres", "Vous êtes membre de cette association (Membre).")
		bob.get("/@commons/settings").want(t, http.StatusForbidden).contains(t, "Accès refusé", "Seul le bureau de l’association peut faire ceci.")
		bob.get("/nowhere").want(t, http.StatusNotFound).contains(t, "Page introuvable", "Il n’y a rien à cette adresse.")

		// Rate limiting speaks French as well.
		thief := newBrowser(t, in)
		thief.lang = "fr"
		for range 5 {
			thief.post("/login", url.Values{"username": {"alice"}, "password": {"guess guess"}}).
				want(t, http.StatusUnprocessableEntity).contains(t, "Nom d’utilisateur ou mot de passe incorrect.")
		}
		thief.post("/login", url.Values{"username": {"alice"}, "password": {"guess guess"}}).
			want(t, http.StatusTooManyRequests).contains(t, "Trop de tentatives", "Attendez quelques minutes")
	})
}

func TestLanguage_InstanceDefault(t *testing.T) {
	french := func(c *config.Config) { c.Instance.DefaultLocale = "fr" }
	webtest.Each(t, french, func(t *testing.T, in *webtest.Instance) {
		b := newBrowser(t, in)
		b.get("/").contains(t, `lang="fr"`, "Créer un compte")
		b.lang = "de-DE,de;q=0.9"
		b.get("/").contains(t, `lang="fr"`)
		b.lang = "en-US"
		b.get("/").contains(t, `lang="en"`, "Sign up")
		// The sign-up form proposes the page's language.
		b.lang = ""
		if sel := b.get("/signup").byID("locale"); sel == nil || !strings.Contains(renderOptions(sel), "fr*") {
			t.Errorf("locale select: %s", renderOptions(sel))
		}
	})
}

func renderOptions(sel *htmlNode) string {
	var out []string
	walk(sel, func(n *htmlNode) bool {
		if n.Data == "option" {
			v := attr(n, "value")
			if hasAttr(n, "selected") {
				v += "*"
			}
			out = append(out, v)
		}
		return true
	})
	return strings.Join(out, ",")
}

// TestLanguage_ConcurrentRequestsKeepTheirLanguage renders pages in both
// languages at once: no page may borrow the other's words.
func TestLanguage_ConcurrentRequestsKeepTheirLanguage(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		words := map[string]struct{ own, other string }{
			"fr": {`lang="fr"`, "Statutes"},
			"en": {`lang="en"`, "Statuts"},
		}
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 40 {
			lang := []string{"fr", "en"}[i%2]
			wg.Go(func() {
				for _, path := range []string{"/@commons", "/", "/signup", "/nowhere"} {
					req, _ := http.NewRequest(http.MethodGet, in.URL+path, nil)
					req.Header.Set("Accept-Language", lang)
					resp, err := in.Server.Client().Do(req)
					if err != nil {
						errs <- err
						return
					}
					var b strings.Builder
					_, _ = fmt.Fprint(&b, readAll(resp))
					body := b.String()
					w := words[lang]
					if !strings.Contains(body, w.own) || (path == "/@commons" && strings.Contains(body, w.other)) {
						errs <- fmt.Errorf("%s in %s mixes languages:\n%s", path, lang, body)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
