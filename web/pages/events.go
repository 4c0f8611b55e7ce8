package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// eventRoutes are the addresses of the associations' agendas and events
// (issue 7, the local part).
func (s *server) eventRoutes(r chi.Router) {
	r.Get("/@{name}/events", s.agendaPage)
	r.Get("/network/events", s.networkEventsPage)
	r.Get("/@{name}/events/new", s.newEventForm)
	r.Post("/@{name}/events/new", s.createEvent)
	r.Get("/events/{id}", s.eventPage)
	r.Post("/events/{id}/participation", s.participate)
	r.Post("/events/{id}/leave", s.leaveEvent)
	r.Post("/events/{id}/requests", s.decideParticipation)
	r.Get("/events/{id}/edit", s.editEventForm)
	r.Post("/events/{id}/edit", s.updateEvent)
	r.Post("/events/{id}/cancel", s.cancelEvent)
}

// The fields of the event form. Core's fields ("name", "place.locality")
// are named "event_…" here: their length bounds differ from those of the
// other forms' fields of the same names.
var eventCoreFields = []string{"name", "summary", "description", "start", "end", "timezone", "place.name",
	"place.street_address", "place.locality", "place.postal_code", "place.region", "place.country", "place.latitude",
	"place.longitude", "online_link", "capacity", "join_mode", "status", "category", "tags", "place"}

var (
	eventFields         []string
	eventRename         = map[string]string{}
	participateFields   = []string{"visible"}
	decisionFields      = []string{"participant", "decision"}
	cancelFields        = []string{"confirm"}
	eventPlaceFields    = []string{"place.name", "place.street_address", "place.locality", "place.postal_code", "place.region", "place.country", "place.latitude", "place.longitude"}
	eventCancelRequired = core.FieldError{Field: "confirm", Code: "required", Detail: "this field is required"}
)

// eventInput is the name of the input of core's event field f.
func eventInput(f string) string { return "event_" + strings.ReplaceAll(f, ".", "_") }

func init() {
	maxes := map[string]int{"name": agenda.MaxName, "summary": agenda.MaxSummary, "description": agenda.MaxDescription,
		"start": 40, "end": 40, "timezone": agenda.MaxTimezone, "place.name": agenda.MaxPlaceName,
		"place.street_address": agenda.MaxStreet, "place.locality": agenda.MaxLocality, "place.postal_code": agenda.MaxPostalCode,
		"place.region": agenda.MaxRegion, "place.country": agenda.MaxCountry, "place.latitude": 32, "place.longitude": 32,
		"online_link": agenda.MaxLink, "capacity": 16, "join_mode": 16, "status": 16, "category": 64,
		"tags": agenda.MaxTags * 66, "place": 0}
	for _, f := range eventCoreFields {
		in := eventInput(f)
		eventFields = append(eventFields, in)
		eventRename[f] = in
		fieldMax[in] = maxes[f]
	}
	for name, max := range map[string]int{"visible": 8, "participant": 320, "decision": 16, "confirm": 8} {
		if fieldMax[name] < max {
			fieldMax[name] = max
		}
	}
}

// eventZones are the time zones the event form offers; an event elsewhere
// keeps its own, added to the list when it is edited.
var eventZones = []string{"UTC", "Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Luxembourg", "Europe/London",
	"Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Lisbon", "America/Montreal", "America/Toronto",
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Martinique",
	"America/Guadeloupe", "America/Cayenne", "Indian/Reunion", "Indian/Mayotte", "Pacific/Noumea", "Pacific/Tahiti",
	"Africa/Dakar", "Africa/Abidjan", "Africa/Casablanca", "Africa/Tunis", "Africa/Algiers", "Asia/Tokyo"}

// defaultZone is the time zone a new event starts in: the instance's,
// from its default language (Holon keeps no time zone of its own yet).
func (s *server) defaultZone() string {
	if strings.HasPrefix(s.cfg.Instance.DefaultLocale, "fr") {
		return "Europe/Paris"
	}
	return "UTC"
}

// wallLayout is a datetime-local input's value.
const wallLayout = "2006-01-02T15:04"

