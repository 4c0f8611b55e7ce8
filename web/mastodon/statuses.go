package mastodon

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// The statuses: a status is a note (or, wrapping one, a boost).
//
//	POST   /api/v1/statuses                      write:statuses (Idempotency-Key honoured an hour)
//	GET    /api/v1/statuses?id[]=…               batch, unreadable ones left out
//	GET    /api/v1/statuses/:id
//	PUT    /api/v1/statuses/:id                  write:statuses, own notes
//	DELETE /api/v1/statuses/:id                  write:statuses, own notes
//	GET    /api/v1/statuses/:id/source           read:statuses
//	GET    /api/v1/statuses/:id/context
//	POST   /api/v1/statuses/:id/(un)favourite    write:favourites
//	POST   /api/v1/statuses/:id/(un)reblog       write:statuses
//	POST   /api/v1/statuses/:id/(un)bookmark     write:bookmarks
//	GET    /api/v1/statuses/:id/favourited_by, /reblogged_by
//
// A note the asker may not read, an unknown id and a malformed one are all
// 404 {"error":"Record not found"}, as Mastodon answers; so is another's
// note to edit or delete.

// statusRoutes adds the routes of timelines.go and statuses.go to v1.
func (h *handlers) statusRoutes(v1 chi.Router) {
	v1.Get("/timelines/home", h.homeTimeline)
	v1.Get("/timelines/public", h.publicTimeline)
	v1.Get("/timelines/tag/{hashtag}", h.tagTimeline)
	v1.Get("/accounts/{id}/statuses", h.accountStatuses)
	v1.Get("/favourites", h.ownList("read:favourites", h.news.Favourites))
	v1.Get("/bookmarks", h.ownList("read:bookmarks", h.news.Bookmarks))

	v1.Post("/statuses", h.createStatus)
	v1.Get("/statuses", h.statusesByID)
	v1.Get("/statuses/{id}", h.status)
	v1.Put("/statuses/{id}", h.editStatus)
	v1.Delete("/statuses/{id}", h.deleteStatus)
	v1.Get("/statuses/{id}/source", h.statusSource)
	v1.Get("/statuses/{id}/context", h.statusContext)
	v1.Post("/statuses/{id}/favourite", h.react("write:favourites", news.Like, true))
	v1.Post("/statuses/{id}/unfavourite", h.react("write:favourites", news.Like, false))
	v1.Post("/statuses/{id}/reblog", h.react("write:statuses", news.Boost, true))
	v1.Post("/statuses/{id}/unreblog", h.react("write:statuses", news.Boost, false))
	v1.Post("/statuses/{id}/bookmark", h.bookmark(true))
	v1.Post("/statuses/{id}/unbookmark", h.bookmark(false))
	v1.Get("/statuses/{id}/favourited_by", h.reactors(news.Like))
	v1.Get("/statuses/{id}/reblogged_by", h.reactors(news.Boost))
}

// Mastodon's answers to a refused status.
const (
	errNotAllowed = "This action is not allowed"
)

// visibilities maps Mastodon's visibility names to Holon's.
var visibilities = map[string]string{"public": news.Public, "unlisted": news.Unlisted, "private": news.Followers, "direct": news.Direct}

// authorizedStatus is authorized, then statusID: the account of a request
// whose token grants scope, and the status {id} it acts on.
func authorizedStatus(w http.ResponseWriter, r *http.Request, scope string) (membership.Account, uuid.UUID, bool) {
	acc, ok := authorized(w, r, scope)
	if !ok {
		return acc, uuid.Nil, false
	}
	id, ok := statusID(w, r)
	return acc, id, ok
}

// statusID reads the {id} of a status route; ok is false (and 404 sent)
// when it cannot be a Holon id.
func statusID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil || id == uuid.Nil {
		notFound(w, r)
		return uuid.Nil, false
	}
	return id, true
}

// refuse answers err as Mastodon would: 404 for what the asker may not
// see or change, 403 for what it may not do, 422 for invalid input with
// Mastodon's "Validation failed: …" sentences; otherwise 500.
func (h *handlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := core.As(err)
	switch {
	case errors.Is(err, news.ErrNotAuthor) || errors.Is(err, news.ErrNoSuchActor) || (ok && e.Kind == core.KindNotFound):
		notFound(w, r)
	case ok && e.Kind == core.KindForbidden:
		writeJSON(w, r, http.StatusForbidden, errorJSON{Error: errNotAllowed})
	case ok && e.Kind == core.KindRateLimited:
		writeJSON(w, r, http.StatusTooManyRequests, errorJSON{Error: "Too many requests"})
	case ok && e.Kind == core.KindConflict:
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: " + e.Detail})
	case ok && (e.Kind == core.KindInvalid || e.Kind == core.KindTooLarge):
		for _, f := range e.Fields {
			if f.Field == "in_reply_to" && f.Code == "unknown-note" {
				notFound(w, r) // Mastodon finds the parent first: Record not found
				return
			}
		}
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: validationFailed(e)})
	default:
		h.fail(w, r, err)
	}
}

