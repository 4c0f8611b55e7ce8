package api

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/projects"
)

// NetworkCatalogue lists, for GET /tasks?network=true, the tasks a
// query selects among this instance's and the partner associations' (whose
// tasks federation keeps as copies), newest first, in one query; a
// partner's task has its copy's local id, its id on its server (URI) and
// its association. Deps.Network nil: network=true lists this instance's
// tasks only, nothing is made up.
type NetworkCatalogue interface {
	NetworkCatalogue(ctx context.Context, q projects.CatalogueQuery) ([]projects.NetworkTask, uuid.UUID, error)
}

// catalogue lists the tasks the query selects: open ones unless status
// says otherwise, this instance's own, and partners' too with
// network=true.
func (h *handlers) catalogue(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r, projects.MaxPage/2, projects.MaxPage, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	v := r.URL.Query()
	q := projects.CatalogueQuery{Status: v.Get("status"), Category: v.Get("category"), Tag: v.Get("tag"),
		Place: v.Get("place"), MinBudget: v.Get("min_budget"), MaxBudget: v.Get("max_budget"),
		Currency: v.Get("currency"), Limit: p.limit}
	if !v.Has("status") {
		q.Status = projects.TaskOpen
	}
	if p.cursor != "" {
		q.Cursor = uuid.MustParse(p.cursor) // checked by uuidCursor
	}
	network := false
	switch v.Get("network") {
	case "", "false":
	case "true":
		network = true
	default:
		fail(w, r, core.Invalid(core.FieldError{Field: "network", Code: "invalid-choice", Detail: "must be true or false"}))
		return
	}
	if network && h.network != nil {
		list, next, err := h.network.NetworkCatalogue(r.Context(), q)
		if err != nil {
			fail(w, r, err)
			return
		}
		items := make([]taskJSON, len(list))
		for i, t := range list {
			items[i] = renderTask(t.Task)
			items[i].URI, items[i].Association, items[i].Partner = t.URI, t.Association, t.Remote
			if t.Remote {
				items[i].ProjectURI = t.ProjectURI
			}
		}
		writeJSON(w, r, http.StatusOK, newList(items, cursorOf(next)))
		return
	}
	local, next, err := h.projects.Catalogue(r.Context(), q)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, newList(renderTasks(local), cursorOf(next)))
}
