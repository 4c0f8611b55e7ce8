package federation_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

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
