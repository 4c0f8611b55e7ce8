package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// Governance is what the API needs of the governance service: proposals
// and their register, ballots, tallies, and voting instructions. The
// service checks who may act; who may read is checked here (readable).
type Governance interface {
	Propose(ctx context.Context, by membership.Account, name string, in governance.ProposalInput) (governance.Proposal, error)
	Withdraw(ctx context.Context, by membership.Account, id uuid.UUID) (governance.Proposal, error)
	Proposal(ctx context.Context, id uuid.UUID) (governance.Proposal, error)
	Register(ctx context.Context, name string, f governance.RegisterFilter, before uuid.UUID, limit int) ([]governance.Proposal, uuid.UUID, error)
	Phases(ctx context.Context, id uuid.UUID) ([]governance.PhaseRecord, error)
	Association(ctx context.Context, id uuid.UUID) (membership.Association, error)
	ProposalURI(id uuid.UUID) string

	Vote(ctx context.Context, by membership.Account, id uuid.UUID, in governance.BallotInput) (governance.Cast, error)
	Ballot(ctx context.Context, id uuid.UUID, phase, actor string) (governance.Cast, error)
	Ballots(ctx context.Context, id uuid.UUID, phase string, after int32, limit int) ([]governance.Cast, int32, error)
	Tally(ctx context.Context, id uuid.UUID) (governance.Tally, error)
	VoteOf(ctx context.Context, actor string, id uuid.UUID) (governance.VoteUse, error)

	SetInstructions(ctx context.Context, by membership.Account, name string, rules []governance.VotingRule) ([]governance.VotingRule, error)
	Instructions(ctx context.Context, by membership.Account, name string) ([]governance.VotingRule, error)
}

func (h *handlers) routeGovernance(r chi.Router) {
	r.Post("/associations/{name}/proposals", h.propose)
	r.Get("/associations/{name}/proposals", h.listProposals)
	r.Get("/proposals/{id}", h.getProposal)
	r.Post("/proposals/{id}/withdraw", h.withdrawProposal)

	r.Post("/proposals/{id}/ballots", h.castBallot)
	r.Get("/proposals/{id}/ballots", h.listBallots)
	r.Get("/proposals/{id}/ballots/me", h.myBallot)
	r.Get("/proposals/{id}/tally", h.getTally)

	r.Get("/associations/{name}/delegations/me", h.getDelegations)
	r.Put("/associations/{name}/delegations/me", h.putDelegations)
}

// errMembersOnly refuses a reader who is not a member of an association
// that keeps its decisions to its members.
var errMembersOnly = core.New(core.KindForbidden, "members-only",
	"this association shows its proposals, ballots and delegations to its members only")

// readable checks that viewer (nil: anonymous) may read association a's
// proposals, ballots, tallies and delegations (DESIGN §1.3): anyone when
// the association is public, its active members otherwise.
func (h *handlers) readable(ctx context.Context, viewer *membership.Account, a membership.Association) error {
	if a.Settings.Visibility != membership.VisibilityMembers {
		return nil
	}
	if viewer == nil {
		return errMembersOnly
	}
	m, err := h.members.Membership(ctx, *viewer, a.Name)
	switch {
	case errors.Is(err, membership.ErrNoSuchMember):
		return errMembersOnly
	case err != nil:
		return err
	case m.Status != membership.MemberActive:
		return errMembersOnly // a request to join is not membership yet
	}
	return nil
}

// readableAssociation returns association {name} if the caller may read
// its decisions.
func (h *handlers) readableAssociation(w http.ResponseWriter, r *http.Request) (membership.Association, bool) {
	a, err := h.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err == nil {
		err = h.readable(r.Context(), auth.Account(r.Context()), a)
	}
	if err != nil {
		fail(w, r, err)
		return membership.Association{}, false
	}
	return a, true
}

// readableProposal returns proposal {id} and its association if the
// caller may read them.
func (h *handlers) readableProposal(w http.ResponseWriter, r *http.Request) (governance.Proposal, membership.Association, bool) {
	id, ok := pathID(w, r, governance.ErrNoSuchProposal)
	if !ok {
		return governance.Proposal{}, membership.Association{}, false
	}
	p, err := h.governance.Proposal(r.Context(), id)
	var a membership.Association
	if err == nil {
		a, err = h.governance.Association(r.Context(), p.AssociationID)
	}
	if err == nil {
		err = h.readable(r.Context(), auth.Account(r.Context()), a)
	}
	if err != nil {
		fail(w, r, err)
		return governance.Proposal{}, membership.Association{}, false
	}
	return p, a, true
}
