package agenda

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds of the network's map: at most MaxMapEvents events and
// MaxMapAssociations associations (a map with more says it was cut), and
// a period of at most MaxMapPeriod.
const (
	MaxMapEvents       = 500
	MaxMapAssociations = 500
	MaxMapPeriod       = 5 * 366 * 24 * time.Hour
)

// Kinds of what the map shows.
const (
	MapEvent       = "event"
	MapAssociation = "association"
)

// Box is a bounding box in degrees, west, south, east, north as RFC 7946
// §5 orders them. West greater than east crosses the antimeridian.
type Box struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// MapQuery selects what the map shows: the events not over at From and
// starting before To (zero: no bound), and, like them, only what lies in
// Box when it is set.
type MapQuery struct {
	From time.Time
	To   time.Time
	Box  *Box
}

// MapEntry is one point of the map: an event (this instance's or a
// partner's copy) or an association.
type MapEntry struct {
	Kind string // MapEvent or MapAssociation
	Name string
	// Path is the local page: /events/{id} for an event and a copy alike,
	// /@{name} for an association.
	Path      string
	Latitude  float64
	Longitude float64
	PlaceName string
	Locality  string
	// Association is the association's name, name@host for a partner's.
	Association string
	// Events only.
	Start    time.Time
	End      time.Time
	Timezone string
	Remote   bool
}

// Map is what the network's map shows: the events by start, the
// associations by name. Truncated says that one of the lists was cut at
// its bound.
type Map struct {
	Events       []MapEntry
	Associations []MapEntry
	Truncated    bool
}

// ParseMapQuery reads the map's query parameters: bbox
// ("minLon,minLat,maxLon,maxLat"), from and to (RFC 3339 instants or
// dates, a date meaning its midnight UTC). Every problem is reported at
// once. From defaults to now.
func (s *Service) ParseMapQuery(bbox, from, to string) (MapQuery, error) {
	var fe core.FieldErrors
	q := MapQuery{From: s.now()}
	if bbox != "" {
		q.Box = parseBox(bbox, &fe)
	}
	if from != "" {
		if t, ok := parseInstant(from); ok {
			q.From = t
		} else {
			fe.Add("from", "bad-time", "must be an RFC 3339 time (2026-05-01T10:00:00Z) or a date (2026-05-01)")
		}
	}
	if to != "" {
		if t, ok := parseInstant(to); ok {
			q.To = t
		} else {
			fe.Add("to", "bad-time", "must be an RFC 3339 time (2026-05-01T10:00:00Z) or a date (2026-05-01)")
		}
	}
	if len(fe) == 0 && !q.To.IsZero() {
		switch {
		case !q.To.After(q.From):
			fe.Add("to", "before-from", "must be after from")
		case q.To.Sub(q.From) > MaxMapPeriod:
			fe.Add("to", "too-far", "the period may not be longer than five years")
		}
	}
	if err := fe.Err(); err != nil {
		return MapQuery{}, err
	}
	return q, nil
}

