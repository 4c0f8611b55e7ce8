package mastodon

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"

	"github.com/holon-network/holon/core/news"
)

// markerJSON is Mastodon's Marker entity.
type markerJSON struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

// maxMarkersBody bounds a save of markers: two ids and their names.
const maxMarkersBody = 4 << 10

func markersJSON(list []news.Marker) map[string]markerJSON {
	out := make(map[string]markerJSON, len(list))
	for _, m := range list {
		out[m.Timeline] = markerJSON{LastReadID: m.LastReadID, Version: m.Version, UpdatedAt: timestamp(m.UpdatedAt)}
	}
	return out
}

// markers answers the person's reading positions in the timelines asked
// (timeline[]=home&timeline[]=notifications); those never saved are left
// out, as Mastodon leaves them.
func (h *handlers) markers(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "read:statuses")
	if !ok {
		return
	}
	q := r.URL.Query()
	list, err := h.news.Markers(r.Context(), acc, append(q["timeline[]"], q["timeline"]...))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, markersJSON(list))
}

// saveMarkers saves reading positions, from a form
// (home[last_read_id]=…) or JSON ({"home": {"last_read_id": …}}), and
// answers the markers saved.
func (h *handlers) saveMarkers(w http.ResponseWriter, r *http.Request) {
	acc, ok := authorized(w, r, "write:statuses")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxMarkersBody)
	positions := map[string]string{}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		var in map[string]struct {
			LastReadID string `json:"last_read_id"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: unreadable JSON"})
			return
		}
		for _, t := range []string{news.MarkerHome, news.MarkerNotifications} {
			if m, ok := in[t]; ok {
				positions[t] = m.LastReadID
			}
		}
	} else {
		if err := r.ParseForm(); err != nil {
			writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: unreadable form"})
			return
		}
		for _, t := range []string{news.MarkerHome, news.MarkerNotifications} {
			if v, ok := r.Form[t+"[last_read_id]"]; ok && len(v) > 0 {
				positions[t] = v[0]
			}
		}
	}
	list, err := h.news.SetMarkers(r.Context(), acc, positions)
	if errors.Is(err, news.ErrBadMarker) {
		writeJSON(w, r, http.StatusUnprocessableEntity, errorJSON{Error: "Validation failed: last_read_id is required"})
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, markersJSON(list))
}
