package pages

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// An event elsewhere, on the participant's instance: /events/{id} for the
// id of the copy kept here shows the event as its association published
// it, who organises it, a link to the original and the viewer's
// participation; its forms send the viewer's Join or Leave to the
// organiser, which answers later.

func init() {
	labelSets["remote_event_state"] = labelKeys("remote_event_state", agenda.StatePending, agenda.StateParticipant,
		agenda.StateWaitlisted, agenda.StateRejected)
}

type remoteEventPage struct {
	frame
	Event       agenda.RemoteEvent
	Organiser   actorRef // the association
	When        eventTimes
	Description template.HTML // sanitised when it was kept
	MapLink     string
	Mine        *agenda.RemoteParticipation // the viewer's, nil if none
	SignedIn    bool
	Open        bool // not cancelled nor over: one may ask to take part
	Remaining   int
	Limited     bool
	Participate *form
	Failed      *form
	Done        string
}

// onRemoteEvent answers with act when the id of the address is the copy
// of an event elsewhere, and reports whether it did: the "if remote" of
// the event routes.
func (s *server) onRemoteEvent(w http.ResponseWriter, r *http.Request, act func(agenda.RemoteEvent)) bool {
	id, ok := idParam(r, "id")
	if !ok {
		return false
	}
	e, err := s.events.RemoteEvent(r.Context(), id)
	switch {
	case errors.Is(err, agenda.ErrNoSuchRemoteEvent):
		return false
	case err != nil:
		s.fail(w, r, err)
		return true
	}
	act(e)
	return true
}

// remoteTimes is an event elsewhere's start and end in its own time zone
// (UTC when its origin named none).
func remoteTimes(e agenda.RemoteEvent) eventTimes {
	tz := e.Timezone
	if tz == "" {
		tz = "UTC"
	}
	return timesOf(agenda.Event{Start: e.Start, End: e.End, Timezone: tz})
}

// showRemoteEvent shows the copy e with the participation form.
func (s *server) showRemoteEvent(w http.ResponseWriter, r *http.Request, status int, e agenda.RemoteEvent, participate *form) {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	p := &remoteEventPage{Event: e, Organiser: s.namer(ctx).actor(e.Association), When: remoteTimes(e),
		Description: template.HTML(e.Description), //nolint:gosec // sanitised as notes are when it was kept
		SignedIn:    viewer != nil, Open: e.Open(time.Now()) == nil, Participate: participate,
		Done: doneParam(r, "participating", "left")}
	p.Remaining, p.Limited = e.Remaining()
	if pl := e.Place; pl != nil && pl.Latitude != nil && pl.Longitude != nil {
		lat, lon := strconv.FormatFloat(*pl.Latitude, 'f', -1, 64), strconv.FormatFloat(*pl.Longitude, 'f', -1, 64)
		p.MapLink = "https://www.openstreetmap.org/?mlat=" + url.QueryEscape(lat) + "&mlon=" + url.QueryEscape(lon) +
			"#map=17/" + lat + "/" + lon
	}
	if viewer != nil {
		mine, err := s.events.RemoteParticipation(ctx, *viewer, e.ID)
		switch {
		case err == nil:
			p.Mine = &mine
		case core.KindOf(err) != core.KindNotFound && core.KindOf(err) != core.KindForbidden:
			s.fail(w, r, err)
			return
		}
	}
	if !p.Open || p.Mine != nil {
		participate.hoist()
	}
	p.Failed = failed(participate)
	s.render(w, r, status, "remote_event", p)
}

// remoteEventAction reads a form posted on the page of an event elsewhere,
// runs act and goes back to the page, or shows it again with what went
// wrong.
func (s *server) remoteEventAction(w http.ResponseWriter, r *http.Request, e agenda.RemoteEvent, fields []string, done string,
	act func(acc membership.Account) error) {
	f := s.postForm(w, r, "/events/"+e.ID.String(), fields, nil, func(acc membership.Account, _ *form) (string, error) {
		return done, act(acc)
	})
	if f == nil {
		return
	}
	s.showRemoteEvent(w, r, f.Status(), e, f)
}

// joinRemoteEvent asks the organiser to let the viewer take part: pending
// until it answers.
func (s *server) joinRemoteEvent(w http.ResponseWriter, r *http.Request, e agenda.RemoteEvent) {
	s.remoteEventAction(w, r, e, nil, "participating", func(acc membership.Account) error {
		_, err := s.events.JoinRemote(r.Context(), acc, e.ID)
		return err
	})
}

// leaveRemoteEvent tells the organiser the viewer no longer takes part.
func (s *server) leaveRemoteEvent(w http.ResponseWriter, r *http.Request, e agenda.RemoteEvent) {
	s.remoteEventAction(w, r, e, nil, "left", func(acc membership.Account) error {
		return s.events.LeaveRemote(r.Context(), acc, e.ID)
	})
}
