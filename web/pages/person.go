package pages

import (
	"errors"
	"net/http"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/auth"
)

type personPage struct {
	frame
	Person       membership.Account
	Host         string
	Associations []store.AssociationMembership
	// Elsewhere are the person's memberships of associations on other
	// instances, shown to themselves only.
	Elsewhere []membership.MembershipElsewhere
	Profile   profileView
	// Work is the person's verified work and Rights their rights to
	// reallocate; both nil when this instance runs no projects.
	Work   []recognitionView
	Rights []rightView
	Self   bool
	Done   string
	// Governance: this instance runs proposals; a person's own page links
	// their voting instructions in each association.
	Governance bool
}

// showPerson shows a local person's profile and the associations they
// belong to. Memberships of associations that show their members to
// members only are left out, except for the person themselves.
func (s *server) showPerson(w http.ResponseWriter, r *http.Request, name string) {
	s.showPersonWith(w, r, http.StatusOK, name, nil)
}

// showPersonWith shows the person, with failed, the reallocation form
// that went wrong, if any.
func (s *server) showPersonWith(w http.ResponseWriter, r *http.Request, status int, name string, failed *reallocationForm) {
	ctx := r.Context()
	acc, err := s.members.Account(ctx, name)
	switch {
	case errors.Is(err, membership.ErrNoSuchAccount) || err == nil && acc.Status != membership.AccountActive:
		s.notFound(w, r)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	list, err := s.members.AssociationsOf(ctx, acc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	viewer := auth.Account(ctx)
	self := viewer != nil && viewer.ID == acc.ID
	actor, err := s.members.LocalActor(ctx, acc.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &personPage{Person: acc, Host: s.cfg.Server.Host, Profile: profileOf(actor, acc.DisplayName)}
	for _, m := range list {
		if m.Status != membership.MemberActive {
			continue
		}
		if !self {
			a, err := s.members.Association(ctx, m.Name)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if a.Settings.Visibility != membership.VisibilityPublic {
				continue
			}
		}
		p.Associations = append(p.Associations, m)
	}
	p.Self, p.Governance = self, s.governance != nil
	if self {
		if p.Elsewhere, err = s.elsewhere(ctx, acc); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if s.projects != nil {
		if err := s.recognition(r, p, failed); err != nil {
			s.fail(w, r, err)
			return
		}
		p.Done = doneParam(r, "reallocated")
	}
	s.render(w, r, status, "person", p)
}
