// Package ical writes an agenda as an iCalendar feed (RFC 5545): one
// VEVENT per event, its times in the event's own time zone with a
// VTIMEZONE for each zone used, its SEQUENCE and STATUS so that calendars
// follow changes and cancellations. It writes with arran4/golang-ical,
// which escapes text and folds lines at 75 octets.
package ical

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/holon-network/holon/core/agenda"
)

// ProdID names the software that wrote the feed.
const ProdID = "-//Holon//Holon agenda//EN"

// Calendar is a feed: its name (X-WR-CALNAME) and events.
type Calendar struct {
	Name   string
	Events []agenda.Event
}

// wall is the form of a local time with a TZID.
const wall = "20060102T150405"

// Write writes c to w.
func Write(w io.Writer, c Calendar) error {
	cal := ics.NewCalendarFor("Holon")
	cal.CalendarProperties = nil // NewCalendarFor sets its own PRODID
	cal.SetProductId(ProdID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	if c.Name != "" {
		cal.SetXWRCalName(clean(c.Name))
	}
	for _, z := range zones(c.Events) {
		cal.AddVTimezone(z)
	}
	if len(c.Events) == 0 {
		// A calendar holds at least one component (RFC 5545 §3.4): an
		// empty agenda still parses, with UTC's time zone.
		epoch := time.Unix(0, 0).UTC()
		cal.AddVTimezone(timezone("UTC", time.UTC, epoch, epoch))
	}
	for _, e := range c.Events {
		cal.AddVEvent(event(e))
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// Marshal returns c as iCalendar text.
func Marshal(c Calendar) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, c); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func event(e agenda.Event) *ics.VEvent {
	loc := e.Location()
	tz := loc.String()
	v := ics.NewEvent(e.URI)
	// Without a METHOD, DTSTAMP is when the event last changed (RFC 5545
	// §3.8.7.2): the same feed reads the same way.
	v.SetDtStampTime(e.UpdatedAt)
	v.SetProperty(ics.ComponentPropertyDtStart, e.Start.In(loc).Format(wall), ics.WithTZID(tz))
	v.SetProperty(ics.ComponentPropertyDtEnd, e.End.In(loc).Format(wall), ics.WithTZID(tz))
	v.SetSummary(clean(e.Name))
	if d := description(e); d != "" {
		v.SetDescription(d)
	}
	if l := location(e); l != "" {
		v.SetLocation(l)
	}
	if p := e.Place; p != nil && p.Latitude != nil && p.Longitude != nil {
		v.SetProperty(ics.ComponentPropertyGeo, number(*p.Latitude)+";"+number(*p.Longitude))
	}
	v.SetURL(e.URI)
	v.SetStatus(status(e.Status))
	v.SetSequence(e.Sequence)
	v.SetCreatedTime(e.CreatedAt)
	v.SetLastModifiedAt(e.UpdatedAt)
	for _, t := range e.Tags {
		v.AddCategory(clean(t))
	}
	return v
}

func status(s string) ics.ObjectStatus {
	switch s {
	case agenda.StatusCancelled:
		return ics.ObjectStatusCancelled
	case agenda.StatusTentative:
		return ics.ObjectStatusTentative
	default:
		return ics.ObjectStatusConfirmed
	}
}

// description is the event's summary and description; the online link
// closes it when LOCATION already names a place.
func description(e agenda.Event) string {
	var parts []string
	for _, s := range []string{e.Summary, e.Description} {
		if s = strings.TrimSpace(clean(s)); s != "" {
			parts = append(parts, s)
		}
	}
	if e.Place != nil && e.OnlineLink != "" {
		parts = append(parts, e.OnlineLink)
	}
	return strings.Join(parts, "\n\n")
}

// location is the place's name and address, or the online link of an
// event that has no place.
func location(e agenda.Event) string {
	p := e.Place
	if p == nil {
		return e.OnlineLink
	}
	return clean(p.OneLine())
}

// clean keeps what a TEXT value may hold: line breaks become LF (escaped
// as \n), other control characters go.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// zones returns a VTIMEZONE for each time zone events use, by name,
// covering the years they span.
func zones(events []agenda.Event) []*ics.VTimezone {
	type span struct {
		loc      *time.Location
		from, to time.Time
	}
	spans := map[string]*span{}
	for _, e := range events {
		loc := e.Location()
		sp, ok := spans[loc.String()]
		if !ok {
			sp = &span{loc: loc, from: e.Start, to: e.End}
			spans[loc.String()] = sp
		}
		sp.from, sp.to = minTime(sp.from, e.Start), maxTime(sp.to, e.End)
	}
	names := make([]string, 0, len(spans))
	for n := range spans {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]*ics.VTimezone, len(names))
	for i, n := range names {
		sp := spans[n]
		from := time.Date(sp.from.In(sp.loc).Year(), 1, 1, 0, 0, 0, 0, sp.loc)
		to := time.Date(sp.to.In(sp.loc).Year()+1, 1, 1, 0, 0, 0, 0, sp.loc)
		out[i] = timezone(n, sp.loc, from, to)
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
