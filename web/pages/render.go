package pages

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/problem"
)

//go:embed templates
var templateFS embed.FS

// frame is what the layout shows around every page. Each page struct embeds
// it; render fills it in.
type frame struct {
	Lang     string
	Instance string
	Viewer   *membership.Account
	CSS      string
	Icon     string
}

func (f *frame) layout() *frame { return f }

// page is a typed page struct: a frame plus the page's own fields.
type page interface{ layout() *frame }

// views holds one template set per page and per language. Each set is
// parsed at start-up with translation functions bound to its language and
// only executed afterwards, which html/template allows concurrently.
type views map[string]map[string]*template.Template // lang → page → set

func parseViews(c *catalogue) (views, error) {
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := views{}
	for _, lang := range c.langs {
		base, err := template.New("").Funcs(c.speakers[lang].funcs()).
			ParseFS(templateFS, "templates/*.html")
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		v[lang] = map[string]*template.Template{}
		for _, n := range names {
			set, err := template.Must(base.Clone()).ParseFS(templateFS, n)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", n, err)
			}
			v[lang][strings.TrimSuffix(path.Base(n), ".html")] = set
		}
	}
	return v, nil
}

// funcs are the template functions of one language.
func (s speaker) funcs() template.FuncMap {
	return template.FuncMap{
		"t":           s.t,
		"tn":          s.tn,
		"td":          s.td,
		"errtext":     s.errText,
		"role":        func(r string) string { return s.label(roleKeys, r) },
		"locale":      func(l string) string { return s.label(localeKeys, l) },
		"describedby": describedBy,
		"period":      func(f *form, name, label string) periodField { return periodField{Form: f, Name: name, Label: label} },
		"paragraphs":  paragraphs,
		"date":        func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"datetime":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"isotime":     func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"money":       func(minor int64, currency string) string { return formatMoney(s.lang, minor, currency) },
		"duration":    s.duration,
		"label":       func(set, word string) string { return s.label(labelSets[set], word) },
		"inc":         func(i int) int { return i + 1 },
		"feedlinks":   feedLinksOf,
		"neg":         func(n int64) int64 { return -n },
		"chart": func(id, title, desc string, c any, currency string) chartFrame {
			return chartFrame{ID: id, Title: title, Desc: desc, Chart: c, Currency: currency}
		},
	}
}

// periodField is one duration input of the association settings.
type periodField struct {
	Form  *form
	Name  string
	Label string
}

// paragraphs splits text at blank lines; the template shows each part as a
// paragraph whose line breaks the style sheet keeps (white-space: pre-line),
// so that statutes read as written without any HTML from their author.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.Trim(p, "\n"); strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// shortDuration writes d as a Go duration without trailing zero units:
// "168h" rather than "168h0m0s", which time.ParseDuration reads back.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// lang is the language of the page answering r.
func (s *server) lang(r *http.Request) string {
	return s.cat.choose(auth.Account(r.Context()), r.Header.Get("Accept-Language"))
}

// render executes page name into a buffer and only then writes it, so that
// a failing template gives a clean error page instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	lang := s.lang(r)
	buf, err := s.execute(r, lang, name, p)
	if err != nil {
		hlog.FromRequest(r).Error().Err(err).Str("page", name).Msg("render page")
		status = http.StatusInternalServerError
		buf, err = s.execute(r, lang, "error", &errorPage{Status: status, Problem: core.FieldError{Code: codeInternal}})
		if err != nil {
			hlog.FromRequest(r).Error().Err(err).Msg("render error page")
			http.Error(w, http.StatusText(status), status)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", lang)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	// Pages depend on who asks and in which language, and may show a
	// token's secret: no cache keeps them.
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *server) execute(r *http.Request, lang, name string, p page) (*bytes.Buffer, error) {
	set, ok := s.views[lang][name]
	if !ok {
		return nil, fmt.Errorf("no page %q", name)
	}
	f := p.layout()
	f.Lang = lang
	f.Instance = s.cfg.Instance.Name
	if s.instance != nil {
		// The name admins set now; the configuration's if it cannot be
		// read (the page itself may be reporting that failure).
		if set, err := s.instance.Get(r.Context()); err == nil {
			f.Instance = set.Name
		}
	}
	f.Viewer = auth.Account(r.Context())
	f.CSS = s.assets.url("holon.css")
	f.Icon = s.assets.url("holon.svg")
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, err
	}
	return &buf, nil
}

// errorPage shows a failure: 403, 404, 500…
type errorPage struct {
	frame
	Status  int
	Problem core.FieldError
}

// fail answers err with an error page in the reader's language. A visitor
// asked to log in is sent to the log-in page; unexpected errors are logged
// and never shown.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if auth.IsUnauthenticated(err) && auth.Account(r.Context()) == nil {
		s.toLogin(w, r, r.URL.Path)
		return
	}
	p := problem.From(err)
	if p.Status >= 500 {
		hlog.FromRequest(r).Error().Err(err).Str("path", r.URL.Path).Msg("page failed")
	}
	s.render(w, r, p.Status, "error", &errorPage{Status: p.Status, Problem: core.FieldError{Code: p.Code, Detail: p.Detail}})
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, core.New(core.KindNotFound, codeNotFound, "there is no page at this address"))
}

func (s *server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusMethodNotAllowed, "error", &errorPage{Status: http.StatusMethodNotAllowed,
		Problem: core.FieldError{Code: codeMethodNotAllowed}})
}

// redirect answers a form with 303 See Other, so that reloading the next
// page does not post the form again.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// toLogin sends a visitor to the log-in page, to come back to next.
func (s *server) toLogin(w http.ResponseWriter, r *http.Request, next string) {
	to := "/login"
	if safeNext(next) != "/" {
		to += "?next=" + url.QueryEscape(next)
	}
	redirect(w, r, to)
}
