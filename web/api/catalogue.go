package api

import (
	"bytes"
	"context"
	"net/http"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/projects"
)

// PartnerTasks is where the catalogue finds the tasks of partner
// associations, for GET /tasks?network=true. Deps.PartnerTasks nil: the
// network catalogue is the local one, nothing is made up.
//
// PartnerTasks answers like projects.Service.Catalogue: the tasks q
// selects, newest first by their local id (a UUIDv7, in time order), before
// q.Cursor, at most q.Limit. Both lists are merged on that order, so one
// cursor pages through both.
type PartnerTasks interface {
	PartnerTasks(ctx context.Context, q projects.CatalogueQuery) ([]projects.Task, error)
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
	local, next, err := h.projects.Catalogue(r.Context(), q)
	if err != nil {
		fail(w, r, err)
		return
	}
	if network && h.partnerTasks != nil {
		partners, err := h.partnerTasks.PartnerTasks(r.Context(), q)
		if err != nil {
			fail(w, r, err)
			return
		}
		local, next = mergeNewest(local, next != uuid.Nil, partners, p.limit)
	}
	writeJSON(w, r, http.StatusOK, newList(renderTasks(local), cursorOf(next)))
}

// mergeNewest merges two pages of tasks, each newest first by id, into one
// of at most limit. There is a next page when either list had more than
// what the merged page took: local says so itself (localMore), partners
// may if it filled its page.
func mergeNewest(local []projects.Task, localMore bool, partners []projects.Task, limit int) ([]projects.Task, uuid.UUID) {
	all := append(slices.Clip(local), partners...)
	slices.SortFunc(all, func(a, b projects.Task) int { return bytes.Compare(b.ID[:], a.ID[:]) })
	all = slices.CompactFunc(all, func(a, b projects.Task) bool { return a.ID == b.ID })
	more := localMore || len(partners) >= limit || len(all) > limit
	if len(all) > limit {
		all = all[:limit]
	}
	if !more || len(all) == 0 {
		return all, uuid.Nil
	}
	return all, all[len(all)-1].ID
}
