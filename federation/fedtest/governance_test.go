package fedtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// The governance issue's "done when", on three running instances whose
// own scheduler moves the proposals. garden, on A, has ada (board), tina
// (treasurer) and sam; bob on B and carol on C join it from their
// instances, dan on C does not. bob delegates budget decisions to
// whoever is treasurer. A budget allocation reaches consensus: bob's vote
// follows tina's, carol votes from a Mastodon-style poll answer, which
// counts, and dan's poll answer is shown apart and not counted; the
// allocation is in the ledger by itself. Another proposal meets an
// objection, goes to the value vote after its round and closes with the
// documented winner: the highest total score.
func TestGovernance_AcrossRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b", "c"})
		a, b, cc := in[0], in[1], in[2]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: a, Name: "tina"},
			fedtest.Account{In: a, Name: "sam"}, fedtest.Account{In: b, Name: "bob"}, fedtest.Account{In: cc, Name: "carol"},
			fedtest.Account{In: cc, Name: "dan"})
		ada, tina, sam, bob, carol, dan := users[0], users[1], users[2], users[3], users[4], users[5]
		lap("three instances")

		call(t, ada, "POST", "/associations", object{"name": "garden"}, http.StatusCreated)
		call(t, ada, "PATCH", "/associations/garden", object{"board_may_evaluate_projects": true,
			"debate_period": "0s", "consensus_period": "5s", "value_vote_period": "3s"}, http.StatusOK)
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

		// bob and carol join garden from their instances; bob's budget
		// decisions follow whoever is garden's treasurer.
		garden := "garden@" + a.Host
		for _, u := range []*fedtest.User{bob, carol} {
			call(t, u, "POST", "/associations/"+garden+"/members", nil, http.StatusAccepted)
			fedtest.Eventually(t, within, u.Name+" is a member of garden", func() error {
				got := call(t, u, "GET", "/accounts/me/memberships", nil, http.StatusOK)
				for _, m := range list(got, "items") {
					if m["association"] == garden && m["status"] == "active" {
						return nil
					}
				}
				return fmt.Errorf("memberships %v", got)
			})
		}
		elsewhere := "/accounts/me/memberships/" + garden
		call(t, bob, "PUT", elsewhere+"/delegations", object{"rules": []object{{"scope": "budget_allocation",
			"delegates": []object{{"role": "treasurer"}}}}}, http.StatusAccepted)
		fedtest.Eventually(t, within, "garden accepts bob's delegation", func() error {
			got := call(t, bob, "GET", elsewhere+"/delegations", nil, http.StatusOK)
			if items := list(got, "items"); len(items) != 1 || items[0]["status"] != "accepted" {
				return fmt.Errorf("delegations %v", got)
			}
			return nil
		})
		lap("bob and carol joined from B and C, bob delegated to the treasurer")

		// A budget allocation: the members on A agree, bob through tina,
		// carol by answering the poll as Mastodon does; dan's answer is
		// not a member's. The scheduler adopts it at the end of the round
		// and the ledger shows the allocation.
		funds := call(t, tina, "POST", "/associations/garden/proposals", object{"category": "budget_allocation",
			"title": "Fund the raised beds", "body": "The wood is ordered.",
			"actions": []object{{"kind": "allocate", "task": taskID, "amount": "300.00"}}}, http.StatusCreated)
		fundsID, _ := funds["id"].(string)
		fundsURI, _ := funds["uri"].(string)
		for _, u := range []*fedtest.User{ada, tina, sam} {
			call(t, u, "POST", "/proposals/"+fundsID+"/ballots", object{"position": "agree"}, http.StatusCreated)
		}
		for _, u := range []*fedtest.User{carol, dan} {
			pollAnswer(t, cc, u, a.ActorURI("garden"), fundsURI, "agree")
		}
		fedtest.Eventually(t, within, "the live tally counts bob through tina and carol, and shows dan apart", func() error {
			tally := call(t, ada, "GET", "/proposals/"+fundsID+"/tally", nil, http.StatusOK)
			count, _ := tally["count"].(map[string]any)
			outside, _ := tally["outside"].(map[string]any)
			carriers := list(tally, "carriers")
			if count["eligible"] != 5.0 || count["participants"] != 5.0 || count["delegated"] != 1.0 ||
				count["direct"] != 4.0 || outside["agree"] != 1.0 || len(carriers) != 1 ||
				carriers[0]["actor"] != tina.URI() || carriers[0]["carried"] != 1.0 {
				return fmt.Errorf("tally %v", tally)
			}
			return nil
		})
		lap("bob's vote follows the treasurer; carol's poll answer counts, dan's is apart")
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
		call(t, ada, "PATCH", "/associations/garden", object{"consensus_period": "3s"}, http.StatusOK)
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

// pollAnswer sends, signed by u on in, the vote Mastodon sends when its
// user answers a poll (fixture mastodon-docs-vote-create-1.json): a Create
// of a Note named after the option, in reply to the Question, to the
// Question's actor.
func pollAnswer(t *testing.T, in *fedtest.Instance, u *fedtest.User, association, question, option string) {
	t.Helper()
	keyID, key := in.SigningKey(t, u.Name)
	vote := u.URI() + "#votes/" + uuid.NewString()
	body, err := json.Marshal(object{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       vote + "/activity",
		"type":     "Create",
		"actor":    u.URI(),
		"to":       []string{association},
		"object": object{"id": vote, "type": "Note", "name": option, "attributedTo": u.URI(),
			"inReplyTo": question, "to": []string{association}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if status, answer := (fedtest.Signed{URL: association + "/inbox", Body: body, KeyID: keyID, Key: key}).Send(t); status != http.StatusAccepted {
		t.Fatalf("%s's poll answer: HTTP %d %s", u.Name, status, answer)
	}
}
