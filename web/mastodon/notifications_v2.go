package mastodon

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Grouped notifications (GET /api/v2/notifications, Mastodon 4.3), which
// Mastodon's web app, and Phanpy when its grouped-notifications setting is
// on, ask of a server whose api_versions.mastodon is 2 or more. Mastodon
// decides what it groups; Holon groups nothing: each notification is its
// own group, keyed "ungrouped-<id>" as Mastodon keys the types it does not
// group, so that every client shows them right.

// notificationGroupJSON is Mastodon's NotificationGroup entity.
type notificationGroupJSON struct {
	GroupKey                 string   `json:"group_key"`
	NotificationsCount       int      `json:"notifications_count"`
	Type                     string   `json:"type"`
	MostRecentNotificationID string   `json:"most_recent_notification_id"`
	PageMinID                string   `json:"page_min_id"`
	PageMaxID                string   `json:"page_max_id"`
	LatestPageNotificationAt string   `json:"latest_page_notification_at"`
	SampleAccountIDs         []string `json:"sample_account_ids"`
	StatusID                 *string  `json:"status_id,omitempty"`
}

// groupedJSON is Mastodon's GroupedNotificationsResults entity.
type groupedJSON struct {
	Accounts           []accountJSON           `json:"accounts"`
	Statuses           []statusJSON            `json:"statuses"`
	NotificationGroups []notificationGroupJSON `json:"notification_groups"`
}

// grouped makes the results of ns: each account and status once.
func grouped(ns []notificationJSON) groupedJSON {
	out := groupedJSON{Accounts: []accountJSON{}, Statuses: []statusJSON{}, NotificationGroups: []notificationGroupJSON{}}
	accounts, statuses := map[string]bool{}, map[string]bool{}
	for _, n := range ns {
		g := notificationGroupJSON{GroupKey: n.GroupKey, NotificationsCount: 1, Type: n.Type, MostRecentNotificationID: n.ID,
			PageMinID: n.ID, PageMaxID: n.ID, LatestPageNotificationAt: n.CreatedAt, SampleAccountIDs: []string{n.Account.ID}}
		if !accounts[n.Account.ID] {
			accounts[n.Account.ID] = true
			out.Accounts = append(out.Accounts, n.Account)
		}
		if n.Status != nil {
			id := n.Status.ID
			g.StatusID = &id
			if !statuses[id] {
				statuses[id] = true
				out.Statuses = append(out.Statuses, *n.Status)
			}
		}
		out.NotificationGroups = append(out.NotificationGroups, g)
	}
	return out
}

func (h *handlers) listNotificationGroups(w http.ResponseWriter, r *http.Request) {
	if out, ok := h.notificationPage(w, r); ok {
		writeJSON(w, r, http.StatusOK, grouped(out))
	}
}

// groupNotification rewrites the route's group key to the id of the
// notification it stands for, for the v1 handlers; an unknown key is 404.
func groupNotification(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := strings.CutPrefix(chi.URLParam(r, "group_key"), "ungrouped-")
		if !ok {
			notFound(w, r)
			return
		}
		chi.RouteContext(r.Context()).URLParams.Add("id", id)
		next(w, r)
	}
}

func (h *handlers) getNotificationGroup(w http.ResponseWriter, r *http.Request) {
	if n, ok := h.oneNotification(w, r); ok {
		writeJSON(w, r, http.StatusOK, grouped([]notificationJSON{n}))
	}
}
