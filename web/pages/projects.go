package pages

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// projectRoutes are the addresses of projects, tasks, the ledger and
// donations (issue 5). /projects/{id} and /tasks/{id} are the objects'
// ids: federation answers them for ActivityPub clients before the pages.
func (s *server) projectRoutes(r chi.Router) {
	r.Get("/@{name}/projects", s.projectList)
	r.Get("/@{name}/projects/new", s.newProjectForm)
	r.Post("/@{name}/projects/new", s.proposeProject)
	r.Get("/projects/{id}", s.projectPage)
	r.Post("/projects/{id}/evaluation", s.evaluateProject)
	r.Post("/projects/{id}/status", s.changeProjectStatus)
	r.Get("/projects/{id}/tasks/new", s.newTaskForm)
	r.Post("/projects/{id}/tasks/new", s.addTask)

	r.Get("/tasks", s.cataloguePage)
	r.Get("/tasks/{id}", s.taskPage)
	r.Post("/tasks/{id}/reservation", s.reserveTask)
	r.Post("/tasks/{id}/release", s.releaseTask)
	r.Post("/tasks/{id}/status", s.changeTaskStatus)
	r.Post("/tasks/{id}/submissions", s.submitWork)
	r.Post("/submissions/{id}/review", s.reviewSubmission)
	r.Post("/tasks/{id}/allocations", s.allocateToTask)
	r.Post("/tasks/{id}/payouts/{payout}/paid", s.markTaskPayoutPaid)
	r.Post("/tasks/{id}/reallocations", s.reallocate)

	r.Get("/@{name}/ledger", s.ledgerPage)
	r.Post("/@{name}/donations", s.recordDonation)
	r.Post("/@{name}/payouts/{payout}/paid", s.markLedgerPayoutPaid)
	r.Get("/donations/{id}/trace", s.tracePage)
}

// idParam is the id in the address, or false when it is not a UUID (the
// caller answers 404: nothing can live there).
func idParam(r *http.Request, name string) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, name))
	return id, err == nil
}

// speaker is the translator of the page answering r, for the few words
// Go code puts in a page (chart labels).
func (s *server) speaker(r *http.Request) speaker { return s.cat.speakers[s.lang(r)] }

type projectListPage struct {
	frame
	Association membership.Association
	Projects    []projects.Project
	Next        string
	Member      bool
}

// projectList lists an association's projects, newest first.
func (s *server) projectList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	before, _ := uuid.Parse(r.URL.Query().Get("before"))
	list, next, err := s.projects.Projects(ctx, a.Name, before, 30)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, member, err := s.memberOf(ctx, auth.Account(ctx), a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &projectListPage{Association: a, Projects: list, Member: member}
	if next != uuid.Nil {
		p.Next = next.String()
	}
	s.render(w, r, http.StatusOK, "projects", p)
}

// transitionView is one change of a project's state, as its history shows.
type transitionView struct {
	projects.Transition
	ByRef actorRef
}

// taskColumn is the tasks of one status on a project's board.
type taskColumn struct {
	Status string
	Tasks  []projects.Task
}

// boardOrder is the order of a project's task board: work to take first,
// then work under way, then work finished.
var boardOrder = []string{projects.TaskOpen, projects.TaskReserved, projects.TaskSubmitted, projects.TaskDone,
	projects.TaskPaid, projects.TaskDraft, projects.TaskCancelled}

// fundsView is where a project's money stands, with its bar chart.
type fundsView struct {
	ledger.ProjectFunding
	Goal     int64
	Currency string
	Chart    barChart
}

type projectPage struct {
	frame
	Project     projects.Project
	Association membership.Association
	Description []string
	Holder      actorRef
	History     []transitionView
	TaskBoard   []taskColumn
	Funds       *fundsView // nil when the viewer may not read the ledger
	IsMember    bool
	IsBoard     bool
	IsHolder    bool
	// MayEvaluate: the board may decide on this proposed project itself;
	// ByProposal: it may not, the association decides by a proposal.
	MayEvaluate bool
	ByProposal  bool
	// ProposeEvaluation: the page offers the forms that propose to accept
	// or reject the project (EvaluationKinds, the actions).
	ProposeEvaluation bool
	EvaluationKinds   []string
	NextStatuses      []string
	MayAddTasks       bool
	Evaluation        *form
	Status            *form
	Failed            *form // the form that went wrong, whose problems head the page
	Done              string
}

