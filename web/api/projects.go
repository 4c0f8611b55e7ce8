package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// Projects is what the API needs of the projects service: projects and
// their evaluation, tasks, reservations, submissions and reviews, the
// recognition of verified work, and the payment of payouts.
type Projects interface {
	Propose(ctx context.Context, by membership.Account, association string, in projects.ProjectInput) (projects.Project, error)
	Project(ctx context.Context, id uuid.UUID) (projects.Project, error)
	History(ctx context.Context, id uuid.UUID) ([]projects.Transition, error)
	Projects(ctx context.Context, association string, before uuid.UUID, limit int) ([]projects.Project, uuid.UUID, error)
	UpdateProject(ctx context.Context, by membership.Account, id uuid.UUID, in projects.ProjectInput) (projects.Project, error)
	Evaluate(ctx context.Context, by membership.Account, id uuid.UUID, verdict, reason string) (projects.Project, error)
	SetProjectStatus(ctx context.Context, by membership.Account, id uuid.UUID, to, reason string) (projects.Project, error)

	AddTask(ctx context.Context, by membership.Account, project uuid.UUID, in projects.TaskInput) (projects.Task, error)
	Task(ctx context.Context, id uuid.UUID) (projects.Task, error)
	TasksPage(ctx context.Context, project, after uuid.UUID, limit int) ([]projects.Task, uuid.UUID, error)
	OpenTask(ctx context.Context, by membership.Account, id uuid.UUID) (projects.Task, error)
	CancelTask(ctx context.Context, by membership.Account, id uuid.UUID) (projects.Task, error)
	Catalogue(ctx context.Context, q projects.CatalogueQuery) ([]projects.Task, uuid.UUID, error)

	Reserve(ctx context.Context, by membership.Account, id uuid.UUID, until time.Time) (projects.Reservation, error)
	Release(ctx context.Context, by membership.Account, id uuid.UUID, reason string) (projects.Reservation, error)
	Reservations(ctx context.Context, id uuid.UUID) ([]projects.Reservation, error)

	Submit(ctx context.Context, by membership.Account, id uuid.UUID, text string, links []string) (projects.Submission, error)
	Submission(ctx context.Context, id uuid.UUID) (projects.Submission, error)
	Submissions(ctx context.Context, id uuid.UUID) ([]projects.Submission, error)
	ReviewSubmission(ctx context.Context, by membership.Account, id uuid.UUID, checks []projects.CriterionCheck, verdict, comment string) (projects.Review, error)
	ReviewOf(ctx context.Context, id uuid.UUID) (projects.Review, error)
	Recognitions(ctx context.Context, actor string) ([]projects.Recognition, error)

	MarkPaid(ctx context.Context, by membership.Account, payout uuid.UUID, bankReference string) (ledger.Payout, error)
}

func (h *handlers) routeProjects(r chi.Router) {
	r.Post("/associations/{name}/projects", h.proposeProject)
	r.Get("/associations/{name}/projects", h.listProjects)
	r.Get("/projects/{id}", h.getProject)
	r.Patch("/projects/{id}", changeProject(h, h.updateProject))
	r.Post("/projects/{id}/evaluation", changeProject(h, h.evaluateProject))
	r.Post("/projects/{id}/status", changeProject(h, h.setProjectStatus))

	r.Post("/projects/{id}/tasks", h.addTask)
	r.Get("/projects/{id}/tasks", h.listProjectTasks)
	r.Get("/tasks", h.catalogue)
	r.Get("/tasks/{id}", h.getTask)
	r.Post("/tasks/{id}/open", h.moveTask(Projects.OpenTask))
	r.Post("/tasks/{id}/cancel", h.moveTask(Projects.CancelTask))

	r.Post("/tasks/{id}/reservation", h.reserveTask)
	r.Delete("/tasks/{id}/reservation", h.releaseTask)
	r.Get("/tasks/{id}/reservations", h.listReservations)

	r.Post("/tasks/{id}/submissions", h.submitWork)
	r.Get("/tasks/{id}/submissions", h.listSubmissions)
	r.Get("/submissions/{id}", h.getSubmission)
	r.Post("/submissions/{id}/review", h.reviewSubmission)

	r.Get("/actors/{name}/recognitions", h.getRecognitions)
	r.Post("/payouts/{id}/paid", h.markPaid)
}

