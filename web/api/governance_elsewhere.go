package api

import (
	"context"
	"net/http"
	"sort"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// VotesElsewhere is what voting in associations of other instances needs
// (governance.Service): the caller's ballots and voting instructions are
// sent to the association, which counts them, and answer 202 with their
// pending state until it accepts or refuses them (DESIGN §7).
type VotesElsewhere interface {
	VoteElsewhere(ctx context.Context, by membership.Account, association, proposal string, in governance.BallotElsewhere) (governance.SentBallot, error)
	BallotsElsewhere(ctx context.Context, by membership.Account, proposal string) ([]governance.SentBallot, error)
	DelegateElsewhere(ctx context.Context, by membership.Account, association string, rules []governance.VotingRule) ([]governance.SentDelegation, error)
	DelegationsElsewhere(ctx context.Context, by membership.Account, association string) ([]governance.SentDelegation, error)
}

// routeVotesElsewhere serves the caller's ballots and instructions in an
// association elsewhere, named name@host, that they are a member of.
func (h *handlers) routeVotesElsewhere(r chi.Router) {
	r.Post("/accounts/me/memberships/{association}/ballots", h.voteElsewhere)
	r.Get("/accounts/me/memberships/{association}/ballots", h.listBallotsElsewhere)
	r.Put("/accounts/me/memberships/{association}/delegations", h.delegateElsewhere)
	r.Get("/accounts/me/memberships/{association}/delegations", h.listDelegationsElsewhere)
}

// sentBallotJSON is a ballot sent to an association elsewhere: pending
// until it answers, then accepted or rejected (refusal says why).
type sentBallotJSON struct {
	ID          string         `json:"id"`
	URI         string         `json:"uri"`
	Association string         `json:"association"`
	Proposal    string         `json:"proposal"`
	Phase       string         `json:"phase"`
	Position    *string        `json:"position"`
	Scores      map[string]int `json:"scores"`
	Reason      string         `json:"reason"`
	Status      string         `json:"status"`
	Refusal     string         `json:"refusal"`
	UpdatedAt   string         `json:"updated_at"`
}

func renderSentBallot(b governance.SentBallot) sentBallotJSON {
	out := sentBallotJSON{ID: b.ID.String(), URI: b.URI, Association: b.Association, Proposal: b.Proposal, Phase: b.Phase,
		Position: optString(b.Position), Reason: b.Reason, Status: b.Status, Refusal: b.Refusal, UpdatedAt: timestamp(b.UpdatedAt)}
	if len(b.Scores) > 0 {
		out.Scores = make(map[string]int, len(b.Scores))
		for _, s := range b.Scores {
			out.Scores[s.Option] = s.Score
		}
	}
	return out
}

// sentDelegationJSON is the caller's instruction for one scope ("" for
// every category) sent to an association elsewhere.
type sentDelegationJSON struct {
	ID          string                   `json:"id"`
	URI         string                   `json:"uri"`
	Association string                   `json:"association"`
	Scope       string                   `json:"scope"`
	Delegates   []governance.DelegateRef `json:"delegates"`
	Status      string                   `json:"status"`
	Refusal     string                   `json:"refusal"`
	UpdatedAt   string                   `json:"updated_at"`
}

func renderSentDelegations(list []governance.SentDelegation) []sentDelegationJSON {
	out := make([]sentDelegationJSON, len(list))
	for i, d := range list {
		out[i] = sentDelegationJSON{ID: d.ID.String(), URI: d.URI, Association: d.Association, Scope: d.Scope,
			Delegates: d.Delegates, Status: d.Status, Refusal: d.Refusal, UpdatedAt: timestamp(d.UpdatedAt)}
		if out[i].Delegates == nil {
			out[i].Delegates = []governance.DelegateRef{}
		}
	}
	return out
}

// ballotElsewhereRequest is a ballot on a proposal elsewhere: a position
// (consensus) or scores by option name (value vote).
type ballotElsewhereRequest struct {
	Proposal string         `json:"proposal"`
	Position string         `json:"position"`
	Scores   map[string]int `json:"scores"`
	Reason   string         `json:"reason"`
}

type delegationsElsewhereRequest struct {
	Rules []struct {
		Scope     string                   `json:"scope"`
		Delegates []governance.DelegateRef `json:"delegates"`
	} `json:"rules"`
}

// associationElsewhere resolves the {association} of the route, name@host,
// to its actor id; one of this instance is refused (its own routes serve
// it).
func (h *handlers) associationElsewhere(r *http.Request) (string, error) {
	name := chi.URLParam(r, "association")
	if h.remote == nil || !isElsewhere(name) {
		return "", membership.ErrNotAnAssociation
	}
	a, err := h.remote.Lookup(r.Context(), name)
	if err != nil {
		return "", err
	}
	if a.Local || a.Kind != membership.ActorGroup {
		return "", membership.ErrNotAnAssociation
	}
	return a.URI, nil
}

// actElsewhere is what every route acting in an association elsewhere
// first needs: the caller's account, the request's body decoded into in
// (unless nil) and the association's actor id. It answers the refusal
// itself and reports false when one of them fails.
func (h *handlers) actElsewhere(w http.ResponseWriter, r *http.Request, in any) (membership.Account, string, bool) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return membership.Account{}, "", false
	}
	if in != nil {
		if err := decode(r, in); err != nil {
			fail(w, r, err)
			return membership.Account{}, "", false
		}
	}
	association, err := h.associationElsewhere(r)
	if err != nil {
		fail(w, r, err)
		return membership.Account{}, "", false
	}
	return acc, association, true
}

