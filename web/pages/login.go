package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type loginPage struct {
	frame
	Form *form
}

var loginFields = []string{"username", "next"}

func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	f := newForm(loginFields...)
	f.Values["next"] = safeNext(r.URL.Query().Get("next"))
	s.render(w, r, http.StatusOK, "login", &loginPage{Form: f})
}

// login checks the credentials and opens a session. An unknown username and
// a wrong password get the same answer; so does a value too long to be
// either.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(r, loginFields, "password")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := safeNext(f.Value("next"))
	f.Values["next"] = next
	if f.Invalid() {
		f.Errors = map[string]core.FieldError{}
		f.Problems = nil
		f.take(membership.ErrBadCredentials)
		s.render(w, r, f.Status(), "login", &loginPage{Form: f})
		return
	}
	acc, err := s.members.LogIn(r.Context(), f.Value("username"), f.secret("password"), auth.ClientIP(r, s.cfg.Server.TrustProxy))
	if err != nil {
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
		if f.Status() == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int(membership.LoginWindow.Seconds())))
		}
		s.render(w, r, f.Status(), "login", &loginPage{Form: f})
		return
	}
	if s.startSession(w, r, acc) {
		redirect(w, r, next)
	}
}

// logout ends the session and forgets its cookie.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if id, ok := auth.From(r.Context()); ok && id.Session != "" {
		if err := s.members.EndSession(r.Context(), id.Session); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	auth.ClearSessionCookie(w, s.secure)
	redirect(w, r, "/")
}

// safeNext returns next if it is a path on this site, "/" otherwise: a
// log-in must never send the browser to another site ("//evil.example",
// "/\evil.example", "https://…").
func safeNext(next string) string {
	if next == "" || len(next) > fieldMax["next"] || next[0] != '/' ||
		strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
