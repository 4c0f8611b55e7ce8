package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

func TestProjectPages_ProposeEvaluateAndAddTasks(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		w.alice.get("/@commons").want(t, http.StatusOK).contains(t, `href="/@commons/projects"`, `href="/tasks?association=commons"`,
			`href="/@commons/ledger"`)
		w.bob.get("/@commons/projects").want(t, http.StatusOK).contains(t, "No project yet.", `href="/@commons/projects/new"`)

		// Bob proposes: he holds the project, the board has not decided.
		id := idFrom(t, w.bob.post("/@commons/projects/new", projectForm("Shared garden")), "/projects/")
		p := w.bob.get("/projects/"+id+"?done=proposed").want(t, http.StatusOK)
		p.contains(t, "Your project is proposed.", "Shared garden", "Grow food together", "CC-BY-SA-4.0", "decentralised",
			"We share the harvest.", "Beds are built", "A rota is published", "Neighbours", "#food", "#garden", "Lyon",
			"1,500.00\u00a0EUR", "proposed")
		if got := p.text(t, "history"); !strings.Contains(got, "proposed by @bob") {
			t.Errorf("history reads %q", got)
		}
		if p.byID("evaluation") != nil || p.byID("add-task") != nil {
			t.Error("the holder may neither evaluate nor add tasks to a proposed project")
		}
		w.bob.post("/projects/"+id+"/evaluation", url.Values{"verdict": {"accept"}}).want(t, http.StatusForbidden).
			contains(t, "Only the association’s board may do this.")

		// The board rejects without a reason: refused, with what was typed kept.
		p = w.alice.post("/projects/"+id+"/evaluation", url.Values{"verdict": {"reject"}, "evaluation_reason": {"  "}}).
			want(t, http.StatusUnprocessableEntity)
		p.contains(t, "This field is required.")
		if !hasAttr(p.byID("verdict-reject"), "checked") || attr(p.byID("evaluation_reason"), "aria-invalid") != "true" {
			t.Errorf("the refused evaluation does not show its error on its field:\n%s", p.Body)
		}
		w.alice.post("/projects/"+id+"/evaluation", url.Values{"verdict": {"accept"}, "evaluation_reason": {"Useful for the street"}}).
			redirectsTo(t, "/projects/"+id+"?done=evaluated")
		p = w.visitor.get("/projects/"+id).want(t, http.StatusOK)
		history := p.text(t, "history")
		for _, want := range []string{"from proposed to being evaluated by @alice", "from being evaluated to accepted by @alice", "Reason: Useful for the street"} {
			if !strings.Contains(history, want) {
				t.Errorf("history lacks %q: %q", want, history)
			}
		}

		// The holder adds tasks now; a task without criteria or with an
		// unknown reviewer is refused with the reason next to the field.
		form := taskForm("Dig the beds", "other", "120.00")
		form.Set("done_criteria", "\n  \n")
		form.Set("reviewers", "@rita\n@nobody")
		p = w.bob.post("/projects/"+id+"/tasks/new", form).want(t, http.StatusUnprocessableEntity)
		p.contains(t, "One of the reviewers could not be found")
		form.Set("reviewers", strings.Repeat("@nobody\n", 11))
		p = w.bob.post("/projects/"+id+"/tasks/new", form).want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "reviewers-error"); got != "Too many items." {
			t.Errorf("eleven reviewers: %q", got)
		}
		form.Set("reviewers", "@rita")
		p = w.bob.post("/projects/"+id+"/tasks/new", form).want(t, http.StatusUnprocessableEntity)
		p.contains(t, "Write at least one done criterion.")
		if attr(p.byID("done_criteria"), "aria-invalid") != "true" || attr(p.byID("task_name"), "value") != "Dig the beds" {
			t.Errorf("the refused task form lost its fields:\n%s", p.Body)
		}
		form = taskForm("Dig the beds", "other", "120,50")
		form.Set("max_reservation", "8000h")
		w.bob.post("/projects/"+id+"/tasks/new", form).want(t, http.StatusUnprocessableEntity).
			contains(t, "Must be between one minute and the association’s longest reservation period.")
		task := idFrom(t, w.bob.post("/projects/"+id+"/tasks/new", taskForm("Dig the beds", "other", "120,50")), "/tasks/")
		w.visitor.get("/tasks/"+task).want(t, http.StatusOK).contains(t, "Dig the beds", "120.50\u00a0EUR", "Three beds are dug", "@rita")
		p = w.visitor.get("/projects/"+id).want(t, http.StatusOK)
		if board := p.text(t, "task-board"); !strings.Contains(board, "open (1)") || !strings.Contains(board, "Dig the beds") {
			t.Errorf("the task board reads %q", board)
		}
		w.tom.get("/projects/"+id+"/tasks/new").want(t, http.StatusOK) // the treasurer sits on the board
		w.rita.get("/projects/"+id+"/tasks/new").want(t, http.StatusForbidden).
			contains(t, "Only the project’s holder or the association’s board may do this.")

		// The holder starts the project; only the board may complete it.
		if p.byID("project-status-form") != nil {
			t.Error("a visitor is offered to change the project's status")
		}
		w.bob.post("/projects/"+id+"/status", url.Values{"to": {"active"}, "status_reason": {"We start"}}).
			redirectsTo(t, "/projects/"+id+"?done=status")
		w.bob.post("/projects/"+id+"/status", url.Values{"to": {"completed"}}).want(t, http.StatusForbidden).
			contains(t, "Only the association’s board may do this.")
		// proposed, accepted and rejected are not statuses one moves a project to:
		// evaluation decides the last two.
		w.alice.post("/projects/"+id+"/status", url.Values{"to": {"proposed"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "Choose one of the proposed values.")
		w.alice.post("/projects/"+id+"/status", url.Values{"to": {"archived"}, "status_reason": {"done"}}).
			redirectsTo(t, "/projects/"+id+"?done=status")
		w.alice.post("/projects/"+id+"/status", url.Values{"to": {"active"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "The project cannot go to this status from its current one.")
	})
}

func TestProjectPages_RefusalsAndFrench(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		w.eve.get("/@commons/projects/new").want(t, http.StatusForbidden).contains(t, "Only the association’s members may see or do this.")
		w.visitor.get("/@commons/projects/new").redirectsTo(t, "/login?next=%2F%40commons%2Fprojects%2Fnew")
		form := projectForm("")
		form.Set("licence", "Free for all")
		form.Set("architecture", "pyramid")
		form.Set("tags", "no spaces!")
		form.Set("goal", "lots")
		p := w.bob.post("/@commons/projects/new", form).want(t, http.StatusUnprocessableEntity)
		for field, msg := range map[string]string{
			"project_name": "This field is required.",
			"licence":      "Give an SPDX licence identifier",
			"architecture": "Choose one of the proposed values.",
			"tags":         "Each tag is 1 to 50 letters, digits, - or _.",
			"goal":         "Give an amount such as 100.00.",
		} {
			if got := p.text(t, field+"-error"); !strings.Contains(got, msg) {
				t.Errorf("%s: %q, want %q", field, got, msg)
			}
		}
		long := url.Values{"project_name": {strings.Repeat("x", 201)}, "licence": {"MIT"}, "architecture": {"centralised"}}
		w.bob.post("/@commons/projects/new", long).want(t, http.StatusUnprocessableEntity).contains(t, "At most 200 characters.")
		w.visitor.get("/projects/not-an-id").want(t, http.StatusNotFound)
		w.visitor.get("/projects/0190d6a0-0000-7000-8000-000000000000").want(t, http.StatusNotFound).contains(t, "There is no such project.")

		id := w.project("Jardin partagé")
		fr := newBrowser(t, in)
		fr.lang = "fr"
		p = fr.get("/projects/"+id).want(t, http.StatusOK)
		p.contains(t, `lang="fr"`, "Porteur", "Historique", "de en évaluation à accepté", "Financement", "1\u202f500,00\u00a0EUR",
			"décentralisée", "Aucune tâche pour l’instant.")
		fr.get("/@commons/projects").want(t, http.StatusOK).contains(t, "Projets de The Commons", "accepté")
	})
}