func (s *server) projectPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showProject(w, r, http.StatusOK, id, newForm(evaluationFields...), newForm(statusFields...))
}

// showProject shows project id with the evaluation and status forms.
func (s *server) showProject(w http.ResponseWriter, r *http.Request, status int, id uuid.UUID, evaluation, change *form) {
	ctx := r.Context()
	pr, err := s.projects.Project(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.projects.AssociationOf(ctx, pr.AssociationID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	history, err := s.projects.History(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tasks, err := s.projects.Tasks(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	viewer := auth.Account(ctx)
	m, member, err := s.memberOf(ctx, viewer, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := s.namer(ctx)
	p := &projectPage{Project: pr, Association: a, Description: paragraphs(pr.Description), Holder: names.actor(pr.Holder),
		IsMember: member, IsBoard: member && m.IsBoard(), IsHolder: viewer != nil && s.viewerURI(viewer) == pr.Holder,
		Evaluation: evaluation, Status: change, Done: doneParam(r, "proposed", "evaluated", "status")}
	for _, t := range history {
		p.History = append(p.History, transitionView{Transition: t, ByRef: names.actor(t.By)})
	}
	for _, st := range boardOrder {
		col := taskColumn{Status: st}
		for _, t := range tasks {
			if t.Status == st {
				col.Tasks = append(col.Tasks, t)
			}
		}
		if len(col.Tasks) > 0 {
			p.TaskBoard = append(p.TaskBoard, col)
		}
	}
	undecided := pr.Status == projects.ProjectProposed || pr.Status == projects.ProjectEvaluating
	p.MayEvaluate = p.IsBoard && undecided && a.Settings.BoardMayEvaluateProjects
	p.ByProposal = p.IsBoard && undecided && !a.Settings.BoardMayEvaluateProjects
	if s.governance != nil && member && undecided && !a.Settings.BoardMayEvaluateProjects {
		p.ProposeEvaluation, p.EvaluationKinds = true, []string{governance.ActionAcceptProject, governance.ActionRejectProject}
	}
	p.MayAddTasks = (p.IsHolder || p.IsBoard) && (pr.Status == projects.ProjectAccepted || pr.Status == projects.ProjectActive)
	for _, to := range []string{projects.ProjectActive, projects.ProjectCompleted, projects.ProjectArchived} {
		// The holder starts the work; the board closes a project.
		if projects.MayTransition(pr.Status, to) && (p.IsBoard || p.IsHolder && to == projects.ProjectActive) {
			p.NextStatuses = append(p.NextStatuses, to)
		}
	}
	if !p.MayEvaluate {
		evaluation.hoist()
	}
	if len(p.NextStatuses) == 0 {
		change.hoist()
	}
	p.Failed = failed(evaluation, change)
	funds, err := s.ledger.FundingOfProject(ctx, viewer, a.Name, id)
	switch {
	case err == nil:
		p.Funds = s.fundsView(r, pr, funds)
	case !isForbidden(err):
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "project", p)
}

// fundsView draws a project's goal and money as bars on one scale.
func (s *server) fundsView(r *http.Request, pr projects.Project, f ledger.ProjectFunding) *fundsView {
	sp := s.speaker(r)
	word := func(w string) string { return sp.label(labelSets["funds"], w) }
	var rows []barRow
	if pr.Goal > 0 {
		rows = append(rows, barRow{Label: word("goal"), Amount: pr.Goal, Class: "bar-goal"})
	}
	rows = append(rows,
		barRow{Label: word("donated"), Amount: f.Donated, Class: "bar-in"},
		barRow{Label: word("allocated"), Amount: f.Allocated, Class: "bar-allocated"},
		barRow{Label: word("spent"), Amount: f.Spent, Class: "bar-out"})
	return &fundsView{ProjectFunding: f, Goal: pr.Goal, Currency: pr.Currency, Chart: layoutBars(rows)}
}

// ownsOrBoards reports whether the viewer may act on a project as its
// holder or its board, to offer the forms core would accept.
func ownsOrBoards(p projects.Project, viewerURI string, m membership.Member, member bool) bool {
	return viewerURI != "" && viewerURI == p.Holder || member && m.IsBoard()
}

// isForbidden reports whether err is a refusal to the viewer, such as a
// ledger shown to members only: the page then leaves that part out.
func isForbidden(err error) bool { return core.KindOf(err) == core.KindForbidden }
