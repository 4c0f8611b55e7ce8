package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/holon-network/holon/cmd/holon/holontest"
)

// tileServer serves one small green PNG for every tile, on loopback (the
// network is closed), and counts what it served.
func tileServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := range 256 {
		for x := range 256 {
			img.Set(x, y, color.RGBA{R: 200, G: 230, B: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".png") {
			http.NotFound(w, r)
			return
		}
		served.Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv, &served
}

// TestBrowser_MapShowsOneMarkerPerPlace: with a tile server configured (a
// loopback one here), the map page loads Leaflet from the instance's own
// assets, draws the tiles, and shows one marker per feature of the
// GeoJSON: an event and an association; a marker's popup links to the
// event's page.
func TestBrowser_MapShowsOneMarkerPerPlace(t *testing.T) {
	requireChromium(t)
	tiles, served := tileServer(t)
	bin := holontest.Build(t)
	dir := t.TempDir()
	env, base := holontest.SQLiteEnv(t, dir)
	env = append(env, "HOLON_MAP_TILE_URL="+tiles.URL+"/{z}/{x}/{y}.png", "HOLON_MAP_ATTRIBUTION=Test tiles <b>")
	holontest.MustStart(t, bin, dir, env, base)

	alice := newFormClient(t, base, "alice")
	alice.signUp()
	alice.post("/associations/new", url.Values{"name": {"jardin"}, "display_name": {"Jardin partagé"}, "currency": {"EUR"}})
	alice.post("/@jardin/settings", url.Values{"display_name": {"Jardin partagé"}, "currency": {"EUR"}, "join_mode": {"free"},
		"visibility": {"public"}, "probation_period": {"0s"}, "debate_period": {"0s"}, "consensus_period": {"168h"},
		"value_vote_period": {"168h"}, "max_reservation_period": {"720h"}, "board_may_allocate_up_to": {"500.00"},
		"location_place_name": {"Maison des associations"}, "location_locality": {"Lyon"}, "location_country": {"France"},
		"location_latitude": {"45.7640"}, "location_longitude": {"4.8357"}})
	event := strings.TrimPrefix(alice.post("/@jardin/events/new", url.Values{"event_name": {"Planting day"},
		"event_start": {"2030-05-10T14:00"}, "event_end": {"2030-05-10T17:00"}, "event_timezone": {"Europe/Paris"},
		"event_place_name": {"Community garden"}, "event_place_locality": {"Villeurbanne"},
		"event_place_latitude": {"45.7719"}, "event_place_longitude": {"4.8902"}, "event_join_mode": {"free"},
		"event_status": {"confirmed"}, "event_category": {"COMMUNITY"}}), "/events/")
	event, _, _ = strings.Cut(event, "?")

	browser := startBrowser(t)
	ada := newVisitor(t, browser, base, "ada")
	ada.open("/network/map")
	var markers string
	ada.step("wait for the markers", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`#map[data-markers]`))); err != nil {
			return err
		}
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#map"), "data-markers"))
		markers = v.Value
		return err
	})
	// Tiles load after the markers are placed: a loaded one is waited for,
	// not counted at once (a busy machine draws them later).
	ada.step("wait for a tile", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(`#map img.leaflet-tile-loaded`)))
	})
	eval := func(what, js string) string {
		var out string
		ada.step(what, func(ctx context.Context) error {
			var err error
			out, err = chromedp.Run(ctx, chromedp.Evaluate[string](js))
			return err
		})
		return out
	}
	icons := eval("count the markers", `String(document.querySelectorAll("#map .leaflet-marker-icon").length)`)
	if markers != "2" || icons != "2" {
		ada.failf("the map shows %s markers (data-markers %q), want 2: the event and the association", icons, markers)
	}
	if v := eval("read Leaflet's version", `window.L ? L.version : ""`); v != "1.9.4" {
		ada.failf("Leaflet %q, want 1.9.4", v)
	}
	// Every script, style sheet and marker image came from the instance;
	// the tiles alone from the tile server.
	resources := eval("list the resources", `performance.getEntriesByType("resource").map(e => e.name).join("\n")`)
	var fromUs, tilesSeen int
	for _, r := range strings.Split(resources, "\n") {
		switch {
		case strings.HasPrefix(r, base+"/"):
			fromUs++
		case strings.HasPrefix(r, tiles.URL+"/"):
			tilesSeen++
		default:
			ada.failf("the page loaded %q, from neither the instance nor the tile server", r)
		}
	}
	for _, want := range []string{base + "/static/leaflet.", base + "/static/map.", base + "/static/marker-icon", base + "/network/places.geojson"} {
		if !strings.Contains(resources, want) {
			ada.failf("the page did not load %s…; it loaded:\n%s", want, resources)
		}
	}
	loaded := eval("count the tiles", `String(document.querySelectorAll("#map img.leaflet-tile-loaded").length)`)
	if n, _ := strconv.Atoi(loaded); n == 0 || served.Load() == 0 || tilesSeen == 0 {
		ada.failf("no tile shown (%s loaded, %d served)", loaded, served.Load())
	}
	if credit := ada.text(".leaflet-control-attribution"); !strings.Contains(credit, "Test tiles <b>") {
		ada.failf("the attribution reads %q, want the configured text, escaped", credit)
	}
	// The event's marker opens a popup that links to its page.
	ada.step("open the event's popup", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#map .leaflet-marker-icon.marker-event`))); err != nil {
			return err
		}
		return chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.leaflet-popup-content a`)))
	})
	href := eval("read the popup's link", `document.querySelector(".leaflet-popup-content a").href`)
	if href != base+"/events/"+event || !strings.Contains(ada.text(".leaflet-popup-content"), "Planting day") {
		ada.failf("the popup links to %q, want %s/events/%s", href, base, event)
	}
	ada.screenshot("map.png")
}
