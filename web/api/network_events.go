package api

import (
	"net/http"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/web/auth"
)

// networkEventJSON is an event of the network agenda: a local
// association's, or the copy of a partner's (remote), whose id is the
// copy's here.
type networkEventJSON struct {
	eventJSON
	Remote bool `json:"remote"`
	// Handle is the association as people write it: name, or name@host
	// for a partner; AssociationHost is nil for a local association.
	Handle          string  `json:"handle"`
	AssociationHost *string `json:"association_host"`
	URL             string  `json:"url"`
}

func renderNetworkEvent(it agenda.AgendaItem) networkEventJSON {
	return networkEventJSON{eventJSON: renderEvent(it.Event), Remote: it.Remote, Handle: it.Handle(),
		AssociationHost: optString(it.AssociationHost), URL: it.URL}
}

// networkEvents is the network agenda: this instance's public
// associations' events and the partners', by start, filtered by date,
// tag, place and status.
func (h *handlers) networkEvents(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r, agenda.MaxPage/2, agenda.MaxPage, func(string) *core.FieldError { return nil })
	if err != nil {
		fail(w, r, err)
		return
	}
	v := r.URL.Query()
	var fe core.FieldErrors
	q := agenda.NetworkQuery{From: v.Get("from"), To: v.Get("to"), Tag: v.Get("tag"), Place: v.Get("place"),
		Cancelled: boolQuery(r, "cancelled", &fe), PartnersOnly: boolQuery(r, "partners_only", &fe), Cursor: p.cursor, Limit: p.limit}
	if err := fe.Err(); err != nil {
		fail(w, r, err)
		return
	}
	list, next, err := h.events.NetworkAgenda(r.Context(), auth.Account(r.Context()), q)
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]networkEventJSON, len(list))
	for i, it := range list {
		items[i] = renderNetworkEvent(it)
	}
	writeJSON(w, r, http.StatusOK, newList(items, next))
}

// boolQuery reads the query parameter name: true, false or absent
// (false).
func boolQuery(r *http.Request, name string, fe *core.FieldErrors) bool {
	switch r.URL.Query().Get(name) {
	case "", "false":
		return false
	case "true":
		return true
	}
	fe.Add(name, "invalid-choice", "must be true or false")
	return false
}
