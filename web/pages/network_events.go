package pages

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/web/auth"
)

// networkEventFields are the filters of the network agenda, which the
// page reads from its address (a GET form).
var networkEventFields = []string{"from", "to", "place", "tag"}

// networkEventItem is one event of the network agenda as the page shows
// it.
type networkEventItem struct {
	agenda.AgendaItem
	When eventTimes
}

// agendaDay is the events starting on one day, in the instance's time
// zone.
type agendaDay struct {
	ISO      string // 2026-11-28
	Day      int
	MonthKey string // the catalogue's short month name
	Year     int
	Events   []networkEventItem
}

type networkEventsPage struct {
	frame
	Filter    *form
	Cancelled bool // the filter keeps cancelled events too
	Days      []agendaDay
	Zone      string // the zone of the days' headings
	Next      string // the address of the next page
	Filtered  bool
}

// networkEventsPage is the network agenda (issue 7): this instance's
// events and its partners', by day, filtered by dates, place and tag.
func (s *server) networkEventsPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := newForm(networkEventFields...)
	v := r.URL.Query()
	for _, name := range networkEventFields {
		val := strings.TrimSpace(v.Get(name))
		if val == "" {
			continue
		}
		f.Values[name] = val
		// The page's bounds are the other filter forms': core's are wider.
		if max := fieldMax[name]; max > 0 && len([]rune(val)) > max {
			f.fail(core.FieldError{Field: name, Code: codeTooLong})
		}
	}
	loc, err := time.LoadLocation(s.defaultZone())
	if err != nil {
		loc = time.UTC
	}
	p := &networkEventsPage{Filter: f, Cancelled: v.Get("cancelled") == "1", Zone: loc.String()}
	p.Filtered = len(f.Values) > 0 || p.Cancelled
	if !f.Invalid() {
		q := agenda.NetworkQuery{From: f.Value("from"), To: f.Value("to"), Place: f.Value("place"), Tag: f.Value("tag"),
			Location: loc, Cancelled: p.Cancelled, Cursor: v.Get("cursor"), Limit: 30}
		list, next, err := s.events.NetworkAgenda(ctx, auth.Account(ctx), q)
		if err != nil && !f.take(err) {
			s.fail(w, r, err)
			return
		}
		p.Days = byDay(list, loc)
		if next != "" {
			u := *r.URL
			q := u.Query()
			q.Set("cursor", next)
			u.RawQuery = q.Encode()
			p.Next = u.RequestURI()
		}
	}
	s.render(w, r, f.Status(), "network_events", p)
}

// byDay groups items, in order of start, by the day they start on in loc.
func byDay(items []agenda.AgendaItem, loc *time.Location) []agendaDay {
	var days []agendaDay
	for _, it := range items {
		start := it.Start.In(loc)
		iso := start.Format(time.DateOnly)
		if len(days) == 0 || days[len(days)-1].ISO != iso {
			days = append(days, agendaDay{ISO: iso, Day: start.Day(), MonthKey: "month." + strconv.Itoa(int(start.Month())),
				Year: start.Year()})
		}
		d := &days[len(days)-1]
		d.Events = append(d.Events, networkEventItem{AgendaItem: it, When: timesOf(it.Event)})
	}
	return days
}
