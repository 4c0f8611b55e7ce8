package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
)

// readPlaces checks that r is GeoJSON by RFC 7946's rules, decoding it
// with paulmach/orb, an independent GeoJSON library: a FeatureCollection
// of Point features, each position [longitude, latitude] within range, a
// conforming PlaceCollection, and returns the features by name.
func readPlaces(t *testing.T, r reply) (map[string]*geojson.Feature, *geojson.FeatureCollection) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
		t.Fatalf("Content-Type %q, want application/geo+json", ct)
	}
	conforms(t, "PlaceCollection", r.body)
	fc, err := geojson.UnmarshalFeatureCollection(r.body)
	if err != nil {
		t.Fatalf("not GeoJSON: %v\n%s", err, r.body)
	}
	if fc.Type != "FeatureCollection" {
		t.Fatalf("type %q", fc.Type)
	}
	out := map[string]*geojson.Feature{}
	for _, f := range fc.Features {
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			t.Fatalf("feature %v: geometry %T, want a Point", f.ID, f.Geometry)
		}
		if lon, lat := p.Lon(), p.Lat(); math.Abs(lon) > 180 || math.Abs(lat) > 90 {
			t.Fatalf("feature %v at [%v, %v]: out of range", f.ID, lon, lat)
		}
		out[f.Properties.MustString("name")] = f
	}
	return out, fc
}

// placesWorld is an instance whose map has a public association with a
// location, its events (one with a position, one without, one
// cancelled), a members-only association with its own, and copies of
// remote events: a partner's, a partner's on a blocked domain, and an
// association's that no one here follows.
type placesWorld struct {
	env
	aliceTok string
	event    eventReply
	partner  uuid.UUID // the partner's copy
}

