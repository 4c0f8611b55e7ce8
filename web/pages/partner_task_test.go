package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// partnerGarden starts a (the association's instance) and b (bob's), makes
// garden on a a partner of b (bob follows it from his follows page) and
// publishes garden's open tasks, which b keeps. It returns the uris of
// the beds' task and of the shed's.
func partnerGarden(t *testing.T, driver store.Driver) (a, b *webtest.Instance, bob *browser, uri, shed string) {
	t.Helper()
	ctx := context.Background()
	a = webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
	b = webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
	ada, err := a.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "garden"}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := a.Members.UpdateAssociation(ctx, ada, "garden", membership.AssociationChange{
		Settings: membership.SettingsChange{BoardMayEvaluateProjects: &yes}}); err != nil {
		t.Fatal(err)
	}
	bob = newBrowser(t, b)
	bob.signUp("bob")
	bob.post("/follows", url.Values{"action": {"follow"}, "target": {"garden@" + a.Config.Server.Host}}).redirectsTo(t, "/follows?done=followed")
	settle(t, a, b)

	str := func(s string) *string { return &s }
	p, err := a.Projects.Propose(ctx, ada, "garden", projects.ProjectInput{Name: str("Community garden"),
		Licence: str("CC-BY-SA-4.0"), Architecture: str("centralised")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Projects.Evaluate(ctx, ada, p.ID, projects.Accept, ""); err != nil {
		t.Fatal(err)
	}
	task, err := a.Projects.AddTask(ctx, ada, p.ID, projects.TaskInput{Name: "Build the raised beds", Category: "other",
		Description: "Four beds along the south wall.", DoneCriteria: []string{"Four beds of 2 m by 1 m", "Photos of each bed"},
		Budget: "300.00", MaxReservation: "72h", Reviewers: []string{a.Config.BaseURL() + "/actors/ada"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Ledger.Donate(ctx, nil, "garden", ledger.DonationInput{Amount: 30000, Currency: "EUR",
		Target: "task:" + task.ID.String()}); err != nil {
		t.Fatal(err)
	}
	other, err := a.Projects.AddTask(ctx, ada, p.ID, projects.TaskInput{Name: "Paint the shed", Category: "other",
		DoneCriteria: []string{"Two coats"}, Budget: "150.00", MaxReservation: "72h", Reviewers: []string{a.Config.BaseURL() + "/actors/ada"}})
	if err != nil {
		t.Fatal(err)
	}
	settle(t, a, b)
	return a, b, bob, a.Config.BaseURL() + "/tasks/" + task.ID.String(), a.Config.BaseURL() + "/tasks/" + other.ID.String()
}

// On b, bob opens garden's task from the catalogue, reserves it with the
// form (sent, pending), and once a answers sees it active; delivering
// work shows it sent; a deadline past the task's longest reservation is
// refused, in English and in French, and nothing is sent.
func TestPartnerTask_ReserveFromThePages(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a, b, bob, uri, _ := partnerGarden(t, driver)
			copy, err := b.Projects.RemoteTaskByURI(ctx, uri)
			if err != nil {
				t.Fatalf("b keeps no copy of the task: %v", err)
			}
			path := "/tasks/" + copy.ID.String()
			bob.get("/tasks").want(t, http.StatusOK).contains(t, `href="`+path+`"`, "Build the raised beds")

			shown := map[string]*page{}
			shown["visitor"] = newBrowser(t, b).get(path).want(t, http.StatusOK)
			shown["visitor"].contains(t, "Build the raised beds", "300.00",
				"Four beds of 2 m by 1 m", "Four beds along the south wall.", "@garden@"+a.Config.Server.Host, "/login?next="+path)
			page := bob.get(path).want(t, http.StatusOK)
			page.contains(t, `id="reserve"`, `max="`+time.Now().UTC().Add(72*time.Hour).Format("2006-01-02")+`"`)

			// Too late a day: refused on the page, in both languages.
			late := time.Now().UTC().Add(10 * 24 * time.Hour).Format("2006-01-02")
			shown["refused"] = bob.post(path+"/reservation", url.Values{"until": {late}}).want(t, http.StatusUnprocessableEntity)
			shown["refused"].contains(t, "Pick a day from today to the last day the task may be reserved.")
			claire := newBrowser(t, b)
			claire.post("/signup", url.Values{"username": {"claire"}, "email": {"claire@example.org"}, "password": {password},
				"locale": {"fr"}}).redirectsTo(t, "/")
			shown["refused, French"] = claire.post(path+"/reservation", url.Values{"until": {late}}).want(t, http.StatusUnprocessableEntity)
			shown["refused, French"].contains(t, `lang="fr"`, "Choisissez un jour entre aujourd’hui et le dernier jour où la tâche peut être réservée.")
			if _, err := b.Projects.RemoteReservationOf(ctx, b.Config.BaseURL()+"/actors/bob", uri); err == nil {
				t.Fatal("a refused reservation was kept")
			}

			day := time.Now().UTC().Add(24 * time.Hour).Format("2006-01-02")
			bob.post(path+"/reservation", url.Values{"until": {day}}).redirectsTo(t, path+"?done=offered")
			shown["pending"] = bob.get(path+"?done=offered").want(t, http.StatusOK)
			shown["pending"].contains(t, "Sent, waiting for the association’s answer.",
				"waiting for the association’s answer", `id="release"`)
			settle(t, a, b)
			page = bob.get(path).want(t, http.StatusOK)
			shown["active"] = page
			if got := page.text(t, "my-reservation"); !containsAll(got, "Your reservation:", "active") {
				t.Fatalf("bob's reservation after a's answer: %q", got)
			}
			if res, err := a.Projects.Reservations(ctx, mustTaskID(t, uri)); err != nil || len(res) != 1 {
				t.Fatalf("a's reservations: %v %v", res, err)
			}

			bob.post(path+"/submissions", url.Values{"text": {"Built."}, "links": {"https://files.example/beds.zip"}}).
				redirectsTo(t, path+"?done=delivered")
			settle(t, a, b)
			shown["delivered"] = bob.get(path).want(t, http.StatusOK)
			shown["delivered"].contains(t, "Your work", "Built.", "https://files.example/beds.zip", "waiting for review")
			if subs, err := a.Projects.Submissions(ctx, mustTaskID(t, uri)); err != nil || len(subs) != 1 {
				t.Fatalf("a's submissions: %v %v", subs, err)
			}

			// Claire offers too, then withdraws before any answer.
			claire.post(path+"/reservation", url.Values{"until": {day}}).redirectsTo(t, path+"?done=offered")
			claire.post(path+"/release", url.Values{}).redirectsTo(t, path+"?done=withdrawn")
			shown["withdrawn, French"] = claire.get(path+"?done=withdrawn").want(t, http.StatusOK)
			shown["withdrawn, French"].contains(t, "Votre réservation est retirée", "libérée")
			claire.post(path+"/release", url.Values{}).want(t, http.StatusUnprocessableEntity).
				contains(t, "Vous n’avez pas de réservation de cette tâche, en attente ou en cours.")
			settle(t, a, b)

			for name, p := range shown {
				t.Run(name, func(t *testing.T) {
					checkAccessible(t, p)
					for _, banned := range []string{" style=", "<script", "javascript:"} {
						if strings.Contains(p.Body, banned) {
							t.Errorf("page holds %q", banned)
						}
					}
				})
			}
		})
	}
}

// Bob delivers work for garden's beds without reserving them; once a's
// reviewer accepts it as a volunteer's, his page offers to reallocate the
// budget to garden's shed, and a's answer shows there.
func TestPartnerTask_VolunteerReallocatesFromThePages(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a, b, bob, uri, shed := partnerGarden(t, driver)
			beds, err := b.Projects.RemoteTaskByURI(ctx, uri)
			if err != nil {
				t.Fatal(err)
			}
			target, err := b.Projects.RemoteTaskByURI(ctx, shed)
			if err != nil {
				t.Fatal(err)
			}
			path := "/tasks/" + beds.ID.String()
			bob.post(path+"/submissions", url.Values{"text": {"Built on a Sunday."}}).redirectsTo(t, path+"?done=delivered")
			bob.get(path).want(t, http.StatusOK).lacks(t, `id="reallocate"`)
			settle(t, a, b)
			subs, err := a.Projects.Submissions(ctx, mustTaskID(t, uri))
			if err != nil || len(subs) != 1 {
				t.Fatalf("a's submissions: %v %v", subs, err)
			}
			ada, err := a.Members.Account(ctx, "ada")
			if err != nil {
				t.Fatal(err)
			}
			if rv, err := a.Projects.ReviewSubmission(ctx, ada, subs[0].ID, []projects.CriterionCheck{{Met: true}, {Met: true}},
				projects.Accept, ""); err != nil || rv.Outcome != projects.OutcomeVolunteer {
				t.Fatalf("review: %+v %v", rv, err)
			}
			settle(t, a, b)
			page := bob.get(path).want(t, http.StatusOK)
			page.contains(t, `id="reallocate"`, `value="`+target.ID.String()+`"`, "Paint the shed")
			checkAccessible(t, page)

			refused := bob.post(path+"/reallocations", url.Values{"parts[0].task": {target.ID.String()}, "parts[0].amount": {"lots"}})
			refused.want(t, http.StatusUnprocessableEntity).contains(t, "Give an amount such as 100.00.")
			checkAccessible(t, refused)
			bob.post(path+"/reallocations", url.Values{"parts[0].task": {target.ID.String()}, "parts[0].amount": {"100.00"}}).
				redirectsTo(t, path+"?done=reallocation")
			bob.get(path+"?done=reallocation").want(t, http.StatusOK).contains(t, "Your offer is sent", "100.00 EUR")
			settle(t, a, b)
			moves, err := b.Projects.RemoteReallocationsOf(ctx, b.Config.BaseURL()+"/actors/bob", uri)
			if err != nil || len(moves) != 1 || moves[0].Status != projects.ReallocationAccepted {
				t.Fatalf("bob's offers: %+v %v", moves, err)
			}
			bob.get(path).want(t, http.StatusOK).contains(t, "done by the association")
		})
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// mustTaskID is the id on a of the task whose uri is given.
func mustTaskID(t *testing.T, uri string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(uri[strings.LastIndex(uri, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	return id
}
