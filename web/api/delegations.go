package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/web/auth"
)

// delegationsJSON is a member's standing voting instructions in an
// association: per scope ("" for every category, or a category, which
// overrides it), the delegates to follow in order when they cast no
// ballot themselves.
type delegationsJSON struct {
	Association string     `json:"association"`
	Rules       []ruleJSON `json:"rules"`
}

// ruleJSON is one scope's delegates: members by their actor id, or roles
// (board, treasurer: whoever holds them when the vote is counted).
type ruleJSON struct {
	Scope     string                   `json:"scope"`
	Delegates []governance.DelegateRef `json:"delegates"`
}

type delegationsRequest struct {
	Rules []ruleJSON `json:"rules"`
}

func renderDelegations(association string, rules []governance.VotingRule) delegationsJSON {
	out := delegationsJSON{Association: association, Rules: make([]ruleJSON, len(rules))}
	for i, r := range rules {
		out.Rules[i] = ruleJSON{Scope: r.Scope, Delegates: r.Delegates}
		if out.Rules[i].Delegates == nil {
			out.Rules[i].Delegates = []governance.DelegateRef{}
		}
	}
	return out
}

func (h *handlers) getDelegations(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		fail(w, r, err)
		return
	}
	rules, err := h.governance.Instructions(r.Context(), acc, a.Name)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderDelegations(a.Name, rules))
}

// putDelegations replaces the caller's voting instructions; they apply at
// once to every open vote. No rules: the caller follows nobody.
func (h *handlers) putDelegations(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in delegationsRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	rules := make([]governance.VotingRule, len(in.Rules))
	for i, rl := range in.Rules {
		rules[i] = governance.VotingRule{Scope: rl.Scope, Delegates: rl.Delegates}
	}
	a, err := h.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		fail(w, r, err)
		return
	}
	out, err := h.governance.SetInstructions(r.Context(), acc, a.Name, rules)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderDelegations(a.Name, out))
}
