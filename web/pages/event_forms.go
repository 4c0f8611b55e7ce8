package pages

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

type eventFormPage struct {
	frame
	Association membership.Association
	Event       *agenda.Event // nil: a new event
	Form        *form
	Zones       []string
	Categories  []string
}

// eventBoardOnly is memberOnly for the board: it answers and returns false
// for anyone else.
func (s *server) eventBoardOnly(w http.ResponseWriter, r *http.Request) (membership.Account, membership.Association, bool) {
	acc, a, ok := s.memberOnly(w, r, r.URL.Path)
	if !ok {
		return acc, a, false
	}
	m, _, err := s.memberOf(r.Context(), &acc, a.Name)
	if err == nil && !m.IsBoard() {
		err = agenda.ErrBoardOnly
	}
	if err != nil {
		s.fail(w, r, err)
		return acc, a, false
	}
	return acc, a, true
}

func (s *server) eventForm(w http.ResponseWriter, r *http.Request, status int, a membership.Association, e *agenda.Event, f *form) {
	zones := slices.Clone(eventZones)
	if tz := f.Value(eventInput("timezone")); tz != "" && !slices.Contains(zones, tz) {
		zones = append(zones, tz)
	}
	s.render(w, r, status, "event_form", &eventFormPage{Association: a, Event: e, Form: f, Zones: zones, Categories: agenda.Categories})
}

func (s *server) newEventForm(w http.ResponseWriter, r *http.Request) {
	_, a, ok := s.eventBoardOnly(w, r)
	if !ok {
		return
	}
	f := newForm(eventFields...)
	f.Values[eventInput("timezone")] = s.defaultZone()
	f.Values[eventInput("join_mode")] = agenda.JoinFree
	f.Values[eventInput("status")] = agenda.StatusConfirmed
	f.Values[eventInput("category")] = agenda.DefaultCategory
	s.eventForm(w, r, http.StatusOK, a, nil, f)
}

func (s *server) createEvent(w http.ResponseWriter, r *http.Request) {
	acc, a, ok := s.eventBoardOnly(w, r)
	if !ok {
		return
	}
	f, err := readForm(r, eventFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		in := eventInputOf(f)
		if !f.Invalid() {
			e, err := s.events.Create(r.Context(), acc, a.Name, in)
			if err == nil {
				redirect(w, r, "/events/"+e.ID.String()+"?done=created")
				return
			}
			if !s.formError(w, r, f, err, eventRename) {
				return
			}
		}
	}
	s.eventForm(w, r, f.Status(), a, nil, f)
}

// editable loads event id for its board's edit form.
func (s *server) editable(w http.ResponseWriter, r *http.Request) (membership.Account, membership.Association, agenda.Event, bool) {
	ctx := r.Context()
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return membership.Account{}, membership.Association{}, agenda.Event{}, false
	}
	e, err := s.events.Event(ctx, auth.Account(ctx), id)
	if err != nil {
		s.fail(w, r, err)
		return membership.Account{}, membership.Association{}, e, false
	}
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, r.URL.Path)
		return acc, membership.Association{}, e, false
	}
	a, err := s.members.Association(ctx, e.Association)
	if err != nil {
		s.fail(w, r, err)
		return acc, a, e, false
	}
	m, _, err := s.memberOf(ctx, &acc, a.Name)
	if err == nil && !m.IsBoard() {
		err = agenda.ErrBoardOnly
	}
	if err == nil && e.Status == agenda.StatusCancelled {
		err = agenda.ErrEventCancelled
	}
	if err != nil {
		s.fail(w, r, err)
		return acc, a, e, false
	}
	return acc, a, e, true
}

func (s *server) editEventForm(w http.ResponseWriter, r *http.Request) {
	_, a, e, ok := s.editable(w, r)
	if !ok {
		return
	}
	s.eventForm(w, r, http.StatusOK, a, &e, eventValues(e))
}

func (s *server) updateEvent(w http.ResponseWriter, r *http.Request) {
	acc, a, e, ok := s.editable(w, r)
	if !ok {
		return
	}
	f, err := readForm(r, eventFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		in := eventInputOf(f)
		if !f.Invalid() {
			_, err := s.events.Update(r.Context(), acc, e.ID, in)
			if err == nil {
				redirect(w, r, "/events/"+e.ID.String()+"?done=updated")
				return
			}
			if !s.formError(w, r, f, err, eventRename) {
				return
			}
		}
	}
	s.eventForm(w, r, f.Status(), a, &e, f)
}

// eventValues fills the form with event e, its times in its own zone.
func eventValues(e agenda.Event) *form {
	f := newForm(eventFields...)
	loc := e.Location()
	set := func(field, v string) { f.Values[eventInput(field)] = v }
	set("name", e.Name)
	set("summary", e.Summary)
	set("description", e.Description)
	set("start", e.Start.In(loc).Format(wallLayout))
	set("end", e.End.In(loc).Format(wallLayout))
	set("timezone", e.Timezone)
	if p := e.Place; p != nil {
		set("place.name", p.Name)
		set("place.street_address", p.StreetAddress)
		set("place.locality", p.Locality)
		set("place.postal_code", p.PostalCode)
		set("place.region", p.Region)
		set("place.country", p.Country)
		if p.Latitude != nil && p.Longitude != nil {
			set("place.latitude", strconv.FormatFloat(*p.Latitude, 'f', -1, 64))
			set("place.longitude", strconv.FormatFloat(*p.Longitude, 'f', -1, 64))
		}
	}
	set("online_link", e.OnlineLink)
	if e.Capacity > 0 {
		set("capacity", strconv.Itoa(e.Capacity))
	}
	set("join_mode", e.JoinMode)
	set("status", e.Status)
	set("category", e.Category)
	set("tags", strings.Join(e.Tags, " "))
	return f
}

// eventInputOf reads the event form into core's input; the numbers it
// cannot read are errors on f.
func eventInputOf(f *form) agenda.EventInput {
	get := func(field string) *string { return f.ptr(eventInput(field)) }
	in := agenda.EventInput{Name: get("name"), Summary: get("summary"), Description: get("description"),
		Start: get("start"), End: get("end"), Timezone: get("timezone"), OnlineLink: get("online_link"),
		JoinMode: get("join_mode"), Status: get("status"), Category: get("category"),
		Tags: f.listPtr(eventInput("tags"), words)}
	if c := get("capacity"); c != nil {
		n := 0
		if v := strings.TrimSpace(*c); v != "" {
			var err error
			if n, err = strconv.Atoi(v); err != nil {
				f.fail(core.FieldError{Field: eventInput("capacity"), Code: "out-of-range", Detail: "must be a whole number"})
			}
		}
		in.Capacity = &n
	}
	placed := false
	for _, p := range eventPlaceFields {
		placed = placed || f.submitted(eventInput(p))
	}
	if placed {
		v := func(field string) string { return f.Value(eventInput(field)) }
		in.Place = &agenda.PlaceInput{Name: v("place.name"), StreetAddress: v("place.street_address"), Locality: v("place.locality"),
			PostalCode: v("place.postal_code"), Region: v("place.region"), Country: v("place.country"),
			Latitude: coordinate(f, "place.latitude"), Longitude: coordinate(f, "place.longitude")}
	}
	return in
}

// coordinate reads a latitude or longitude; "" is none.
func coordinate(f *form, field string) *float64 {
	v := strings.TrimSpace(strings.ReplaceAll(f.Value(eventInput(field)), ",", "."))
	if v == "" {
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		f.fail(core.FieldError{Field: eventInput(field), Code: "out-of-range", Detail: "must be a number"})
		return nil
	}
	return &x
}
