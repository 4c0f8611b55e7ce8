package federation_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store/storetest"
)

// partner makes garden a partner of b: bob follows it. It returns bob's
// token.
func (g garden) partner(t *testing.T) string {
	t.Helper()
	token, _, err := g.b.Members.CreateToken(context.Background(), g.bob, "api")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := api(t, g.b, token, "POST", "/follows", map[string]any{"target": g.association}); status != http.StatusAccepted {
		t.Fatalf("follow: %d %v", status, body)
	}
	settle(t, g.a, g.b)
	return token
}

// Through b's API: bob resolves garden's task by its id on a (b fetches
// it: garden is a partner, followed by bob), reserves it
// (202, pending), sees the reservation accepted, delivers work (202,
// pending), and once a's reviewer accepts it sees the verdict and the
// payout; carl, too late, sees his reservation rejected with the reason.
func TestRemoteWork_ThroughTheAPI(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			token := g.partner(t)
			carlToken, _, _ := g.b.Members.CreateToken(ctx, g.carl, "api")

			// The task was published before bob followed garden: b fetches it.
			status, task := api(t, g.b, token, "GET", "/resolve?q="+url.QueryEscape(g.remote.URI), nil)
			id, _ := task["id"].(string)
			if status != http.StatusOK || id == "" || task["remote"] != true || task["status"] != "open" ||
				task["budget"] != "300.00" || task["association"] != g.association || task["uri"] != g.remote.URI {
				t.Fatalf("resolve: %d %v", status, task)
			}
			if status, again := api(t, g.b, token, "GET", "/resolve?q="+url.QueryEscape(g.remote.URI), nil); status != http.StatusOK || again["id"] != id {
				t.Fatalf("resolve again: %d %v", status, again)
			}
			until := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
			status, res := api(t, g.b, token, "POST", "/tasks/"+id+"/reservation", map[string]any{"until": until})
			if status != http.StatusAccepted || res["status"] != "pending" || res["task"] != id || res["deadline"] != until {
				t.Fatalf("reserve: %d %v", status, res)
			}
			status, again := api(t, g.b, token, "POST", "/tasks/"+id+"/reservation", map[string]any{"until": until})
			if status != http.StatusConflict || again["type"] == nil {
				t.Fatalf("reserve again while pending: %d %v", status, again)
			}
			settle(t, g.a, g.b)
			_, task = api(t, g.b, token, "GET", "/tasks/"+id, nil)
			if r, _ := task["reservation"].(map[string]any); r["status"] != "active" {
				t.Fatalf("after the Accept: %v", task)
			}

			api(t, g.b, carlToken, "POST", "/tasks/"+id+"/reservation", map[string]any{"until": until})
			settle(t, g.a, g.b)
			_, task = api(t, g.b, carlToken, "GET", "/tasks/"+id, nil)
			if r, _ := task["reservation"].(map[string]any); r["status"] != "rejected" || r["reason"] != "this task is already reserved" {
				t.Fatalf("carl after the Reject: %v", task)
			}

			status, sub := api(t, g.b, token, "POST", "/tasks/"+id+"/submissions",
				map[string]any{"text": "Built.", "links": []string{"https://files.example/beds.zip"}})
			if status != http.StatusAccepted || sub["status"] != "pending" || sub["uri"] == nil {
				t.Fatalf("submit: %d %v", status, sub)
			}
			settle(t, g.a, g.b)
			subs, _ := g.a.Projects.Submissions(ctx, g.task.ID)
			if len(subs) != 1 {
				t.Fatalf("a has %d submissions", len(subs))
			}
			if _, err := g.a.Projects.ReviewSubmission(ctx, g.ada, subs[0].ID,
				[]projects.CriterionCheck{{Met: true}, {Met: true}}, projects.Accept, "Good work."); err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b)
			_, task = api(t, g.b, token, "GET", "/tasks/"+id, nil)
			list, _ := task["submissions"].([]any)
			if len(list) != 1 {
				t.Fatalf("bob's submissions: %v", task)
			}
			got := list[0].(map[string]any)
			payout, _ := got["payout"].(map[string]any)
			if got["status"] != "accepted" || got["verdict"] != "Good work." || payout["amount"] != "300.00" || payout["currency"] != "EUR" {
				t.Fatalf("bob's submission: %v", got)
			}
			if r, _ := task["reservation"].(map[string]any); r["status"] != "completed" {
				t.Fatalf("bob's reservation: %v", task)
			}
		})
	}
}

// A task is resolved only for a partner: the task of an association nobody
// here follows is refused, and its id reaches no task route.
func TestRemoteWork_ResolveOnlyPartnersTasks(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			g := newGarden(t, driver)
			token, _, err := g.b.Members.CreateToken(context.Background(), g.bob, "api")
			if err != nil {
				t.Fatal(err)
			}
			status, body := api(t, g.b, token, "GET", "/resolve?q="+url.QueryEscape(g.remote.URI), nil)
			if status != http.StatusForbidden || body["type"] == nil {
				t.Fatalf("resolve a stranger's task: %d %v", status, body)
			}
			if _, err := g.b.Projects.RemoteTaskByURI(context.Background(), g.remote.URI); err == nil {
				t.Fatal("b kept a stranger's task")
			}
		})
	}
}

