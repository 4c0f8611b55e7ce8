package mastodon

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/news"
)

// Mastodon's paging, by ids: max_id (older than), since_id (newer than,
// newest first), min_id (just newer than: the page right after it, still
// newest first), limit (20 by default, 40 at most). Holon's ids are
// UUIDv7, in time order as Mastodon's snowflake ids are, so clients that
// compare them as strings still sort them right.

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

// limitOf reads the limit parameter: def when missing, unreadable or not
// positive, max at most.
func limitOf(q url.Values, def, max int) int {
	n, err := strconv.Atoi(q.Get("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

// setLink writes Mastodon's Link header for a page whose entries' ids,
// newest first, run from newest to oldest: the next page is older than
// oldest, the previous one just newer than newest. The links keep the
// request's other parameters. A page without entries has no Link header.
func (h *handlers) setLink(w http.ResponseWriter, r *http.Request, newest, oldest uuid.UUID, n int) {
	if n == 0 {
		return
	}
	link := func(param string, id uuid.UUID) string {
		q := r.URL.Query()
		for _, k := range []string{"max_id", "since_id", "min_id"} {
			q.Del(k)
		}
		q.Set(param, id.String())
		return h.cfg.BaseURL() + r.URL.Path + "?" + q.Encode()
	}
	w.Header().Set("Link", "<"+link("max_id", oldest)+`>; rel="next", <`+link("min_id", newest)+`>; rel="prev"`)
}

// truthy reads a boolean parameter as Rails does: anything but empty,
// "0", "f", "false", "off" (any case) is true.
func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "f", "false", "off", "no", "n":
		return false
	}
	return true
}
