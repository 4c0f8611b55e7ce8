package vocab

import (
	"fmt"
	"math"
	"strings"
	"time"
	// Events name IANA time zones: validate them the same way on hosts
	// without a zoneinfo database.
	_ "time/tzdata"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// Place is where something happens: an ActivityStreams Place with a
// schema.org PostalAddress, as Mobilizon and FEP-8a8e write it.
type Place struct {
	Name      string
	Address   *PostalAddress
	Latitude  *float64 // nil when unknown
	Longitude *float64
}

// PostalAddress is schema.org's PostalAddress.
type PostalAddress struct {
	Street     string
	PostalCode string
	Locality   string
	Region     string
	Country    string // ISO 3166-1 alpha-2 when known
}

func (p Place) build(kind string) (streamsvocab.ActivityStreamsPlace, error) {
	if err := plainLine(kind, "place name", p.Name, MaxNameLength); err != nil {
		return nil, err
	}
	place := streams.NewActivityStreamsPlace()
	place.SetActivityStreamsName(nameProp(p.Name))
	if (p.Latitude == nil) != (p.Longitude == nil) {
		return nil, fmt.Errorf("%w: %s place needs both latitude and longitude, or neither", ErrInvalidObject, kind)
	}
	if p.Latitude != nil {
		lat, long := *p.Latitude, *p.Longitude
		if math.IsNaN(lat) || math.IsNaN(long) || math.Abs(lat) > 90 || math.Abs(long) > 180 {
			return nil, fmt.Errorf("%w: %s place is at an impossible position", ErrInvalidObject, kind)
		}
		la := streams.NewActivityStreamsLatitudeProperty()
		la.Set(lat)
		place.SetActivityStreamsLatitude(la)
		lo := streams.NewActivityStreamsLongitudeProperty()
		lo.Set(long)
		place.SetActivityStreamsLongitude(lo)
	}
	if a := p.Address; a != nil {
		addr := streams.NewSchemaPostalAddress()
		set := func(v string, p interface{ Set(string) }) bool {
			if v == "" {
				return false
			}
			p.Set(v)
			return true
		}
		if s := streams.NewSchemaStreetAddressProperty(); set(a.Street, s) {
			addr.SetSchemaStreetAddress(s)
		}
		if s := streams.NewSchemaPostalCodeProperty(); set(a.PostalCode, s) {
			addr.SetSchemaPostalCode(s)
		}
		if s := streams.NewSchemaAddressLocalityProperty(); set(a.Locality, s) {
			addr.SetSchemaAddressLocality(s)
		}
		if s := streams.NewSchemaAddressRegionProperty(); set(a.Region, s) {
			addr.SetSchemaAddressRegion(s)
		}
		if s := streams.NewSchemaAddressCountryProperty(); set(a.Country, s) {
			addr.SetSchemaAddressCountry(s)
		}
		ap := streams.NewSchemaAddressProperty()
		ap.SetSchemaPostalAddress(addr)
		place.SetSchemaAddress(ap)
	}
	return place, nil
}

// Hashtag is a tag of an object: Name with its "#", Href the tag's page.
type Hashtag struct {
	Name string
	Href string
}

func hashtags(kind string, tags []Hashtag) (streamsvocab.ActivityStreamsTagProperty, error) {
	p := streams.NewActivityStreamsTagProperty()
	for _, t := range tags {
		if !strings.HasPrefix(t.Name, "#") || len(t.Name) < 2 || strings.ContainsAny(t.Name, " \t\n") {
			return nil, fmt.Errorf("%w: %s hashtag %q must be # and a word", ErrInvalidObject, kind, t.Name)
		}
		u, err := absoluteIRI(kind, "hashtag href", t.Href)
		if err != nil {
			return nil, err
		}
		h := streams.NewActivityStreamsHashtag()
		h.SetActivityStreamsName(nameProp(t.Name))
		href := streams.NewActivityStreamsHrefProperty()
		href.Set(u)
		h.SetActivityStreamsHref(href)
		p.AppendActivityStreamsHashtag(h)
	}
	return p, nil
}

// EventFields is an event as it goes on the wire, readable by Mobilizon and
// by software following FEP-8a8e. Object.AttributedTo is the organiser
// (the association), Object.Content the description.
type EventFields struct {
	Object
	Start, End   time.Time
	TimeZone     string // IANA ("Europe/Paris"); times are written in it
	Place        *Place // nil for an online-only event
	OnlineURL    string // the link to join online; "" for none
	Capacity     int    // 0: unlimited
	Participants int
	JoinMode     string // free, restricted, invite, external
	Status       string // CONFIRMED, TENTATIVE, CANCELLED
	Category     string // Mobilizon's and FEP-8a8e's list (MEETING, COMMUNITY…); "" for none
	Tags         []Hashtag
}

// ICalStatus is the key of an event's status as Mobilizon writes and reads
// it: iCalendar's STATUS in the W3C's RDF vocabulary of iCalendar
// (http://www.w3.org/2002/12/cal/ical#status), with the same words as
// Holon's own "status" (CONFIRMED, TENTATIVE, CANCELLED).
const ICalStatus = "ical:status"

// onlineAddressName is the attachment name Mobilizon reads an event's online
// address from (converter/event.ex, get_online_address).
const onlineAddressName = "Website"

// NewEvent builds an event. Event is itself a type Mastodon renders (name,
// summary, link), so it needs no second type.
func NewEvent(f EventFields) (streamsvocab.ActivityStreamsEvent, error) {
	e := streams.NewActivityStreamsEvent()
	if err := setObject(e, f.Object, objectRules{kind: "event"}); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(f.TimeZone)
	if f.TimeZone == "" || f.TimeZone == "Local" || err != nil {
		return nil, fmt.Errorf("%w: event time zone %q is not an IANA time zone", ErrInvalidObject, f.TimeZone)
	}
	if f.Start.IsZero() || !f.End.After(f.Start) {
		return nil, fmt.Errorf("%w: an event needs a start and a later end", ErrInvalidObject)
	}
	start := streams.NewActivityStreamsStartTimeProperty()
	start.Set(f.Start.In(loc))
	e.SetActivityStreamsStartTime(start)
	end := streams.NewActivityStreamsEndTimeProperty()
	end.Set(f.End.In(loc))
	e.SetActivityStreamsEndTime(end)
	tz := streams.NewMobilizonTimezoneProperty()
	tz.Set(f.TimeZone)
	e.SetMobilizonTimezone(tz)

	if f.Place == nil && f.OnlineURL == "" {
		return nil, fmt.Errorf("%w: an event needs a place or an online link", ErrInvalidObject)
	}
	if f.Place != nil {
		place, err := f.Place.build("event")
		if err != nil {
			return nil, err
		}
		l := streams.NewActivityStreamsLocationProperty()
		l.AppendActivityStreamsPlace(place)
		e.SetActivityStreamsLocation(l)
	}
	if f.OnlineURL != "" {
		u, err := absoluteIRI("event", "online link", f.OnlineURL)
		if err != nil {
			return nil, err
		}
		link := streams.NewActivityStreamsLink()
		href := streams.NewActivityStreamsHrefProperty()
		href.Set(u)
		link.SetActivityStreamsHref(href)
		mt := streams.NewActivityStreamsMediaTypeProperty()
		mt.Set("text/html")
		link.SetActivityStreamsMediaType(mt)
		link.SetActivityStreamsName(nameProp(onlineAddressName))
		a := streams.NewActivityStreamsAttachmentProperty()
		a.AppendActivityStreamsLink(link)
		e.SetActivityStreamsAttachment(a)
	}
	online := streams.NewMobilizonIsOnlineProperty()
	online.Set(f.Place == nil)
	e.SetMobilizonIsOnline(online)

	if f.Capacity < 0 || f.Participants < 0 || (f.Capacity > 0 && f.Participants > f.Capacity) {
		return nil, fmt.Errorf("%w: event capacity %d and participants %d do not fit", ErrInvalidObject, f.Capacity, f.Participants)
	}
	if f.Capacity > 0 {
		c := streams.NewSchemaMaximumAttendeeCapacityProperty()
		c.Set(f.Capacity)
		e.SetSchemaMaximumAttendeeCapacity(c)
		r := streams.NewSchemaRemainingAttendeeCapacityProperty()
		r.Set(f.Capacity - f.Participants)
		e.SetSchemaRemainingAttendeeCapacity(r)
	}
	pc := streams.NewMobilizonParticipantCountProperty()
	pc.Set(f.Participants)
	e.SetMobilizonParticipantCount(pc)

	if err := oneOf("event", "join mode", f.JoinMode, false, joinModes...); err != nil {
		return nil, err
	}
	jm := streams.NewMobilizonJoinModeProperty()
	jm.Set(f.JoinMode)
	e.SetMobilizonJoinMode(jm)
	if err := oneOf("event", "status", f.Status, false, eventStatuses...); err != nil {
		return nil, err
	}
	e.SetHolonStatus(status(f.Status))
	// Mobilizon reads an event's status from the compact key "ical:status"
	// as plain JSON (converter/event.ex, as_to_model_data), and its
	// releases before the "status" fallback read nothing else; it writes
	// both keys itself. The generated code has no iCalendar vocabulary, and
	// a second generated "status" would collide with Holon's bare one, so
	// the key goes among the Event's unknown properties, which the
	// generated Serialize writes as they are, wherever the Event is
	// serialized (alone or inside an activity). Context defines "ical".
	e.GetUnknownProperties()[ICalStatus] = f.Status
	if f.Category != "" {
		c, err := category("event", f.Category)
		if err != nil {
			return nil, err
		}
		e.SetSchemaCategory(c)
	}
	if len(f.Tags) > 0 {
		tags, err := hashtags("event", f.Tags)
		if err != nil {
			return nil, err
		}
		e.SetActivityStreamsTag(tags)
	}
	return e, nil
}
