package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// Events is what the API needs of the agenda: events, their changes and
// cancellation, and participation in them.
type Events interface {
	Create(ctx context.Context, by membership.Account, association string, in agenda.EventInput) (agenda.Event, error)
	Event(ctx context.Context, viewer *membership.Account, id uuid.UUID) (agenda.Event, error)
	Events(ctx context.Context, q agenda.AgendaQuery) ([]agenda.Event, string, error)
	Update(ctx context.Context, by membership.Account, id uuid.UUID, in agenda.EventInput) (agenda.Event, error)
	Cancel(ctx context.Context, by membership.Account, id uuid.UUID) (agenda.Event, error)
	AssociationFeed(ctx context.Context, viewer *membership.Account, name string) (agenda.Feed, error)
	NetworkFeed(ctx context.Context) (agenda.Feed, error)
	NetworkAgenda(ctx context.Context, viewer *membership.Account, q agenda.NetworkQuery) ([]agenda.AgendaItem, string, error)

	Participate(ctx context.Context, by membership.Account, id uuid.UUID, visible bool) (agenda.Participation, error)
	Participation(ctx context.Context, by membership.Account, id uuid.UUID) (agenda.Participation, error)
	Leave(ctx context.Context, by membership.Account, id uuid.UUID) error
	Participants(ctx context.Context, viewer *membership.Account, id uuid.UUID, state, cursor string, limit int) (agenda.ParticipantList, error)
	Approve(ctx context.Context, by membership.Account, id uuid.UUID, handle string) (agenda.Participation, error)
	Reject(ctx context.Context, by membership.Account, id uuid.UUID, handle string) (agenda.Participation, error)

	// The network's map (places.go).
	ParseMapQuery(bbox, from, to string) (agenda.MapQuery, error)
	Map(ctx context.Context, q agenda.MapQuery) (agenda.Map, error)
}

func (h *handlers) routeEvents(r chi.Router) {
	r.Post("/associations/{name}/events", h.createEvent)
	r.Get("/associations/{name}/events", h.listEvents)
	r.Get("/events/{id}", h.getEvent)
	r.Patch("/events/{id}", h.updateEvent)
	r.Post("/events/{id}/cancel", h.cancelEvent)
	r.Post("/events/{id}/participation", h.participate)
	r.Get("/events/{id}/participation", h.getParticipation)
	r.Delete("/events/{id}/participation", h.leaveEvent)
	r.Get("/events/{id}/participants", h.listParticipants)
	r.Post("/events/{id}/participants/{actor}/approve", h.decideParticipation(Events.Approve))
	r.Post("/events/{id}/participants/{actor}/reject", h.decideParticipation(Events.Reject))
	r.Get("/associations/{name}/events.ics", h.associationCalendar)
	r.Get("/network/events.ics", h.networkCalendar)
	r.Get("/network/places.geojson", h.networkPlaces)
	r.Get("/network/events", h.networkEvents)
}

// placeJSON is where an event happens.
type placeJSON struct {
	Name          string   `json:"name"`
	StreetAddress string   `json:"street_address"`
	Locality      string   `json:"locality"`
	PostalCode    string   `json:"postal_code"`
	Region        string   `json:"region"`
	Country       string   `json:"country"`
	Latitude      *float64 `json:"latitude"`
	Longitude     *float64 `json:"longitude"`
}

// eventJSON is an event. Start and end are written with the offset of the
// event's time zone, as on the wire.
type eventJSON struct {
	ID               string     `json:"id"`
	URI              string     `json:"uri"`
	Association      string     `json:"association"`
	Organiser        string     `json:"organiser"`
	Name             string     `json:"name"`
	Summary          string     `json:"summary"`
	Description      string     `json:"description"`
	Start            string     `json:"start"`
	End              string     `json:"end"`
	Timezone         string     `json:"timezone"`
	Place            *placeJSON `json:"place"`
	OnlineLink       *string    `json:"online_link"`
	IsOnline         bool       `json:"is_online"`
	Capacity         int        `json:"capacity"`
	Remaining        *int       `json:"remaining"`
	JoinMode         string     `json:"join_mode"`
	Status           string     `json:"status"`
	Category         string     `json:"category"`
	Tags             []string   `json:"tags"`
	Sequence         int        `json:"sequence"`
	ParticipantCount int        `json:"participant_count"`
	PendingCount     int        `json:"pending_count"`
	WaitlistCount    int        `json:"waitlist_count"`
	CreatedBy        string     `json:"created_by"`
	CreatedAt        string     `json:"created_at"`
	UpdatedAt        string     `json:"updated_at"`
}