// validationFailed words a core validation error as Mastodon does.
func validationFailed(e *core.Error) string {
	names := map[string]string{"content": "Text", "summary": "Spoiler text", "visibility": "Visibility"}
	var parts []string
	for _, f := range e.Fields {
		name := names[f.Field]
		if name == "" {
			name = f.Field
		}
		switch {
		case f.Field == "content" && f.Code == "too-long":
			parts = append(parts, fmt.Sprintf("Text character limit of %d exceeded", news.MaxSourceLength))
		case f.Field == "summary" && f.Code == "too-long":
			parts = append(parts, fmt.Sprintf("Spoiler text character limit of %d exceeded", news.MaxSummaryLength))
		case f.Code == "required":
			parts = append(parts, name+" can't be blank")
		default:
			parts = append(parts, name+" "+f.Detail)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, e.Detail)
	}
	return "Validation failed: " + strings.Join(parts, ", ")
}

func (h *handlers) createStatus(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:statuses")
	if !ok {
		return
	}
	p, err := paramsOf(w, r)
	if err != nil {
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: " + err.Error()})
		return
	}
	in := news.PostInput{Content: p.get("status"), Summary: p.get("spoiler_text"), Sensitive: truthy(p.get("sensitive"))}
	if v := p.get("visibility"); v != "" {
		if in.Visibility, ok = visibilities[v]; !ok {
			writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: Visibility is not included in the list"})
			return
		}
	}
	if ref := p.get("in_reply_to_id"); ref != "" {
		if _, err := uuid.Parse(ref); err != nil {
			notFound(w, r)
			return
		}
		in.InReplyTo = ref
	}
	// language is accepted and not kept: Holon's notes have no language
	// yet (the status answers null).
	//
	if in.MediaIDs, err = parseMediaIDs(p.list("media_ids")); err != nil {
		h.failMedia(w, r, err)
		return
	}
	if in.Poll, err = pollOfStatus(p); err != nil {
		writePollError(w, r, h, err)
		return
	}
	id, _, err := h.idem.do(r.Context(), acc.ID, r.Header.Get("Idempotency-Key"), func() (uuid.UUID, error) {
		n, err := h.news.Post(r.Context(), acc, in)
		return n.ID, err
	})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.writeStatus(w, r, &acc, id)
}

// writeStatus answers the note id as viewer reads it now.
func (h *handlers) writeStatus(w http.ResponseWriter, r *http.Request, viewer *membership.Account, id uuid.UUID) {
	e, err := h.news.Entry(r.Context(), viewer, id)
	h.writeEntry(w, r, e, err)
}

// writeEntry answers the entry e read with err as a status.
func (h *handlers) writeEntry(w http.ResponseWriter, r *http.Request, e news.Entry, err error) {
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	st, err := h.statusOf(r.Context(), e)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, st)
}

// status answers a note, or an association's object (a project, a task,
// an event, a proposal) shown as a status (objects.go).
func (h *handlers) status(w http.ResponseWriter, r *http.Request) {
	id, ok := statusID(w, r)
	if !ok {
		return
	}
	v := viewer(r, "read:statuses")
	// Notes are most of what is asked for: the objects are looked for only
	// when no note has the id.
	e, err := h.news.Entry(r.Context(), v, id)
	if core.KindOf(err) == core.KindNotFound {
		st, isObject, oerr := h.objectStatus(r.Context(), v, id)
		switch {
		case oerr != nil:
			h.fail(w, r, oerr)
		case isObject:
			writeJSON(w, r, http.StatusOK, st)
		default:
			h.refuse(w, r, err)
		}
		return
	}
	h.writeEntry(w, r, e, err)
}

// statusesByID answers the statuses id[] that the asker may read, in the
// order asked, the others left out (at most news.MaxTimelineLimit).
func (h *handlers) statusesByID(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	raw := q["id[]"]
	if len(raw) == 0 {
		raw = q["id"]
	}
	var ids []uuid.UUID
	for _, s := range raw[:min(len(raw), news.MaxTimelineLimit)] {
		if id, err := uuid.Parse(s); err == nil {
			ids = append(ids, id)
		}
	}
	es, err := h.news.Entries(r.Context(), viewer(r, "read:statuses"), ids)
	if out, ok := h.pageStatuses(w, r, es, err); ok {
		writeJSON(w, r, http.StatusOK, out)
	}
}

