package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// RemoteWork is what acting on partners' tasks needs (projects.Service):
// a task of another instance is addressed by the local id of its copy
// here; reserving it or delivering work for it sends the activity to its
// association and answers 202 with the pending state (DESIGN §7).
type RemoteWork interface {
	RemoteTask(ctx context.Context, id uuid.UUID) (projects.RemoteTask, error)
	RemoteTaskByURI(ctx context.Context, uri string) (projects.RemoteTask, error)
	OfferReservation(ctx context.Context, by membership.Account, task projects.RemoteTask, until time.Time) (projects.RemoteReservation, error)
	WithdrawReservation(ctx context.Context, by membership.Account, task string) (projects.RemoteReservation, error)
	RemoteReservationOf(ctx context.Context, actor, task string) (projects.RemoteReservation, error)
	SubmitRemote(ctx context.Context, by membership.Account, task projects.RemoteTask, text string, links []string) (projects.RemoteSubmission, error)
	RemoteSubmissionsOf(ctx context.Context, actor, task string) ([]projects.RemoteSubmission, error)
	HostedSubmission(ctx context.Context, id uuid.UUID) (projects.RemoteSubmission, error)
	OfferReallocation(ctx context.Context, by membership.Account, task projects.RemoteTask, parts []projects.RemotePart) (projects.RemoteReallocation, error)
	RemoteReallocationsOf(ctx context.Context, actor, task string) ([]projects.RemoteReallocation, error)
}

// remoteTaskJSON is a partner's task as this instance keeps it, with what
// the caller has done on it: their latest reservation, their work and
// their offers to reallocate its budget.
type remoteTaskJSON struct {
	ID             string                   `json:"id"`
	Remote         bool                     `json:"remote"`
	URI            string                   `json:"uri"`
	Association    string                   `json:"association"`
	Project        string                   `json:"project"`
	Name           string                   `json:"name"`
	Category       string                   `json:"category"`
	DoneCriteria   []string                 `json:"done_criteria"`
	Budget         string                   `json:"budget"`
	Currency       string                   `json:"currency"`
	MaxReservation string                   `json:"max_reservation"`
	Reviewers      []string                 `json:"reviewers"`
	Status         string                   `json:"status"`
	ReservedBy     *string                  `json:"reserved_by"`
	ReservedUntil  *string                  `json:"reserved_until"`
	Reservation    *remoteReservationJSON   `json:"reservation"`
	Submissions    []remoteSubmissionJSON   `json:"submissions"`
	Reallocations  []remoteReallocationJSON `json:"reallocations"`
}

func renderRemoteTask(t projects.RemoteTask) remoteTaskJSON {
	return remoteTaskJSON{ID: t.ID.String(), Remote: true, URI: t.URI, Association: t.Association, Project: t.ProjectURI,
		Name: t.Name, Category: t.Category, DoneCriteria: nonEmpty(t.DoneCriteria), Budget: money.Format(t.Budget, t.Currency),
		Currency: t.Currency, MaxReservation: t.MaxReservation.String(), Reviewers: nonEmpty(t.Reviewers), Status: t.Status,
		ReservedBy: optString(t.ReservedBy), ReservedUntil: optTimestamp(t.ReservedUntil), Submissions: []remoteSubmissionJSON{},
		Reallocations: []remoteReallocationJSON{}}
}

// remoteReservationJSON is the caller's reservation of a partner's task:
// pending until the association answers, then active or rejected (with
// its reason); released when given up, completed once the work is
// accepted, lapsed past its deadline.
type remoteReservationJSON struct {
	ID        string `json:"id"`
	Task      string `json:"task"`
	TaskURI   string `json:"task_uri"`
	Actor     string `json:"actor"`
	Status    string `json:"status"`
	Deadline  string `json:"deadline"`
	Reason    string `json:"reason"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func renderRemoteReservation(task uuid.UUID, r projects.RemoteReservation) remoteReservationJSON {
	return remoteReservationJSON{ID: r.ID.String(), Task: task.String(), TaskURI: r.Task, Actor: r.Actor, Status: r.Status,
		Deadline: timestamp(r.Until), Reason: r.Reason, CreatedAt: timestamp(r.CreatedAt), UpdatedAt: timestamp(r.UpdatedAt)}
}

// remoteSubmissionJSON is work the caller delivered for a partner's task,
// hosted here (uri), with the association's verdict and payout once they
// come back.
type remoteSubmissionJSON struct {
	ID          string            `json:"id"`
	URI         string            `json:"uri"`
	Task        string            `json:"task"`
	TaskURI     string            `json:"task_uri"`
	By          string            `json:"by"`
	Text        string            `json:"text"`
	Links       []string          `json:"links"`
	Status      string            `json:"status"`
	Criteria    []remoteCheckJSON `json:"criteria"`
	Verdict     string            `json:"verdict"`
	SubmittedAt string            `json:"submitted_at"`
	ReviewedAt  *string           `json:"reviewed_at"`
	Payout      *remotePayoutJSON `json:"payout"`
}

type remoteCheckJSON struct {
	Criterion string `json:"criterion"`
	Met       bool   `json:"met"`
	Comment   string `json:"comment"`
}

// remotePayoutJSON is the payout the association recorded on its ledger.
type remotePayoutJSON struct {
	Transaction string `json:"transaction"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
}