func newPlacesWorld(t *testing.T, e env) placesWorld {
	ctx := context.Background()
	alice, aliceTok := e.person("alice")
	e.association(alice, "commons")
	e.association(alice, "secret")
	e.settings(alice, "secret", membership.SettingsChange{Visibility: ptrTo(membership.VisibilityMembers)})
	e.patch("/associations/commons", aliceTok, `{"location": {"place_name": "Maison des associations", "locality": "Lyon",
		"country": "France", "latitude": 45.764043, "longitude": 4.835659}}`).ok(t, http.StatusOK, "Association", nil)
	e.patch("/associations/secret", aliceTok, `{"location": {"locality": "Grenoble", "latitude": 45.1885, "longitude": 5.7245}}`).
		ok(t, http.StatusOK, "Association", nil)
	w := placesWorld{env: e, aliceTok: aliceTok}
	w.event = e.newEvent(aliceTok, 7, map[string]any{"name": "Garden day"})
	e.newEvent(aliceTok, 8, map[string]any{"name": "Online meeting", "place": nil, "online_link": "https://meet.example/g"})
	cancelled := e.newEvent(aliceTok, 9, map[string]any{"name": "Cancelled picnic"})
	e.post("/events/"+cancelled.ID+"/cancel", aliceTok, "").ok(t, http.StatusOK, "Event", nil)
	e.post("/associations/secret/events", aliceTok, eventBody(7, map[string]any{"name": "Secret meeting"})).
		ok(t, http.StatusCreated, "Event", nil)

	// Copies of remote events, written as federation writes them.
	me, err := e.DB.Actors().OfAccount(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	copyOf := func(host, name string, followed bool, lat, lon float64) uuid.UUID {
		g := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://" + host + "/actors/" + name, Kind: "Group",
			Username: name, Host: host, KeyID: "https://" + host + "/actors/" + name + "#key", PublicKey: "pem",
			Inbox: "https://" + host + "/actors/" + name + "/inbox", CreatedAt: now, UpdatedAt: now}
		if err := e.DB.Actors().Create(ctx, &g); err != nil {
			t.Fatal(err)
		}
		if followed {
			if err := e.DB.Follows().Save(ctx, &store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: me.ID, FollowedID: g.ID,
				ActivityID: "https://a.example/follows/" + name, State: "accepted", CreatedAt: now, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		id := uuid.Must(uuid.NewV7())
		ev := store.RemoteEvent{ID: id, URI: "https://" + host + "/events/1", AssociationActorID: g.ID,
			Name: "Seed swap at " + host, URL: "https://" + host + "/events/1", StartsAt: now.Add(48 * time.Hour),
			EndsAt: now.Add(50 * time.Hour), Timezone: "Europe/Paris", PlaceName: "Halle", Locality: "Paris",
			Latitude: &lat, Longitude: &lon, JoinMode: "free", Status: "confirmed", PublishedAt: now, UpdatedAt: now, ReceivedAt: now}
		if err := e.DB.RemoteEvents().Create(ctx, &ev); err != nil {
			t.Fatal(err)
		}
		return id
	}
	w.partner = copyOf("b.example", "gardeners", true, 48.8566, 2.3522)
	copyOf("blocked.example", "spam", true, 48.85, 2.35)
	copyOf("c.example", "strangers", false, 48.85, 2.35)
	if err := e.DB.DomainBlocks().Add(ctx, &store.DomainBlock{ID: uuid.Must(uuid.NewV7()), Domain: "blocked.example",
		Severity: "suspend", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return w
}

func ptrTo[T any](v T) *T { return &v }

func names(m map[string]*geojson.Feature) string {
	var out []string
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func TestPlaces_GeoJSONShowsThePublicNetwork(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		w := newPlacesWorld(t, e)
		r := e.get("/network/places.geojson", "")
		got, fc := readPlaces(t, r)
		if want := "Garden day, Seed swap at b.example, commons"; names(got) != want {
			t.Fatalf("features %s, want %s", names(got), want)
		}
		if truncated, _ := fc.ExtraMembers["truncated"].(bool); truncated || r.header.Get("Holon-Truncated") != "" {
			t.Fatalf("truncated: %v %q", fc.ExtraMembers["truncated"], r.header.Get("Holon-Truncated"))
		}
		tests := []struct {
			name, kind, url, association string
			lon, lat                     float64
			place, locality              string
		}{
			{"Garden day", "event", e.URL + "/events/" + w.event.ID, "commons", 4.8344, 45.7676, "Lot behind the school", "Lyon"},
			{"Seed swap at b.example", "event", e.URL + "/events/" + w.partner.String(), "gardeners@b.example", 2.3522, 48.8566, "Halle", "Paris"},
			{"commons", "association", e.URL + "/@commons", "commons", 4.835659, 45.764043, "Maison des associations", "Lyon"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := got[tt.name]
				p := f.Point()
				if p.Lon() != tt.lon || p.Lat() != tt.lat {
					t.Errorf("at %v, want [%v, %v] (longitude first)", p, tt.lon, tt.lat)
				}
				pr := f.Properties
				if pr.MustString("kind") != tt.kind || pr.MustString("url") != tt.url || pr.MustString("association") != tt.association ||
					pr.MustString("place", "") != tt.place || pr.MustString("locality", "") != tt.locality || f.ID != tt.url {
					t.Errorf("properties %v, id %v", pr, f.ID)
				}
				starts, ends := pr.MustString("starts", ""), pr.MustString("ends", "")
				if tt.kind == "association" {
					if starts != "" || ends != "" || pr.MustString("timezone", "") != "" {
						t.Errorf("an association has times: %v", pr)
					}
					return
				}
				s, err1 := time.Parse(time.RFC3339, starts)
				en, err2 := time.Parse(time.RFC3339, ends)
				if err1 != nil || err2 != nil || !en.After(s) || pr.MustString("timezone") != "Europe/Paris" {
					t.Errorf("times %q %q %v %v, timezone %q", starts, ends, err1, err2, pr.MustString("timezone", ""))
				}
			})
		}
		// The same document outside the API prefix, where DESIGN §7 puts
		// the network's feeds.
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/network/places.geojson", nil)
		if outside, _ := readPlaces(t, e.send(req)); names(outside) != names(got) {
			t.Fatalf("outside the prefix: %s", names(outside))
		}
	})
}

func TestPlaces_FiltersByBoxAndDates(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		newPlacesWorld(t, e)
		tests := []struct {
			name, query, want string
		}{
			{"around Lyon", "bbox=4.7,45.7,4.9,45.8", "Garden day, commons"},
			{"around Paris", "bbox=2.2,48.8,2.5,48.9", "Seed swap at b.example"},
			{"across the antimeridian, empty", "bbox=170,-10,-170,10", ""},
			{"the world as a box across the antimeridian", "bbox=1,-90,0,90", "Garden day, Seed swap at b.example, commons"},
			{"until in three days", "to=" + url.QueryEscape(time.Now().UTC().Add(72*time.Hour).Format(time.RFC3339)), "Seed swap at b.example, commons"},
			{"from a date in ten days", "from=" + time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly), "commons"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, _ := readPlaces(t, e.get("/network/places.geojson?"+tt.query, ""))
				if names(got) != tt.want {
					t.Fatalf("features %q, want %q", names(got), tt.want)
				}
			})
		}
	})
}

