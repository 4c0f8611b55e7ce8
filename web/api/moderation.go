package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// followRequestJSON is a follow waiting for the board's approval, or just
// answered.
type followRequestJSON struct {
	ID          uuid.UUID `json:"id"`
	Actor       string    `json:"actor"`
	Acct        string    `json:"acct"`
	DisplayName string    `json:"display_name"`
	Local       bool      `json:"local"`
	State       string    `json:"state"`
	RequestedAt string    `json:"requested_at"`
}

func renderFollowRequest(f membership.FollowRequest) followRequestJSON {
	return followRequestJSON{ID: f.ID, Actor: f.FollowerURI, Acct: f.Username + "@" + f.Host, DisplayName: f.DisplayName,
		Local: f.Local, State: f.State, RequestedAt: timestamp(f.RequestedAt)}
}

// blockJSON is one of the caller's blocks.
type blockJSON struct {
	ID        uuid.UUID `json:"id"`
	Target    string    `json:"target"`
	Acct      string    `json:"acct"`
	CreatedAt string    `json:"created_at"`
}

func renderBlock(b membership.Block) blockJSON {
	return blockJSON{ID: b.ID, Target: b.BlockedURI, Acct: b.BlockedUsername + "@" + b.BlockedHost, CreatedAt: timestamp(b.CreatedAt)}
}

// reportJSON is a report as its moderators see it. Reporter is null
// unless the caller moderates the instance.
type reportJSON struct {
	ID          uuid.UUID          `json:"id"`
	Target      string             `json:"target"`
	TargetAcct  string             `json:"target_acct"`
	Association *string            `json:"association"`
	Reporter    *string            `json:"reporter"`
	Comment     string             `json:"comment"`
	Notes       []reportedNoteJSON `json:"notes"`
	Local       bool               `json:"local"`
	Forwarded   bool               `json:"forwarded"`
	State       string             `json:"state"`
	CreatedAt   string             `json:"created_at"`
	ResolvedAt  *string            `json:"resolved_at"`
	ResolvedBy  *string            `json:"resolved_by"`
	// Resolution is the action it was resolved with, and its comment.
	Resolution        *string `json:"resolution"`
	ResolutionComment string  `json:"resolution_comment"`
}

type reportedNoteJSON struct {
	ID      string    `json:"id"`
	URL     string    `json:"url"`
	NoteID  uuid.UUID `json:"note_id"`
	Content string    `json:"content"`
	Deleted bool      `json:"deleted"`
}

func renderReport(rp membership.Report) reportJSON {
	out := reportJSON{ID: rp.ID, Target: rp.TargetURI, TargetAcct: rp.TargetUsername + "@" + rp.TargetHost,
		Association: optString(rp.Association), Reporter: optString(rp.ReporterURI), Comment: rp.Comment,
		Notes: make([]reportedNoteJSON, len(rp.Notes)), Local: rp.Local, Forwarded: rp.Forwarded, State: rp.State,
		CreatedAt: timestamp(rp.CreatedAt), ResolvedAt: optTimestamp(rp.ResolvedAt), ResolvedBy: optString(rp.ResolvedBy),
		Resolution: optString(rp.Resolution), ResolutionComment: rp.ResolutionComment}
	for i, n := range rp.Notes {
		out.Notes[i] = reportedNoteJSON{ID: n.URI, URL: n.URL, NoteID: n.ID, Content: n.Content, Deleted: n.Deleted}
	}
	return out
}

type reportRequest struct {
	Target  string   `json:"target"`
	Notes   []string `json:"notes"`
	Comment string   `json:"comment"`
	Forward bool     `json:"forward"`
}

// uuidPage reads ?limit=&cursor= for lists whose cursor is an id.
func uuidPage(r *http.Request) (limit int, cursor uuid.UUID, err error) {
	p, err := pageParams(r, membership.DefaultPageSize, membership.MaxPageSize, uuidCursor)
	if err != nil {
		return 0, uuid.Nil, err
	}
	if p.cursor != "" {
		cursor = uuid.MustParse(p.cursor) // checked by uuidCursor
	}
	return p.limit, cursor, nil
}

func nextCursor(next uuid.UUID) string {
	if next == uuid.Nil {
		return ""
	}
	return next.String()
}

// listFollowRequests lists, for the board, the follows of the association
// waiting for its approval.
func (h *handlers) listFollowRequests(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	limit, after, err := uuidPage(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, next, err := h.members.FollowRequests(r.Context(), acc, chi.URLParam(r, "name"), after, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]followRequestJSON, len(list))
	for i, f := range list {
		items[i] = renderFollowRequest(f)
	}
	writeJSON(w, r, http.StatusOK, newList(items, nextCursor(next)))
}

// answerFollowRequest is the board accepting or refusing a follow; the
// follower's server is sent the Accept or the Reject.
func (h *handlers) answerFollowRequest(accept bool) http.HandlerFunc {
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
		id, err := uuid.Parse(chi.URLParam(r, "id"))
		if err != nil {
			fail(w, r, membership.ErrNoSuchFollowRequest)
			return
		}
		f, err := h.members.AnswerFollowRequest(r.Context(), acc, chi.URLParam(r, "name"), id, accept)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, renderFollowRequest(f))
	}
}

// block blocks an actor given as name@host or URL: 201 with the new
// block, 200 with the existing one.
func (h *handlers) block(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in followRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	target, err := h.target(r.Context(), in.Target)
	if err != nil {
		fail(w, r, err)
		return
	}
	b, isNew, err := h.members.Block(r.Context(), acc, target)
	if err != nil {
		fail(w, r, err)
		return
	}
	if !isNew {
		writeJSON(w, r, http.StatusOK, renderBlock(b))
		return
	}
	created(w, r, "/blocks/"+b.ID.String(), renderBlock(b))
}

func (h *handlers) listBlocks(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	limit, before, err := uuidPage(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, next, err := h.members.Blocks(r.Context(), acc, before, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]blockJSON, len(list))
	for i, b := range list {
		items[i] = renderBlock(b)
	}
	writeJSON(w, r, http.StatusOK, newList(items, nextCursor(next)))
}

func (h *handlers) unblock(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, membership.ErrNoSuchBlock)
		return
	}
	if err := h.members.Unblock(r.Context(), acc, id); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}

// report reports an actor (and some of its notes) to the moderators.
func (h *handlers) report(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in reportRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	target, err := h.target(r.Context(), in.Target)
	if err != nil {
		fail(w, r, err)
		return
	}
	rp, err := h.members.Report(r.Context(), acc, membership.ReportInput{Target: target, Notes: in.Notes, Comment: in.Comment, Forward: in.Forward})
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/reports/"+rp.ID.String(), renderReport(rp))
}

// listReports lists the reports the caller moderates, newest first;
// ?state=open or resolved keeps those only.
func (h *handlers) listReports(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	limit, before, err := uuidPage(r)
	if err != nil {
		fail(w, r, err)
		return
	}
	list, next, err := h.members.Reports(r.Context(), acc, r.URL.Query().Get("state"), before, limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]reportJSON, len(list))
	for i, rp := range list {
		items[i] = renderReport(rp)
	}
	writeJSON(w, r, http.StatusOK, newList(items, nextCursor(next)))
}

func (h *handlers) resolveReport(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in resolveRequest
	if err := decodeOptional(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, membership.ErrNoSuchReport)
		return
	}
	rp, err := h.members.ResolveReport(r.Context(), acc, id, membership.Resolution{Action: in.Action, Comment: in.Comment})
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderReport(rp))
}