func renderRemoteSubmission(task uuid.UUID, s projects.RemoteSubmission) remoteSubmissionJSON {
	out := remoteSubmissionJSON{ID: s.ID.String(), URI: s.URI, Task: task.String(), TaskURI: s.Task, By: s.By, Text: s.Text,
		Links: nonEmpty(s.Links), Status: s.Status, Criteria: []remoteCheckJSON{}, Verdict: s.Verdict,
		SubmittedAt: timestamp(s.SubmittedAt), ReviewedAt: optTimestamp(s.ReviewedAt)}
	for _, c := range s.Checks {
		out.Criteria = append(out.Criteria, remoteCheckJSON{Criterion: c.Criterion, Met: c.Met, Comment: c.Comment})
	}
	if p := s.Payout; p != nil {
		out.Payout = &remotePayoutJSON{Transaction: p.Transaction, Amount: money.Format(p.Amount, p.Currency), Currency: p.Currency}
	}
	return out
}

func nonEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// remoteReallocationJSON is the caller's offer to reallocate the budget of
// a partner's task they completed as a volunteer: pending until the
// association answers, then accepted (transaction: the reallocation on its
// ledger) or rejected with its reason. Parts name the tasks by their ids
// on the wire.
type remoteReallocationJSON struct {
	ID          string                 `json:"id"`
	Task        string                 `json:"task"`
	TaskURI     string                 `json:"task_uri"`
	Status      string                 `json:"status"`
	Currency    string                 `json:"currency"`
	Parts       []projects.OfferedPart `json:"parts"`
	Reason      string                 `json:"reason"`
	Transaction *string                `json:"transaction"`
	CreatedAt   string                 `json:"created_at"`
}

func renderRemoteReallocation(task uuid.UUID, m projects.RemoteReallocation) remoteReallocationJSON {
	return remoteReallocationJSON{ID: m.ID.String(), Task: task.String(), TaskURI: m.Task, Status: m.Status,
		Currency: m.Currency, Parts: m.Parts, Reason: m.Reason, Transaction: optString(m.Transaction),
		CreatedAt: timestamp(m.CreatedAt)}
}

// reallocateRemote offers to move parts of the budget of a partner's task
// the caller completed as a volunteer to other tasks of that association
// (each named by the local id of its copy): the Offer goes to the
// association, pending (202) until it answers.
func (h *handlers) reallocateRemote(w http.ResponseWriter, r *http.Request, acc membership.Account, t projects.RemoteTask, in reallocationRequest) {
	var fields []core.FieldError
	parts := make([]projects.RemotePart, len(in.Parts))
	for i, p := range in.Parts {
		id, err := uuid.Parse(p.Task)
		var to projects.RemoteTask
		ok := err == nil
		if ok {
			to, ok, err = h.remoteTaskOf(r.Context(), id)
			if err != nil {
				fail(w, r, err)
				return
			}
		}
		if !ok {
			fields = append(fields, core.FieldError{Field: fmt.Sprintf("parts[%d].task", i), Code: "invalid-task",
				Detail: "must be the id of a task of the same association"})
		}
		parts[i] = projects.RemotePart{Task: to, Amount: p.Amount}
	}
	if len(fields) > 0 {
		fail(w, r, core.Invalid(fields...))
		return
	}
	if h.remote != nil {
		if _, err := h.remote.Lookup(r.Context(), t.Association); err != nil {
			fail(w, r, err)
			return
		}
	}
	m, err := h.remoteWork.OfferReallocation(r.Context(), acc, t, parts)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderRemoteReallocation(t.ID, m))
}

// remoteTaskOf returns the partner's task whose copy has the local id, and
// whether there is one: the "if remote" of the task routes.
func (h *handlers) remoteTaskOf(ctx context.Context, id uuid.UUID) (projects.RemoteTask, bool, error) {
	if h.remoteWork == nil {
		return projects.RemoteTask{}, false, nil
	}
	t, err := h.remoteWork.RemoteTask(ctx, id)
	if errors.Is(err, projects.ErrNoSuchRemoteTask) {
		return projects.RemoteTask{}, false, nil
	}
	return t, err == nil, err
}

// myActor is the caller's actor id.
func (h *handlers) myActor(acc membership.Account) string { return h.members.ActorURI(acc.Username) }

