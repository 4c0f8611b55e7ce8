package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/ical"
)

// associationCalendar is the association's agenda as an iCalendar feed,
// to subscribe to from a calendar; a members-only association's to its
// members only, as its JSON agenda.
func (h *handlers) associationCalendar(w http.ResponseWriter, r *http.Request) {
	f, err := h.events.AssociationFeed(r.Context(), auth.Account(r.Context()), chi.URLParam(r, "name"))
	if err != nil {
		fail(w, r, err)
		return
	}
	writeCalendar(w, r, f, f.Association+"-events.ics")
}

// networkCalendar is the agenda of the network's public associations as
// an iCalendar feed.
func (h *handlers) networkCalendar(w http.ResponseWriter, r *http.Request) {
	f, err := h.events.NetworkFeed(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	if f.Name == "" {
		f.Name = "Holon network"
	}
	writeCalendar(w, r, f, "network-events.ics")
}

// writeCalendar writes f, with an ETag (the body's hash) and Last-Modified
// (the latest change of its events) that calendars revalidate with:
// http.ServeContent answers their conditional requests with 304.
func writeCalendar(w http.ResponseWriter, r *http.Request, f agenda.Feed, filename string) {
	body, err := ical.Marshal(ical.Calendar{Name: f.Name, Events: f.Events})
	if err != nil {
		fail(w, r, err)
		return
	}
	var modified time.Time
	for _, e := range f.Events {
		if e.UpdatedAt.After(modified) {
			modified = e.UpdatedAt
		}
	}
	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	// Revalidated each time: the feed changes with the events, and a
	// members-only feed is no shared cache's to keep.
	if auth.Account(r.Context()) != nil {
		h.Set("Cache-Control", "private, no-cache")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}