// eventTimes is an event's start and end in its own time zone.
type eventTimes struct {
	Start, End string // as read: "2026-12-05 14:00"
	StartISO   string
	EndISO     string
	Zone       string // "Europe/Paris (CET)"
}

func timesOf(e agenda.Event) eventTimes {
	loc := e.Location()
	start, end := e.Start.In(loc), e.End.In(loc)
	abbr, _ := start.Zone()
	zone := e.Timezone
	if abbr != "" && abbr != e.Timezone {
		zone += " (" + abbr + ")"
	}
	endText := end.Format("2006-01-02 15:04")
	if end.Format("2006-01-02") == start.Format("2006-01-02") {
		endText = end.Format("15:04")
	}
	return eventTimes{Start: start.Format("2006-01-02 15:04"), End: endText, StartISO: e.Start.Format(time.RFC3339),
		EndISO: e.End.Format(time.RFC3339), Zone: zone}
}

// eventItem is an event in a list.
type eventItem struct {
	agenda.Event
	When eventTimes
}

type agendaPage struct {
	frame
	Association membership.Association
	Events      []eventItem
	Past        bool
	Next        string // cursor of the next page
	IsBoard     bool
}

// agendaPage lists an association's events: upcoming ones (and those
// under way) by start, or with ?past=1 those that are over.
func (s *server) agendaPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := agenda.AgendaQuery{Association: a.Name, Viewer: auth.Account(r.Context()), Cursor: r.URL.Query().Get("cursor"), Limit: 30}
	past := r.URL.Query().Get("past") == "1"
	if past {
		q.From, q.To = time.Unix(0, 0).UTC(), time.Now().UTC()
	}
	list, next, err := s.events.Events(ctx, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, member, err := s.memberOf(ctx, auth.Account(ctx), a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := &agendaPage{Association: a, Past: past, Next: next, IsBoard: member && m.IsBoard()}
	for _, e := range list {
		if past && !e.End.Before(time.Now()) {
			continue // under way: listed with the upcoming ones
		}
		p.Events = append(p.Events, eventItem{Event: e, When: timesOf(e)})
	}
	s.render(w, r, http.StatusOK, "events", p)
}

type eventPageView struct {
	frame
	Event        agenda.Event
	Association  membership.Association
	When         eventTimes
	Description  []string
	MapLink      string // OpenStreetMap at the coordinates, if any
	Participants []agenda.Participation
	MoreNames    bool // more participants than the page lists
	Pending      []agenda.Participation
	Mine         *agenda.Participation // the viewer's part, nil if none
	SignedIn     bool
	IsBoard      bool
	Open         bool // not cancelled nor over: one may take part
	Remaining    int
	Limited      bool
	Participate  *form
	Decision     *form
	Cancel       *form
	Failed       *form
	Done         string
}

func (s *server) eventPage(w http.ResponseWriter, r *http.Request) {
	if s.onRemoteEvent(w, r, func(e agenda.RemoteEvent) { s.showRemoteEvent(w, r, http.StatusOK, e, newForm()) }) {
		return
	}
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showEvent(w, r, http.StatusOK, id, newForm(participateFields...), newForm(decisionFields...), newForm(cancelFields...))
}

// showEvent shows event id with its forms.
func (s *server) showEvent(w http.ResponseWriter, r *http.Request, status int, id uuid.UUID, participate, decision, cancel *form) {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	list, err := s.events.Participants(ctx, viewer, id, agenda.StateParticipant, "", agenda.MaxPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e := list.Event
	a, err := s.members.Association(ctx, e.Association)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, member, err := s.memberOf(ctx, viewer, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	p := &eventPageView{Event: e, Association: a, When: timesOf(e), Description: paragraphs(e.Description),
		Participants: list.Participants, MoreNames: list.Next != "", SignedIn: viewer != nil, IsBoard: member && m.IsBoard(),
		Open: e.Status != agenda.StatusCancelled && e.End.After(now), Participate: participate, Decision: decision,
		Cancel: cancel, Done: doneParam(r, "created", "updated", "cancelled", "participating", "left", "decided")}
	p.Remaining, p.Limited = e.Remaining()
	if e.Place != nil && e.Place.Latitude != nil && e.Place.Longitude != nil {
		lat, lon := strconv.FormatFloat(*e.Place.Latitude, 'f', -1, 64), strconv.FormatFloat(*e.Place.Longitude, 'f', -1, 64)
		p.MapLink = "https://www.openstreetmap.org/?mlat=" + url.QueryEscape(lat) + "&mlon=" + url.QueryEscape(lon) +
			"#map=17/" + lat + "/" + lon
	}
	if viewer != nil {
		mine, err := s.events.Participation(ctx, *viewer, id)
		switch {
		case err == nil:
			p.Mine = &mine
		case core.KindOf(err) != core.KindNotFound && core.KindOf(err) != core.KindForbidden:
			s.fail(w, r, err)
			return
		}
	}
	if p.IsBoard {
		pending, err := s.events.Participants(ctx, viewer, id, agenda.StatePending, "", agenda.MaxPage)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p.Pending = pending.Participants
	}
	if !p.IsBoard {
		decision.hoist()
		cancel.hoist()
	}
	if !p.Open || p.Mine != nil {
		participate.hoist()
	}
	p.Failed = failed(participate, decision, cancel)
	s.render(w, r, status, "event", p)
}

// eventAction reads a form posted on an event's page, runs act and goes
// back to the page, or shows it again with what went wrong.
func (s *server) eventAction(w http.ResponseWriter, r *http.Request, fields []string, done string,
	act func(acc membership.Account, id uuid.UUID, f *form) error) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	f := s.postForm(w, r, "/events/"+id.String(), fields, nil, func(acc membership.Account, f *form) (string, error) {
		return done, act(acc, id, f)
	})
	if f == nil {
		return
	}
	participate, decision, cancel := newForm(participateFields...), newForm(decisionFields...), newForm(cancelFields...)
	switch done {
	case "decided":
		decision = f
	case "cancelled":
		cancel = f
	default:
		participate = f
	}
	s.showEvent(w, r, f.Status(), id, participate, decision, cancel)
}

// participate makes the viewer take part, showing their name or not.
func (s *server) participate(w http.ResponseWriter, r *http.Request) {
	if s.onRemoteEvent(w, r, func(e agenda.RemoteEvent) { s.joinRemoteEvent(w, r, e) }) {
		return
	}
	s.eventAction(w, r, participateFields, "participating", func(acc membership.Account, id uuid.UUID, f *form) error {
		_, err := s.events.Participate(r.Context(), acc, id, f.Checked("visible"))
		return err
	})
}

func (s *server) leaveEvent(w http.ResponseWriter, r *http.Request) {
	if s.onRemoteEvent(w, r, func(e agenda.RemoteEvent) { s.leaveRemoteEvent(w, r, e) }) {
		return
	}
	s.eventAction(w, r, nil, "left", func(acc membership.Account, id uuid.UUID, f *form) error {
		return s.events.Leave(r.Context(), acc, id)
	})
}

// decideParticipation approves or rejects a pending participation.
func (s *server) decideParticipation(w http.ResponseWriter, r *http.Request) {
	s.eventAction(w, r, decisionFields, "decided", func(acc membership.Account, id uuid.UUID, f *form) error {
		var err error
		switch f.Value("decision") {
		case "approve":
			_, err = s.events.Approve(r.Context(), acc, id, f.Value("participant"))
		case "reject":
			_, err = s.events.Reject(r.Context(), acc, id, f.Value("participant"))
		default:
			err = core.Invalid(core.FieldError{Field: "decision", Code: codeInvalidChoice, Detail: "must be approve or reject"})
		}
		return err
	})
}

// cancelEvent cancels an event once the board ticked the confirmation.
func (s *server) cancelEvent(w http.ResponseWriter, r *http.Request) {
	s.eventAction(w, r, cancelFields, "cancelled", func(acc membership.Account, id uuid.UUID, f *form) error {
		if !f.Checked("confirm") {
			return core.Invalid(eventCancelRequired)
		}
		_, err := s.events.Cancel(r.Context(), acc, id)
		return err
	})
}
