package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

type apiDelegations struct {
	Association string
	Rules       []struct {
		Scope     string
		Delegates []struct{ Actor, Role string }
	}
}

// rules is a PUT body giving one rule for every category to delegates,
// each an actor id or "role:NAME".
func rules(delegates ...string) string {
	list := make([]string, len(delegates))
	for i, d := range delegates {
		if role, ok := strings.CutPrefix(d, "role:"); ok {
			list[i] = fmt.Sprintf(`{"role": %q}`, role)
		} else {
			list[i] = fmt.Sprintf(`{"actor": %q}`, d)
		}
	}
	return `{"rules": [{"scope": "", "delegates": [` + strings.Join(list, ", ") + `]}]}`
}

// TestDelegations_ChainsInBallotsAndTally: voting instructions are set and
// read through the API; a member without a ballot follows their chain of
// delegates, which ballots/me shows them, and the tally names who carries
// how many votes. A direct ballot overrides the delegation; a circle is
// accepted and counts for nothing.
func TestDelegations_ChainsInBallotsAndTally(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		dave, daveTok := e.person("dave")
		e.join(dave, c.name)
		erin, erinTok := e.person("erin")
		e.join(erin, c.name)
		path := "/associations/" + c.name + "/delegations/me"

		var none apiDelegations
		e.get(path, c.carolTok).ok(t, http.StatusOK, "Delegations", &none)
		if none.Association != c.name || len(none.Rules) != 0 {
			t.Fatalf("no instructions yet: %+v", none)
		}
		// carol → holder → treasurer; dave → the treasurer, as a role.
		var got apiDelegations
		e.do(request{method: http.MethodPut, path: path, token: c.carolTok, body: rules(c.uri(c.holder))}).ok(t, http.StatusOK, "Delegations", &got)
		if len(got.Rules) != 1 || got.Rules[0].Scope != "" || got.Rules[0].Delegates[0].Actor != c.uri(c.holder) {
			t.Fatalf("instructions %+v", got)
		}
		e.do(request{method: http.MethodPut, path: path, token: c.holderTok,
			body: `{"rules": [{"scope": "general", "delegates": [{"actor": "` + c.uri(c.treasurer) + `"}]}]}`}).ok(t, http.StatusOK, "Delegations", nil)
		e.do(request{method: http.MethodPut, path: path, token: daveTok, body: rules("role:treasurer")}).ok(t, http.StatusOK, "Delegations", nil)
		e.get(path, c.holderTok).ok(t, http.StatusOK, "Delegations", &got)
		if len(got.Rules) != 1 || got.Rules[0].Scope != "general" {
			t.Fatalf("holder's instructions %+v", got)
		}
		// erin and the founder follow each other: a circle, accepted.
		e.do(request{method: http.MethodPut, path: path, token: erinTok, body: rules(c.uri(c.board))}).ok(t, http.StatusOK, "Delegations", nil)
		e.do(request{method: http.MethodPut, path: path, token: c.boardTok, body: rules(c.uri(erin))}).ok(t, http.StatusOK, "Delegations", nil)

		p := c.propose(t, c.carolTok, `{"category": "general", "title": "Open on Sundays"}`)
		c.vote(t, c.treasurerTok, p.ID, `{"position": "agree"}`, http.StatusCreated)

		carol := c.myVote(t, c.carolTok, p.ID)
		if carol.Ballot != nil || !carol.Counted || !carol.Eligible || carol.Voter != c.uri(c.carol) ||
			!slices.Equal(carol.Chain, []string{c.uri(c.carol), c.uri(c.holder), c.uri(c.treasurer)}) {
			t.Fatalf("carol's vote %+v", carol)
		}
		if d := c.myVote(t, daveTok, p.ID); !slices.Equal(d.Chain, []string{c.uri(dave), c.uri(c.treasurer)}) {
			t.Fatalf("dave's vote %+v", d)
		}
		treasurer := c.myVote(t, c.treasurerTok, p.ID)
		if treasurer.Ballot == nil || *treasurer.Ballot.Position != "agree" || treasurer.Carried != 3 ||
			!slices.Equal(treasurer.Chain, []string{c.uri(c.treasurer)}) {
			t.Fatalf("treasurer's vote %+v", treasurer)
		}
		if v := c.myVote(t, erinTok, p.ID); v.Counted || len(v.Chain) != 0 || !v.Eligible {
			t.Fatalf("a circle counts for nothing: %+v", v)
		}
		tl := c.tally(t, p.ID)
		if tl.Count.Participants != 4 || tl.Count.Direct != 1 || tl.Count.Delegated != 3 || tl.Count.Positions.Agree != 4 ||
			tl.CarrierCount != 2 || len(tl.Carriers) != 2 ||
			tl.Carriers[0].Actor != c.uri(c.treasurer) || tl.Carriers[0].Carried != 3 || !tl.Carriers[0].Direct ||
			tl.Carriers[1].Actor != c.uri(c.holder) || tl.Carriers[1].Carried != 1 || tl.Carriers[1].Direct {
			t.Fatalf("tally %+v", tl)
		}

		// The holder's own ballot overrides their delegation, at once.
		c.vote(t, c.holderTok, p.ID, `{"position": "object"}`, http.StatusCreated)
		if v := c.myVote(t, c.carolTok, p.ID); !slices.Equal(v.Chain, []string{c.uri(c.carol), c.uri(c.holder)}) {
			t.Fatalf("carol's vote after the holder's ballot %+v", v)
		}
		// Dropping every rule: carol follows nobody.
		e.do(request{method: http.MethodPut, path: path, token: c.carolTok, body: `{"rules": []}`}).ok(t, http.StatusOK, "Delegations", &got)
		if v := c.myVote(t, c.carolTok, p.ID); len(got.Rules) != 0 || v.Counted {
			t.Fatalf("after dropping her rules: %+v, %+v", got, v)
		}
	})
}

