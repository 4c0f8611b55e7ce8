package pages

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// adminReport applies a moderator's decision on a report from the
// administration page: for now, marking it resolved.
func (s *server) adminReport(w http.ResponseWriter, r *http.Request) {
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
		id, perr := uuid.Parse(chi.URLParam(r, "id"))
		switch {
		case perr != nil:
			err = membership.ErrNoSuchReport
		case f.Value("action") == "resolve":
			if _, err = s.members.ResolveReport(r.Context(), acc, id, membership.Resolution{Action: membership.ActionNone}); err == nil {
				redirect(w, r, "/admin?resolved=1")
				return
			}
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if k := core.KindOf(err); k == core.KindForbidden || k == core.KindNotFound || !f.take(err) {
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
