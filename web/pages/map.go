package pages

import (
	"net/http"
	"strings"
	"time"

	"github.com/holon-network/holon/core/agenda"
)

// mapPage is the network's map (/network/map): the places of
// /network/places.geojson as a list, by date then the associations,
// complete without JavaScript; with it, map.js draws them on a Leaflet map
// over the configured tile server.
type mapPage struct {
	frame
	Days         []mapDay
	Associations []agenda.MapEntry
	Truncated    bool
	// Failed holds the problems of a query that could not be read.
	Failed *form
	// Map is nil when no tile server is configured: the list only.
	Map *mapView
}

// mapDay is the events starting on one date (in their own time zone).
type mapDay struct {
	Date   string // 2026-05-01
	Events []mapEvent
}

type mapEvent struct {
	agenda.MapEntry
	ID       string // the list item's id, that "on the map" links aim at
	Time     string // 14:00–18:00, or the end's date and time on another day
	StartISO string
}

// mapView is what map.js reads from the map's element.
type mapView struct {
	Places       string // the GeoJSON's address, with the page's query
	TileURL      string
	Attribution  string
	LeafletJS    string
	LeafletCSS   string
	MapJS        string
	MapCSS       string
	MarkerIcon   string
	MarkerIcon2x string
	MarkerShadow string
}

func (s *server) mapPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	mq, err := s.events.ParseMapQuery(q.Get("bbox"), q.Get("from"), q.Get("to"))
	if err != nil {
		// The page says what is wrong with its address, and lists nothing.
		f := newForm()
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusBadRequest, "map", &mapPage{Failed: f})
		return
	}
	m, err := s.events.Map(r.Context(), mq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &mapPage{Associations: m.Associations, Truncated: m.Truncated}
	for _, e := range m.Events {
		loc, err := time.LoadLocation(e.Timezone)
		if err != nil || e.Timezone == "" {
			loc = time.UTC
		}
		start, end := e.Start.In(loc), e.End.In(loc)
		date := start.Format(time.DateOnly)
		when := start.Format("15:04") + "–" + end.Format("15:04")
		if end.Format(time.DateOnly) != date {
			when = start.Format("15:04") + " – " + end.Format("2006-01-02 15:04")
		}
		if e.Timezone != "" {
			when += " (" + e.Timezone + ")"
		}
		if n := len(p.Days); n == 0 || p.Days[n-1].Date != date {
			p.Days = append(p.Days, mapDay{Date: date})
		}
		day := &p.Days[len(p.Days)-1]
		day.Events = append(day.Events, mapEvent{MapEntry: e, ID: "event-" + strings.TrimPrefix(e.Path, "/events/"),
			Time: when, StartISO: e.Start.Format(time.RFC3339)})
	}
	if s.cfg.Map.TileURL != "" {
		places := "/network/places.geojson"
		if r.URL.RawQuery != "" {
			places += "?" + r.URL.RawQuery
		}
		p.Map = &mapView{Places: places, TileURL: s.cfg.Map.TileURL, Attribution: s.cfg.Map.Attribution,
			LeafletJS: s.assets.url("leaflet.js"), LeafletCSS: s.assets.url("leaflet.css"),
			MapJS: s.assets.url("map.js"), MapCSS: s.assets.url("map.css"),
			MarkerIcon: s.assets.url("marker-icon.png"), MarkerIcon2x: s.assets.url("marker-icon-2x.png"),
			MarkerShadow: s.assets.url("marker-shadow.png")}
		allowImages(w, s.cfg.Map.TileOrigin())
	}
	s.render(w, r, http.StatusOK, "map", p)
}

// allowImages adds origin to the img-src of the content security policy
// the server set, for this answer only: the map page shows the tile
// server's images, and nothing else of it.
func allowImages(w http.ResponseWriter, origin string) {
	h := w.Header()
	csp := h.Get("Content-Security-Policy")
	if csp == "" || origin == "" {
		return
	}
	parts := strings.Split(csp, ";")
	found := false
	for i, d := range parts {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "img-src" {
			parts[i] = strings.TrimRight(d, " ") + " " + origin
			found = true
		}
	}
	if !found {
		parts = append(parts, " img-src 'self' "+origin)
	}
	h.Set("Content-Security-Policy", strings.Join(parts, ";"))
}
