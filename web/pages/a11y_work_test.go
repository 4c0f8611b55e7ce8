package pages_test

import (
	"net/url"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

// visitWorkPages walks the pages of projects, tasks, the ledger, traces,
// the catalogue and recognition, empty and full, with their forms refused,
// for the checks of every page (accessibility, no inline code).
func visitWorkPages(t *testing.T, in *webtest.Instance, pages map[string]*page) {
	t.Helper()
	w := newWorkNamed(t, in, "garden", "gina", "toby", "pablo", "rosa", "vera")
	pages["projects, empty"] = w.visitor.get("/@garden/projects")
	pages["new project"] = w.bob.get("/@garden/projects/new")
	pages["new project, errors"] = w.bob.post("/@garden/projects/new", url.Values{"licence": {"nope"}, "tags": {"!"}})
	proposed := idFrom(t, w.bob.post("/@garden/projects/new", projectForm("Orchard")), "/projects/")
	pages["project, proposed, board"] = w.alice.get("/projects/" + proposed)
	pages["project, evaluation error"] = w.alice.post("/projects/"+proposed+"/evaluation", url.Values{"verdict": {"reject"}})
	project := w.project("Shared garden")
	pages["project, accepted, holder"] = w.alice.get("/projects/" + project + "?done=evaluated")
	pages["new task"] = w.alice.get("/projects/" + project + "/tasks/new")
	pages["new task, errors"] = w.alice.post("/projects/"+project+"/tasks/new", url.Values{"reviewers": {"@nobody"}})
	task := w.task(project, "Dig the beds", "other", "100.00")
	volunteer := w.task(project, "Water the beds", "other", "30.00")
	other := w.task(project, "Write the newsletter", "communication", "20.00")
	pages["task, open, visitor"] = w.visitor.get("/tasks/" + task)
	pages["task, open, not funded"] = w.bob.post("/tasks/"+task+"/reservation", url.Values{"until": {"2000-01-01"}})
	pages["ledger, empty, treasurer"] = w.tom.get("/@garden/ledger")
	pages["ledger, donation error"] = w.tom.post("/@garden/donations", url.Values{"amount": {"x"}})
	w.donate("200.00", "general", "Dora", false)
	w.fund(task, "100.00")
	w.fund(volunteer, "30.00")
	pages["task, allocation error"] = w.tom.post("/tasks/"+task+"/allocations", url.Values{"amount": {"5000.00"}})
	w.reserve(w.bob, task)
	pages["task, reserved, holder"] = w.bob.get("/tasks/" + task + "?done=reserved")
	pages["task, reserved, board"] = w.alice.get("/tasks/" + task)
	pages["task, release error"] = w.alice.post("/tasks/"+task+"/release", url.Values{})
	pages["task, submission error"] = w.bob.post("/tasks/"+task+"/submissions", url.Values{"links": {"nope"}})
	w.bob.post("/tasks/"+task+"/submissions", url.Values{"text": {"Done."}}).redirectsTo(t, "/tasks/"+task+"?done=submitted")
	pages["task, review form"] = w.rita.get("/tasks/" + task)
	pages["task, review error"] = w.rita.post("/submissions/"+w.submissionID(task)+"/review", url.Values{"verdict": {"accept"}})
	w.accept(task)
	pages["task, paid, treasurer"] = w.tom.get("/tasks/" + task)
	pages["task, payout error"] = w.tom.post("/tasks/"+task+"/payouts/"+task+"/paid", url.Values{"bank_reference": {""}})
	pages["ledger, treasurer"] = w.tom.get("/@garden/ledger?done=donated")
	pages["ledger, member"] = w.bob.get("/@garden/ledger")
	pages["ledger, filtered"] = w.visitor.get("/@garden/ledger?kind=allocation&project=" + project)
	pages["ledger, filter errors"] = w.visitor.get("/@garden/ledger?from=x&to=y&kind=z&project=w")
	pages["catalogue"] = w.visitor.get("/tasks")
	pages["catalogue, errors"] = w.visitor.get("/tasks?min_budget=x&category=y")
	pages["catalogue, of an association"] = w.visitor.get("/tasks?association=garden")
	w.eve.post("/tasks/"+volunteer+"/submissions", url.Values{"text": {"Watered."}}).redirectsTo(t, "/tasks/"+volunteer+"?done=submitted")
	w.accept(volunteer)
	pages["person, rights"] = w.eve.get("/@vera")
	pages["person, reallocation error"] = w.eve.post("/tasks/"+volunteer+"/reallocations", url.Values{"parts[0].task": {other}, "parts[0].amount": {"99.00"}})
	pages["person, work, visitor"] = w.visitor.get("/@pablo")
	ledger := w.visitor.get("/@garden/ledger?kind=donation")
	var trace string
	walk(ledger.doc, func(n *htmlNode) bool {
		if n.Data == "a" && len(attr(n, "href")) > 6 && attr(n, "href")[len(attr(n, "href"))-6:] == "/trace" {
			trace = attr(n, "href")
		}
		return trace == ""
	})
	pages["donation trace"] = w.visitor.get(trace)
	fr := newBrowser(t, in)
	fr.lang = "fr"
	pages["task, French"] = fr.get("/tasks/" + task)
	pages["ledger, French"] = fr.get("/@garden/ledger")
}