func (h *handlers) editStatus(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := authorizedStatus(w, r, "write:statuses")
	if !ok {
		return
	}
	p, err := paramsOf(w, r)
	if err != nil {
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: " + err.Error()})
		return
	}
	var ch news.Change
	if p.has("status") {
		text := p.get("status")
		ch.Content = &text
	}
	if p.has("spoiler_text") {
		summary := p.get("spoiler_text")
		ch.Summary = &summary
	}
	if p.has("sensitive") {
		sensitive := truthy(p.get("sensitive"))
		ch.Sensitive = &sensitive
	}
	// An edit keeps the note's images and poll: Holon's notes change
	// their text, content warning and sensitivity only.
	if _, err := h.news.Update(r.Context(), acc, id, ch); err != nil {
		h.refuse(w, r, err)
		return
	}
	h.writeStatus(w, r, &acc, id)
}

// deleteStatus deletes the asker's own note and answers it as it was,
// with its source as text, so that the client may redraft it.
func (h *handlers) deleteStatus(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := authorizedStatus(w, r, "write:statuses")
	if !ok {
		return
	}
	e, err := h.news.Entry(r.Context(), &acc, id)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	st, err := h.statusOf(r.Context(), e)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.news.Delete(r.Context(), acc, id); err != nil {
		h.refuse(w, r, err)
		return
	}
	st.Text = &e.Note.Source
	writeJSON(w, r, http.StatusOK, st)
}

type sourceJSONStatus struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

func (h *handlers) statusSource(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := authorizedStatus(w, r, "read:statuses")
	if !ok {
		return
	}
	n, err := h.news.Get(r.Context(), &acc, id)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, sourceJSONStatus{ID: n.ID.String(), Text: n.Source, SpoilerText: n.Summary})
}

func (h *handlers) statusContext(w http.ResponseWriter, r *http.Request) {
	id, ok := statusID(w, r)
	if !ok {
		return
	}
	v := viewer(r, "read:statuses")
	if c, isObject, err := h.objectContext(r.Context(), v, id); err != nil || isObject {
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, c)
		return
	}
	up, down, err := h.news.Context(r.Context(), v, id)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	all, err := h.statusesOf(r.Context(), append(up, down...))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, contextJSON{Ancestors: all[:len(up)], Descendants: all[len(up):]})
}

// react likes or boosts the note (do), or withdraws that, and answers the
// status in its new state; a boost answers the boost's own status,
// wrapping the note, as Mastodon does.
func (h *handlers) react(scope string, kind news.Reaction, do bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, ok := authorized(w, r, scope)
		if !ok {
			return
		}
		id, ok := statusID(w, r)
		if !ok {
			return
		}
		var err error
		if do {
			_, err = h.news.React(r.Context(), acc, id, kind)
		} else {
			_, err = h.news.Unreact(r.Context(), acc, id, kind)
		}
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		if !do || kind != news.Boost {
			h.writeStatus(w, r, &acc, id)
			return
		}
		e, err := h.news.BoostEntry(r.Context(), acc, id)
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		st, err := h.statusOf(r.Context(), e)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, st)
	}
}

func (h *handlers) bookmark(do bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, id, ok := authorizedStatus(w, r, "write:bookmarks")
		if !ok {
			return
		}
		var err error
		if do {
			err = h.news.Bookmark(r.Context(), acc, id)
		} else {
			err = h.news.Unbookmark(r.Context(), acc, id)
		}
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		h.writeStatus(w, r, &acc, id)
	}
}

// reactors lists the accounts that liked or boosted the note, most recent
// first, paged by max_id (the reaction's id) with a next link.
func (h *handlers) reactors(kind news.Reaction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := statusID(w, r)
		if !ok {
			return
		}
		rg, ok := rangeOf(r)
		if !ok {
			writeJSON(w, r, http.StatusOK, []accountJSON{})
			return
		}
		list, err := h.news.Reactors(r.Context(), viewer(r, "read:statuses"), id, kind, rg.Max, limitOf(r.URL.Query(), news.MaxTimelineLimit, news.MaxTimelineLimit))
		if err != nil {
			h.refuse(w, r, err)
			return
		}
		uris := make([]string, len(list))
		for i, x := range list {
			uris[i] = x.ActorURI
		}
		actors, err := h.members.ActorsByURIs(r.Context(), uris)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out := make([]accountJSON, 0, len(list))
		for _, x := range list {
			a, ok := actors[x.ActorURI]
			if !ok {
				continue
			}
			acc, err := h.accountOf(r.Context(), a)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			out = append(out, acc)
		}
		if len(list) > 0 {
			q := r.URL.Query()
			q.Del("min_id")
			q.Del("since_id")
			q.Set("max_id", list[len(list)-1].ID.String())
			w.Header().Set("Link", "<"+h.cfg.BaseURL()+r.URL.Path+"?"+q.Encode()+`>; rel="next"`)
		}
		writeJSON(w, r, http.StatusOK, out)
	}
}
