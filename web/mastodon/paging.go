package mastodon

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// Mastodon's paging, by ids: max_id (older than), since_id (newer than,
// newest first), min_id (just newer than: the page right after it, still
// newest first), limit (20 by default, 40 at most for statuses). Holon's
// ids are UUIDv7, in time order as Mastodon's snowflake ids are, so
// clients that compare them as strings still sort them right.

// defaultAccountsLimit is how many accounts a list gives unless asked, as
// Mastodon.
const defaultAccountsLimit = 40

// rangeOf reads the paging parameters of r. ok is false when an id is not
// one Holon hands out: Mastodon compares such an id with its own as a
// number and finds nothing; the caller answers an empty page, never an
// error, as a client paging with a foreign id expects.
func rangeOf(r *http.Request) (rg news.Range, ok bool) {
	q := r.URL.Query()
	for _, p := range []struct {
		name string
		to   *uuid.UUID
	}{{"max_id", &rg.Max}, {"since_id", &rg.Since}, {"min_id", &rg.Min}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		id, err := uuid.Parse(v)
		if err != nil || len(v) != 36 {
			return news.Range{}, false
		}
		*p.to = id
	}
	rg.Limit = limitOf(q, news.DefaultTimelineLimit, news.MaxTimelineLimit)
	return rg, true
}

// pageWindow reads the same parameters for lists of accounts: ids that
// are not ours bound nothing.
func pageWindow(r *http.Request, def, most int) membership.Window {
	q := r.URL.Query()
	parse := func(k string) uuid.UUID {
		id, err := uuid.Parse(q.Get(k))
		if err != nil {
			return uuid.Nil
		}
		return id
	}
	return membership.Window{Limit: limitOf(q, def, most), MaxID: parse("max_id"), SinceID: parse("since_id"), MinID: parse("min_id")}
}

// limitOf reads the limit parameter: def when missing, unreadable or not
// positive, max at most.
func limitOf(q url.Values, def, max int) int {
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

// setLink writes Mastodon's Link header for a page of n entries whose ids,
// newest first, run from newest to oldest. A page without entries has no
// Link header.
func (h *handlers) setLink(w http.ResponseWriter, r *http.Request, newest, oldest uuid.UUID, n int) {
	if n > 0 {
		h.linkHeader(w, r, oldest.String(), newest.String())
	}
}

// linkHeader sets the Link header Mastodon's clients page with: next
// (older, before oldest) and prev (newer, just after newest), keeping the
// request's other parameters.
func (h *handlers) linkHeader(w http.ResponseWriter, r *http.Request, oldest, newest string) {
	link := func(param, id string) string {
		q := r.URL.Query()
		for _, k := range []string{"max_id", "since_id", "min_id"} {
			q.Del(k)
		}
		q.Set(param, id)
		return h.cfg.BaseURL() + r.URL.Path + "?" + q.Encode()
	}
	w.Header().Set("Link", "<"+link("max_id", oldest)+`>; rel="next", <`+link("min_id", newest)+`>; rel="prev"`)
}
