package ical_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/holon-network/holon/core/agenda"
)

// checkFeed parses feed with emersion/go-ical, re-encodes it (its encoder
// checks the components' required and single properties) and checks that
// it holds events, in order.
func checkFeed(t *testing.T, feed []byte, events []agenda.Event) {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(feed)).Decode()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, feed)
	}
	if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Fatalf("not a valid calendar: %v", err)
	}
	for _, p := range []string{goical.PropProductID, goical.PropVersion, goical.PropCalendarScale} {
		if cal.Props.Get(p) == nil {
			t.Fatalf("no %s", p)
		}
	}
	zones := map[string]*goical.Component{}
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			zones[c.Props.Get(goical.PropTimezoneID).Value] = c
		}
	}
	got := cal.Events()
	if len(got) != len(events) {
		t.Fatalf("%d events, want %d", len(got), len(events))
	}
	for i, want := range events {
		ev := got[i]
		uid, _ := ev.Props.Text(goical.PropUID)
		if uid != want.URI {
			t.Errorf("event %d: UID %q, want %q", i, uid, want.URI)
		}
		for _, c := range []struct {
			prop string
			at   time.Time
		}{{goical.PropDateTimeStart, want.Start}, {goical.PropDateTimeEnd, want.End}} {
			p := ev.Props.Get(c.prop)
			if tz := p.Params.Get(goical.PropTimezoneID); tz != want.Timezone {
				t.Errorf("event %d: %s TZID %q, want %q", i, c.prop, tz, want.Timezone)
			}
			at, err := p.DateTime(nil) // with the parser's own zone data
			if err != nil || !at.Equal(c.at) {
				t.Errorf("event %d: %s %v (%v), want %v", i, c.prop, at, err, c.at)
			}
			z := zones[want.Timezone]
			if z == nil {
				t.Fatalf("event %d: no VTIMEZONE %s", i, want.Timezone)
			}
			if at := instant(t, z, p.Value); !at.Equal(c.at) {
				t.Errorf("event %d: %s is %v by the feed's VTIMEZONE, want %v", i, c.prop, at, c.at)
			}
		}
		status, err := ev.Status()
		if err != nil || !strings.EqualFold(string(status), want.Status) {
			t.Errorf("event %d: STATUS %q (%v), want %s", i, status, err, want.Status)
		}
		seq, err := ev.Props.Get(goical.PropSequence).Int()
		if err != nil || seq != want.Sequence {
			t.Errorf("event %d: SEQUENCE %d (%v), want %d", i, seq, err, want.Sequence)
		}
		if name, _ := ev.Props.Text(goical.PropSummary); name != want.Name {
			t.Errorf("event %d: SUMMARY %q, want %q", i, name, want.Name)
		}
		var cats []string
		for _, p := range ev.Props.Values(goical.PropCategories) {
			l, _ := p.TextList()
			cats = append(cats, l...)
		}
		if strings.Join(cats, ",") != strings.Join(want.Tags, ",") {
			t.Errorf("event %d: CATEGORIES %v, want %v", i, cats, want.Tags)
		}
	}
}

// instant reads the local time value in zone z as RFC 5545 §3.6.5 does:
// the offset of the last observance that began before it.
func instant(t *testing.T, z *goical.Component, value string) time.Time {
	t.Helper()
	local, err := time.Parse("20060102T150405", value)
	if err != nil {
		t.Fatal(err)
	}
	var onset time.Time
	offset, found := 0, false
	for _, o := range z.Children {
		start, err := time.Parse("20060102T150405", o.Props.Get(goical.PropDateTimeStart).Value)
		if err != nil {
			t.Fatal(err)
		}
		// The onset is local time in the offset before it.
		at := start.Add(-parseOffset(t, o.Props.Get(goical.PropTimezoneOffsetFrom).Value))
		if !local.Add(-parseOffset(t, o.Props.Get(goical.PropTimezoneOffsetTo).Value)).Before(at) && (!found || at.After(onset)) {
			onset, offset, found = at, int(parseOffset(t, o.Props.Get(goical.PropTimezoneOffsetTo).Value)/time.Second), true
		}
	}
	if !found {
		t.Fatalf("no observance of %s covers %s", z.Props.Get(goical.PropTimezoneID).Value, value)
	}
	return local.Add(-time.Duration(offset) * time.Second)
}

func parseOffset(t *testing.T, s string) time.Duration {
	t.Helper()
	if len(s) != 5 && len(s) != 7 {
		t.Fatalf("offset %q", s)
	}
	sign := time.Duration(1)
	if s[0] == '-' {
		sign = -1
	}
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	sec := 0
	if len(s) == 7 {
		sec, _ = strconv.Atoi(s[5:7])
	}
	return sign * (time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
}
