package membership

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Location is where an association is: its Group's document publishes it
// as its location, and the network's map shows it when it has a
// position. Latitude and Longitude (WGS 84 degrees) are both set or both
// nil.
type Location struct {
	PlaceName string
	Locality  string
	Country   string
	Latitude  *float64
	Longitude *float64
}

// Bounds on a location's texts, the same as an event's place's.
const (
	MaxLocationName     = 200
	MaxLocationLocality = 100
	MaxLocationCountry  = 100
)

// IsZero reports whether l says nothing.
func (l Location) IsZero() bool {
	return l.PlaceName == "" && l.Locality == "" && l.Country == "" && l.Latitude == nil
}

// checkLocation trims and bounds l's texts and checks its position: each
// coordinate in range, both or neither.
func checkLocation(l Location, fe *fieldErrors) Location {
	var out Location
	var e *core.FieldError
	out.PlaceName, e = checkText("location.place_name", l.PlaceName, MaxLocationName, false)
	fe.add(e)
	out.Locality, e = checkText("location.locality", l.Locality, MaxLocationLocality, false)
	fe.add(e)
	out.Country, e = checkText("location.country", l.Country, MaxLocationCountry, false)
	fe.add(e)
	ok := true
	if l.Latitude != nil && (math.IsNaN(*l.Latitude) || *l.Latitude < -90 || *l.Latitude > 90) {
		fe.add(&core.FieldError{Field: "location.latitude", Code: "out-of-range", Detail: "must be between -90 and 90"})
		ok = false
	}
	if l.Longitude != nil && (math.IsNaN(*l.Longitude) || *l.Longitude < -180 || *l.Longitude > 180) {
		fe.add(&core.FieldError{Field: "location.longitude", Code: "out-of-range", Detail: "must be between -180 and 180"})
		ok = false
	}
	if ok && (l.Latitude == nil) != (l.Longitude == nil) {
		fe.add(&core.FieldError{Field: "location.longitude", Code: "coordinates-incomplete",
			Detail: "give both latitude and longitude, or neither"})
		ok = false
	}
	if ok && l.Latitude != nil {
		lat, lon := *l.Latitude, *l.Longitude
		out.Latitude, out.Longitude = &lat, &lon
	}
	return out
}

// AssociationLocation returns where association is; nil when it says
// nothing.
func (s *Service) AssociationLocation(ctx context.Context, association uuid.UUID) (*Location, error) {
	return locationOf(ctx, s.db.Tx, association)
}

func locationOf(ctx context.Context, tx store.Tx, association uuid.UUID) (*Location, error) {
	row, err := tx.Places().Location(ctx, association)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("location of an association: %w", err)
	}
	return &Location{PlaceName: row.PlaceName, Locality: row.Locality, Country: row.Country,
		Latitude: row.Latitude, Longitude: row.Longitude}, nil
}

// setLocation replaces association's location with l (a zero l forgets
// it) and reports whether it changed.
func (s *Service) setLocation(ctx context.Context, tx store.Tx, association uuid.UUID, l Location) (bool, error) {
	before, err := locationOf(ctx, tx, association)
	if err != nil {
		return false, err
	}
	if l.IsZero() {
		if before == nil {
			return false, nil
		}
		return true, tx.Places().DeleteLocation(ctx, association)
	}
	if before != nil && sameLocation(*before, l) {
		return false, nil
	}
	return true, tx.Places().SetLocation(ctx, &store.AssociationLocation{AssociationID: association,
		PlaceName: l.PlaceName, Locality: l.Locality, Country: l.Country, Latitude: l.Latitude, Longitude: l.Longitude,
		UpdatedAt: s.now()})
}

func sameLocation(a, b Location) bool {
	same := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.PlaceName == b.PlaceName && a.Locality == b.Locality && a.Country == b.Country &&
		same(a.Latitude, b.Latitude) && same(a.Longitude, b.Longitude)
}