func renderEvent(e agenda.Event) eventJSON {
	loc := e.Location()
	out := eventJSON{ID: e.ID.String(), URI: e.URI, Association: e.Association, Organiser: e.Organiser, Name: e.Name,
		Summary: e.Summary, Description: e.Description, Start: e.Start.In(loc).Format(time.RFC3339),
		End: e.End.In(loc).Format(time.RFC3339), Timezone: e.Timezone, OnlineLink: optString(e.OnlineLink),
		IsOnline: e.IsOnline(), Capacity: e.Capacity, JoinMode: e.JoinMode, Status: e.Status, Category: e.Category,
		Tags: nonNil(e.Tags), Sequence: e.Sequence, ParticipantCount: e.Participants, PendingCount: e.Pending,
		WaitlistCount: e.Waitlisted, CreatedBy: e.CreatedBy, CreatedAt: timestamp(e.CreatedAt), UpdatedAt: timestamp(e.UpdatedAt)}
	if n, limited := e.Remaining(); limited {
		out.Remaining = &n
	}
	if p := e.Place; p != nil {
		out.Place = &placeJSON{Name: p.Name, StreetAddress: p.StreetAddress, Locality: p.Locality, PostalCode: p.PostalCode,
			Region: p.Region, Country: p.Country, Latitude: p.Latitude, Longitude: p.Longitude}
	}
	return out
}

// eventRequest is the body of a new event and of a change to one; in a
// change, absent fields stay as they are, and "place": {} removes the
// place.
type eventRequest struct {
	Name        *string    `json:"name"`
	Summary     *string    `json:"summary"`
	Description *string    `json:"description"`
	Start       *string    `json:"start"`
	End         *string    `json:"end"`
	Timezone    *string    `json:"timezone"`
	Place       *placeJSON `json:"place"`
	OnlineLink  *string    `json:"online_link"`
	Capacity    *int       `json:"capacity"`
	JoinMode    *string    `json:"join_mode"`
	Status      *string    `json:"status"`
	Category    *string    `json:"category"`
	Tags        *[]string  `json:"tags"`
	Organiser   *string    `json:"organiser"`
}

func (in eventRequest) input() agenda.EventInput {
	out := agenda.EventInput{Name: in.Name, Summary: in.Summary, Description: in.Description, Start: in.Start, End: in.End,
		Timezone: in.Timezone, OnlineLink: in.OnlineLink, Capacity: in.Capacity, JoinMode: in.JoinMode, Status: in.Status,
		Category: in.Category, Tags: in.Tags, Organiser: in.Organiser}
	if p := in.Place; p != nil {
		out.Place = &agenda.PlaceInput{Name: p.Name, StreetAddress: p.StreetAddress, Locality: p.Locality,
			PostalCode: p.PostalCode, Region: p.Region, Country: p.Country, Latitude: p.Latitude, Longitude: p.Longitude}
	}
	return out
}

// createEvent adds an event to the association's agenda, as its board.
func (h *handlers) createEvent(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in eventRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	e, err := h.events.Create(r.Context(), acc, chi.URLParam(r, "name"), in.input())
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/events/"+e.ID.String(), renderEvent(e))
}

// listEvents lists the association's agenda: the events not over at
// ?from= (now by default) and starting before ?to=, the next first.
func (h *handlers) listEvents(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r, agenda.MaxPage/2, agenda.MaxPage, func(string) *core.FieldError { return nil })
	if err != nil {
		fail(w, r, err)
		return
	}
	var fe core.FieldErrors
	from := queryTime(r, "from", &fe)
	to := queryTime(r, "to", &fe)
	if err := fe.Err(); err != nil {
		fail(w, r, err)
		return
	}
	list, next, err := h.events.Events(r.Context(), agenda.AgendaQuery{Association: chi.URLParam(r, "name"), Viewer: auth.Account(r.Context()),
		From: from, To: to, Cursor: p.cursor, Limit: p.limit})
	if err != nil {
		fail(w, r, err)
		return
	}
	items := make([]eventJSON, len(list))
	for i, e := range list {
		items[i] = renderEvent(e)
	}
	writeJSON(w, r, http.StatusOK, newList(items, next))
}

// queryTime reads the query parameter name: an RFC 3339 time, or a date
// (its midnight, UTC); zero when absent.
func queryTime(r *http.Request, name string, fe *core.FieldErrors) time.Time {
	s := r.URL.Query().Get(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t
	}
	fe.Add(name, "invalid-time", "must be a date such as 2025-04-12 or a time such as 2025-04-12T14:00:00+02:00")
	return time.Time{}
}

func (h *handlers) getEvent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, agenda.ErrNoSuchEvent)
	if !ok {
		return
	}
	e, err := h.events.Event(r.Context(), auth.Account(r.Context()), id)
	if errors.Is(err, agenda.ErrNoSuchEvent) && h.onRemoteEvent(w, r, id, func(e agenda.RemoteEvent) { h.writeRemoteEvent(w, r, e) }) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderEvent(e))
}

// updateEvent changes an event, as its association's board.
func (h *handlers) updateEvent(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := h.eventAction(w, r)
	if !ok {
		return
	}
	var in eventRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	e, err := h.events.Update(r.Context(), acc, id, in.input())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderEvent(e))
}

// cancelEvent cancels an event, as its association's board.
func (h *handlers) cancelEvent(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := h.eventAction(w, r)
	if !ok {
		return
	}
	e, err := h.events.Cancel(r.Context(), acc, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderEvent(e))
}

