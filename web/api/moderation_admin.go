package api

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// resolveRequest is how a report is resolved: an action applied to its
// target ("none" when left out) and a comment.
type resolveRequest struct {
	Action  string `json:"action"`
	Comment string `json:"comment"`
}

type reportNoteRequest struct {
	Text string `json:"text"`
}

type accountActionRequest struct {
	Type   string     `json:"type"`
	Text   string     `json:"text"`
	Report *uuid.UUID `json:"report"`
}

type removeNoteRequest struct {
	Reason string `json:"reason"`
}

// moderatorNoteJSON is a moderator's note on a report.
type moderatorNoteJSON struct {
	ID        uuid.UUID `json:"id"`
	Author    *string   `json:"author"`
	Text      string    `json:"text"`
	CreatedAt string    `json:"created_at"`
}

func renderModeratorNote(n membership.ReportNote) moderatorNoteJSON {
	return moderatorNoteJSON{ID: n.ID, Author: optString(n.Author), Text: n.Text, CreatedAt: timestamp(n.CreatedAt)}
}

// moderationActionJSON is one moderator's action. Moderator is null in a
// warned person's own list.
type moderationActionJSON struct {
	ID        uuid.UUID  `json:"id"`
	Action    string     `json:"action"`
	Text      string     `json:"text"`
	Note      *string    `json:"note"`
	Report    *uuid.UUID `json:"report"`
	Moderator *string    `json:"moderator"`
	CreatedAt string     `json:"created_at"`
}

func renderModerationAction(a membership.ModerationAction) moderationActionJSON {
	return moderationActionJSON{ID: a.ID, Action: a.Action, Text: a.Text, Note: optString(a.NoteURI), Report: a.Report,
		Moderator: optString(a.Moderator), CreatedAt: timestamp(a.CreatedAt)}
}

func renderModerationActions(list []membership.ModerationAction) []moderationActionJSON {
	out := make([]moderationActionJSON, len(list))
	for i, a := range list {
		out[i] = renderModerationAction(a)
	}
	return out
}

// reportDetailJSON is a report with its moderators' notes and the actions
// taken on it.
type reportDetailJSON struct {
	reportJSON
	ModeratorNotes []moderatorNoteJSON    `json:"moderator_notes"`
	Actions        []moderationActionJSON `json:"actions"`
}

// moderatedAccountJSON is an account or actor as its moderators see it.
type moderatedAccountJSON struct {
	Acct        string                 `json:"acct"`
	Actor       string                 `json:"actor"`
	Kind        string                 `json:"kind"`
	Local       bool                   `json:"local"`
	Role        *string                `json:"role"`
	Status      *string                `json:"status"`
	SilencedAt  *string                `json:"silenced_at"`
	SuspendedAt *string                `json:"suspended_at"`
	Actions     []moderationActionJSON `json:"actions"`
	Reports     []reportJSON           `json:"reports"`
}

// reportID reads the {id} of a report route.
func reportID(r *http.Request) (uuid.UUID, error) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		return uuid.Nil, membership.ErrNoSuchReport
	}
	return id, nil
}

// getReport gives a report with its moderators' notes and actions.
func (h *handlers) getReport(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, err := reportID(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	d, err := h.members.ReportDetail(r.Context(), acc, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := reportDetailJSON{reportJSON: renderReport(d.Report), ModeratorNotes: make([]moderatorNoteJSON, len(d.ModeratorNotes)),
		Actions: renderModerationActions(d.Actions)}
	for i, n := range d.ModeratorNotes {
		out.ModeratorNotes[i] = renderModeratorNote(n)
	}
	writeJSON(w, r, http.StatusOK, out)
}

// addReportNote adds a moderator's note to a report.
func (h *handlers) addReportNote(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in reportNoteRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	id, err := reportID(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	n, err := h.members.AddReportNote(r.Context(), acc, id, in.Text)
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/reports/"+id.String(), renderModeratorNote(n))
}

// reportStep runs one of the report steps that take no input (reopen,
// forward) and answers with the report.
func (h *handlers) reportStep(step func(context.Context, membership.Account, uuid.UUID) (membership.Report, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, err := auth.Require(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		if err := decodeOptional(r, &struct{}{}); err != nil {
			fail(w, r, err)
			return
		}
		id, err := reportID(r)
		if err != nil {
			fail(w, r, err)
			return
		}
		rp, err := step(r.Context(), acc, id)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, renderReport(rp))
	}
}

// moderateAccount applies a moderator's action to a local account
// ({acct} a username) or a remote actor (name@host).
func (h *handlers) moderateAccount(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in accountActionRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	a, err := h.members.ModerateAccount(r.Context(), acc, chi.URLParam(r, "acct"), membership.ActionInput{Type: in.Type, Text: in.Text, Report: in.Report})
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/admin/accounts/"+chi.URLParam(r, "acct"), renderModerationAction(a))
}

// getModeratedAccount gives an account's state, the actions taken on it
// and the reports about it.
func (h *handlers) getModeratedAccount(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	m, err := h.members.AccountModeration(r.Context(), acc, chi.URLParam(r, "acct"))
	if err != nil {
		fail(w, r, err)
		return
	}
	out := moderatedAccountJSON{Acct: m.Acct, Actor: m.Actor.URI, Kind: m.Actor.Kind, Local: m.Actor.Local,
		Role: optString(m.Role), Status: optString(m.Status), SilencedAt: optTimestamp(m.SilencedAt),
		SuspendedAt: optTimestamp(m.SuspendedAt), Actions: renderModerationActions(m.Actions), Reports: make([]reportJSON, len(m.Reports))}
	for i, rp := range m.Reports {
		out.Reports[i] = renderReport(rp)
	}
	writeJSON(w, r, http.StatusOK, out)
}

// removeNote takes a note down for the moderators.
func (h *handlers) removeNote(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in removeNoteRequest
	if err := decodeOptional(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, membership.ErrNoSuchNote)
		return
	}
	a, err := h.members.RemoveNote(r.Context(), acc, id, in.Reason)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderModerationAction(a))
}

// myWarnings lists the warnings the moderators gave the caller.
func (h *handlers) myWarnings(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.members.Warnings(r.Context(), acc)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, newList(renderModerationActions(list), ""))
}