// voteElsewhere sends the caller's ballot to the association (202).
func (h *handlers) voteElsewhere(w http.ResponseWriter, r *http.Request) {
	var in ballotElsewhereRequest
	acc, association, ok := h.actElsewhere(w, r, &in)
	if !ok {
		return
	}
	ballot := governance.BallotElsewhere{Position: in.Position, Reason: in.Reason}
	for option, score := range in.Scores {
		ballot.Scores = append(ballot.Scores, governance.NamedScore{Option: option, Score: score})
	}
	sort.Slice(ballot.Scores, func(i, j int) bool { return ballot.Scores[i].Option < ballot.Scores[j].Option })
	b, err := h.votesElsewhere.VoteElsewhere(r.Context(), acc, association, in.Proposal, ballot)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderSentBallot(b))
}

// listBallotsElsewhere lists the caller's ballots on ?proposal=, by phase.
func (h *handlers) listBallotsElsewhere(w http.ResponseWriter, r *http.Request) {
	acc, _, ok := h.actElsewhere(w, r, nil)
	if !ok {
		return
	}
	proposal := r.URL.Query().Get("proposal")
	if proposal == "" {
		fail(w, r, badField("required", "proposal", "give the proposal's id on its instance"))
		return
	}
	list, err := h.votesElsewhere.BallotsElsewhere(r.Context(), acc, proposal)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]sentBallotJSON, len(list))
	for i, b := range list {
		items[i] = renderSentBallot(b)
	}
	writeJSON(w, r, http.StatusOK, newList(items, ""))
}

// delegateElsewhere replaces the caller's voting instructions in the
// association: one Delegation a scope is sent (202).
func (h *handlers) delegateElsewhere(w http.ResponseWriter, r *http.Request) {
	var in delegationsElsewhereRequest
	acc, association, ok := h.actElsewhere(w, r, &in)
	if !ok {
		return
	}
	rules := make([]governance.VotingRule, len(in.Rules))
	for i, x := range in.Rules {
		rules[i] = governance.VotingRule{Scope: x.Scope, Delegates: x.Delegates}
	}
	list, err := h.votesElsewhere.DelegateElsewhere(r.Context(), acc, association, rules)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, newList(renderSentDelegations(list), ""))
}

// listDelegationsElsewhere lists the caller's instructions in the
// association, as sent and answered.
func (h *handlers) listDelegationsElsewhere(w http.ResponseWriter, r *http.Request) {
	acc, association, ok := h.actElsewhere(w, r, nil)
	if !ok {
		return
	}
	list, err := h.votesElsewhere.DelegationsElsewhere(r.Context(), acc, association)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, newList(renderSentDelegations(list), ""))
}
