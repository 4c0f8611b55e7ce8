package pages

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/config"
)

// TestRender_TemplateErrorGivesACleanErrorPage breaks a template halfway
// through: the visitor must get a whole 500 page, not the half written.
func TestRender_TemplateErrorGivesACleanErrorPage(t *testing.T) {
	s, err := newServer(Deps{Config: config.Default()})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "fr"} {
		broken := template.Must(template.New("").Funcs(s.cat.speakers[lang].funcs()).
			Parse(`{{define "layout"}}<p>HALF A PAGE</p>{{t "no.such.key"}}{{end}}`))
		s.views[lang]["home"] = broken
	}
	var logged strings.Builder
	h := hlog.NewHandler(zerolog.New(&logged))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "home", &homePage{})
	}))
	for lang, want := range map[string]string{"en": "Something went wrong", "fr": "Une erreur s’est produite"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Language", lang)
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("%s: status %d", lang, rec.Code)
		}
		if strings.Contains(body, "HALF") || !strings.Contains(body, want) || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
			t.Errorf("%s: body:\n%s", lang, body)
		}
		if strings.Contains(body, "no.such.key") {
			t.Errorf("%s: the error's text reached the page", lang)
		}
	}
	if !strings.Contains(logged.String(), "no.such.key") {
		t.Errorf("the template error was not logged: %s", logged.String())
	}
}
