package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/notify"
)

// Notifications (GET /api/v1/notifications and the routes under it), as
// Mastodon 4.3 answers them. Holon writes mention, favourite, reblog,
// follow and follow_request; a filter on any other type finds nothing.
// The grouped notifications of /api/v2 are in notifications_v2.go.

// maxUnreadCount bounds GET /notifications/unread_count, as Mastodon does.
const maxUnreadCount = 1000

func (h *handlers) listNotifications(w http.ResponseWriter, r *http.Request) {
	if out, ok := h.notificationPage(w, r); ok {
		writeJSON(w, r, http.StatusOK, out)
	}
}

// notificationPage reads the page of notifications the request asks for
// (v1's and v2's lists) and sets its Link header; otherwise it answers
// the refusal and ok is false.
func (h *handlers) notificationPage(w http.ResponseWriter, r *http.Request) (out []notificationJSON, ok bool) {
	acc, ok := authorized(w, r, "read:notifications")
	if !ok {
		return nil, false
	}
	q, ok := notificationQuery(w, r)
	if !ok {
		return nil, false
	}
	list, err := h.notify.List(r.Context(), acc.ID, q)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if out, err = h.notificationsOf(r.Context(), acc, list); err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if len(list) > 0 {
		h.linkHeader(w, r, list[len(list)-1].ID.String(), list[0].ID.String())
	}
	return out, true
}

// notificationQuery reads Mastodon's paging and filters; an id that is
// not one of Holon's answers 400 as Mastodon answers a malformed one.
func notificationQuery(w http.ResponseWriter, r *http.Request) (notify.Query, bool) {
	v := r.URL.Query()
	var q notify.Query
	ids := []struct {
		name string
		into *uuid.UUID
	}{{"max_id", &q.MaxID}, {"since_id", &q.SinceID}, {"min_id", &q.MinID}, {"account_id", &q.Actor}}
	for _, p := range ids {
		s := v.Get(p.name)
		if s == "" {
			continue
		}
		id, err := uuid.Parse(s)
		if err != nil || len(s) > 36 {
			writeJSON(w, r, http.StatusBadRequest, errorJSON{Error: p.name + " is not an id"})
			return notify.Query{}, false
		}
		*p.into = id
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			writeJSON(w, r, http.StatusBadRequest, errorJSON{Error: "limit must be a positive number"})
			return notify.Query{}, false
		}
		q.Limit = n // notify bounds it
	}
	q.Types = arrayParam(v, "types")
	q.ExcludeTypes = arrayParam(v, "exclude_types")
	return q, true
}

// arrayParam reads a Mastodon array parameter: name[]=a&name[]=b, or
// name=a (some clients send it so).
func arrayParam(v url.Values, name string) []string {
	list := append(v[name+"[]"], v[name]...)
	if len(list) > notify.MaxTypes {
		list = list[:notify.MaxTypes]
	}
	return list
}

func (h *handlers) getNotification(w http.ResponseWriter, r *http.Request) {
	if n, ok := h.oneNotification(w, r); ok {
		writeJSON(w, r, http.StatusOK, n)
	}
}

// oneNotification reads the asker's notification {id}; otherwise it
// answers the refusal (404 too when its note is no longer readable) and
// ok is false.
func (h *handlers) oneNotification(w http.ResponseWriter, r *http.Request) (notificationJSON, bool) {
	acc, ok := authorized(w, r, "read:notifications")
	if !ok {
		return notificationJSON{}, false
	}
	n, ok := h.ownNotification(w, r, acc)
	if !ok {
		return notificationJSON{}, false
	}
	out, err := h.notificationsOf(r.Context(), acc, []notify.Notification{n})
	if err != nil {
		h.fail(w, r, err)
		return notificationJSON{}, false
	}
	if len(out) == 0 {
		notFound(w, r)
		return notificationJSON{}, false
	}
	return out[0], true
}

func (h *handlers) dismissNotification(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:notifications")
	if !ok {
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		notFound(w, r)
		return
	}
	err = h.notify.Dismiss(r.Context(), acc.ID, id)
	switch {
	case errors.Is(err, notify.ErrNoSuchNotification):
		notFound(w, r)
	case err != nil:
		h.fail(w, r, err)
	default:
		writeJSON(w, r, http.StatusOK, struct{}{})
	}
}

func (h *handlers) clearNotifications(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:notifications")
	if !ok {
		return
	}
	if err := h.notify.Clear(r.Context(), acc.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, struct{}{})
}

// unreadCount counts the notifications up to limit (100 by default, 1000
// at most). Holon keeps no read marker yet (GET/POST /api/v1/markers): every
// notification not dismissed counts as unread.
func (h *handlers) unreadCount(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "read:notifications")
	if !ok {
		return
	}
	limit := 100
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 {
		limit = min(n, maxUnreadCount)
	}
	n, err := h.notify.Count(r.Context(), acc.ID, uuid.Nil, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, struct {
		Count int `json:"count"`
	}{n})
}

// ownNotification is the notification of the route's id when it is acc's;
// otherwise it answers 404, as Mastodon does for another's.
func (h *handlers) ownNotification(w http.ResponseWriter, r *http.Request, acc membership.Account) (notify.Notification, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		notFound(w, r)
		return notify.Notification{}, false
	}
	n, err := h.notify.Get(r.Context(), acc.ID, id)
	if errors.Is(err, notify.ErrNoSuchNotification) {
		notFound(w, r)
		return notify.Notification{}, false
	}
	if err != nil {
		h.fail(w, r, err)
		return notify.Notification{}, false
	}
	return n, true
}

// notificationsOf maps list to Mastodon's entities as viewer sees them.
// A notification whose note viewer can no longer read (deleted, or its
// audience changed) is left out rather than shown without its status.
func (h *handlers) notificationsOf(ctx context.Context, viewer membership.Account, list []notify.Notification) ([]notificationJSON, error) {
	var ids []uuid.UUID
	for _, n := range list {
		if n.NoteID != nil {
			ids = append(ids, *n.NoteID)
		}
	}
	entries, err := h.news.Entries(ctx, &viewer, ids)
	if err != nil {
		return nil, err
	}
	// The page's statuses and accounts are mapped at once, each in the
	// queries of one (statusesOf, accountsOf), however many notifications.
	statuses, err := h.statusesOf(ctx, entries)
	if err != nil {
		return nil, err
	}
	byNote := make(map[uuid.UUID]statusJSON, len(entries))
	for i, e := range entries {
		byNote[e.Note.ID] = statuses[i]
	}
	var uris []string
	for _, n := range list {
		uris = append(uris, n.ActorURI)
	}
	actors, err := h.members.ActorsByURIs(ctx, uris)
	if err != nil {
		return nil, err
	}
	shown := make([]membership.Actor, 0, len(actors))
	for _, a := range actors {
		shown = append(shown, a)
	}
	accounts, err := h.accountsByURI(ctx, shown)
	if err != nil {
		return nil, err
	}
	out := make([]notificationJSON, 0, len(list))
	for _, n := range list {
		account, ok := accounts[n.ActorURI]
		if !ok {
			continue // an actor no longer kept here: nothing to show
		}
		nj := notificationJSON{ID: n.ID.String(), Type: n.Type, CreatedAt: timestamp(n.CreatedAt),
			GroupKey: "ungrouped-" + n.ID.String(), Account: account}
		if n.NoteID != nil {
			st, ok := byNote[*n.NoteID]
			if !ok {
				continue
			}
			nj.Status = &st
		}
		out = append(out, nj)
	}
	return out, nil
}
