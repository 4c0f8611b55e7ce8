package api

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

// Timelines is what the API needs of the news service to list timelines.
type Timelines interface {
	Home(ctx context.Context, viewer membership.Account, cursor string, limit int) (news.Page, error)
	Network(ctx context.Context, viewer *membership.Account, cursor string, limit int) (news.Page, error)
	Tagged(ctx context.Context, viewer *membership.Account, tag, cursor string, limit int) (news.Page, error)
}

// timelineItemJSON is one line of a timeline: the note as GET /notes/{id}
// shows it, who boosted it when it came by a boost, its counts, and whether
// the caller liked or boosted it.
type timelineItemJSON struct {
	noteJSON
	AuthorName   string  `json:"author_name"`
	BoostedBy    *string `json:"boosted_by"`
	BoostedByURI *string `json:"boosted_by_uri"`
	Likes        int     `json:"likes"`
	Boosts       int     `json:"boosts"`
	Liked        bool    `json:"liked"`
	Boosted      bool    `json:"boosted"`
}

func renderTimeline(p news.Page) list[timelineItemJSON] {
	items := make([]timelineItemJSON, len(p.Entries))
	for i, e := range p.Entries {
		item := timelineItemJSON{noteJSON: renderNote(e.Note), AuthorName: e.AuthorName,
			Likes: e.Likes, Boosts: e.Boosts, Liked: e.Liked, Boosted: e.Boosted}
		if b := e.BoostedBy; b != nil {
			acct, uri := b.Acct(), b.URI
			item.BoostedBy, item.BoostedByURI = &acct, &uri
		}
		items[i] = item
	}
	return newList(items, p.Next)
}

// timelineCursor checks a cursor of a timeline.
func timelineCursor(c string) *core.FieldError {
	if _, err := news.ParseCursor(c); err != nil {
		return badCursor()
	}
	return nil
}

// timeline answers one page of the timeline read.
func (h *handlers) timeline(read func(r *http.Request, p page) (news.Page, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := pageParams(r, news.DefaultTimelineLimit, news.MaxTimelineLimit, timelineCursor)
		if err != nil {
			fail(w, r, err)
			return
		}
		tl, err := read(r, p)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, renderTimeline(tl))
	}
}

func (h *handlers) homeTimeline(r *http.Request, p page) (news.Page, error) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		return news.Page{}, err
	}
	return h.timelines.Home(r.Context(), acc, p.cursor, p.limit)
}

func (h *handlers) networkTimeline(r *http.Request, p page) (news.Page, error) {
	return h.timelines.Network(r.Context(), auth.Account(r.Context()), p.cursor, p.limit)
}

func (h *handlers) tagTimeline(r *http.Request, p page) (news.Page, error) {
	return h.timelines.Tagged(r.Context(), auth.Account(r.Context()), chi.URLParam(r, "name"), p.cursor, p.limit)
}
