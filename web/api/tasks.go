package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// taskJSON is a task (DESIGN §7): durations are Go durations, amounts
// decimal strings in Currency. A single done or paid task also shows its
// payout, where the viewer may read the association's ledger.
type taskJSON struct {
	ID              string      `json:"id"`
	Project         string      `json:"project"`
	Name            string      `json:"name"`
	Description     string      `json:"description"`
	Category        string      `json:"category"`
	DoneCriteria    []string    `json:"done_criteria"`
	Budget          string      `json:"budget"`
	Currency        string      `json:"currency"`
	EstimatedEffort string      `json:"estimated_effort"`
	MaxReservation  string      `json:"max_reservation"`
	Reviewers       []string    `json:"reviewers"`
	Status          string      `json:"status"`
	ReservedBy      *string     `json:"reserved_by"`
	ReservedUntil   *string     `json:"reserved_until"`
	CreatedBy       string      `json:"created_by"`
	CreatedAt       string      `json:"created_at"`
	UpdatedAt       string      `json:"updated_at"`
	Payout          *payoutJSON `json:"payout,omitempty"`
	// In the network catalogue: the task's id on the wire and its
	// association's; a partner's task says so, with its project's id on
	// the wire (its project is the project's copy here, when kept).
	URI         string `json:"uri,omitempty"`
	Association string `json:"association,omitempty"`
	Partner     bool   `json:"partner,omitempty"`
	ProjectURI  string `json:"project_uri,omitempty"`
}

func renderTask(t projects.Task) taskJSON {
	return taskJSON{ID: t.ID.String(), Project: t.ProjectID.String(), Name: t.Name, Description: t.Description,
		Category: t.Category, DoneCriteria: nonNil(t.DoneCriteria), Budget: money.Format(t.Budget, t.Currency),
		Currency: t.Currency, EstimatedEffort: t.EstimatedEffort.String(), MaxReservation: t.MaxReservation.String(),
		Reviewers: nonNil(t.Reviewers), Status: t.Status, ReservedBy: optString(t.ReservedBy),
		ReservedUntil: optTimestamp(t.ReservedUntil), CreatedBy: t.CreatedBy, CreatedAt: timestamp(t.CreatedAt),
		UpdatedAt: timestamp(t.UpdatedAt)}
}

// writeTask answers with task t and, once it is done, its payout.
func (h *handlers) writeTask(w http.ResponseWriter, r *http.Request, status int, t projects.Task) {
	out := renderTask(t)
	if h.ledger != nil && (t.Status == projects.TaskDone || t.Status == projects.TaskPaid) {
		p, err := h.ledger.PayoutOfTask(r.Context(), auth.Account(r.Context()), t.ID)
		switch {
		case errors.Is(err, ledger.ErrNoSuchPayout), errors.Is(err, membership.ErrNotAllowed):
			// done by a volunteer, or a members-only ledger
		case err != nil:
			fail(w, r, err)
			return
		default:
			j := renderPayout(p, t.Currency)
			out.Payout = &j
		}
	}
	if status == http.StatusCreated {
		created(w, r, "/tasks/"+t.ID.String(), out)
		return
	}
	writeJSON(w, r, status, out)
}

// taskRequest is the body of a new task.
type taskRequest struct {
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	Category        string   `json:"category"`
	DoneCriteria    []string `json:"done_criteria"`
	Budget          string   `json:"budget"`
	EstimatedEffort string   `json:"estimated_effort"`
	MaxReservation  string   `json:"max_reservation"`
	Reviewers       []string `json:"reviewers"`
	Draft           bool     `json:"draft"`
}

// addTask adds a task to an accepted or active project, as its holder or
// the board: open at once unless it is a draft.
func (h *handlers) addTask(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	project, ok := pathID(w, r, projects.ErrNoSuchProject)
	if !ok {
		return
	}
	var in taskRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	t, err := h.projects.AddTask(r.Context(), acc, project, projects.TaskInput{Name: in.Name, Description: in.Description,
		Category: in.Category, DoneCriteria: in.DoneCriteria, Budget: in.Budget, EstimatedEffort: in.EstimatedEffort,
		MaxReservation: in.MaxReservation, Reviewers: in.Reviewers, Draft: in.Draft})
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeTask(w, r, http.StatusCreated, t)
}

func (h *handlers) listProjectTasks(w http.ResponseWriter, r *http.Request) {
	project, ok := pathID(w, r, projects.ErrNoSuchProject)
	if !ok {
		return
	}
	p, err := pageParams(r, projects.MaxPage/2, projects.MaxPage, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	after := uuid.Nil
	if p.cursor != "" {
		after = uuid.MustParse(p.cursor) // checked by uuidCursor
	}
	list, next, err := h.projects.TasksPage(r.Context(), project, after, p.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, newList(renderTasks(list), cursorOf(next)))
}

func renderTasks(list []projects.Task) []taskJSON {
	out := make([]taskJSON, len(list))
	for i, t := range list {
		out[i] = renderTask(t)
	}
	return out
}

func (h *handlers) getTask(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, projects.ErrNoSuchTask)
	if !ok {
		return
	}
	t, err := h.projects.Task(r.Context(), id)
	if errors.Is(err, projects.ErrNoSuchTask) && h.onPartnerTask(w, r, id, func(t projects.RemoteTask) { h.writeRemoteTask(w, r, t) }) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	h.writeTask(w, r, http.StatusOK, t)
}

// moveTask answers a change of a task's state that takes no body: open a
// draft, cancel an open task.
func (h *handlers) moveTask(move func(Projects, context.Context, membership.Account, uuid.UUID) (projects.Task, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, err := auth.Require(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		id, ok := pathID(w, r, projects.ErrNoSuchTask)
		if !ok {
			return
		}
		var none struct{}
		if err := decodeOptional(r, &none); err != nil {
			fail(w, r, err)
			return
		}
		t, err := move(h.projects, r.Context(), acc, id)
		if err != nil {
			fail(w, r, err)
			return
		}
		h.writeTask(w, r, http.StatusOK, t)
	}
}
