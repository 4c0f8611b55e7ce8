package pages

import (
	"net/http"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type signupPage struct {
	frame
	Form    *form
	Locales []string
	Closed  bool // the instance takes no new accounts
	Pending bool // the account waits for an administrator
}

var signupFields = []string{"username", "display_name", "email", "locale"}

func (s *server) signupPage(r *http.Request, f *form) *signupPage {
	p := &signupPage{Form: f, Locales: membership.Locales}
	// The mode an admin set now; on a read failure, the form shows and
	// SignUp itself decides.
	if policy, err := s.members.LivePolicy(r.Context()); err == nil {
		p.Closed = policy.Registrations == membership.RegistrationsClosed
	}
	return p
}

func (s *server) signupForm(w http.ResponseWriter, r *http.Request) {
	f := newForm(signupFields...)
	f.Values["locale"] = s.lang(r)
	s.render(w, r, http.StatusOK, "signup", s.signupPage(r, f))
}

// signup creates an account. An active account is logged in at once; one
// that waits for approval gets a page saying so.
func (s *server) signup(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(r, signupFields, "password")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		acc, err := s.members.SignUp(r.Context(), membership.NewAccount{
			Username: f.Value("username"), DisplayName: f.Value("display_name"), Email: f.Value("email"),
			Password: f.secret("password"), Locale: f.Value("locale"),
		})
		switch {
		case err == nil && acc.Status == membership.AccountActive:
			if s.startSession(w, r, acc) {
				redirect(w, r, "/")
			}
			return
		case err == nil:
			p := s.signupPage(r, f)
			p.Pending = true
			s.render(w, r, http.StatusOK, "signup", p)
			return
		case !f.take(err):
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, f.Status(), "signup", s.signupPage(r, f))
}

// startSession logs acc in on this browser; false if it failed (and the
// error page was sent).
func (s *server) startSession(w http.ResponseWriter, r *http.Request, acc membership.Account) bool {
	secret, expires, err := s.members.StartSession(r.Context(), acc)
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	auth.SetSessionCookie(w, secret, expires, s.secure)
	return true
}
