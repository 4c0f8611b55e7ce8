package pages

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// followRequestsPage lists, for the board, the follows of the association
// waiting for its approval.
type followRequestsPage struct {
	frame
	Association membership.Association
	Requests    []membership.FollowRequest
	Next        string
	Done        string // "accepted" or "rejected" after an answer
	Form        *form
}

func (s *server) followRequests(w http.ResponseWriter, r *http.Request) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/@"+a.Name+"/followers/requests")
		return
	}
	done := r.URL.Query().Get("done")
	if done != membership.FollowAccepted && done != membership.FollowRejected {
		done = ""
	}
	s.showFollowRequests(w, r, http.StatusOK, acc, a, &followRequestsPage{Done: done, Form: newForm()})
}

// showFollowRequests renders the page; core refuses anyone but the board.
func (s *server) showFollowRequests(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, a membership.Association, p *followRequestsPage) {
	var after uuid.UUID
	if c := r.URL.Query().Get("after"); c != "" {
		if id, err := uuid.Parse(c); err == nil {
			after = id
		}
	}
	list, next, err := s.members.FollowRequests(r.Context(), acc, a.Name, after, membership.MaxPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Association, p.Requests = a, list
	if next != uuid.Nil {
		p.Next = next.String()
	}
	s.render(w, r, status, "follow_requests", p)
}

// answerFollowRequest applies a board member's answer to one request.
func (s *server) answerFollowRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := "/@" + a.Name + "/followers/requests"
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, back)
		return
	}
	f, err := readForm(r, []string{"action"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		id, perr := uuid.Parse(chi.URLParam(r, "id"))
		switch action := f.Value("action"); {
		case perr != nil:
			err = membership.ErrNoSuchFollowRequest
		case action == "accept" || action == "reject":
			var answered membership.FollowRequest
			answered, err = s.members.AnswerFollowRequest(ctx, acc, a.Name, id, action == "accept")
			if err == nil {
				redirect(w, r, back+"?done="+answered.State)
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
	s.showFollowRequests(w, r, f.Status(), acc, a, &followRequestsPage{Form: f})
}
