package web

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/federation"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/web/pages"
)

// activityDocuments negotiates the ids of projects, tasks, reservations,
// submissions, transactions and proposals (DESIGN §3): a request whose Accept asks
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

// partnerCatalogue is the catalogue page's network part (pages.NetworkCatalogue):
// the open tasks that partner associations published, kept here as copies.
type partnerCatalogue struct {
	projects *projects.Service
}

// PartnerTasks implements pages.NetworkCatalogue.
func (c partnerCatalogue) PartnerTasks(ctx context.Context, q projects.CatalogueQuery) ([]pages.PartnerTask, error) {
	if q.Association != "" {
		return nil, nil // a local association has no partners' tasks
	}
	q.Cursor = uuid.Nil // the page pages through its own tasks only
	list, _, err := c.projects.PartnerTasks(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]pages.PartnerTask, 0, len(list))
	for _, t := range list {
		out = append(out, pages.PartnerTask{ID: t.ID, URI: t.URI, Name: t.Name, Association: t.AssociationHandle,
			Category: t.Category, Budget: t.Budget, Currency: t.Currency})
	}
	return out, nil
}
