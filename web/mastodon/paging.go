package mastodon

import (
	"net/http"
	"strconv"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
)

// defaultAccountsLimit is how many accounts a list gives unless asked, as
// Mastodon.
const defaultAccountsLimit = 40

// pageWindow reads Mastodon's paging parameters: max_id, since_id, min_id
// (ids that are not ours bound nothing) and limit, within 1…most.
func pageWindow(r *http.Request, def, most int) membership.Window {
	q := r.URL.Query()
	w := membership.Window{Limit: def}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil {
		w.Limit = max(1, min(n, most))
	}
	parse := func(k string) uuid.UUID {
		id, err := uuid.Parse(q.Get(k))
		if err != nil {
			return uuid.Nil
		}
		return id
	}
	w.MaxID, w.SinceID, w.MinID = parse("max_id"), parse("since_id"), parse("min_id")
	return w
}

// linkHeader sets the Link header Mastodon's clients page with: next
// (older, before oldest) and prev (newer, after newest), keeping the
// request's other parameters.
func (h *handlers) linkHeader(w http.ResponseWriter, r *http.Request, oldest, newest string) {
	base := h.cfg.BaseURL() + r.URL.Path
	link := func(k, v string) string {
		q := r.URL.Query()
		q.Del("max_id")
		q.Del("min_id")
		q.Del("since_id")
		q.Set(k, v)
		return base + "?" + q.Encode()
	}
	w.Header().Set("Link", "<"+link("max_id", oldest)+`>; rel="next", <`+link("min_id", newest)+`>; rel="prev"`)
}