// pathID reads the {id} of the route; a malformed one names nothing, so
// it is answered as missing.
// existingTask reads the id of task {id} and checks that the task exists,
// for the routes that list what belongs to it.
func (h *handlers) existingTask(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, ok := pathID(w, r, projects.ErrNoSuchTask)
	if !ok {
		return uuid.Nil, false
	}
	if _, err := h.projects.Task(r.Context(), id); err != nil {
		fail(w, r, err)
		return uuid.Nil, false
	}
	return id, true
}

func pathID(w http.ResponseWriter, r *http.Request, missing error) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, missing)
		return uuid.Nil, false
	}
	return id, true
}

// projectJSON is a project. A single project also shows the history of
// its states and, where the viewer may read the association's ledger, its
// funding; lists leave both out.
type projectJSON struct {
	ID            string            `json:"id"`
	Association   string            `json:"association"`
	Holder        string            `json:"holder"`
	Name          string            `json:"name"`
	Summary       string            `json:"summary"`
	Description   string            `json:"description"`
	Licence       string            `json:"licence"`
	Architecture  string            `json:"architecture"`
	Checklist     []string          `json:"checklist"`
	Beneficiaries []string          `json:"beneficiaries"`
	Tags          []string          `json:"tags"`
	Place         string            `json:"place"`
	Goal          string            `json:"goal"`
	Currency      string            `json:"currency"`
	Status        string            `json:"status"`
	CreatedAt     string            `json:"created_at"`
	UpdatedAt     string            `json:"updated_at"`
	History       []transitionJSON  `json:"history,omitempty"`
	Funding       *projectMoneyJSON `json:"funding,omitempty"`
}

// transitionJSON is one change of a project's state: who, when and why.
type transitionJSON struct {
	From   *string `json:"from"`
	To     string  `json:"to"`
	By     string  `json:"by"`
	Reason string  `json:"reason"`
	At     string  `json:"at"`
}

// projectMoneyJSON is what the ledger says of a project and its tasks.
type projectMoneyJSON struct {
	Donated   string `json:"donated"`
	Allocated string `json:"allocated"`
	Spent     string `json:"spent"`
	Balance   string `json:"balance"`
}

