package pages

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// partnerFields are the fields of the partners page's forms.
var partnerFields = []string{"action", "target"}

// partnersPage lists an association's partners; the board also sees the
// partnerships asked and offered, a form to add a partner and a button to
// end each partnership.
type partnersPage struct {
	frame
	Association membership.Association
	Partners    []partnerView
	Board       bool
	Next        string
	Done        string // "added" or "ended" after the board's action
	Form        *form
}

// partnerView is a partner with the page of its profile here.
type partnerView struct {
	membership.Partner
	Path string
	Acct string // as the button ending it sends it: name@host
}

func (s *server) partnersPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showPartners(w, r, http.StatusOK, a, &partnersPage{Done: doneParam(r, "added", "ended"), Form: newForm(partnerFields...)})
}

// showPartners renders the page; core decides what the viewer sees.
func (s *server) showPartners(w http.ResponseWriter, r *http.Request, status int, a membership.Association, p *partnersPage) {
	var after uuid.UUID
	if c := r.URL.Query().Get("after"); c != "" {
		if id, err := uuid.Parse(c); err == nil {
			after = id
		}
	}
	list, err := s.members.Partners(r.Context(), auth.Account(r.Context()), a.Name, after, membership.MaxPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Association, p.Board = a, list.Board
	for _, item := range list.Items {
		v := partnerView{Partner: item, Path: "/@" + item.Username, Acct: item.Acct()}
		if !item.Local {
			v.Path += "@" + item.Host
		}
		p.Partners = append(p.Partners, v)
	}
	if list.Next != uuid.Nil {
		p.Next = list.Next.String()
	}
	s.render(w, r, status, "partners", p)
}

// changePartners applies the board's adding of a partner, or its ending of
// a partnership, then goes back to the list.
func (s *server) changePartners(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := "/@" + a.Name + "/partners"
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, back)
		return
	}
	f, err := readForm(r, partnerFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		target, done := strings.TrimSpace(f.Value("target")), ""
		switch f.Value("action") {
		case "add":
			_, err = s.members.AddPartner(ctx, acc, a.Name, target)
			err, done = onField(err, "target"), "added"
		case "end":
			err, done = s.members.EndPartnership(ctx, acc, a.Name, target), "ended"
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if err == nil {
			redirect(w, r, back+"?done="+done)
			return
		}
		e, _ := core.As(err)
		if e != nil && (e.Code == "board-only" || e.Code == membership.ErrNotAllowed.Code) || !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	if e, ok := f.Errors["action"]; ok {
		delete(f.Errors, "action")
		f.Problems = append(f.Problems, e)
	}
	s.showPartners(w, r, f.Status(), a, &partnersPage{Form: f})
}
