package pages

import (
	"net/http"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type newAssociationPage struct {
	frame
	Form *form
}

var newAssociationFields = []string{"name", "display_name", "summary", "statutes", "currency"}

var errCreationNotAllowed = core.New(core.KindForbidden, "creation-not-allowed", "on this instance only administrators may create associations")

// mayCreate returns the viewer if they may found an association; otherwise
// it answers (log-in page or 403) and returns false.
func (s *server) mayCreate(w http.ResponseWriter, r *http.Request) (membership.Account, bool) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/associations/new")
		return acc, false
	}
	if ok, err := s.members.MayCreate(r.Context(), acc); err != nil || !ok {
		if err == nil {
			err = errCreationNotAllowed
		}
		s.fail(w, r, err)
		return acc, false
	}
	return acc, true
}

func (s *server) newAssociationForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.mayCreate(w, r); !ok {
		return
	}
	f := newForm(newAssociationFields...)
	f.Values["currency"] = membership.DefaultSettings().Currency
	s.render(w, r, http.StatusOK, "new_association", &newAssociationPage{Form: f})
}

// createAssociation founds an association whose first board member is the
// viewer, and shows its page.
func (s *server) createAssociation(w http.ResponseWriter, r *http.Request) {
	acc, ok := s.mayCreate(w, r)
	if !ok {
		return
	}
	f, err := readForm(r, newAssociationFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		a, err := s.members.CreateAssociation(r.Context(), acc, membership.NewAssociation{
			Name: f.Value("name"), DisplayName: f.Value("display_name"), Summary: f.Value("summary"),
			Statutes: f.Value("statutes"), Currency: f.Value("currency"),
		})
		if err == nil {
			redirect(w, r, "/@"+a.Name)
			return
		}
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, f.Status(), "new_association", &newAssociationPage{Form: f})
}
