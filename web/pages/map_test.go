package pages_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/web/webtest"
)

// locationForm is commons' settings with where it is.
func locationForm(lat, lon string) url.Values {
	f := settingsForm()
	f.Set("board_may_allocate_up_to", "1000.00")
	f.Set("board_may_evaluate_projects", "on")
	f.Set("location_place_name", "Maison des associations")
	f.Set("location_locality", "Lyon")
	f.Set("location_country", "France")
	f.Set("location_latitude", lat)
	f.Set("location_longitude", lon)
	return f
}

func TestMapPage_ListsThePlacesWithoutJavaScript(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		// The board says where the association is; bad coordinates are
		// shown on their fields.
		p := w.alice.post("/@commons/settings", locationForm("91", "4.8357")).want(t, http.StatusUnprocessableEntity)
		if attr(p.byID("location_latitude"), "aria-invalid") != "true" ||
			!strings.Contains(textOf(p.byID("location_latitude-error")), "The latitude must be a number between -90 and 90.") {
			t.Fatalf("the latitude's error is not on its field:\n%s", p.Body)
		}
		p = w.alice.post("/@commons/settings", locationForm("45.764", "")).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(textOf(p.byID("location_longitude-error")), "Give both latitude and longitude, or neither.") {
			t.Fatalf("a latitude alone is not refused on the longitude:\n%s", p.Body)
		}
		w.alice.post("/@commons/settings", locationForm("45.764", "4,8357")).redirectsTo(t, "/@commons/settings?saved=1")
		if got := attr(w.alice.get("/@commons/settings").want(t, http.StatusOK).byID("location_longitude"), "value"); got != "4.8357" {
			t.Fatalf("the settings show longitude %q", got)
		}
		event := createEvent(t, w.alice, "commons", eventForm("Planting day"))
		online := eventForm("Online meeting")
		online.Set("event_place_latitude", "")
		online.Set("event_place_longitude", "")
		createEvent(t, w.alice, "commons", online)
		w.alice.createAssociation("secret")
		secret := settingsForm()
		secret.Set("visibility", "members")
		w.alice.post("/@secret/settings", secret).redirectsTo(t, "/@secret/settings?saved=1")
		createEvent(t, w.alice, "secret", eventForm("Secret meeting"))

		w.visitor.get("/network").want(t, http.StatusOK).contains(t, `href="/network/map"`)
		w.visitor.get("/events/"+event).want(t, http.StatusOK).contains(t, `href="/network/map#event-`+event+`"`)
		w.visitor.get("/@commons").want(t, http.StatusOK).contains(t, `href="/network/map#association-commons"`, "Maison des associations · Lyon, France")

		tests := []struct {
			lang  string
			texts []string
		}{
			{"en", []string{`<html lang="en">`, "Map of places", "Events", "Associations", "By commons"}},
			{"fr", []string{`<html lang="fr">`, "Carte des lieux", "Événements", "Associations", "Par commons"}},
		}
		for _, tt := range tests {
			t.Run(tt.lang, func(t *testing.T) {
				w.visitor.lang = tt.lang
				p := w.visitor.get("/network/map").want(t, http.StatusOK)
				p.contains(t, tt.texts...)
				p.contains(t, `<li id="event-`+event+`"><a href="/events/`+event+`">Planting day</a>`, `<time datetime="2030-05-10">2030-05-10</time>`,
					"14:00–17:00 (Europe/Paris)</time> · Community garden · Lyon", `<li id="association-commons"><a href="/@commons">The Commons</a>`,
					"Maison des associations · Lyon")
				p.lacks(t, "Online meeting", "Secret meeting", "secret")
				// Leaflet and our script come from our assets, deferred; no
				// inline script.
				for _, re := range []string{`<link rel="stylesheet" href="/static/leaflet\.[0-9a-f]{12}\.css">`,
					`<script src="/static/leaflet\.[0-9a-f]{12}\.js" defer></script>`, `<script src="/static/map\.[0-9a-f]{12}\.js" defer></script>`} {
					if !regexp.MustCompile(re).MatchString(p.Body) {
						t.Errorf("no %s in:\n%s", re, p.Body)
					}
				}
				if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(p.Body) || strings.Contains(p.Body, "<script>") {
					t.Error("the page has an inline script")
				}
				m := p.byID("map")
				if m == nil || !hasAttr(m, "hidden") || attr(m, "data-tiles") != config.Default().Map.TileURL ||
					attr(m, "data-places") != "/network/places.geojson" {
					t.Errorf("map element: %v", m)
				}
				csp := p.Header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "img-src 'self' data: https://tile.openstreetmap.org;") ||
					strings.Count(csp, "tile.openstreetmap.org") != 1 || !strings.Contains(csp, "script-src 'self';") {
					t.Errorf("Content-Security-Policy %q", csp)
				}
			})
		}
		// Other pages keep the strict policy.
		if csp := w.visitor.get("/network").Header.Get("Content-Security-Policy"); strings.Contains(csp, "openstreetmap") {
			t.Errorf("/network allows the tiles: %q", csp)
		}
		// The list follows the same filters as the GeoJSON.
		w.visitor.lang = "en"
		w.visitor.get("/network/map?bbox=2,48,3,49").want(t, http.StatusOK).lacks(t, "Planting day", `id="association-commons"`)
		w.visitor.get("/network/map?bbox=1,2,3").want(t, http.StatusBadRequest).contains(t, "must be four numbers separated by commas")
		w.visitor.lang = "fr"
		w.visitor.get("/network/map?from=2030-01-02&to=2030-01-01").want(t, http.StatusBadRequest).contains(t, "La fin (to) doit venir après le début")
	})
}

func TestMapPage_WithoutTileServerIsAList(t *testing.T) {
	webtest.Each(t, func(c *config.Config) { c.Map.TileURL = "" }, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		createEvent(t, w.alice, "commons", eventForm("Planting day"))
		p := w.visitor.get("/network/map").want(t, http.StatusOK)
		p.contains(t, "Planting day")
		p.lacks(t, `id="map"`, "<script", "leaflet")
		if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
			t.Errorf("Content-Security-Policy %q", csp)
		}
	})
}
