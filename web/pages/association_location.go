package pages

import (
	"strconv"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// The inputs of where the association is, in its settings form, and the
// core fields they answer for.
var (
	locationInputs = []string{"location_place_name", "location_locality", "location_country",
		"location_latitude", "location_longitude"}
	locationRename = map[string]string{"location.place_name": "location_place_name", "location.locality": "location_locality",
		"location.country": "location_country", "location.latitude": "location_latitude", "location.longitude": "location_longitude"}
)

func init() {
	for name, max := range map[string]int{"location_place_name": membership.MaxLocationName,
		"location_locality": membership.MaxLocationLocality, "location_country": membership.MaxLocationCountry,
		"location_latitude": 32, "location_longitude": 32} {
		fieldMax[name] = max
	}
}

// fillLocation shows l in f's location inputs.
func fillLocation(f *form, l *membership.Location) {
	for _, name := range locationInputs {
		f.Values[name] = ""
	}
	if l == nil {
		return
	}
	f.Values["location_place_name"], f.Values["location_locality"], f.Values["location_country"] = l.PlaceName, l.Locality, l.Country
	if l.Latitude != nil && l.Longitude != nil {
		f.Values["location_latitude"] = strconv.FormatFloat(*l.Latitude, 'f', -1, 64)
		f.Values["location_longitude"] = strconv.FormatFloat(*l.Longitude, 'f', -1, 64)
	}
}

// formLocation reads the location the form gives; nil when it carries no
// location inputs (the location stays as it is). A coordinate that is not
// a number is marked on the form.
func formLocation(f *form) *membership.Location {
	if !f.submitted("location_place_name") && !f.submitted("location_latitude") {
		return nil
	}
	coordinate := func(name string) *float64 {
		v := strings.TrimSpace(strings.ReplaceAll(f.Value(name), ",", "."))
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.fail(core.FieldError{Field: name, Code: "out-of-range", Detail: "must be a number"})
			return nil
		}
		return &x
	}
	return &membership.Location{PlaceName: f.Value("location_place_name"), Locality: f.Value("location_locality"),
		Country: f.Value("location_country"), Latitude: coordinate("location_latitude"), Longitude: coordinate("location_longitude")}
}