// writeRemoteTask answers with the partner's task and what the caller (if
// any) did on it.
func (h *handlers) writeRemoteTask(w http.ResponseWriter, r *http.Request, t projects.RemoteTask) {
	out := renderRemoteTask(t)
	if acc := auth.Account(r.Context()); acc != nil {
		me := h.myActor(*acc)
		res, err := h.remoteWork.RemoteReservationOf(r.Context(), me, t.URI)
		switch {
		case err == nil:
			j := renderRemoteReservation(t.ID, res)
			out.Reservation = &j
		case !errors.Is(err, projects.ErrNotReserved):
			fail(w, r, err)
			return
		}
		subs, err := h.remoteWork.RemoteSubmissionsOf(r.Context(), me, t.URI)
		if err != nil {
			fail(w, r, err)
			return
		}
		for _, s := range subs {
			out.Submissions = append(out.Submissions, renderRemoteSubmission(t.ID, s))
		}
		moves, err := h.remoteWork.RemoteReallocationsOf(r.Context(), me, t.URI)
		if err != nil {
			fail(w, r, err)
			return
		}
		for _, m := range moves {
			out.Reallocations = append(out.Reallocations, renderRemoteReallocation(t.ID, m))
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// reserveRemoteTask offers a reservation of a partner's task: the Offer
// goes to its association, and the reservation is pending (202) until the
// association answers.
func (h *handlers) reserveRemoteTask(w http.ResponseWriter, r *http.Request, acc membership.Account, t projects.RemoteTask, until time.Time) {
	if h.remote != nil {
		// The association answers; its inbox must be known here.
		if _, err := h.remote.Lookup(r.Context(), t.Association); err != nil {
			fail(w, r, err)
			return
		}
	}
	res, err := h.remoteWork.OfferReservation(r.Context(), acc, t, until)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderRemoteReservation(t.ID, res))
}

// releaseRemoteTask gives up the caller's reservation of a partner's task:
// the Undo of its Offer goes to the association (202).
func (h *handlers) releaseRemoteTask(w http.ResponseWriter, r *http.Request, acc membership.Account, t projects.RemoteTask) {
	res, err := h.remoteWork.WithdrawReservation(r.Context(), acc, t.URI)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderRemoteReservation(t.ID, res))
}

// submitRemoteWork delivers the caller's work for a partner's task: hosted
// here, sent to the association, pending (202) until it gives its verdict.
func (h *handlers) submitRemoteWork(w http.ResponseWriter, r *http.Request, acc membership.Account, t projects.RemoteTask, text string, links []string) {
	s, err := h.remoteWork.SubmitRemote(r.Context(), acc, t, text, links)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderRemoteSubmission(t.ID, s))
}

// TaskResolver finds a partner's task by its id, fetching it from its
// origin when it is not kept here yet (federation.Federation).
type TaskResolver interface {
	ResolveTask(ctx context.Context, uri string) (projects.RemoteTask, error)
}

// resolveTask answers GET /resolve for the id of a partner's task: kept
// here, or (for an address of a task, /tasks/…) fetched and kept. It
// reports false when q is no such task, to be looked up as an actor.
func (h *handlers) resolveTask(w http.ResponseWriter, r *http.Request, q string) bool {
	u, err := url.Parse(q)
	if h.remoteWork == nil || err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return false
	}
	var t projects.RemoteTask
	if h.taskResolver != nil && strings.HasPrefix(u.Path, "/tasks/") {
		t, err = h.taskResolver.ResolveTask(r.Context(), q)
	} else {
		t, err = h.remoteWork.RemoteTaskByURI(r.Context(), q)
	}
	if errors.Is(err, projects.ErrNoSuchRemoteTask) {
		return false
	}
	if err != nil {
		fail(w, r, err)
		return true
	}
	h.writeRemoteTask(w, r, t)
	return true
}

// onPartnerTask runs act when id is the local id of a partner's task, and
// reports whether the request is answered: the "if remote" of the task
// routes, asked once the id is no local task.
func (h *handlers) onPartnerTask(w http.ResponseWriter, r *http.Request, id uuid.UUID, act func(projects.RemoteTask)) bool {
	t, remote, err := h.remoteTaskOf(r.Context(), id)
	switch {
	case err != nil:
		fail(w, r, err)
		return true
	case !remote:
		return false
	}
	act(t)
	return true
}

// getHostedSubmission answers GET /submissions/{id} for work hosted here
// for a partner's task.
func (h *handlers) getHostedSubmission(w http.ResponseWriter, r *http.Request, id uuid.UUID) {
	s, err := h.remoteWork.HostedSubmission(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	task := uuid.Nil
	if t, err := h.remoteWork.RemoteTaskByURI(r.Context(), s.Task); err == nil {
		task = t.ID
	}
	writeJSON(w, r, http.StatusOK, renderRemoteSubmission(task, s))
}
