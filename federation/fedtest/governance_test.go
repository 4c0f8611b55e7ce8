package fedtest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// The governance issue's "done when", on running instances whose own
// scheduler moves the proposals: a budget allocation reaches consensus
// and its allocation is in the ledger by itself; another proposal meets
// an objection, goes to the value vote after its (three-second) round and
// closes with the documented winner: the highest total score.
func TestGovernance_AcrossRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a"})
		a := in[0]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: a, Name: "tina"},
			fedtest.Account{In: a, Name: "sam"})
		ada, tina, sam := users[0], users[1], users[2]
		lap("instances")

		call(t, ada, "POST", "/associations", object{"name": "garden"}, http.StatusCreated)
		call(t, ada, "PATCH", "/associations/garden", object{"board_may_evaluate_projects": true,
			"debate_period": "0s", "consensus_period": "3s", "value_vote_period": "3s"}, http.StatusOK)
		for _, u := range []*fedtest.User{tina, sam} {
			call(t, u, "POST", "/associations/garden/members", nil, http.StatusCreated)
		}
		call(t, ada, "PATCH", "/associations/garden/members/tina", object{"role": "treasurer"}, http.StatusOK)
		project := call(t, ada, "POST", "/associations/garden/projects", object{"name": "Community garden",
			"licence": "CC-BY-SA-4.0", "architecture": "centralised"}, http.StatusCreated)
		projectID, _ := project["id"].(string)
		call(t, ada, "POST", "/projects/"+projectID+"/evaluation", object{"verdict": "accept"}, http.StatusOK)
		task := call(t, ada, "POST", "/projects/"+projectID+"/tasks", object{"name": "Build the raised beds", "category": "other",
			"done_criteria": []string{"four beds"}, "budget": "300.00", "max_reservation": "72h",
			"reviewers": []string{ada.URI()}}, http.StatusCreated)
		taskID, _ := task["id"].(string)
		call(t, tina, "POST", "/associations/garden/donations", object{"amount": "500.00", "currency": "EUR",
			"donor": "Lou", "public_name": true}, http.StatusCreated)
		lap("association, three members, a task, a donation")

		// A budget allocation: everyone agrees; the scheduler adopts it at
		// the end of the round and the ledger shows the allocation.
		funds := call(t, tina, "POST", "/associations/garden/proposals", object{"category": "budget_allocation",
			"title": "Fund the raised beds", "body": "The wood is ordered.",
			"actions": []object{{"kind": "allocate", "task": taskID, "amount": "300.00"}}}, http.StatusCreated)
		fundsID, _ := funds["id"].(string)
		for _, u := range users {
			call(t, u, "POST", "/proposals/"+fundsID+"/ballots", object{"position": "agree"}, http.StatusCreated)
		}
		adopted := phaseBecomes(t, ada, fundsID, "adopted")
		if o, _ := adopted["outcome"].(map[string]any); o["decided_by"] != "consensus" {
			t.Fatalf("the allocation's outcome: %v", adopted["outcome"])
		}
		funding := call(t, ada, "GET", "/tasks/"+taskID+"/funding", nil, http.StatusOK)
		if ds := list(funding, "donations"); len(ds) != 1 || ds[0]["in"] != "300.00" {
			t.Fatalf("the task's funding after the decision: %v", funding)
		}
		lap("consensus adopted the allocation, executed by itself")

		// sam objects: the value vote opens by itself; north has the
		// highest total (5+2+5 = 12 against 6 and 3) and wins.
		compost := call(t, ada, "POST", "/associations/garden/proposals", object{"category": "general",
			"title": "Where does the compost go?", "options": []string{"north", "south", "east"}}, http.StatusCreated)
		compostID, _ := compost["id"].(string)
		call(t, ada, "POST", "/proposals/"+compostID+"/ballots", object{"position": "agree"}, http.StatusCreated)
		call(t, sam, "POST", "/proposals/"+compostID+"/ballots", object{"position": "object",
			"reason": "too close to the well"}, http.StatusCreated)
		phaseBecomes(t, ada, compostID, "value_vote")
		for u, scores := range map[*fedtest.User]object{
			ada:  {"north": 5, "south": 1, "east": 0},
			tina: {"north": 2, "south": 5, "east": 0},
			sam:  {"north": 5, "south": 0, "east": 3},
		} {
			call(t, u, "POST", "/proposals/"+compostID+"/ballots", object{"scores": scores}, http.StatusCreated)
		}
		closed := phaseBecomes(t, ada, compostID, "adopted")
		if o, _ := closed["outcome"].(map[string]any); o["option_name"] != "north" || o["decided_by"] != "value_vote" {
			t.Fatalf("the compost's outcome: %v", closed["outcome"])
		}
		lap("objection, value vote, the highest total won")
	})
}

// phaseBecomes waits until proposal id is in phase, as u reads it, and
// returns it.
func phaseBecomes(t *testing.T, u *fedtest.User, id, phase string) object {
	t.Helper()
	var last object
	fedtest.Eventually(t, within, "proposal "+id+" reaches "+phase, func() error {
		last = call(t, u, "GET", "/proposals/"+id, nil, http.StatusOK)
		if last["phase"] != phase {
			return fmt.Errorf("phase %v, outcome %v", last["phase"], last["outcome"])
		}
		return nil
	})
	return last
}
