package pages

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/instance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type adminPage struct {
	frame
	Pending  []membership.Account
	Approved string
	Resolved bool // a report was just resolved (web/pages/admin_reports.go)
	// Dashboard holds the counts; nil when the pages have no settings
	// service (no counts are shown then).
	Dashboard *instance.Dashboard
	Form      *form
}

// admin shows the dashboard: counts, the federation's health, the
// accounts waiting for approval and the number of open reports.
func (s *server) admin(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin")
		return
	}
	approved := r.URL.Query().Get("approved")
	if _, fe := membership.NormalizeName("username", approved); fe != nil {
		approved = ""
	}
	s.showAdmin(w, r, http.StatusOK, acc, &adminPage{Approved: approved, Resolved: r.URL.Query().Get("resolved") == "1", Form: newForm()})
}

func (s *server) showAdmin(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, p *adminPage) {
	list, err := s.members.PendingAccounts(r.Context(), acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Pending = list
	if s.instance != nil {
		by, err := instance.AdminOf(acc)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d, err := s.instance.Dashboard(r.Context(), by)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Dashboard = &d
	}
	s.render(w, r, status, "admin", p)
}

// adminAccount applies an administrator's decision on an account: for now,
// approving a pending sign-up.
func (s *server) adminAccount(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/admin")
		return
	}
	f, err := readForm(r, []string{"action"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		switch f.Value("action") {
		case "approve":
			var approved membership.Account
			approved, err = s.members.ApproveAccount(r.Context(), acc, chi.URLParam(r, "username"))
			if err == nil {
				redirect(w, r, "/admin?approved="+approved.Username)
				return
			}
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if core.KindOf(err) == core.KindForbidden || !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	for name, fe := range f.Errors {
		delete(f.Errors, name)
		f.Problems = append(f.Problems, fe)
	}
	s.showAdmin(w, r, f.Status(), acc, &adminPage{Form: f})
}