// A volunteer on b completes garden's open task without reserving it; its
// review grants them the right to reallocate the budget, which they use
// from b (Offer of a reallocation, §5.6): a executes it and b sees it
// accepted with the transaction. Someone without the right is refused,
// saying why.
func TestRemoteWork_VolunteerReallocatesFromAfar(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			bobToken := g.partner(t)
			carlToken, _, _ := g.b.Members.CreateToken(ctx, g.carl, "api")
			other, err := g.a.Projects.AddTask(ctx, g.ada, g.task.ProjectID, projects.TaskInput{Name: "Paint the shed",
				Category: "other", DoneCriteria: []string{"Two coats"}, Budget: "150.00", MaxReservation: "72h",
				Reviewers: []string{g.actor(g.a, "ada")}})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b) // b keeps the new task: bob follows garden
			_, task := api(t, g.b, carlToken, "GET", "/resolve?q="+url.QueryEscape(g.remote.URI), nil)
			id, _ := task["id"].(string)
			_, target := api(t, g.b, carlToken, "GET", "/resolve?q="+url.QueryEscape(g.a.Config.BaseURL()+"/tasks/"+other.ID.String()), nil)
			targetID, _ := target["id"].(string)
			if id == "" || targetID == "" {
				t.Fatalf("resolved %v and %v", task, target)
			}

			if status, body := api(t, g.b, carlToken, "POST", "/tasks/"+id+"/submissions", map[string]any{"text": "Built on a Sunday."}); status != http.StatusAccepted {
				t.Fatalf("submit: %d %v", status, body)
			}
			settle(t, g.a, g.b)
			subs, _ := g.a.Projects.Submissions(ctx, g.task.ID)
			if len(subs) != 1 || subs[0].ReservationID != nil {
				t.Fatalf("a has %+v", subs)
			}
			rv, err := g.a.Projects.ReviewSubmission(ctx, g.ada, subs[0].ID, []projects.CriterionCheck{{Met: true}, {Met: true}}, projects.Accept, "")
			if err != nil || rv.Outcome != projects.OutcomeVolunteer {
				t.Fatalf("review: %+v %v", rv, err)
			}
			settle(t, g.a, g.b)

			parts := map[string]any{"parts": []any{map[string]any{"task": targetID, "amount": "100.00"}}}
			status, offer := api(t, g.b, bobToken, "POST", "/tasks/"+id+"/reallocations", parts)
			if status != http.StatusAccepted || offer["status"] != "pending" {
				t.Fatalf("bob's offer: %d %v", status, offer)
			}
			status, offer = api(t, g.b, carlToken, "POST", "/tasks/"+id+"/reallocations", parts)
			if status != http.StatusAccepted || offer["status"] != "pending" || offer["currency"] != "EUR" {
				t.Fatalf("carl's offer: %d %v", status, offer)
			}
			settle(t, g.a, g.b)

			_, task = api(t, g.b, bobToken, "GET", "/tasks/"+id, nil)
			if moves, _ := task["reallocations"].([]any); len(moves) != 1 ||
				moves[0].(map[string]any)["status"] != "rejected" ||
				moves[0].(map[string]any)["reason"] != "you hold no right to reallocate this task's money" {
				t.Fatalf("bob's reallocations: %v", task["reallocations"])
			}
			_, task = api(t, g.b, carlToken, "GET", "/tasks/"+id, nil)
			moves, _ := task["reallocations"].([]any)
			if len(moves) != 1 || moves[0].(map[string]any)["status"] != "accepted" || moves[0].(map[string]any)["transaction"] == nil {
				t.Fatalf("carl's reallocations: %v", task["reallocations"])
			}
			offers, err := g.b.Projects.RemoteReallocationsOf(ctx, g.actor(g.b, "carl"), g.remote.URI)
			if err != nil || len(offers) != 1 {
				t.Fatalf("carl's offers on b: %+v %v", offers, err)
			}
			a, _ := g.a.DB.Associations().ByName(ctx, "garden")
			all, _ := g.a.DB.Ledger().Transactions(ctx, a.ID, uuid.Nil, 100)
			caused := 0
			for _, tr := range all {
				if tr.Kind == "reallocation" && tr.Cause == offers[0].Offer && tr.CreatedBy == g.actor(g.b, "carl") {
					caused++
				}
			}
			if caused != 1 {
				t.Fatalf("a's reallocations caused by carl's offer: %d", caused)
			}
			balance, _, _, err := g.a.Ledger.TaskFunding(ctx, g.a.DB.Tx, other.ID)
			if err != nil || balance != 10000 {
				t.Fatalf("the other task's balance on a: %d %v", balance, err)
			}
			rights, err := g.a.Ledger.RightsOf(ctx, g.actor(g.b, "carl"))
			if err != nil || len(rights) != 1 {
				t.Fatalf("carl's rights on a: %+v %v", rights, err)
			}
		})
	}
}
