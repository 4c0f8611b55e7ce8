package mastodon

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// The timelines, as Mastodon serves them, paged by ids (paging.go):
//
//	GET /api/v1/timelines/home            read:statuses
//	GET /api/v1/timelines/public          local, remote, only_media
//	GET /api/v1/timelines/tag/:hashtag    local, remote, only_media
//	GET /api/v1/accounts/:id/statuses     exclude_replies, exclude_reblogs, only_media, pinned, tagged
//	GET /api/v1/favourites                read:favourites
//	GET /api/v1/bookmarks                 read:bookmarks
//
// only_media=true keeps the notes with images (on an account, its own
// notes only, as Mastodon); the tag timeline does not filter by media yet
// and answers an empty list then. pinned=true answers an empty list
// (nothing is pinned). The tag timeline's any[], all[] and none[] (more
// hashtags) and its local and remote are not supported: it lists the
// notes of its one hashtag.

func (h *handlers) homeTimeline(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "read:statuses")
	if !ok {
		return
	}
	rg, ok := rangeOf(r)
	if !ok {
		h.writePage(w, r, nil, nil)
		return
	}
	es, err := h.news.HomeRange(r.Context(), acc, rg)
	h.writeWithObjects(w, r, rg, es, err, func() ([]statusJSON, error) {
		return h.homeObjectStatuses(r.Context(), &acc, rg)
	})
}

func (h *handlers) publicTimeline(w http.ResponseWriter, r *http.Request) {
	rg, ok := rangeOf(r)
	q := r.URL.Query()
	if !ok {
		h.writePage(w, r, nil, nil)
		return
	}
	f := news.PublicFilter{Local: truthy(q.Get("local")), Remote: truthy(q.Get("remote")), OnlyMedia: truthy(q.Get("only_media"))}
	es, err := h.news.PublicRange(r.Context(), viewer(r, "read:statuses"), f, rg)
	h.writePage(w, r, es, err)
}

func (h *handlers) tagTimeline(w http.ResponseWriter, r *http.Request) {
	rg, ok := rangeOf(r)
	if !ok || truthy(r.URL.Query().Get("only_media")) {
		h.writePage(w, r, nil, nil)
		return
	}
	es, err := h.news.TaggedRange(r.Context(), viewer(r, "read:statuses"), chi.URLParam(r, "hashtag"), rg)
	if errors.Is(err, news.ErrBadTag) {
		es, err = nil, nil // no note carries such a tag
	}
	h.writePage(w, r, es, err)
}

func (h *handlers) accountStatuses(w http.ResponseWriter, r *http.Request) {
	actor, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		notFound(w, r)
		return
	}
	rg, ok := rangeOf(r)
	q := r.URL.Query()
	if !ok || truthy(q.Get("pinned")) {
		h.writePage(w, r, nil, nil)
		return
	}
	f := news.ActorFilter{NoReplies: truthy(q.Get("exclude_replies")), NoBoosts: truthy(q.Get("exclude_reblogs")), Tag: q.Get("tagged"),
		OnlyMedia: truthy(q.Get("only_media"))}
	v := viewer(r, "read:statuses")
	es, err := h.news.ActorRange(r.Context(), v, actor, f, rg)
	switch {
	case errors.Is(err, news.ErrNoSuchActor):
		notFound(w, r)
		return
	case errors.Is(err, news.ErrBadTag):
		es, err = nil, nil
	}
	// An association's projects, tasks, events and proposals are its
	// statuses too; they carry no hashtag.
	h.writeWithObjects(w, r, rg, es, err, func() ([]statusJSON, error) {
		if f.Tag != "" || f.OnlyMedia {
			return nil, nil
		}
		return h.associationStatuses(r.Context(), v, actor, rg)
	})
}

// ownList serves a list of the asker's own (favourites, bookmarks) that
// its token may read with scope.
func (h *handlers) ownList(scope string, read func(context.Context, membership.Account, news.Range) ([]news.Entry, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, ok := authorized(w, r, scope)
		if !ok {
			return
		}
		rg, ok := rangeOf(r)
		if !ok {
			h.writePage(w, r, nil, nil)
			return
		}
		es, err := read(r.Context(), acc, rg)
		h.writePage(w, r, es, err)
	}
}

// writeWithObjects answers a page of notes es merged with the page of
// associations' objects that objects reads for the same range: newest
// first, cut to the range's limit from the side the range starts at (the
// oldest after min_id, else the newest), with its Link header.
func (h *handlers) writeWithObjects(w http.ResponseWriter, r *http.Request, rg news.Range, es []news.Entry, err error, objects func() ([]statusJSON, error)) {
	out, ok := h.pageStatuses(w, r, es, err)
	if !ok {
		return
	}
	obs, err := objects()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(obs) > 0 {
		// Ids are UUIDv7, in lower-case hex: their order as text is their
		// order in time.
		out = append(out, obs...)
		slices.SortFunc(out, func(a, b statusJSON) int { return strings.Compare(b.ID, a.ID) })
		if limit := rg.Limit; len(out) > limit {
			if rg.Min != uuid.Nil {
				out = out[len(out)-limit:]
			} else {
				out = out[:limit]
			}
		}
	}
	if len(out) > 0 {
		h.linkHeader(w, r, out[len(out)-1].ID, out[0].ID)
	}
	writeJSON(w, r, http.StatusOK, out)
}

// writePage answers a page of entries, newest first, with its Link
// header (by the entries' own ids: a like's or a bookmark's in those
// lists).
func (h *handlers) writePage(w http.ResponseWriter, r *http.Request, es []news.Entry, err error) {
	out, ok := h.pageStatuses(w, r, es, err)
	if !ok {
		return
	}
	if len(es) > 0 {
		h.setLink(w, r, es[0].EntryID(), es[len(es)-1].EntryID(), len(es))
	}
	writeJSON(w, r, http.StatusOK, out)
}

// pageStatuses maps a page of entries read with err to statuses; an
// account without an actor (it cannot have followed, liked or bookmarked
// anything) reads an empty page. Otherwise it answers the failure and ok
// is false.
func (h *handlers) pageStatuses(w http.ResponseWriter, r *http.Request, es []news.Entry, err error) (out []statusJSON, ok bool) {
	if errors.Is(err, news.ErrNoSuchActor) {
		es, err = nil, nil
	}
	if err == nil {
		out, err = h.statusesOf(r.Context(), es)
	}
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return out, true
}
