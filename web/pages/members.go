package pages

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type membersPage struct {
	frame
	Association membership.Association
	Active      []membership.Member
	Pending     []membership.Member // shown to the board only
	Board       bool                // the viewer is on the board
	Roles       []string
	Next        string
	Form        *form
}

func (s *server) memberList(w http.ResponseWriter, r *http.Request) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showMembers(w, r, http.StatusOK, a, newForm())
}

// showMembers lists the members; core decides who sees what (pending
// requests for the board, nothing for outsiders of a private association).
func (s *server) showMembers(w http.ResponseWriter, r *http.Request, status int, a membership.Association, f *form) {
	ctx := r.Context()
	var after uuid.UUID
	if c := r.URL.Query().Get("after"); c != "" {
		if id, err := uuid.Parse(c); err == nil {
			after = id
		}
	}
	viewer := auth.Account(ctx)
	list, next, err := s.members.Members(ctx, viewer, a.Name, after, membership.MaxPageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &membersPage{Association: a, Roles: membership.Roles, Form: f}
	if next != uuid.Nil {
		p.Next = next.String()
	}
	if viewer != nil {
		m, err := s.members.Membership(ctx, *viewer, a.Name)
		switch {
		case err == nil:
			p.Board = m.IsBoard()
		case !errors.Is(err, membership.ErrNoSuchMember):
			s.fail(w, r, err)
			return
		}
	}
	for _, m := range list {
		if m.Status == membership.MemberPending {
			p.Pending = append(p.Pending, m)
		} else {
			p.Active = append(p.Active, m)
		}
	}
	s.render(w, r, status, "members", p)
}

// Actions of the board on a membership, as the members page posts them.
const (
	actionApprove = "approve"
	actionRefuse  = "refuse"
	actionRole    = "role"
	actionSuspend = "suspend"
	actionRestore = "restore"
)

// changeMember applies a board member's decision on one membership.
func (s *server) changeMember(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := "/@" + a.Name + "/members"
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, back)
		return
	}
	f, err := readForm(r, []string{"action", "role", "reason"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	username := chi.URLParam(r, "username")
	if !f.Invalid() {
		yes, no := true, false
		active := membership.MemberActive
		switch f.Value("action") {
		case actionApprove:
			_, err = s.members.UpdateMember(ctx, acc, a.Name, username, membership.MemberChange{Status: &active})
		case actionRefuse:
			err = s.members.RefuseMember(ctx, acc, a.Name, username)
		case actionRole:
			role := f.Value("role")
			_, err = s.members.UpdateMember(ctx, acc, a.Name, username, membership.MemberChange{Role: &role})
		case actionSuspend:
			reason := f.Value("reason")
			_, err = s.members.UpdateMember(ctx, acc, a.Name, username, membership.MemberChange{VotingSuspended: &yes, SuspensionReason: &reason})
		case actionRestore:
			_, err = s.members.UpdateMember(ctx, acc, a.Name, username, membership.MemberChange{VotingSuspended: &no})
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if err == nil {
			redirect(w, r, back)
			return
		}
		if core.KindOf(err) == core.KindForbidden {
			s.fail(w, r, err)
			return
		}
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	// The page lists every member, so the errors show above the list.
	for name, fe := range f.Errors {
		delete(f.Errors, name)
		f.Problems = append(f.Problems, fe)
	}
	s.showMembers(w, r, f.Status(), a, f)
}
