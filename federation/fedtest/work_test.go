package fedtest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// object is an API answer read loosely.
type object = map[string]any

// call sends method path as u, wants status, and returns the answer.
func call(t *testing.T, u *fedtest.User, method, path string, body any, status int) object {
	t.Helper()
	var out object
	got, raw := u.Call(t, method, path, body, &out)
	if got != status {
		t.Fatalf("%s on %s: %s %s: HTTP %d, want %d: %s", u.Name, u.In.Name, method, path, got, status, raw)
	}
	return out
}

// list reads a list property of an answer as objects.
func list(o object, key string) []object {
	var out []object
	items, _ := o[key].([]any)
	for _, i := range items {
		if m, ok := i.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// The "done when", on three running instances: an association on
// A (ada on its board, tina its treasurer), a professional on B (bob), a
// volunteer on C (carol). A donation is recorded and allocated to tasks;
// bob reserves a task from B, delivers, ada verifies and the payout to bob
// is recorded on A's ledger (and reported to B); carol completes another
// task from C as a volunteer and reallocates its budget from C; the
// donation's trace on A shows every step; a reservation bob lets run out
// lapses by itself at its deadline, on A and in B's view.
func TestRemoteWork_AcrossThreeRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b", "c"})
		a, b, cc := in[0], in[1], in[2]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: a, Name: "tina"},
			fedtest.Account{In: b, Name: "bob"}, fedtest.Account{In: cc, Name: "carol"})
		ada, tina, bob, carol := users[0], users[1], users[2], users[3]
		lap("three instances")

		call(t, ada, "POST", "/associations", object{"name": "garden"}, http.StatusCreated)
		call(t, ada, "PATCH", "/associations/garden", object{"board_may_evaluate_projects": true,
			"board_may_allocate_up_to": "1000.00"}, http.StatusOK)
		call(t, tina, "POST", "/associations/garden/members", nil, http.StatusCreated)
		call(t, ada, "PATCH", "/associations/garden/members/tina", object{"role": "treasurer"}, http.StatusOK)
		project := call(t, ada, "POST", "/associations/garden/projects", object{"name": "Community garden",
			"licence": "CC-BY-SA-4.0", "architecture": "centralised"}, http.StatusCreated)
		projectID, _ := project["id"].(string)
		call(t, ada, "POST", "/projects/"+projectID+"/evaluation", object{"verdict": "accept"}, http.StatusOK)
		task := func(name, budget, maxReservation string) string {
			t.Helper()
			created := call(t, ada, "POST", "/projects/"+projectID+"/tasks", object{"name": name, "category": "other",
				"done_criteria": []string{name + ": done"}, "budget": budget, "max_reservation": maxReservation,
				"reviewers": []string{ada.URI()}}, http.StatusCreated)
			id, _ := created["id"].(string)
			return id
		}
		beds, shed, fence, hedge := task("Build the raised beds", "300.00", "72h"), task("Paint the shed", "100.00", "72h"),
			task("Mend the fence", "40.00", "72h"), task("Trim the hedge", "50.00", "2m")
		donation := call(t, tina, "POST", "/associations/garden/donations", object{"amount": "500.00", "currency": "EUR",
			"donor": "Lou", "public_name": true}, http.StatusCreated)
		donationID, _ := donation["id"].(string)
		for _, allocation := range []struct{ task, amount string }{{beds, "300.00"}, {shed, "100.00"}, {hedge, "50.00"}} {
			call(t, ada, "POST", "/associations/garden/allocations", object{"task": allocation.task, "amount": allocation.amount},
				http.StatusCreated)
		}
		lap("association, project, four tasks, a donation allocated")

		// B and C follow garden: it is their partner.
		garden := a.ActorURI("garden")
		fedtest.FollowAccepted(t, within, garden, bob, carol)
		resolve := func(u *fedtest.User, id string) string {
			t.Helper()
			copy := call(t, u, "GET", "/resolve?q="+url.QueryEscape(a.BaseURL+"/tasks/"+id), nil, http.StatusOK)
			local, _ := copy["id"].(string)
			if copy["remote"] != true || local == "" {
				t.Fatalf("%s resolves %s: %v", u.Name, id, copy)
			}
			return local
		}
		// until waits until u's view of its task copy satisfies ok.
		until := func(u *fedtest.User, copy, what string, ok func(object) bool) object {
			t.Helper()
			var last object
			fedtest.Eventually(t, within, what, func() error {
				last = call(t, u, "GET", "/tasks/"+copy, nil, http.StatusOK)
				if !ok(last) {
					return fmt.Errorf("%s sees %v", u.Name, last)
				}
				return nil
			})
			return last
		}
		reservation := func(o object) string {
			r, _ := o["reservation"].(map[string]any)
			s, _ := r["status"].(string)
			return s
		}
		lap("partners")

		// bob reserves the hedge for the shortest time and lets it lapse:
		// made first, so the minute runs while the rest of the story does.
		hedgeOnB := resolve(bob, hedge)
		soon := time.Now().Add(65 * time.Second).UTC().Format(time.RFC3339)
		call(t, bob, "POST", "/tasks/"+hedgeOnB+"/reservation", object{"until": soon}, http.StatusAccepted)
		until(bob, hedgeOnB, "garden accepts the hedge's reservation", func(o object) bool { return reservation(o) == "active" })
		lap("the hedge reserved for a minute")

		// bob reserves the beds from B, delivers, ada verifies on A.
		bedsOnB := resolve(bob, beds)
		deadline := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		if r := call(t, bob, "POST", "/tasks/"+bedsOnB+"/reservation", object{"until": deadline}, http.StatusAccepted); r["status"] != "pending" {
			t.Fatalf("the reservation from B: %v", r)
		}
		until(bob, bedsOnB, "garden accepts bob's reservation", func(o object) bool { return reservation(o) == "active" })
		if got := call(t, ada, "GET", "/tasks/"+beds, nil, http.StatusOK); got["status"] != "reserved" || got["reserved_by"] != bob.URI() {
			t.Fatalf("the beds on A: %v", got)
		}
		call(t, bob, "POST", "/tasks/"+bedsOnB+"/submissions", object{"text": "Four beds, photos attached.",
			"links": []string{"https://files.example/beds.zip"}}, http.StatusAccepted)
		var submission string
		fedtest.Eventually(t, within, "A receives bob's work", func() error {
			subs := list(call(t, ada, "GET", "/tasks/"+beds+"/submissions", nil, http.StatusOK), "submissions")
			if len(subs) != 1 {
				return fmt.Errorf("%d submissions", len(subs))
			}
			submission, _ = subs[0]["id"].(string)
			return nil
		})
		call(t, ada, "POST", "/submissions/"+submission+"/review", object{"criteria": []object{{"met": true}},
			"verdict": "accept", "comment": "Lovely beds."}, http.StatusCreated)
		if got := call(t, ada, "GET", "/tasks/"+beds, nil, http.StatusOK); got["status"] != "done" {
			t.Fatalf("the beds on A after the review: %v", got)
		} else if p, _ := got["payout"].(map[string]any); p["payee"] != bob.URI() || p["amount"] != "300.00" {
			t.Fatalf("the payout on A's ledger: %v", got["payout"])
		}
		until(bob, bedsOnB, "B learns the verdict and the payout", func(o object) bool {
			subs := list(o, "submissions")
			if len(subs) != 1 || subs[0]["status"] != "accepted" {
				return false
			}
			p, _ := subs[0]["payout"].(map[string]any)
			return p["amount"] == "300.00" && reservation(o) == "completed"
		})
		lap("reserved from B, delivered, verified and paid")

		// carol paints the shed from C, unreserved, and moves its budget.
		shedOnC, fenceOnC := resolve(carol, shed), resolve(carol, fence)
		call(t, carol, "POST", "/tasks/"+shedOnC+"/submissions", object{"text": "Two coats."}, http.StatusAccepted)
		fedtest.Eventually(t, within, "A receives carol's work", func() error {
			subs := list(call(t, ada, "GET", "/tasks/"+shed+"/submissions", nil, http.StatusOK), "submissions")
			if len(subs) != 1 {
				return fmt.Errorf("%d submissions", len(subs))
			}
			submission, _ = subs[0]["id"].(string)
			return nil
		})
		review := call(t, ada, "POST", "/submissions/"+submission+"/review", object{"criteria": []object{{"met": true}},
			"verdict": "accept"}, http.StatusCreated)
		if review["outcome"] != "volunteer" {
			t.Fatalf("carol's review: %v", review)
		}
		call(t, carol, "POST", "/tasks/"+shedOnC+"/reallocations", object{"parts": []object{{"task": fenceOnC, "amount": "60.00"}}},
			http.StatusAccepted)
		until(carol, shedOnC, "garden executes carol's reallocation", func(o object) bool {
			moves := list(o, "reallocations")
			return len(moves) == 1 && moves[0]["status"] == "accepted"
		})
		lap("completed from C as a volunteer, reallocated from C")

		// The donation's trace on A: every step.
		trace := call(t, ada, "GET", "/donations/"+donationID+"/trace", nil, http.StatusOK)
		kinds := map[string]int{}
		paid := false
		for _, step := range list(trace, "steps") {
			kinds[step["kind"].(string)]++
			if step["kind"] == "payout" && step["payee"] == bob.URI() && step["amount"] == "300.00" {
				paid = true
			}
		}
		if kinds["allocation"] != 3 || kinds["reallocation"] != 1 || !paid {
			t.Fatalf("the trace: %v", trace)
		}
		lap("trace")

		// The hedge's reservation, made at the start, lapses by itself.
		fedtest.Eventually(t, 3*time.Minute, "the hedge's reservation lapses on A", func() error {
			got := call(t, ada, "GET", "/tasks/"+hedge+"/reservations", nil, http.StatusOK)
			rs := list(got, "reservations")
			if len(rs) != 1 || rs[0]["status"] != "lapsed" {
				return fmt.Errorf("reservations %v", rs)
			}
			if task := call(t, ada, "GET", "/tasks/"+hedge, nil, http.StatusOK); task["status"] != "open" {
				return fmt.Errorf("the hedge is %v", task["status"])
			}
			return nil
		})
		until(bob, hedgeOnB, "B sees the lapse", func(o object) bool { return reservation(o) == "lapsed" && o["status"] == "open" })
		lap("lapsed at its deadline")
	})
}
