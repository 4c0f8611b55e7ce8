package actors

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/vocab"
)

// Collections is what serving an actor's collections needs.
type Collections interface {
	FollowCollection(ctx context.Context, name string, followers bool, after uuid.UUID, limit int) (membership.FollowPage, error)
}

// collectionPageSize is how many ids a page of followers or following holds.
const collectionPageSize = 50

// registerCollections adds an actor's followers, following and featured
// collections: an OrderedCollection with its total, and pages of ids
// (?page=true for the first, ?page=<cursor> for the next).
func registerCollections(r chi.Router, c Collections, baseURL string) {
	r.Get("/actors/{name}/followers", func(w http.ResponseWriter, req *http.Request) { serveFollows(w, req, c, baseURL, true) })
	r.Get("/actors/{name}/following", func(w http.ResponseWriter, req *http.Request) { serveFollows(w, req, c, baseURL, false) })
	r.Get("/actors/{name}/featured", func(w http.ResponseWriter, req *http.Request) {
		name := chi.URLParam(req, "name")
		if _, err := c.FollowCollection(req.Context(), name, true, uuid.Nil, 1); err != nil {
			failDocument(w, req, err)
			return
		}
		// Holon has no pinned posts yet: the collection exists, empty.
		writeActivityJSON(w, req, map[string]any{"@context": vocab.ActivityStreamsContext, "id": baseURL + req.URL.Path,
			"type": "OrderedCollection", "totalItems": 0, "orderedItems": []string{}})
	})
}

func serveFollows(w http.ResponseWriter, r *http.Request, c Collections, baseURL string, followers bool) {
	name := chi.URLParam(r, "name")
	id := baseURL + r.URL.Path
	pageParam := r.URL.Query().Get("page")
	var after uuid.UUID
	if pageParam != "" && pageParam != "true" {
		var err error
		if after, err = uuid.Parse(pageParam); err != nil {
			http.Error(w, "page must be true or a cursor from a next link", http.StatusBadRequest)
			return
		}
	}
	page, err := c.FollowCollection(r.Context(), name, followers, after, collectionPageSize)
	if err != nil {
		failDocument(w, r, err)
		return
	}
	if pageParam == "" {
		writeActivityJSON(w, r, map[string]any{"@context": vocab.ActivityStreamsContext, "id": id,
			"type": "OrderedCollection", "totalItems": page.Total, "first": id + "?page=true"})
		return
	}
	doc := map[string]any{"@context": vocab.ActivityStreamsContext, "id": id + "?page=" + pageParam,
		"type": "OrderedCollectionPage", "partOf": id, "totalItems": page.Total, "orderedItems": nonNil(page.Items)}
	if page.Next != uuid.Nil {
		doc["next"] = id + "?page=" + page.Next.String()
	}
	writeActivityJSON(w, r, doc)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