func TestPlaces_BadQueriesAreRefused(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		tests := []struct {
			query, field, code, detail string
		}{
			{"bbox=1,2,3", "bbox", "bad-bbox", "four numbers"},
			{"bbox=a,2,3,4", "bbox", "bad-bbox", `"a" is not a number`},
			{"bbox=-200,0,10,10", "bbox", "out-of-range", "between -180 and 180"},
			{"bbox=0,-95,10,10", "bbox", "out-of-range", "between -90 and 90"},
			{"bbox=0,50,10,40", "bbox", "south-above-north", "south latitude"},
			{"bbox=NaN,0,1,1", "bbox", "bad-bbox", "not a number"},
			{"from=yesterday", "from", "bad-time", "RFC 3339"},
			{"from=2030-01-02&to=2030-01-01", "to", "before-from", "after from"},
			{"from=2030-01-01&to=2040-01-01", "to", "too-far", "five years"},
		}
		for _, tt := range tests {
			t.Run(tt.query, func(t *testing.T) {
				p := e.get("/network/places.geojson?"+tt.query, "").problem(t, http.StatusBadRequest, "invalid-input")
				if len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Code != tt.code ||
					!strings.Contains(p.Errors[0].Detail, tt.detail) {
					t.Fatalf("errors %+v, want %s %s %q", p.Errors, tt.field, tt.code, tt.detail)
				}
			})
		}
	})
}

// TestPlaces_Bounded: past MaxMapEvents the list is cut and says so.
func TestPlaces_Bounded(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, _ := e.person("alice")
		a := e.association(alice, "commons")
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		lat, lon := 45.0, 4.0
		for i := range 502 {
			id := uuid.Must(uuid.NewV7())
			ev := store.Event{ID: id, AssociationID: a.ID, URI: e.URL + "/events/" + id.String(), Organiser: "commons",
				Name: fmt.Sprintf("Event %03d", i), StartsAt: now.Add(time.Duration(i+1) * time.Hour), EndsAt: now.Add(time.Duration(i+2) * time.Hour),
				Timezone: "UTC", Latitude: &lat, Longitude: &lon, JoinMode: "free", Status: "confirmed", CreatedBy: "alice",
				CreatedAt: now, UpdatedAt: now}
			if err := e.DB.Events().Create(ctx, &ev); err != nil {
				t.Fatal(err)
			}
		}
		r := e.get("/network/places.geojson", "")
		got, fc := readPlaces(t, r)
		if truncated, _ := fc.ExtraMembers["truncated"].(bool); len(got) != 500 || !truncated || r.header.Get("Holon-Truncated") != "true" {
			t.Fatalf("%d features, truncated %v, header %q", len(got), fc.ExtraMembers["truncated"], r.header.Get("Holon-Truncated"))
		}
		if _, ok := got["Event 499"]; !ok {
			t.Fatal("the first 500 by start are not the ones kept")
		}
	})
}

