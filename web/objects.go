package web

import (
	"net/http"

	"github.com/holon-network/holon/federation"
	"github.com/holon-network/holon/federation/actors"
)

// activityDocuments negotiates the ids of projects, tasks, reservations,
// submissions and transactions (DESIGN §3): a request whose Accept asks
// for ActivityPub JSON gets the object's document from objects; any other
// goes on to the pages, which serve the same paths as HTML. Both answers
// vary on Accept. With no objects, every request goes on.
func activityDocuments(objects *federation.Objects) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if objects == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !federation.IsObjectPath(r.URL.Path) {
				next.ServeHTTP(w, r)
				return
			}
			w.Header().Add("Vary", "Accept")
			if actors.WantsActivityJSON(r.Header.Get("Accept")) {
				objects.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
