package api

import (
	"encoding/json"
	"math"
	"net/http"
	"time"

	"github.com/holon-network/holon/core/agenda"
)

// GeoJSONType is the media type of GeoJSON (RFC 7946 §12).
const GeoJSONType = "application/geo+json"

// featureCollection is the network's map as RFC 7946 GeoJSON: Point
// features, coordinates longitude first. Truncated, a foreign member,
// says that a bound cut the list (also said by the Holon-Truncated
// header).
type featureCollection struct {
	Type      string    `json:"type"`
	Features  []feature `json:"features"`
	Truncated bool      `json:"truncated"`
}

type feature struct {
	Type       string          `json:"type"`
	ID         string          `json:"id"`
	Geometry   point           `json:"geometry"`
	Properties placeProperties `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// placeProperties are what a feature tells of its event or association.
type placeProperties struct {
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Starts      string `json:"starts,omitempty"`
	Ends        string `json:"ends,omitempty"`
	Timezone    string `json:"timezone,omitempty"`
	Place       string `json:"place,omitempty"`
	Locality    string `json:"locality,omitempty"`
	Association string `json:"association"`
}

// PlacesGeoJSON renders m as a GeoJSON FeatureCollection: the events
// first, by start, then the associations, by name. Links are absolute,
// on baseURL. The web pages' map reads the same document.
func PlacesGeoJSON(m agenda.Map, baseURL string) ([]byte, error) {
	fc := featureCollection{Type: "FeatureCollection", Features: make([]feature, 0, len(m.Events)+len(m.Associations)),
		Truncated: m.Truncated}
	for _, list := range [][]agenda.MapEntry{m.Events, m.Associations} {
		for _, e := range list {
			p := placeProperties{Kind: e.Kind, Name: e.Name, URL: baseURL + e.Path, Timezone: e.Timezone,
				Place: e.PlaceName, Locality: e.Locality, Association: e.Association}
			if e.Kind == agenda.MapEvent {
				p.Starts, p.Ends = e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339)
			}
			fc.Features = append(fc.Features, feature{Type: "Feature", ID: baseURL + e.Path,
				Geometry:   point{Type: "Point", Coordinates: [2]float64{degrees(e.Longitude), degrees(e.Latitude)}},
				Properties: p})
		}
	}
	return json.Marshal(fc)
}

// degrees rounds to six decimals (about 10 cm), as RFC 7946 §11.2
// advises.
func degrees(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// networkPlaces is GET /network/places.geojson: the events with a
// position and the associations with one, of the network's public view.
func (h *handlers) networkPlaces(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	mq, err := h.events.ParseMapQuery(q.Get("bbox"), q.Get("from"), q.Get("to"))
	if err != nil {
		fail(w, r, err)
		return
	}
	m, err := h.events.Map(r.Context(), mq)
	if err != nil {
		fail(w, r, err)
		return
	}
	body, err := PlacesGeoJSON(m, h.cfg.BaseURL())
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", GeoJSONType)
	w.Header().Set("Cache-Control", "no-cache")
	if m.Truncated {
		w.Header().Set("Holon-Truncated", "true")
	}
	_, _ = w.Write(body)
}