// TestDelegations_Refusals: what PUT delegations/me refuses, and that a
// refusal changes nothing.
func TestDelegations_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		path := "/associations/" + c.name + "/delegations/me"
		e.do(request{method: http.MethodPut, path: path, token: c.carolTok, body: rules(c.uri(c.holder))}).ok(t, http.StatusOK, "Delegations", nil)
		before := e.get(path, c.carolTok).body
		eleven := make([]string, 11)
		for i := range eleven {
			eleven[i] = fmt.Sprintf("https://elsewhere.example/actors/m%d", i)
		}
		tests := []struct {
			name, token, body string
			status            int
			code              string
			fields            map[string]string
		}{
			{"to oneself", c.carolTok, rules(c.uri(c.carol)), 400, "invalid-input", map[string]string{"rules[0].delegates": "self-delegation"}},
			{"to a non-member", c.carolTok, rules(c.uri(c.outsider)), 400, "invalid-input", map[string]string{"rules[0].delegates": "delegate-not-member"}},
			{"actor and role", c.carolTok, `{"rules": [{"scope": "", "delegates": [{"actor": "` + c.uri(c.holder) + `", "role": "board"}]}]}`, 400, "invalid-input", map[string]string{"rules[0].delegates": "actor-or-role"}},
			{"unknown role", c.carolTok, rules("role:president"), 400, "invalid-input", map[string]string{"rules[0].delegates": "invalid-role"}},
			{"not an actor id", c.carolTok, rules("holder"), 400, "invalid-input", map[string]string{"rules[0].delegates": "not-a-url"}},
			{"unknown scope", c.carolTok, `{"rules": [{"scope": "picnics", "delegates": [{"role": "board"}]}]}`, 400, "invalid-input", map[string]string{"rules[0].scope": "invalid-choice"}},
			{"a scope twice", c.carolTok, `{"rules": [{"scope": "", "delegates": [{"role": "board"}]}, {"scope": "", "delegates": [{"role": "treasurer"}]}]}`, 400, "invalid-input", map[string]string{"rules[1].scope": "duplicate-scope"}},
			{"eleven delegates", c.carolTok, rules(eleven...), 400, "invalid-input", map[string]string{"rules[0].delegates": "too-many"}},
			{"unknown field of a delegate", c.carolTok, `{"rules": [{"scope": "", "delegates": [{"member": "x"}]}]}`, 400, "unknown-field", map[string]string{"member": "unknown-field"}},
			{"anonymous", "", rules(c.uri(c.holder)), 401, "unauthenticated", nil},
			{"not a member", c.outsiderTok, rules(c.uri(c.holder)), 403, "members-only", nil},
			{"no rules: follow nobody", c.carolTok, `{}`, 200, "", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(request{method: http.MethodPut, path: path, token: tt.token, body: tt.body})
				if tt.status == http.StatusOK {
					r.ok(t, http.StatusOK, "Delegations", nil)
					return
				}
				p := r.problem(t, tt.status, tt.code)
				if tt.fields != nil {
					sameFields(t, p, tt.fields)
				}
				if after := e.get(path, c.carolTok).body; string(after) != string(before) {
					t.Fatalf("a refused change changed the instructions: %s", after)
				}
			})
		}
		e.get(path, "").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.get(path, c.outsiderTok).problem(t, http.StatusForbidden, "members-only")
		e.get("/associations/nowhere/delegations/me", c.carolTok).problem(t, http.StatusNotFound, "association-not-found")
	})
}
