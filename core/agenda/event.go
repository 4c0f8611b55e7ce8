package agenda

import (
	"errors"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"
	// Events name IANA time zones: validate them the same way on hosts
	// without a zoneinfo database.
	_ "time/tzdata"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// Join modes of an event: anyone takes part at once, or the board
// approves each participation ("restricted" on the wire, as Mobilizon says).
const (
	JoinFree     = "free"
	JoinApproval = "approval"
)

// Statuses of an event (CONFIRMED, TENTATIVE, CANCELLED on the wire and in
// iCalendar).
const (
	StatusConfirmed = "confirmed"
	StatusTentative = "tentative"
	StatusCancelled = "cancelled"
)

// Organisers an event may name when it is created.
const (
	ByAssociation = "association" // the association itself
	ByMe          = "me"          // the board member creating it, on the association's behalf
)

// Bounds on an event's fields.
const (
	MaxName        = 200
	MaxSummary     = 500
	MaxDescription = 10_000
	MaxPlaceName   = 200
	MaxStreet      = 200
	MaxLocality    = 100
	MaxPostalCode  = 20
	MaxRegion      = 100
	MaxCountry     = 100
	MaxTimezone    = 64
	MaxTags        = 10
	MaxCapacity    = 1_000_000
	MaxLink        = 2048
	// MaxDuration bounds how long an event lasts.
	MaxDuration = 366 * 24 * time.Hour
)

// Place is where an event happens: a name, a postal address and a
// position, each optional.
type Place struct {
	Name          string
	StreetAddress string
	Locality      string
	PostalCode    string
	Region        string
	Country       string
	// Latitude and Longitude are both set or both nil.
	Latitude  *float64
	Longitude *float64
}

func (p Place) empty() bool {
	return p == Place{}
}

// OneLine is the place on one line, as calendars and feeds show it: its
// name, street, postal code and town, region and country, those given.
func (p Place) OneLine() string {
	var parts []string
	for _, s := range []string{p.Name, p.StreetAddress, p.PostalCode + " " + p.Locality, p.Region, p.Country} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// Event is an event of an association.
type Event struct {
	ID            uuid.UUID
	AssociationID uuid.UUID
	Association   string // the association's name
	URI           string // its id on the wire
	// Organiser is the actor id of who organises it: the association's, or
	// a board member's on its behalf.
	Organiser   string
	Name        string
	Summary     string
	Description string
	// Start and End are instants (UTC); Timezone is the IANA zone they were
	// given in, in which they are shown.
	Start      time.Time
	End        time.Time
	Timezone   string
	Place      *Place // nil: none
	OnlineLink string // "" for none
	Capacity   int    // 0: unlimited
	JoinMode   string
	Status     string
	Category   string
	Tags       []string
	// Sequence counts the event's changes (iCalendar's SEQUENCE).
	Sequence     int
	Participants int
	Pending      int
	Waitlisted   int
	CreatedBy    string // the actor id of who created it
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Remaining is how many places are left, and false when the event has no
// capacity.
func (e Event) Remaining() (int, bool) {
	if e.Capacity == 0 {
		return 0, false
	}
	return max(e.Capacity-e.Participants, 0), true
}

// IsOnline reports whether the event happens online only (Mobilizon's
// isOnline).
func (e Event) IsOnline() bool { return e.Place == nil && e.OnlineLink != "" }

// Location is the event's time zone.
func (e Event) Location() *time.Location {
	loc, err := time.LoadLocation(e.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// PlaceInput is a place as a form or a JSON body gives it.
type PlaceInput struct {
	Name          string
	StreetAddress string
	Locality      string
	PostalCode    string
	Region        string
	Country       string
	Latitude      *float64
	Longitude     *float64
}

// EventInput is what the board writes. Start and End are RFC 3339 times
// ("2025-04-12T14:00:00+02:00") or wall times in Timezone
// ("2025-04-12T14:00"). In a change, nil fields stay as they are; a Place
// with nothing in it removes the place.
type EventInput struct {
	Name        *string
	Summary     *string
	Description *string
	Start       *string
	End         *string
	Timezone    *string
	Place       *PlaceInput
	OnlineLink  *string
	Capacity    *int
	JoinMode    *string
	Status      *string
	Category    *string
	Tags        *[]string
	// Organiser is ByAssociation (the default) or ByMe; only at creation.
	Organiser *string
}

// wallLayouts are the wall-clock forms a time may take without an offset.
var wallLayouts = []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}

// apply checks in and writes it over e, collecting every field error. The
// rules between fields (end after start, a place or a link) are checked
// on the result, so that a change of one field is judged with the others.
func (in EventInput) apply(e *Event, fe *core.FieldErrors) {
	if in.Name != nil {
		e.Name = fe.Text("name", *in.Name, MaxName, true)
	}
	if in.Summary != nil {
		e.Summary = fe.Text("summary", *in.Summary, MaxSummary, false)
	}
	if in.Description != nil {
		e.Description = fe.Text("description", *in.Description, MaxDescription, false)
	}
	tzOK := true
	if in.Timezone != nil {
		tz := strings.TrimSpace(*in.Timezone)
		if _, err := loadZone(tz); err != nil {
			fe.Add("timezone", "unknown-timezone", "must be an IANA time zone such as Europe/Paris")
			tzOK = false
		} else {
			e.Timezone = tz
		}
	}
	loc := e.Location()
	timesOK := tzOK
	if in.Start != nil {
		if t, ok := parseTime(fe, "start", *in.Start, loc); ok {
			e.Start = t
		} else {
			timesOK = false
		}
	}
	if in.End != nil {
		if t, ok := parseTime(fe, "end", *in.End, loc); ok {
			e.End = t
		} else {
			timesOK = false
		}
	}
	if timesOK && !e.Start.IsZero() && !e.End.IsZero() {
		switch {
		case !e.End.After(e.Start):
			fe.Add("end", "end-before-start", "the end must come after the start")
		case e.End.Sub(e.Start) > MaxDuration:
			fe.Add("end", "too-long-event", "an event lasts at most 366 days")
		}
	}
	if in.Place != nil {
		e.Place = in.Place.check(fe)
	}
	if in.OnlineLink != nil {
		e.OnlineLink = checkLink(fe, *in.OnlineLink)
	}
	if in.Capacity != nil {
		if *in.Capacity < 0 || *in.Capacity > MaxCapacity {
			fe.Add("capacity", "out-of-range", "must be between 0 (no limit) and 1000000")
		} else {
			e.Capacity = *in.Capacity
		}
	}
	if in.JoinMode != nil {
		switch m := strings.TrimSpace(*in.JoinMode); m {
		case JoinFree, JoinApproval:
			e.JoinMode = m
		default:
			fe.Add("join_mode", "invalid-choice", "must be free or approval")
		}
	}
	if in.Status != nil {
		switch s := strings.TrimSpace(*in.Status); s {
		case StatusConfirmed, StatusTentative:
			e.Status = s
		case StatusCancelled:
			fe.Add("status", "cancel-separately", "an event is cancelled by cancelling it, not by changing its status")
		default:
			fe.Add("status", "invalid-choice", "must be confirmed or tentative")
		}
	}
	if in.Category != nil {
		c := strings.ToUpper(strings.TrimSpace(*in.Category))
		switch {
		case c == "":
			e.Category = DefaultCategory
		case IsCategory(c):
			e.Category = c
		default:
			fe.Add("category", "invalid-category", "must be one of the event categories, such as MEETING or COMMUNITY")
		}
	}
	if in.Tags != nil {
		e.Tags = normalizeTags(*in.Tags, fe)
	}
}

// checkWhole checks the rules that hold between fields, once the input is
// applied.
func (e Event) checkWhole(fe *core.FieldErrors) {
	for _, f := range *fe {
		if strings.HasPrefix(f.Field, "place.") || f.Field == "online_link" {
			return // the place or link given is wrong: that is the error
		}
	}
	if e.Place == nil && e.OnlineLink == "" {
		fe.Add("place", "place-or-link", "give a place, an online link or both")
	}
}

// loadZone loads the IANA zone tz; "" and "Local" (which Go accepts) name
// no zone.
func loadZone(tz string) (*time.Location, error) {
	if tz == "" || tz == "Local" || len(tz) > MaxTimezone {
		return nil, errNoZone
	}
	return time.LoadLocation(tz)
}

// parseTime reads a time with its offset, or a wall time in loc.
var errNoZone = errors.New("no time zone")

func parseTime(fe *core.FieldErrors, field, s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		fe.Add(field, "required", "this field is required")
		return time.Time{}, false
	}
	if len(s) <= 40 {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC().Truncate(time.Second), true
		}
		for _, l := range wallLayouts {
			if t, err := time.ParseInLocation(l, s, loc); err == nil {
				return t.UTC(), true
			}
		}
	}
	fe.Add(field, "invalid-time", "must be a time such as 2025-04-12T14:00:00+02:00, or 2025-04-12T14:00 in the event's time zone")
	return time.Time{}, false
}

// check returns the place in, nil when it says nothing.
func (in PlaceInput) check(fe *core.FieldErrors) *Place {
	p := Place{
		Name:          fe.Text("place.name", in.Name, MaxPlaceName, false),
		StreetAddress: fe.Text("place.street_address", in.StreetAddress, MaxStreet, false),
		Locality:      fe.Text("place.locality", in.Locality, MaxLocality, false),
		PostalCode:    fe.Text("place.postal_code", in.PostalCode, MaxPostalCode, false),
		Region:        fe.Text("place.region", in.Region, MaxRegion, false),
		Country:       fe.Text("place.country", in.Country, MaxCountry, false),
	}
	ok := true
	if in.Latitude != nil && (math.IsNaN(*in.Latitude) || *in.Latitude < -90 || *in.Latitude > 90) {
		fe.Add("place.latitude", "out-of-range", "must be between -90 and 90")
		ok = false
	}
	if in.Longitude != nil && (math.IsNaN(*in.Longitude) || *in.Longitude < -180 || *in.Longitude > 180) {
		fe.Add("place.longitude", "out-of-range", "must be between -180 and 180")
		ok = false
	}
	if ok && (in.Latitude == nil) != (in.Longitude == nil) {
		fe.Add("place.longitude", "coordinates-incomplete", "give both latitude and longitude, or neither")
		ok = false
	}
	if ok && in.Latitude != nil {
		lat, long := *in.Latitude, *in.Longitude
		p.Latitude, p.Longitude = &lat, &long
	}
	if p.empty() {
		return nil
	}
	return &p
}

// checkLink returns the online link s: an http(s) URL without credentials.
func checkLink(fe *core.FieldErrors, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if len(s) > MaxLink || !core.IsHTTPURL(s) || err != nil || u.User != nil {
		fe.Add("online_link", "not-a-url", "must be an http or https address")
		return ""
	}
	return s
}

// normalizeTags writes tags as news writes hashtags: lower case, without
// their '#', letters, digits and '_' with at least one letter; duplicates
// dropped, in alphabetical order.
func normalizeTags(in []string, fe *core.FieldErrors) []string {
	if len(in) > MaxTags {
		fe.Add("tags", "too-many", "at most 10 tags")
		return nil
	}
	out := []string{}
	for _, t := range in {
		n, err := news.NormalizeTag(t)
		letter := false
		if err == nil {
			for _, r := range n {
				letter = letter || unicode.IsLetter(r)
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
					err = news.ErrBadTag
				}
			}
		}
		if err != nil || !letter || !utf8.ValidString(n) {
			fe.Add("tags", "invalid-tag", "each tag is letters, digits or _, with at least one letter")
			return nil
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func eventFrom(r store.Event, association string, tags []string) Event {
	if tags == nil {
		tags = []string{}
	}
	e := Event{ID: r.ID, AssociationID: r.AssociationID, Association: association, URI: r.URI, Organiser: r.Organiser,
		Name: r.Name, Summary: r.Summary, Description: r.Description, Start: r.StartsAt.UTC(), End: r.EndsAt.UTC(),
		Timezone: r.Timezone, OnlineLink: r.OnlineLink, Capacity: r.Capacity, JoinMode: r.JoinMode, Status: r.Status,
		Category: r.Category, Tags: tags, Sequence: r.Sequence, Participants: r.ParticipantCount, Pending: r.PendingCount,
		Waitlisted: r.WaitlistCount, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	p := Place{Name: r.PlaceName, StreetAddress: r.StreetAddress, Locality: r.Locality, PostalCode: r.PostalCode,
		Region: r.Region, Country: r.Country, Latitude: r.Latitude, Longitude: r.Longitude}
	if !p.empty() {
		e.Place = &p
	}
	return e
}

// row writes e over r, keeping r's counts: those change only with the
// participations.
func (e Event) row(r *store.Event) {
	r.ID, r.AssociationID, r.URI, r.Organiser = e.ID, e.AssociationID, e.URI, e.Organiser
	r.Name, r.Summary, r.Description = e.Name, e.Summary, e.Description
	r.StartsAt, r.EndsAt, r.Timezone = e.Start, e.End, e.Timezone
	var p Place
	if e.Place != nil {
		p = *e.Place
	}
	r.PlaceName, r.StreetAddress, r.Locality, r.PostalCode, r.Region, r.Country =
		p.Name, p.StreetAddress, p.Locality, p.PostalCode, p.Region, p.Country
	r.Latitude, r.Longitude = p.Latitude, p.Longitude
	r.OnlineLink, r.Capacity, r.JoinMode, r.Status, r.Category = e.OnlineLink, e.Capacity, e.JoinMode, e.Status, e.Category
	r.Sequence, r.CreatedBy, r.CreatedAt, r.UpdatedAt = e.Sequence, e.CreatedBy, e.CreatedAt, e.UpdatedAt
}