func TestAssociationLocation_SetCheckedAndForgotten(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		_, bobTok := e.person("bob")
		body := `{"location": {"place_name": "Maison", "locality": "Lyon", "country": "France", "latitude": 45.76, "longitude": 4.83}}`
		e.patch("/associations/commons", bobTok, body).problem(t, http.StatusForbidden, "board-only")
		tests := []struct {
			name, body string
			want       map[string]string
		}{
			{"latitude out of range", `{"location": {"latitude": 91, "longitude": 4}}`, map[string]string{"location.latitude": "out-of-range"}},
			{"longitude out of range", `{"location": {"latitude": 45, "longitude": -181}}`, map[string]string{"location.longitude": "out-of-range"}},
			{"latitude alone", `{"location": {"latitude": 45}}`, map[string]string{"location.longitude": "coordinates-incomplete"}},
			{"name too long", `{"location": {"place_name": "` + strings.Repeat("x", 201) + `"}}`, map[string]string{"location.place_name": "too-long"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sameFields(t, e.patch("/associations/commons", aliceTok, tt.body).problem(t, http.StatusBadRequest, "invalid-input"), tt.want)
			})
		}
		var a struct {
			Location *struct {
				PlaceName string   `json:"place_name"`
				Latitude  *float64 `json:"latitude"`
				Longitude *float64 `json:"longitude"`
			} `json:"location"`
		}
		e.patch("/associations/commons", aliceTok, body).ok(t, http.StatusOK, "Association", &a)
		if a.Location == nil || a.Location.PlaceName != "Maison" || *a.Location.Latitude != 45.76 || *a.Location.Longitude != 4.83 {
			t.Fatalf("location %+v", a.Location)
		}
		a.Location = nil
		e.get("/associations/commons", "").ok(t, http.StatusOK, "Association", &a)
		if a.Location == nil || a.Location.PlaceName != "Maison" {
			t.Fatalf("read back: %+v", a.Location)
		}
		a.Location = nil
		e.patch("/associations/commons", aliceTok, `{"location": {}}`).ok(t, http.StatusOK, "Association", &a)
		if a.Location != nil {
			t.Fatalf("forgotten location still there: %+v", a.Location)
		}
	})
}

// TestAssociationLocation_OnTheGroupActor: the Group's document carries
// the location as a Place with a PostalAddress, in the shape of
// Mobilizon's Group (its fixture), plus the position.
func TestAssociationLocation_OnTheGroupActor(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(fixtures.Dir(t), "mobilizon-group.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mobilizon struct {
		Location map[string]any `json:"location"`
	}
	if err := json.Unmarshal(raw, &mobilizon); err != nil {
		t.Fatal(err)
	}
	mAddress, _ := mobilizon.Location["address"].(map[string]any)
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		e.patch("/associations/commons", aliceTok, `{"location": {"place_name": "Maison des associations", "locality": "Lyon",
			"country": "FR", "latitude": 45.764043, "longitude": 4.835659}}`).ok(t, http.StatusOK, "Association", nil)
		req, _ := http.NewRequest(http.MethodGet, e.URL+"/actors/commons", nil)
		req.Header.Set("Accept", "application/activity+json")
		r := e.send(req)
		var doc struct {
			Type     string         `json:"type"`
			Location map[string]any `json:"location"`
		}
		if err := json.Unmarshal(r.body, &doc); err != nil || r.status != http.StatusOK {
			t.Fatalf("%d %v: %s", r.status, err, r.body)
		}
		l := doc.Location
		address, _ := l["address"].(map[string]any)
		if doc.Type != "Group" || l["type"] != mobilizon.Location["type"] || l["name"] != "Maison des associations" ||
			l["latitude"] != 45.764043 || l["longitude"] != 4.835659 || address == nil || address["type"] != mAddress["type"] ||
			address["addressLocality"] != "Lyon" || address["addressCountry"] != "FR" {
			t.Fatalf("location %v", l)
		}
		for k := range address {
			if _, ok := mAddress[k]; !ok {
				t.Errorf("address key %q is not one Mobilizon writes", k)
			}
		}
		e.patch("/associations/commons", aliceTok, `{"location": {}}`).ok(t, http.StatusOK, "Association", nil)
		r = e.send(req)
		if strings.Contains(string(r.body), `"location"`) {
			t.Fatalf("a forgotten location is still published: %s", r.body)
		}
	})
}
