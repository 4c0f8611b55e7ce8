package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

func ptr[T any](v T) *T { return &v }

// lastSent returns the newest activity in queued for delivery, decoded.
func lastSent(t *testing.T, in *webtest.Instance) map[string]any {
	t.Helper()
	var body string
	err := in.DB.Bun().NewRaw("SELECT body FROM deliveries ORDER BY created_at DESC, id DESC LIMIT 1").Scan(context.Background(), &body)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// mastodonText is the status Mastodon makes of a Create of a converted
// object (docs/vocabulary.md §6, rules 1–4): its name, its summary and its
// link, separated by blank lines; "" when Mastodon would make none.
func mastodonText(activity map[string]any) string {
	ctx, _ := activity["@context"].([]any)
	if len(ctx) == 0 || ctx[0] != vocab.ActivityStreamsContext || activity["type"] != "Create" {
		return ""
	}
	obj, _ := activity["object"].(map[string]any)
	types, _ := obj["type"].([]any)
	if !slices.Contains(types, any("Page")) {
		return ""
	}
	actor, _ := activity["actor"].(string)
	id, _ := obj["id"].(string)
	if actor == "" || !strings.HasPrefix(id, actor[:strings.Index(actor, "/actors/")]+"/") {
		return ""
	}
	name, _ := obj["name"].(string)
	summary, _ := obj["summary"].(string)
	url, _ := obj["url"].(string)
	return name + "\n\n" + summary + "\n\n" + url
}

// likeMastodonsCreate checks that activity has the envelope of the Create
// Mastodon itself sends (the fixture mastodon-note-create.json): every
// field of it, of the same JSON kind, in the activity and in its object;
// and the ActivityStreams context first.
func likeMastodonsCreate(t *testing.T, activity map[string]any) {
	t.Helper()
	ref := fixtures.JSON(t, "mastodon-note-create.json")
	kind := func(v any) string { return fmt.Sprintf("%T", v) }
	for _, k := range []string{"@context", "id", "type", "actor", "published", "to", "cc", "object"} {
		if kind(activity[k]) != kind(ref[k]) {
			t.Errorf("%s is a %s, Mastodon's a %s", k, kind(activity[k]), kind(ref[k]))
		}
	}
	if ctx, _ := activity["@context"].([]any); len(ctx) == 0 || ctx[0] != ref["@context"].([]any)[0] {
		t.Errorf("@context %v does not start with ActivityStreams'", activity["@context"])
	}
	obj, _ := activity["object"].(map[string]any)
	refObj := ref["object"].(map[string]any)
	for _, k := range []string{"id", "published", "url", "to", "cc"} {
		if kind(obj[k]) != kind(refObj[k]) {
			t.Errorf("object's %s is a %s, Mastodon's a %s", k, kind(obj[k]), kind(refObj[k]))
		}
	}
	if _, err := time.Parse(time.RFC3339, activity["published"].(string)); err != nil {
		t.Errorf("published: %v", err)
	}
}

// getAs fetches url asking for accept; it returns the status, the content
// type and the body.
func getAs(t *testing.T, url, accept string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// Instance B follows the garden association on A. What the association
// does with its projects and tasks reaches B as structured copies, which
// B's network catalogue lists beside B's own tasks: the project proposed
// then accepted, the task created, reserved, released and cancelled. A
// Mastodon follower would see the Create as a post (title, summary line,
// link). Forgeries change nothing: an Update from another host is refused
// at the inbox, one from another actor of A's host is checked against the
// origin, a Delete by another actor is ignored; the association's own
// Delete removes the copy. The ledger's transactions are published and
// served, a hidden donor's name never.
func TestPartnerTasks_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			alice, _ := account(t, a, "alice")
			bob, _ := account(t, a, "bob")
			_, zoeToken := account(t, b, "zoe")
			if _, err := a.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
				Settings: membership.SettingsChange{BoardMayEvaluateProjects: ptr(true)}}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Members.Join(ctx, bob, "garden"); err != nil {
				t.Fatal(err)
			}
			garden := a.Config.BaseURL() + "/actors/garden"
			if status, body := api(t, b, zoeToken, "POST", "/follows", map[string]any{"target": garden}); status != http.StatusAccepted {
				t.Fatalf("follow: %d %v", status, body)
			}
			settle(t, a, b)

			// The project, proposed then accepted.
			p, err := a.Projects.Propose(ctx, alice, "garden", projects.ProjectInput{Name: ptr("Community garden"),
				Summary: ptr("Vegetables for the school"), Licence: ptr("CC-BY-SA-4.0"), Architecture: ptr("centralised"),
				Tags: ptr([]string{"garden"}), Place: ptr("Lyon"), Goal: ptr("2000.00"), Description: ptr("Line one\nline two")})
			if err != nil {
				t.Fatal(err)
			}
			projectURI := a.Config.BaseURL() + "/projects/" + p.ID.String()
			settle(t, a, b)
			copyOf, err := b.Projects.RemoteProjectByURI(ctx, projectURI)
			if err != nil || copyOf.Status != "proposed" || copyOf.Association != garden || copyOf.Place != "Lyon" ||
				copyOf.Goal != 200000 || copyOf.Licence != "CC-BY-SA-4.0" || len(copyOf.Tags) != 1 {
				t.Fatalf("B's copy of the project: %+v %v", copyOf, err)
			}
			if _, err := a.Projects.Evaluate(ctx, alice, p.ID, projects.Accept, "good idea"); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if copyOf, _ = b.Projects.RemoteProjectByURI(ctx, projectURI); copyOf.Status != "accepted" {
				t.Fatalf("B's copy after the evaluation: %+v", copyOf)
			}

			// The task: created on A, kept on B, listed by B's catalogue.
			task, err := a.Projects.AddTask(ctx, alice, p.ID, projects.TaskInput{Name: "Build the raised beds",
				Category: "other", DoneCriteria: []string{"Four beds", "Untreated larch\nwood"}, Budget: "300.00",
				EstimatedEffort: "16h", MaxReservation: "336h", Reviewers: []string{a.Config.BaseURL() + "/actors/alice"}})
			if err != nil {
				t.Fatal(err)
			}
			taskURI := a.Config.BaseURL() + "/tasks/" + task.ID.String()
			create := lastSent(t, a)
			likeMastodonsCreate(t, create)
			if got, want := mastodonText(create), "Build the raised beds\n\nOpen task. Budget 300.00 EUR. Reservable for up to 14 days.\n\n"+taskURI; got != want {
				t.Fatalf("Mastodon would show %q, want %q\n%v", got, want, create)
			}
			settle(t, a, b)
			there, err := b.Projects.RemoteTaskByURI(ctx, taskURI)
			if err != nil || there.Status != "open" || there.Budget != 30000 || there.Currency != "EUR" || there.ProjectID == nil ||
				there.MaxReservation != 14*24*time.Hour || there.Effort != 16*time.Hour || len(there.DoneCriteria) != 2 ||
				there.DoneCriteria[1] != "Untreated larch wood" {
				t.Fatalf("B's copy of the task: %+v %v", there, err)
			}
			list, _, err := b.Projects.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"})
			if err != nil || len(list) != 1 || list[0].URI != taskURI || !list[0].Remote || list[0].ProjectName != "Community garden" ||
				list[0].Association != garden {
				t.Fatalf("B's network catalogue: %+v %v", list, err)
			}
			if list, _, _ := b.Projects.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open", Tag: "garden", Place: "lyon", MinBudget: "250"}); len(list) != 1 {
				t.Fatalf("B's network catalogue, filtered: %+v", list)
			}

			// So does the API's, with network=true, in one list with B's own.
			status, listed := api(t, b, zoeToken, "GET", "/tasks?network=true", nil)
			items, _ := listed["items"].([]any)
			if status != 200 || len(items) != 1 {
				t.Fatalf("GET /tasks?network=true on B: %d %v", status, listed)
			}
			if item := items[0].(map[string]any); item["uri"] != taskURI || item["partner"] != true || item["association"] != garden ||
				item["project_uri"] != projectURI || item["id"] != there.ID.String() || item["budget"] != "300.00" || item["name"] != "Build the raised beds" {
				t.Fatalf("the partner's task in B's API: %v", item)
			}
			if status, listed := api(t, b, zoeToken, "GET", "/tasks", nil); status != 200 || len(listed["items"].([]any)) != 0 {
				t.Fatalf("GET /tasks on B lists partners' tasks without network=true: %d %v", status, listed)
			}

			// B's catalogue page lists it among the partners' tasks, linking
			// to its page here.
			_, _, catalogue := getAs(t, b.URL+"/tasks", "text/html")
			if html := string(catalogue); !strings.Contains(html, `id="network-catalogue"`) || !strings.Contains(html, `href="/tasks/`+there.ID.String()+`"`) ||
				!strings.Contains(html, "@garden@"+a.Config.Server.Host) || !strings.Contains(html, "300.00") {
				t.Fatalf("B's catalogue page:\n%s", html)
			}

			// The task's id answers with its document, or goes on to the
			// pages for a browser.
			status, ctype, body := getAs(t, taskURI, "application/activity+json")
			var doc map[string]any
			_ = json.Unmarshal(body, &doc)
			if status != 200 || !strings.HasPrefix(ctype, "application/activity+json") || doc["id"] != taskURI ||
				doc["status"] != "open" || doc["audience"] != garden {
				t.Fatalf("GET %s: %d %s %s", taskURI, status, ctype, body)
			}
			if _, ctype, _ := getAs(t, taskURI, "text/html"); strings.Contains(ctype, "activity+json") {
				t.Fatalf("a browser got %s", ctype)
			}

			// Funded, reserved, released: B follows.
			if _, err := a.Ledger.Donate(ctx, nil, "garden", ledger.DonationInput{Amount: 30000, Currency: "EUR",
				Target: "task:" + task.ID.String(), Donor: "Secret Sam"}); err != nil {
				t.Fatal(err)
			}
			donation := lastSent(t, a)
			likeMastodonsCreate(t, donation)
			if got := mastodonText(donation); !strings.Contains(got, "Donation of 300.00 EUR\n\nA donor gave 300.00 EUR to the task Build the raised beds.") {
				t.Fatalf("Mastodon would show %q", got)
			}
			if strings.Contains(mustJSON(t, donation), "Secret Sam") {
				t.Fatalf("the hidden donor is published: %v", donation)
			}
			if _, err := a.Projects.Reserve(ctx, bob, task.ID, time.Now().Add(48*time.Hour)); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if there, _ = b.Projects.RemoteTaskByURI(ctx, taskURI); there.Status != "reserved" || there.ReservedBy != a.Config.BaseURL()+"/actors/bob" || there.ReservedUntil == nil {
				t.Fatalf("B's copy after the reservation: %+v", there)
			}
			if _, err := a.Projects.Release(ctx, bob, task.ID, ""); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if there, _ = b.Projects.RemoteTaskByURI(ctx, taskURI); there.Status != "open" || there.ReservedBy != "" {
				t.Fatalf("B's copy after the release: %+v", there)
			}

			// Cancelled: it leaves B's catalogue of open tasks.
			if _, err := a.Projects.CancelTask(ctx, alice, task.ID); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if there, _ = b.Projects.RemoteTaskByURI(ctx, taskURI); there.Status != "cancelled" {
				t.Fatalf("B's copy after the cancellation: %+v", there)
			}
			if list, _, _ := b.Projects.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"}); len(list) != 0 {
				t.Fatalf("B's catalogue after the cancellation: %+v", list)
			}

			// A forged Update from another host is refused at B's inbox.
			c := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.4", nil)
			account(t, c, "mallory")
			forged := map[string]any{"@context": vocab.ActivityStreamsContext, "type": "Update",
				"id":    c.Config.BaseURL() + "/activities/forged",
				"actor": c.Config.BaseURL() + "/actors/mallory",
				"object": map[string]any{"id": taskURI, "type": []any{"Task", "Page"}, "audience": garden, "status": "open",
					"name": "Free money", "context": projectURI, "doneCriteria": []any{"none"}, "published": "2025-01-01T00:00:00Z",
					"updated": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}}
			if got := signedPost(t, c, "mallory", b.URL+"/inbox", forged); got != http.StatusForbidden {
				t.Fatalf("forged Update from another host: %d", got)
			}
			// One from another actor of A's host is checked against the
			// origin, which says the task is cancelled.
			forged["id"], forged["actor"] = a.Config.BaseURL()+"/activities/forged", a.Config.BaseURL()+"/actors/bob"
			if got := signedPost(t, a, "bob", b.URL+"/inbox", forged); got != http.StatusAccepted {
				t.Fatalf("Update by bob: %d", got)
			}
			settle(t, a, b)
			if there, _ = b.Projects.RemoteTaskByURI(ctx, taskURI); there.Status != "cancelled" || there.Name != "Build the raised beds" {
				t.Fatalf("B's copy after bob's Update: %+v", there)
			}
			// A Delete by bob changes nothing; the association's removes it.
			del := map[string]any{"@context": vocab.ActivityStreamsContext, "type": "Delete",
				"id": a.Config.BaseURL() + "/activities/del-bob", "actor": a.Config.BaseURL() + "/actors/bob", "object": taskURI}
			if got := signedPost(t, a, "bob", b.URL+"/inbox", del); got != http.StatusAccepted {
				t.Fatalf("Delete by bob: %d", got)
			}
			settle(t, a, b)
			if _, err := b.Projects.RemoteTaskByURI(ctx, taskURI); err != nil {
				t.Fatalf("bob deleted B's copy: %v", err)
			}
			del["id"], del["actor"] = a.Config.BaseURL()+"/activities/del-garden", garden
			if got := signedPost(t, a, "garden", b.URL+"/inbox", del); got != http.StatusAccepted {
				t.Fatalf("Delete by the association: %d", got)
			}
			settle(t, a, b)
			if _, err := b.Projects.RemoteTaskByURI(ctx, taskURI); err == nil {
				t.Fatal("the association's Delete left B's copy")
			}

			// The ledger: each transaction's id, and the collection the
			// association's actor links to.
			status, _, body = getAs(t, garden, "application/activity+json")
			_ = json.Unmarshal(body, &doc)
			if streams, _ := doc["streams"].([]any); status != 200 || len(streams) != 1 || streams[0] != garden+"/ledger" {
				t.Fatalf("the association's streams: %v", doc["streams"])
			}
			status, collection := getJSON(t, garden+"/ledger")
			if status != 200 || collection["type"] != "OrderedCollection" || collection["totalItems"] != float64(1) {
				t.Fatalf("ledger: %d %v", status, collection)
			}
			status, page := getJSON(t, garden+"/ledger?page=true")
			items, _ = page["orderedItems"].([]any)
			if status != 200 || len(items) != 1 {
				t.Fatalf("ledger page: %d %v", status, page)
			}
			txURI, _ := items[0].(map[string]any)["id"].(string)
			status, _, body = getAs(t, txURI, "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")
			if status != 200 || !strings.Contains(string(body), `"kind":"donation"`) || strings.Contains(string(body), "Secret Sam") ||
				strings.Contains(mustJSON(t, page), "Secret Sam") {
				t.Fatalf("GET %s: %d %s", txURI, status, body)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sentSince returns, oldest first, the activities in queued for delivery
// after the first skip ones, as "Type ObjectType status".
func sentSince(t *testing.T, in *webtest.Instance, skip int) []string {
	t.Helper()
	var bodies []string
	err := in.DB.Bun().NewRaw("SELECT body FROM deliveries ORDER BY id").Scan(context.Background(), &bodies)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bodies[min(skip, len(bodies)):] {
		var doc map[string]any
		_ = json.Unmarshal([]byte(b), &doc)
		obj, _ := doc["object"].(map[string]any)
		status, _ := obj["status"].(string)
		if status == "" {
			status, _ = obj["kind"].(string)
		}
		out = append(out, strings.TrimSpace(doc["type"].(string)+" "+vocab.FirstType(obj["type"])+" "+status))
	}
	return out
}

func countSent(t *testing.T, in *webtest.Instance) int {
	t.Helper()
	n, err := in.DB.Bun().NewSelect().Table("deliveries").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// Every step of a task's life is published, in the transaction of the
// step: a draft is not, opening it creates it; the reservation, the work
// submitted (the submission itself too), its review and the payout (to
// the payee as well), a reservation that lapses. The partner's copy
// follows to the end: done, completed by the professional. A members-only
// association publishes nothing, and its objects' ids answer 404.
func TestPublication_FollowsATaskToItsPayout(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			alice, _ := account(t, a, "alice")
			_, zoeToken := account(t, b, "zoe")
			if _, err := a.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
				Settings: membership.SettingsChange{BoardMayEvaluateProjects: ptr(true)}}); err != nil {
				t.Fatal(err)
			}
			garden := a.Config.BaseURL() + "/actors/garden"
			if status, body := api(t, b, zoeToken, "POST", "/follows", map[string]any{"target": garden}); status != http.StatusAccepted {
				t.Fatalf("follow: %d %v", status, body)
			}
			settle(t, a, b)
			p, err := a.Projects.Propose(ctx, alice, "garden", projects.ProjectInput{Name: ptr("Community garden"),
				Licence: ptr("MIT"), Architecture: ptr("distributed")})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Projects.Evaluate(ctx, alice, p.ID, projects.Accept, ""); err != nil {
				t.Fatal(err)
			}
			before := countSent(t, a)
			input := projects.TaskInput{Name: "Paint the shed", Category: "other", DoneCriteria: []string{"Two coats"},
				Budget: "120.00", MaxReservation: "168h", Reviewers: []string{a.Config.BaseURL() + "/actors/alice"}, Draft: true}
			task, err := a.Projects.AddTask(ctx, alice, p.ID, input)
			if err != nil {
				t.Fatal(err)
			}
			if got := sentSince(t, a, before); len(got) != 0 {
				t.Fatalf("a draft was published: %v", got)
			}
			taskURI := a.Config.BaseURL() + "/tasks/" + task.ID.String()
			if status, _ := getJSON(t, taskURI); status != http.StatusNotFound {
				t.Fatalf("GET a draft: %d", status)
			}
			if _, err := a.Projects.OpenTask(ctx, alice, task.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Ledger.Donate(ctx, nil, "garden", ledger.DonationInput{Amount: 12000, Currency: "EUR",
				Target: "task:" + task.ID.String(), Donor: "Ada", PublicName: true}); err != nil {
				t.Fatal(err)
			}
			bob, _ := account(t, a, "bob")
			if _, err := a.Members.Join(ctx, bob, "garden"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Projects.Reserve(ctx, bob, task.ID, time.Now().Add(24*time.Hour)); err != nil {
				t.Fatal(err)
			}
			sub, err := a.Projects.Submit(ctx, bob, task.ID, "Done, two coats.", []string{"https://photos.example/shed"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Projects.ReviewSubmission(ctx, alice, sub.ID, []projects.CriterionCheck{{Met: true}}, projects.Accept, ""); err != nil {
				t.Fatal(err)
			}
			want := []string{"Create Task open", "Create Transaction donation", "Update Task reserved", "Create Submission submitted",
				"Update Task submitted", "Create Transaction payout", "Update Submission accepted", "Update Task done"}
			if got := sentSince(t, a, before); !slices.Equal(got, want) {
				t.Fatalf("published %q, want %q", got, want)
			}
			settle(t, a, b)
			there, err := b.Projects.RemoteTaskByURI(ctx, taskURI)
			if err != nil || there.Status != "done" || there.CompletedBy != a.Config.BaseURL()+"/actors/bob" {
				t.Fatalf("B's copy at the end: %+v %v", there, err)
			}
			status, doc := getJSON(t, a.Config.BaseURL()+"/submissions/"+sub.ID.String())
			if checks, _ := doc["checks"].([]any); status != 200 || doc["status"] != "accepted" || len(checks) != 1 {
				t.Fatalf("GET the submission: %d %v", status, doc)
			}
			status, page := getJSON(t, garden+"/ledger?page=true")
			if items, _ := page["orderedItems"].([]any); status != 200 || len(items) != 2 || !strings.Contains(mustJSON(t, page), `"Ada gave 120.00 EUR`) {
				t.Fatalf("the ledger: %d %v", status, page)
			}

			// A reservation that lapses reopens the task, for B too.
			second, err := a.Projects.AddTask(ctx, alice, p.ID, projects.TaskInput{Name: "Fix the gate", Category: "other",
				DoneCriteria: []string{"It closes"}, Budget: "0", MaxReservation: "168h", Reviewers: input.Reviewers})
			if err != nil {
				t.Fatal(err)
			}
			res, err := a.Projects.Reserve(ctx, bob, second.ID, time.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if _, err := a.DB.Bun().NewRaw("UPDATE reservations SET deadline = ? WHERE id = ?", time.Now().Add(-time.Minute).UTC(), res.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := a.Projects.LapseDue(ctx); err != nil || n != 1 {
				t.Fatalf("lapsed %d: %v", n, err)
			}
			settle(t, a, b)
			if there, _ := b.Projects.RemoteTaskByURI(ctx, a.Config.BaseURL()+"/tasks/"+second.ID.String()); there.Status != "open" {
				t.Fatalf("B's copy after the lapse: %+v", there)
			}
			status, doc = getJSON(t, a.Config.BaseURL()+"/reservations/"+res.ID.String())
			if status != 200 || doc["status"] != "lapsed" || doc["type"] != "Reservation" {
				t.Fatalf("GET the reservation: %d %v", status, doc)
			}

			// Members only: nothing published, nothing served.
			if _, err := a.Members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
				Settings: membership.SettingsChange{Visibility: ptr(membership.VisibilityMembers)}}); err != nil {
				t.Fatal(err)
			}
			before = countSent(t, a)
			if _, err := a.Projects.UpdateProject(ctx, alice, p.ID, projects.ProjectInput{Summary: ptr("secret")}); err != nil {
				t.Fatal(err)
			}
			if got := sentSince(t, a, before); len(got) != 0 {
				t.Fatalf("a members-only association published %v", got)
			}
			for _, u := range []string{a.Config.BaseURL() + "/projects/" + p.ID.String(), taskURI, garden + "/ledger"} {
				if status, _ := getJSON(t, u); status != http.StatusNotFound {
					t.Fatalf("GET %s of a members-only association: %d", u, status)
				}
			}
		})
	}
}

// The ids of objects answer HEAD as GET, and 404 for what does not exist.
func TestObjects_HeadAndUnknown(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		for _, path := range []string{"/tasks/0195551e-0000-7000-8000-000000000002", "/projects/nope", "/transactions/0195551e-0000-7000-8000-000000000002",
			"/reservations/0195551e-0000-7000-8000-000000000002", "/submissions/0195551e-0000-7000-8000-000000000002", "/actors/nobody/ledger"} {
			if status, _ := getJSON(t, in.URL+path); status != http.StatusNotFound {
				t.Errorf("GET %s: %d", path, status)
			}
		}
		ctx := context.Background()
		alice, _ := account(t, in, "alice")
		if _, err := in.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
			t.Fatal(err)
		}
		p, err := in.Projects.Propose(ctx, alice, "garden", projects.ProjectInput{Name: ptr("Garden"), Licence: ptr("MIT"), Architecture: ptr("distributed")})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("HEAD", in.URL+"/projects/"+p.ID.String(), nil)
		req.Header.Set("Accept", "application/activity+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/activity+json") ||
			!strings.Contains(resp.Header.Get("Vary"), "Accept") {
			t.Fatalf("HEAD: %d %v", resp.StatusCode, resp.Header)
		}
	})
}
