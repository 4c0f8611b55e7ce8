package ical

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// transition is a change of a zone's offset, or of its daylight saving
// time, at an instant.
type transition struct {
	at       time.Time
	from, to int // offsets east of UTC, in seconds
	daylight bool
	name     string
}

// state is what a zone says at an instant.
func state(loc *time.Location, t time.Time) (name string, offset int, daylight bool) {
	lt := t.In(loc)
	name, offset = lt.Zone()
	return name, offset, lt.IsDST()
}

// transitions lists loc's transitions in [from, to), read from Go's time
// zone data: Go has no list of them, so each day is compared with the
// next and a change is narrowed down to the second.
func transitions(loc *time.Location, from, to time.Time) []transition {
	var out []transition
	const step = 24 * time.Hour
	for t := from; t.Before(to); t = t.Add(step) {
		next := t.Add(step)
		n0, o0, d0 := state(loc, t)
		n1, o1, d1 := state(loc, next)
		if n0 == n1 && o0 == o1 && d0 == d1 {
			continue
		}
		lo, hi := t, next // the state changes in (lo, hi]
		for hi.Sub(lo) > time.Second {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
			if mid.Equal(lo) {
				mid = lo.Add(time.Second)
			}
			n, o, d := state(loc, mid)
			if n == n0 && o == o0 && d == d0 {
				lo = mid
			} else {
				hi = mid
			}
		}
		if hi.Before(to) {
			out = append(out, transition{at: hi, from: o0, to: o1, daylight: d1, name: n1})
		}
	}
	return out
}

// timezone is the VTIMEZONE of loc, named tzid, from from to to: an
// observance for the state at from, then one per transition. Each is
// written without RRULE, as it happened: exact for the years covered, and
// what every parser reads.
func timezone(tzid string, loc *time.Location, from, to time.Time) *ics.VTimezone {
	z := ics.NewTimezone(tzid)
	name, offset, daylight := state(loc, from)
	_, before, _ := state(loc, from.Add(-time.Second))
	z.Components = append(z.Components, observance(transition{at: from, from: before, to: offset, daylight: daylight, name: name}))
	for _, t := range transitions(loc, from, to) {
		z.Components = append(z.Components, observance(t))
	}
	return z
}

// observance is a STANDARD or DAYLIGHT sub-component: its DTSTART is the
// local time before the change (RFC 5545 §3.6.5).
func observance(t transition) ics.Component {
	c := ics.ComponentBase{}
	c.SetProperty(ics.ComponentPropertyDtStart, t.at.UTC().Add(time.Duration(t.from)*time.Second).Format(wall))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(t.from))
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(t.to))
	if t.name != "" {
		c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), t.name)
	}
	if t.daylight {
		return &ics.Daylight{ComponentBase: c}
	}
	return &ics.Standard{ComponentBase: c}
}

// utcOffset writes seconds east of UTC as +HHMM, or +HHMMSS when the
// seconds count.
func utcOffset(s int) string {
	sign := '+'
	if s < 0 {
		sign, s = '-', -s
	}
	if s%60 != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%c%02d%02d", sign, s/3600, s/60%60)
}
