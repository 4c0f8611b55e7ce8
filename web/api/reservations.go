package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// reservationJSON is one reservation of a task, active or ended (released,
// lapsed at its deadline, or completed by the verification of the work).
type reservationJSON struct {
	ID         string  `json:"id"`
	Task       string  `json:"task"`
	Actor      string  `json:"actor"`
	Status     string  `json:"status"`
	ReservedAt string  `json:"reserved_at"`
	Deadline   string  `json:"deadline"`
	EndedAt    *string `json:"ended_at"`
	EndedBy    *string `json:"ended_by"`
	Reason     string  `json:"reason"`
}

func renderReservation(r projects.Reservation) reservationJSON {
	return reservationJSON{ID: r.ID.String(), Task: r.TaskID.String(), Actor: r.Actor, Status: r.Status,
		ReservedAt: timestamp(r.ReservedAt), Deadline: timestamp(r.Deadline), EndedAt: optTimestamp(r.EndedAt),
		EndedBy: optString(r.EndedBy), Reason: r.Reason}
}

type reservationRequest struct {
	Until string `json:"until"`
}

// reserveTask reserves an open, funded task for the caller until the
// deadline: of concurrent attempts, one wins and the others get 409. A
// partner's task is asked for from its association (202, pending).
func (h *handlers) reserveTask(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, projects.ErrNoSuchTask)
	if !ok {
		return
	}
	var in reservationRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	until, err := time.Parse(time.RFC3339, in.Until)
	if err != nil {
		fail(w, r, badField("invalid-time", "until", `must be a time in RFC 3339, such as "2026-12-01T18:00:00Z"`))
		return
	}
	res, err := h.projects.Reserve(r.Context(), acc, id, until)
	if errors.Is(err, projects.ErrNoSuchTask) && h.onPartnerTask(w, r, id, func(t projects.RemoteTask) { h.reserveRemoteTask(w, r, acc, t, until) }) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, renderReservation(res))
}

type releaseRequest struct {
	Reason string `json:"reason"`
}

// releaseTask ends the task's reservation and reopens the task: by its
// holder (the body may be left out), or by the board with a reason.
func (h *handlers) releaseTask(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, projects.ErrNoSuchTask)
	if !ok {
		return
	}
	var in releaseRequest
	if err := decodeOptional(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	res, err := h.projects.Release(r.Context(), acc, id, in.Reason)
	if errors.Is(err, projects.ErrNoSuchTask) && h.onPartnerTask(w, r, id, func(t projects.RemoteTask) { h.releaseRemoteTask(w, r, acc, t) }) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderReservation(res))
}

// reservationsJSON is the whole history of a task's reservations, oldest
// first. A task has few, so the list is not paged.
type reservationsJSON struct {
	Reservations []reservationJSON `json:"reservations"`
}

func (h *handlers) listReservations(w http.ResponseWriter, r *http.Request) {
	id, ok := h.existingTask(w, r)
	if !ok {
		return
	}
	list, err := h.projects.Reservations(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := reservationsJSON{Reservations: make([]reservationJSON, len(list))}
	for i, res := range list {
		out.Reservations[i] = renderReservation(res)
	}
	writeJSON(w, r, http.StatusOK, out)
}
