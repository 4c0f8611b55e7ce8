package oauth

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"github.com/rs/zerolog/hlog"
)

//go:embed templates/page.html
var templateFS embed.FS

var pageTemplate = template.Must(template.ParseFS(templateFS, "templates/page.html"))

// hidden is a hidden field of the authorization form.
type hidden struct{ Name, Value string }

// page is what the authorization pages show; Kind picks one of them:
// "authorize" (consent, with the log-in fields when needed), "code" (the
// out-of-band code), "denied", "error".
type page struct {
	cat        *catalogue
	Lang       string
	Kind       string
	Title      string
	Stylesheet string
	Host       string

	AppName, Website string
	Scopes           []string
	Hidden           []hidden
	NeedLogin        bool
	Username         string
	Account          string
	LoginError       string

	Code    string
	Message string
}

// T translates key into the page's language.
func (p *page) T(key string, args ...any) string { return p.cat.t(p.Lang, key, args...) }

// pageCSP is the pages' content security policy without form-action:
// the authorization form's answer redirects to the app's own address,
// often another origin or a custom scheme, which form-action 'self'
// would block in Chromium (Mastodon drops it on this page too). Framing
// stays forbidden, against clickjacking of the Authorise button.
const pageCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, p *page) {
	p.cat, p.Stylesheet, p.Host = s.cat, s.stylesheet, s.cfg.Server.Host
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		hlog.FromRequest(r).Error().Err(err).Str("page", p.Kind).Msg("oauth: render")
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