func renderProject(p projects.Project) projectJSON {
	return projectJSON{ID: p.ID.String(), Association: p.Association, Holder: p.Holder, Name: p.Name, Summary: p.Summary,
		Description: p.Description, Licence: p.Licence, Architecture: p.Architecture, Checklist: nonNil(p.Checklist),
		Beneficiaries: nonNil(p.Beneficiaries), Tags: nonNil(p.Tags), Place: p.Place, Goal: money.Format(p.Goal, p.Currency),
		Currency: p.Currency, Status: p.Status, CreatedAt: timestamp(p.CreatedAt), UpdatedAt: timestamp(p.UpdatedAt)}
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// writeProject answers with project p in full: its history and, if the
// viewer may read them, its funding figures.
func (h *handlers) writeProject(w http.ResponseWriter, r *http.Request, status int, p projects.Project) {
	out := renderProject(p)
	history, err := h.projects.History(r.Context(), p.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	out.History = make([]transitionJSON, len(history))
	for i, t := range history {
		out.History[i] = transitionJSON{From: optString(t.From), To: t.To, By: t.By, Reason: t.Reason, At: timestamp(t.At)}
	}
	if h.ledger != nil {
		f, err := h.ledger.FundingOfProject(r.Context(), auth.Account(r.Context()), p.Association, p.ID)
		switch {
		case errors.Is(err, membership.ErrNotAllowed): // a members-only ledger: no figures
		case err != nil:
			fail(w, r, err)
			return
		default:
			c := f.Currency
			out.Funding = &projectMoneyJSON{Donated: money.Format(f.Donated, c), Allocated: money.Format(f.Allocated, c),
				Spent: money.Format(f.Spent, c), Balance: money.Format(f.Balance, c)}
		}
	}
	if status == http.StatusCreated {
		created(w, r, "/projects/"+p.ID.String(), out)
		return
	}
	writeJSON(w, r, status, out)
}

// projectRequest is the body of a new project and of a change to one;
// in a change, absent fields stay as they are.
type projectRequest struct {
	Name          *string   `json:"name"`
	Summary       *string   `json:"summary"`
	Description   *string   `json:"description"`
	Licence       *string   `json:"licence"`
	Architecture  *string   `json:"architecture"`
	Checklist     *[]string `json:"checklist"`
	Beneficiaries *[]string `json:"beneficiaries"`
	Tags          *[]string `json:"tags"`
	Place         *string   `json:"place"`
	Goal          *string   `json:"goal"`
}

func (in projectRequest) input() projects.ProjectInput {
	return projects.ProjectInput{Name: in.Name, Summary: in.Summary, Description: in.Description, Licence: in.Licence,
		Architecture: in.Architecture, Checklist: in.Checklist, Beneficiaries: in.Beneficiaries, Tags: in.Tags,
		Place: in.Place, Goal: in.Goal}
}

// proposeProject records a project proposed by a member, who holds it.
func (h *handlers) proposeProject(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in projectRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.projects.Propose(r.Context(), acc, chi.URLParam(r, "name"), in.input())
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeProject(w, r, http.StatusCreated, p)
}

func (h *handlers) listProjects(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r, projects.MaxPage/2, projects.MaxPage, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	before := uuid.Nil
	if p.cursor != "" {
		before = uuid.MustParse(p.cursor) // checked by uuidCursor
	}
	list, next, err := h.projects.Projects(r.Context(), chi.URLParam(r, "name"), before, p.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]projectJSON, len(list))
	for i, pr := range list {
		items[i] = renderProject(pr)
	}
	writeJSON(w, r, http.StatusOK, newList(items, cursorOf(next)))
}

// cursorOf is the next cursor of a list paged by id, "" at its end.
func cursorOf(next uuid.UUID) string {
	if next == uuid.Nil {
		return ""
	}
	return next.String()
}

func (h *handlers) getProject(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, projects.ErrNoSuchProject)
	if !ok {
		return
	}
	p, err := h.projects.Project(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeProject(w, r, http.StatusOK, p)
}

// changeProject is the handler of a change to project {id} by the signed-in
// account: the body read as In, the change made by change, the project
// written back.
func changeProject[In any](h *handlers, change func(ctx context.Context, acc membership.Account, id uuid.UUID, in In) (projects.Project, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, err := auth.Require(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		id, ok := pathID(w, r, projects.ErrNoSuchProject)
		if !ok {
			return
		}
		var in In
		if err := decode(r, &in); err != nil {
			fail(w, r, err)
			return
		}
		p, err := change(r.Context(), acc, id, in)
		if err != nil {
			fail(w, r, err)
			return
		}
		h.writeProject(w, r, http.StatusOK, p)
	}
}

// updateProject changes a project's description, as its holder or the
// board.
func (h *handlers) updateProject(ctx context.Context, acc membership.Account, id uuid.UUID, in projectRequest) (projects.Project, error) {
	return h.projects.UpdateProject(ctx, acc, id, in.input())
}

type evaluationRequest struct {
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

// evaluateProject accepts or rejects a proposed project, as the board of
// an association that lets its board evaluate projects.
func (h *handlers) evaluateProject(ctx context.Context, acc membership.Account, id uuid.UUID, in evaluationRequest) (projects.Project, error) {
	p, err := h.projects.Evaluate(ctx, acc, id, in.Verdict, in.Reason)
	if errors.Is(err, projects.ErrEvaluationProposal) && h.governance != nil {
		err = h.evaluationProposal(ctx, err, id, in)
	}
	return p, err
}

type projectStatusRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// setProjectStatus moves an evaluated project on: active, completed,
// archived.
func (h *handlers) setProjectStatus(ctx context.Context, acc membership.Account, id uuid.UUID, in projectStatusRequest) (projects.Project, error) {
	return h.projects.SetProjectStatus(ctx, acc, id, in.Status, in.Reason)
}
