package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/api"
)

// TestProposals_BadInputCreatesNothing: every refused proposal says what
// is wrong and where, and opens nothing.
func TestProposals_BadInputCreatesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		task := c.task(t, c.project(t), "300.00", "")
		alloc := func(fields string) string {
			return `{"category": "budget_allocation", "title": "Fund it", "actions": [{"kind": "allocate", ` + fields + `}]}`
		}
		eleven := `["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]`
		actions := make([]string, 21)
		for i := range actions {
			actions[i] = fmt.Sprintf(`{"kind": "allocate", "task": %q, "amount": "1.00"}`, task.ID)
		}
		tests := []struct {
			name, token, body string
			status            int
			code              string
			fields            map[string]string
		}{
			{"no title", c.carolTok, `{"category": "general"}`, 400, "invalid-input", map[string]string{"title": "required"}},
			{"title too long", c.carolTok, `{"category": "general", "title": "` + strings.Repeat("t", 201) + `"}`, 400, "invalid-input", map[string]string{"title": "too-long"}},
			{"unknown category", c.carolTok, `{"category": "picnic", "title": "x"}`, 400, "invalid-input", map[string]string{"category": "invalid-choice"}},
			{"one option", c.carolTok, `{"category": "general", "title": "x", "options": ["only"]}`, 400, "invalid-input", map[string]string{"options": "option-count"}},
			{"eleven options", c.carolTok, `{"category": "general", "title": "x", "options": ` + eleven + `}`, 400, "invalid-input", map[string]string{"options": "option-count"}},
			{"the same option twice", c.carolTok, `{"category": "general", "title": "x", "options": ["North", "north"]}`, 400, "invalid-input", map[string]string{"options": "duplicate-option"}},
			{"alternatives and an action", c.carolTok, fmt.Sprintf(`{"category": "budget_allocation", "title": "x", "options": ["a", "b"], "actions": [{"kind": "allocate", "task": %q, "amount": "1.00"}]}`, task.ID), 400, "invalid-input", map[string]string{"options": "options-with-actions"}},
			{"21 actions", c.carolTok, `{"category": "budget_allocation", "title": "x", "actions": [` + strings.Join(actions, ", ") + `]}`, 400, "too-many", map[string]string{"actions": "too-many"}},
			{"unknown action", c.carolTok, `{"category": "general", "title": "x", "actions": [{"kind": "dissolve"}]}`, 400, "invalid-input", map[string]string{"actions[0]": "unknown-action"}},
			{"action of another category", c.carolTok, fmt.Sprintf(`{"category": "general", "title": "x", "actions": [{"kind": "allocate", "task": %q, "amount": "1.00"}]}`, task.ID), 400, "invalid-input", map[string]string{"actions[0]": "wrong-category"}},
			{"malformed task id", c.carolTok, alloc(`"task": "routers", "amount": "1.00"`), 400, "invalid-input", map[string]string{"actions[0].task": "invalid-id"}},
			{"no such task", c.carolTok, alloc(`"task": "0190a0a0-0000-7000-8000-000000000000", "amount": "1.00"`), 400, "invalid-input", map[string]string{"actions[0]": "task-not-found"}},
			{"bad amount", c.carolTok, alloc(fmt.Sprintf(`"task": %q, "amount": "-5"`, task.ID)), 400, "invalid-input", map[string]string{"actions[0]": "invalid-amount"}},
			{"amount as a number", c.carolTok, alloc(fmt.Sprintf(`"task": %q, "amount": 5`, task.ID)), 400, "wrong-type", map[string]string{"actions.amount": "wrong-type"}},
			{"an author named in the body", c.carolTok, `{"category": "general", "title": "x", "author": "` + c.uri(c.board) + `"}`, 400, "unknown-field", map[string]string{"author": "unknown-field"}},
			{"options as text", c.carolTok, `{"category": "general", "title": "x", "options": "a, b"}`, 400, "wrong-type", map[string]string{"options": "wrong-type"}},
			{"malformed", c.carolTok, `{"category": "general", "title": "x",}`, 400, "malformed-json", nil},
			{"anonymous", "", `{"category": "general", "title": "x"}`, 401, "unauthenticated", nil},
			{"not a member", c.outsiderTok, `{"category": "general", "title": "x"}`, 403, "members-only", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := e.post("/associations/"+c.name+"/proposals", tt.token, tt.body).problem(t, tt.status, tt.code)
				if tt.fields != nil {
					sameFields(t, p, tt.fields)
				}
				var page struct{ Items []apiProposal }
				e.get("/associations/"+c.name+"/proposals", "").ok(t, http.StatusOK, "ProposalPage", &page)
				if len(page.Items) != 0 {
					t.Fatalf("a refused proposal was opened: %+v", page.Items)
				}
			})
		}
		e.post("/associations/nowhere/proposals", c.carolTok, `{"category": "general", "title": "x"}`).problem(t, http.StatusNotFound, "association-not-found")
		for _, q := range []string{"?phase=closed", "?category=picnic", "?cursor=x", "?limit=201"} {
			e.get("/associations/"+c.name+"/proposals"+q, "").problem(t, http.StatusBadRequest, "invalid-input")
		}
		e.get("/associations/nowhere/proposals", "").problem(t, http.StatusNotFound, "association-not-found")
		e.get("/proposals/0190a0a0-0000-7000-8000-000000000000", "").problem(t, http.StatusNotFound, "proposal-not-found")
		e.get("/proposals/shed/tally", "").problem(t, http.StatusNotFound, "proposal-not-found")
	})
}

