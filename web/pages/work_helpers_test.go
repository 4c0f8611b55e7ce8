package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

// work is an association whose people run projects through the pages:
// alice founded it (board, and the board evaluates projects and may
// allocate up to 1,000.00), tom is its treasurer, bob a member who takes
// paid work, rita reviews work and eve volunteers.
type work struct {
	t                          *testing.T
	in                         *webtest.Instance
	alice, tom, bob, rita, eve *browser
	visitor                    *browser
	assoc                      string // the association's name
	reviewer                   string // rita's username
}

func newWork(t *testing.T, in *webtest.Instance) *work {
	t.Helper()
	return newWorkNamed(t, in, "commons", "alice", "tom", "bob", "rita", "eve")
}

// newWorkNamed is newWork with other names, for an instance where the
// usual ones are taken: the founder, the treasurer, the professional, the
// reviewer and the volunteer.
func newWorkNamed(t *testing.T, in *webtest.Instance, assoc, founder, treasurer, pro, reviewer, volunteer string) *work {
	t.Helper()
	w := &work{t: t, in: in, alice: newBrowser(t, in), tom: newBrowser(t, in), bob: newBrowser(t, in),
		rita: newBrowser(t, in), eve: newBrowser(t, in), visitor: newBrowser(t, in), assoc: assoc}
	w.alice.signUp(founder)
	w.alice.createAssociation(assoc)
	settings := settingsForm()
	settings.Set("board_may_allocate_up_to", "1000.00")
	settings.Set("board_may_evaluate_projects", "on")
	w.alice.post("/@"+assoc+"/settings", settings).redirectsTo(t, "/@"+assoc+"/settings?saved=1")
	for _, p := range []struct {
		name string
		b    *browser
	}{{treasurer, w.tom}, {pro, w.bob}, {reviewer, w.rita}, {volunteer, w.eve}} {
		p.b.signUp(p.name)
		if p.name != volunteer {
			p.b.post("/@"+assoc+"/join", nil).redirectsTo(t, "/@"+assoc)
		}
	}
	w.alice.post("/@"+assoc+"/members/"+treasurer, url.Values{"action": {"role"}, "role": {"treasurer"}}).redirectsTo(t, "/@"+assoc+"/members")
	w.reviewer = reviewer
	return w
}

// idFrom returns the id in a redirect to prefix{id}?….
func idFrom(t *testing.T, p *page, prefix string) string {
	t.Helper()
	loc := p.Header.Get("Location")
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("got %d to %q, want a redirect to %s…; body:\n%s", p.Status, loc, prefix, p.Body)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, prefix), "?")
	return id
}

func projectForm(name string) url.Values {
	return url.Values{"project_name": {name}, "summary": {"Grow food together"},
		"description": {"We plant.\n\nWe share the harvest."}, "licence": {"CC-BY-SA-4.0"}, "architecture": {"decentralised"},
		"checklist": {"Beds are built\nA rota is published"}, "beneficiaries": {"Neighbours\nThe school"},
		"tags": {"garden, Food"}, "place": {"Lyon"}, "goal": {"1500.00"}}
}

// project proposes name as alice, accepts it as the board and returns its id.
func (w *work) project(name string) string {
	w.t.Helper()
	id := idFrom(w.t, w.alice.post("/@"+w.assoc+"/projects/new", projectForm(name)), "/projects/")
	w.alice.post("/projects/"+id+"/evaluation", url.Values{"verdict": {"accept"}, "evaluation_reason": {"Useful"}}).
		redirectsTo(w.t, "/projects/"+id+"?done=evaluated")
	return id
}

func taskForm(name, category, budget string) url.Values {
	return url.Values{"task_name": {name}, "description": {"Dig and plant."}, "category": {category},
		"done_criteria": {"Three beds are dug\nSeeds are sown"}, "budget": {budget}, "estimated_effort": {"16h"},
		"max_reservation": {"168h"}, "reviewers": {"@rita"}}
}

// task adds a task to project as alice and returns its id.
func (w *work) task(project, name, category, budget string) string {
	w.t.Helper()
	form := taskForm(name, category, budget)
	form.Set("reviewers", "@"+w.reviewer)
	return idFrom(w.t, w.alice.post("/projects/"+project+"/tasks/new", form), "/tasks/")
}

// donate records a donation as tom.
func (w *work) donate(amount, target, donor string, public bool) {
	w.t.Helper()
	form := url.Values{"amount": {amount}, "target": {target}, "donor": {donor}, "reference": {"VIR-" + amount}}
	if public {
		form.Set("public_name", "on")
	}
	w.tom.post("/@"+w.assoc+"/donations", form).redirectsTo(w.t, "/@"+w.assoc+"/ledger?done=donated")
}

// fund allocates amount from the general fund to task, as tom.
func (w *work) fund(task, amount string) {
	w.t.Helper()
	w.tom.post("/tasks/"+task+"/allocations", url.Values{"amount": {amount}, "from": {"general"}}).
		redirectsTo(w.t, "/tasks/"+task+"?done=allocated")
}

// reserve reserves task as b until the last day the page offers.
func (w *work) reserve(b *browser, task string) {
	w.t.Helper()
	p := b.get("/tasks/"+task).want(w.t, http.StatusOK)
	until := attr(p.byID("until"), "max")
	b.post("/tasks/"+task+"/reservation", url.Values{"until": {until}}).redirectsTo(w.t, "/tasks/"+task+"?done=reserved")
}

// submissionID is the id of the work delivered for task waiting on review.
func (w *work) submissionID(task string) string {
	w.t.Helper()
	p := w.rita.get("/tasks/"+task).want(w.t, http.StatusOK)
	form := p.byID("review")
	if form == nil {
		w.t.Fatalf("rita has no review form on task %s:\n%s", task, p.Body)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(attr(form, "action"), "/submissions/"), "/review")
	return id
}

// accept reviews the waiting work on task as rita, every criterion met.
func (w *work) accept(task string) {
	w.t.Helper()
	sub := w.submissionID(task)
	w.rita.post("/submissions/"+sub+"/review", url.Values{"criteria[0].met": {"on"}, "criteria[1].met": {"on"},
		"criteria[1].comment": {"Well sown"}, "verdict": {"accept"}, "comment": {"Good work"}}).
		redirectsTo(w.t, "/tasks/"+task+"?done=reviewed")
}