func parseInstant(v string) (time.Time, bool) {
	if len(v) > 64 {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC().Truncate(time.Microsecond), true
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// parseBox reads "minLon,minLat,maxLon,maxLat".
func parseBox(v string, fe *core.FieldErrors) *Box {
	parts := strings.Split(v, ",")
	if len(v) > 200 || len(parts) != 4 {
		fe.Add("bbox", "bad-bbox", "must be four numbers separated by commas: minLon,minLat,maxLon,maxLat")
		return nil
	}
	var n [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			fe.Add("bbox", "bad-bbox", fmt.Sprintf("%q is not a number; give minLon,minLat,maxLon,maxLat", p))
			return nil
		}
		n[i] = f
	}
	b := Box{MinLon: n[0], MinLat: n[1], MaxLon: n[2], MaxLat: n[3]}
	switch {
	case math.Abs(b.MinLon) > 180 || math.Abs(b.MaxLon) > 180:
		fe.Add("bbox", "out-of-range", "longitudes (first and third numbers) must be between -180 and 180")
	case math.Abs(b.MinLat) > 90 || math.Abs(b.MaxLat) > 90:
		fe.Add("bbox", "out-of-range", "latitudes (second and fourth numbers) must be between -90 and 90")
	case b.MinLat > b.MaxLat:
		fe.Add("bbox", "south-above-north", "the south latitude (second number) must not be above the north one (fourth number)")
	default:
		return &b
	}
	return nil
}

// Map returns what the network's map shows for q: the events with a
// position of the public associations here and the copies of the
// partners' (not cancelled, not on a blocked domain), and the public
// associations here that have a position. Members-only associations and
// their events are left out, for everyone: the map is the network's
// public view.
func (s *Service) Map(ctx context.Context, q MapQuery) (Map, error) {
	var m Map
	var box *store.Box
	if q.Box != nil {
		b := store.Box(*q.Box)
		box = &b
	}
	public := map[uuid.UUID]bool{}
	isPublic := func(id uuid.UUID, name, settings string) (bool, error) {
		ok, seen := public[id]
		if !seen {
			a, err := membership.AssociationFromRow(store.Association{ID: id, Name: name, Settings: settings})
			if err != nil {
				return false, fmt.Errorf("map: %w", err)
			}
			ok = a.Settings.Visibility == membership.VisibilityPublic
			public[id] = ok
		}
		return ok, nil
	}
	sq := store.PlaceQuery{From: q.From, To: q.To, Box: box, Limit: MaxMapEvents + 1}
	// Pages until one more than the bound is kept: members-only events are
	// skipped, so a page may keep fewer than it read. Bounded, as each
	// page moves on.
	for page := 0; page < 10 && len(m.Events) <= MaxMapEvents; page++ {
		rows, err := s.db.Places().Events(ctx, sq)
		if err != nil {
			return Map{}, fmt.Errorf("map: %w", err)
		}
		for _, r := range rows {
			if !r.Remote {
				ok, err := isPublic(r.AssociationID, r.AssociationName, r.AssociationSettings)
				if err != nil {
					return Map{}, err
				}
				if !ok {
					continue
				}
			}
			m.Events = append(m.Events, mapEvent(r))
		}
		if len(rows) < sq.Limit {
			break
		}
		last := rows[len(rows)-1]
		sq.After = store.EventPosition{StartsAt: last.StartsAt, ID: last.ID}
	}
	if len(m.Events) > MaxMapEvents {
		m.Events, m.Truncated = m.Events[:MaxMapEvents], true
	}
	after := ""
	for page := 0; page < 10 && len(m.Associations) <= MaxMapAssociations; page++ {
		rows, err := s.db.Places().Associations(ctx, box, after, MaxMapAssociations+1)
		if err != nil {
			return Map{}, fmt.Errorf("map: %w", err)
		}
		for _, r := range rows {
			ok, err := isPublic(r.ID, r.Name, r.Settings)
			if err != nil {
				return Map{}, err
			}
			if ok {
				name := r.DisplayName
				if name == "" {
					name = r.Name
				}
				m.Associations = append(m.Associations, MapEntry{Kind: MapAssociation, Name: name, Path: "/@" + r.Name,
					Latitude: r.Latitude, Longitude: r.Longitude, PlaceName: r.PlaceName, Locality: r.Locality, Association: r.Name})
			}
		}
		if len(rows) <= MaxMapAssociations {
			break
		}
		after = rows[len(rows)-1].Name
	}
	if len(m.Associations) > MaxMapAssociations {
		m.Associations, m.Truncated = m.Associations[:MaxMapAssociations], true
	}
	return m, nil
}

func mapEvent(r store.PlacedEvent) MapEntry {
	association := r.AssociationName
	if r.Remote && r.AssociationHost != "" {
		association += "@" + r.AssociationHost
	}
	return MapEntry{Kind: MapEvent, Name: r.Name, Path: "/events/" + r.ID.String(), Latitude: r.Latitude, Longitude: r.Longitude,
		PlaceName: r.PlaceName, Locality: r.Locality, Association: association,
		Start: r.StartsAt.UTC(), End: r.EndsAt.UTC(), Timezone: r.Timezone, Remote: r.Remote}
}