// needsProposal reads the proposal a refusal carries and checks it is
// ready to send.
func needsProposal(t *testing.T, r reply, status int, code string) (href, body string) {
	t.Helper()
	r.problem(t, status, code)
	var p struct {
		Proposal *struct {
			Method, Href string
			Body         json.RawMessage
		}
	}
	if err := json.Unmarshal(r.body, &p); err != nil || p.Proposal == nil || p.Proposal.Method != http.MethodPost ||
		!strings.HasPrefix(p.Proposal.Href, api.Prefix+"/associations/") {
		t.Fatalf("the refusal carries no proposal to send: %s", r.body)
	}
	return strings.TrimPrefix(p.Proposal.Href, api.Prefix), string(p.Proposal.Body)
}

// TestNeedsProposal_TheRefusalCarriesTheProposal: an allocation above
// what the board may do alone, and a project's evaluation where the board
// may not evaluate, are refused with the proposal that would decide them,
// which is accepted as it is.
func TestNeedsProposal_TheRefusalCarriesTheProposal(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "1h", "1h")
		task := c.task(t, c.project(t), "900.00", "")
		c.donate(t, `{"amount": "1000.00", "target": "general"}`)

		href, body := needsProposal(t, e.post("/associations/"+c.name+"/allocations", c.boardTok,
			fmt.Sprintf(`{"task": %q, "amount": "600.00", "cause": "the routers are ready"}`, task.ID)),
			http.StatusForbidden, "allocation-needs-proposal")
		var p apiProposal
		e.post(href, c.boardTok, body).ok(t, http.StatusCreated, "Proposal", &p)
		if p.Category != "budget_allocation" || p.Body != "the routers are ready" || !strings.Contains(p.Title, "600.00 EUR") ||
			len(p.Actions) != 1 || p.Actions[0].Kind != "allocate" || p.Actions[0].Amount != "600.00" || *p.Actions[0].Task != task.ID {
			t.Fatalf("allocation proposal %+v", p)
		}

		no := false
		e.settings(c.board, c.name, membership.SettingsChange{BoardMayEvaluateProjects: &no})
		var proposed apiProject
		e.post("/associations/"+c.name+"/projects", c.holderTok, `{"name": "Seed library", "licence": "CC-BY-4.0", "architecture": "centralised"}`).
			ok(t, http.StatusCreated, "Project", &proposed)
		href, body = needsProposal(t, e.post("/projects/"+proposed.ID+"/evaluation", c.boardTok, `{"verdict": "reject", "reason": "out of scope"}`),
			http.StatusConflict, "evaluation-needs-proposal")
		e.post(href, c.carolTok, body).ok(t, http.StatusCreated, "Proposal", &p)
		if p.Category != "project_evaluation" || p.Body != "out of scope" || len(p.Actions) != 1 ||
			p.Actions[0].Kind != "reject_project" || *p.Actions[0].Project != proposed.ID || *p.Project != proposed.ID {
			t.Fatalf("evaluation proposal %+v", p)
		}
		// Other refusals carry none.
		r := e.post("/projects/"+proposed.ID+"/evaluation", c.carolTok, `{"verdict": "accept"}`)
		r.problem(t, http.StatusForbidden, "board-only")
		if strings.Contains(string(r.body), `"proposal"`) {
			t.Fatalf("a refusal no proposal overcomes carries one: %s", r.body)
		}
	})
}
