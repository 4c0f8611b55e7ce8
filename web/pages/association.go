package pages

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type associationPage struct {
	frame
	Association membership.Association
	Statutes    []string // paragraphs
	MemberCount int
	Membership  *membership.Member // the viewer's, if any
	Form        *form              // problems of a join or leave
	Profile     profileView
	News        *timelineView // its notes and boosts
	Compose     *composeView  // for its board: post as the association
	Done        string
	Projects    bool // this instance runs projects: link them, the tasks and the ledger
	Governance  bool // and proposals: link the decisions and, for members, the forms
	Audit       bool // the viewer may read the board's actions: link them
	Events      bool // this instance runs agendas: link the association's
	// Location is where the association is, nil when it says nothing;
	// OnMap that the network's map shows it.
	Location *membership.Location
	OnMap    bool
}

// profile shows the association or the person named in the address: both
// share one name space.
func (s *server) profile(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	if username, host, remote := strings.Cut(name, "@"); remote {
		s.showRemote(w, r, username, host)
		return
	}
	a, err := s.members.Association(r.Context(), name)
	switch {
	case err == nil:
		s.showAssociation(w, r, http.StatusOK, a, newForm())
	case errors.Is(err, membership.ErrNoSuchAssociation):
		s.showPerson(w, r, name)
	default:
		s.fail(w, r, err)
	}
}

func (s *server) showAssociation(w http.ResponseWriter, r *http.Request, status int, a membership.Association, f *form) {
	ctx := r.Context()
	n, err := s.members.MemberCount(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor, err := s.members.LocalActor(ctx, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &associationPage{Association: a, Statutes: paragraphs(a.Statutes), MemberCount: n, Form: f, Profile: profileOf(actor, a.DisplayName),
		Projects: s.projects != nil, Governance: s.governance != nil,
		Events: s.events != nil}
	if p.Location, err = s.members.AssociationLocation(ctx, a.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	p.OnMap = p.Events && p.Location != nil && p.Location.Latitude != nil && a.Settings.Visibility == membership.VisibilityPublic
	if viewer := auth.Account(ctx); viewer != nil {
		m, err := s.members.Membership(ctx, *viewer, a.Name)
		switch {
		case err == nil:
			p.Membership = &m
		case !errors.Is(err, membership.ErrNoSuchMember):
			s.fail(w, r, err)
			return
		}
	}
	if s.audit != nil {
		if p.Audit, err = s.audit.MayRead(ctx, auth.Account(ctx), a.Name); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if s.news != nil {
		if p.Compose, p.News, err = s.associationNews(r, a, p.Membership != nil && p.Membership.IsBoard()); err != nil {
			s.fail(w, r, err)
			return
		}
		p.Done = doneParam(r, "posted")
	}
	s.render(w, r, status, "association", p)
}

// join asks to become a member: at once, or on the board's approval.
func (s *server) join(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, func(acc membership.Account, name string) error {
		_, err := s.members.Join(r.Context(), acc, name)
		return err
	})
}

// leave ends the viewer's membership, or withdraws a pending request.
func (s *server) leave(w http.ResponseWriter, r *http.Request) {
	s.memberAction(w, r, func(acc membership.Account, name string) error {
		return s.members.Leave(r.Context(), acc, name)
	})
}

// memberAction runs a join or a leave and goes back to the association's
// page, which shows what went wrong, if anything.
func (s *server) memberAction(w http.ResponseWriter, r *http.Request, act func(membership.Account, string) error) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/@"+a.Name)
		return
	}
	if err := act(acc, a.Name); err != nil {
		f := newForm()
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
		s.showAssociation(w, r, f.Status(), a, f)
		return
	}
	redirect(w, r, "/@"+a.Name)
}