// eventAction reads the signed-in account and the event {id} of an
// action on it.
func (h *handlers) eventAction(w http.ResponseWriter, r *http.Request) (membership.Account, uuid.UUID, bool) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return membership.Account{}, uuid.Nil, false
	}
	id, ok := pathID(w, r, agenda.ErrNoSuchEvent)
	return acc, id, ok
}

// participationJSON is an actor's part in an event. Name and handle are
// null when the actor chose not to be shown (and the viewer is not the
// board or the actor).
type participationJSON struct {
	Event     string  `json:"event"`
	Actor     string  `json:"actor"`
	Handle    *string `json:"handle"`
	Name      *string `json:"name"`
	State     string  `json:"state"`
	Visible   bool    `json:"visible"`
	CreatedAt string  `json:"created_at"`
	UpdatedAt string  `json:"updated_at"`
}

func renderParticipation(p agenda.Participation) participationJSON {
	return participationJSON{Event: p.EventID.String(), Actor: p.Actor, Handle: optString(p.Handle), Name: optString(p.Name),
		State: p.State, Visible: p.Visible, CreatedAt: timestamp(p.CreatedAt), UpdatedAt: timestamp(p.UpdatedAt)}
}

// participationRequest is the body of a participation; visible says
// whether the participant's name shows on the list (not by default).
type participationRequest struct {
	Visible bool `json:"visible"`
}

// participate makes the signed-in account take part in the event; the
// answer's state says whether it is in, waiting for a place or for the
// board.
func (h *handlers) participate(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := h.eventAction(w, r)
	if !ok {
		return
	}
	var in participationRequest
	if err := decodeOptional(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.events.Participate(r.Context(), acc, id, in.Visible)
	if errors.Is(err, agenda.ErrNoSuchEvent) && h.onRemoteEvent(w, r, id, func(e agenda.RemoteEvent) { h.joinRemoteEvent(w, r, acc, e) }) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/events/"+id.String()+"/participation", renderParticipation(p))
}

func (h *handlers) getParticipation(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := h.eventAction(w, r)
	if !ok {
		return
	}
	p, err := h.events.Participation(r.Context(), acc, id)
	if errors.Is(err, agenda.ErrNoSuchEvent) && h.onRemoteEvent(w, r, id, func(e agenda.RemoteEvent) {
		mine, err := h.remoteEvents.RemoteParticipation(r.Context(), acc, e.ID)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, renderRemoteParticipation(mine))
	}) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderParticipation(p))
}

func (h *handlers) leaveEvent(w http.ResponseWriter, r *http.Request) {
	acc, id, ok := h.eventAction(w, r)
	if !ok {
		return
	}
	err := h.events.Leave(r.Context(), acc, id)
	if errors.Is(err, agenda.ErrNoSuchEvent) && h.onRemoteEvent(w, r, id, func(e agenda.RemoteEvent) {
		// The Leave goes to the organiser; the participation is gone here.
		if err := h.remoteEvents.LeaveRemote(r.Context(), acc, e.ID); err != nil {
			fail(w, r, err)
			return
		}
		noContent(w)
	}) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}

// participantsJSON is a page of an event's participants and its counts.
type participantsJSON struct {
	Participants int                 `json:"participant_count"`
	Pending      int                 `json:"pending_count"`
	Waitlisted   int                 `json:"waitlist_count"`
	Capacity     int                 `json:"capacity"`
	Remaining    *int                `json:"remaining"`
	Items        []participationJSON `json:"items"`
	Next         *string             `json:"next"`
}

// listParticipants lists an event's participants (?state= for the board:
// pending, waitlisted, rejected), with its counts.
func (h *handlers) listParticipants(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, agenda.ErrNoSuchEvent)
	if !ok {
		return
	}
	p, err := pageParams(r, agenda.MaxPage/2, agenda.MaxPage, uuidCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	l, err := h.events.Participants(r.Context(), auth.Account(r.Context()), id, r.URL.Query().Get("state"), p.cursor, p.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := participantsJSON{Participants: l.Event.Participants, Pending: l.Event.Pending, Waitlisted: l.Event.Waitlisted,
		Capacity: l.Event.Capacity, Items: make([]participationJSON, len(l.Participants)), Next: optString(l.Next)}
	if n, limited := l.Event.Remaining(); limited {
		out.Remaining = &n
	}
	for i, pa := range l.Participants {
		out.Items[i] = renderParticipation(pa)
	}
	writeJSON(w, r, http.StatusOK, out)
}

// decideParticipation is the board's approval or rejection of the
// participation of {actor} (a local name, or name@host).
func (h *handlers) decideParticipation(decide func(Events, context.Context, membership.Account, uuid.UUID, string) (agenda.Participation, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acc, id, ok := h.eventAction(w, r)
		if !ok {
			return
		}
		p, err := decide(h.events, r.Context(), acc, id, chi.URLParam(r, "actor"))
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, r, http.StatusOK, renderParticipation(p))
	}
}
