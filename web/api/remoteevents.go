package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// RemoteEvents is what taking part in partners' events needs
// (agenda.Service): an event elsewhere is addressed by the local id of its
// copy here, and joining it sends a Join to its organiser and answers 202
// with the pending participation.
type RemoteEvents interface {
	RemoteEvent(ctx context.Context, id uuid.UUID) (agenda.RemoteEvent, error)
	RemoteEventByURI(ctx context.Context, uri string) (agenda.RemoteEvent, error)
	JoinRemote(ctx context.Context, by membership.Account, id uuid.UUID) (agenda.RemoteParticipation, error)
	LeaveRemote(ctx context.Context, by membership.Account, id uuid.UUID) error
	RemoteParticipation(ctx context.Context, by membership.Account, id uuid.UUID) (agenda.RemoteParticipation, error)
}

// EventResolver finds a partner's event by its id, fetching it from its
// origin when it is not kept here yet (federation.Federation).
type EventResolver interface {
	ResolveEvent(ctx context.Context, uri string) (agenda.RemoteEvent, error)
}

// remoteEventJSON is an event organised elsewhere as this instance keeps
// it, with the caller's participation in it (null if none). Its counts
// are what the origin announced, and this instance's people since.
type remoteEventJSON struct {
	ID                string                   `json:"id"`
	Remote            bool                     `json:"remote"`
	URI               string                   `json:"uri"`
	URL               string                   `json:"url"`
	Association       string                   `json:"association"`
	AssociationHandle string                   `json:"association_handle"`
	Organiser         string                   `json:"organiser"`
	Name              string                   `json:"name"`
	Summary           string                   `json:"summary"`
	Description       string                   `json:"description"`
	Start             string                   `json:"start"`
	End               string                   `json:"end"`
	Timezone          string                   `json:"timezone"`
	Place             *placeJSON               `json:"place"`
	OnlineLink        *string                  `json:"online_link"`
	Capacity          int                      `json:"capacity"`
	Remaining         *int                     `json:"remaining"`
	JoinMode          string                   `json:"join_mode"`
	Status            string                   `json:"status"`
	Category          string                   `json:"category"`
	Tags              []string                 `json:"tags"`
	ParticipantCount  int                      `json:"participant_count"`
	PublishedAt       string                   `json:"published_at"`
	UpdatedAt         string                   `json:"updated_at"`
	MyParticipation   *remoteParticipationJSON `json:"my_participation"`
}

func renderRemoteEvent(e agenda.RemoteEvent) remoteEventJSON {
	loc := e.Location()
	out := remoteEventJSON{ID: e.ID.String(), Remote: true, URI: e.URI, URL: e.URL, Association: e.Association,
		AssociationHandle: e.AssociationHandle, Organiser: e.Organiser, Name: e.Name, Summary: e.Summary,
		Description: e.Description, Start: e.Start.In(loc).Format(time.RFC3339), End: e.End.In(loc).Format(time.RFC3339),
		Timezone: e.Timezone, OnlineLink: optString(e.OnlineLink), Capacity: e.Capacity, JoinMode: e.JoinMode,
		Status: e.Status, Category: e.Category, Tags: nonNil(e.Tags), ParticipantCount: e.Participants,
		PublishedAt: timestamp(e.Published), UpdatedAt: timestamp(e.Updated)}
	if n, limited := e.Remaining(); limited {
		out.Remaining = &n
	}
	if p := e.Place; p != nil {
		out.Place = &placeJSON{Name: p.Name, StreetAddress: p.StreetAddress, Locality: p.Locality, PostalCode: p.PostalCode,
			Region: p.Region, Country: p.Country, Latitude: p.Latitude, Longitude: p.Longitude}
	}
	return out
}

// remoteParticipationJSON is the caller's participation in an event
// elsewhere: pending until its organiser answers the Join, then
// participant or rejected (reason: what the organiser said); waitlisted
// when the event was full as far as this instance knew.
type remoteParticipationJSON struct {
	ID        string `json:"id"`
	Event     string `json:"event"`
	EventURI  string `json:"event_uri"`
	Actor     string `json:"actor"`
	State     string `json:"state"`
	Reason    string `json:"reason"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func renderRemoteParticipation(p agenda.RemoteParticipation) remoteParticipationJSON {
	return remoteParticipationJSON{ID: p.ID.String(), Event: p.EventID.String(), EventURI: p.Event, Actor: p.Actor,
		State: p.State, Reason: p.Reason, CreatedAt: timestamp(p.CreatedAt), UpdatedAt: timestamp(p.UpdatedAt)}
}

// onRemoteEvent runs act when id is the local id of a copy of an event
// elsewhere, and reports whether the request is answered: the "if remote"
// of the event routes, asked once id is no local event.
func (h *handlers) onRemoteEvent(w http.ResponseWriter, r *http.Request, id uuid.UUID, act func(agenda.RemoteEvent)) bool {
	if h.remoteEvents == nil {
		return false
	}
	e, err := h.remoteEvents.RemoteEvent(r.Context(), id)
	switch {
	case errors.Is(err, agenda.ErrNoSuchRemoteEvent):
		return false
	case err != nil:
		fail(w, r, err)
		return true
	}
	act(e)
	return true
}

// writeRemoteEvent answers with the copy e and the caller's participation.
func (h *handlers) writeRemoteEvent(w http.ResponseWriter, r *http.Request, e agenda.RemoteEvent) {
	out := renderRemoteEvent(e)
	if acc := auth.Account(r.Context()); acc != nil {
		p, err := h.remoteEvents.RemoteParticipation(r.Context(), *acc, e.ID)
		switch {
		case err == nil:
			j := renderRemoteParticipation(p)
			out.MyParticipation = &j
		case !errors.Is(err, agenda.ErrNoRemoteParticipation) && !errors.Is(err, agenda.ErrNoActor):
			fail(w, r, err)
			return
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

// joinRemoteEvent asks the event's organiser to let the caller take part:
// the Join goes out, and the participation is pending (202) until it
// answers. Asking again answers the participation as it is.
func (h *handlers) joinRemoteEvent(w http.ResponseWriter, r *http.Request, acc membership.Account, e agenda.RemoteEvent) {
	p, err := h.remoteEvents.JoinRemote(r.Context(), acc, e.ID)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusAccepted, renderRemoteParticipation(p))
}

// resolveEvent answers GET /resolve for the id of a partner's event: kept
// here, or (for an address of an event, /events/…) fetched and kept. It
// reports false when q is no such event, to be looked up otherwise.
func (h *handlers) resolveEvent(w http.ResponseWriter, r *http.Request, q string) bool {
	u, err := url.Parse(q)
	if h.remoteEvents == nil || err != nil || (u.Scheme != "https" && u.Scheme != "http") || strings.HasPrefix(q, h.cfg.BaseURL()+"/") {
		return false
	}
	var e agenda.RemoteEvent
	if h.eventResolver != nil && strings.HasPrefix(u.Path, "/events/") {
		e, err = h.eventResolver.ResolveEvent(r.Context(), q)
	} else {
		e, err = h.remoteEvents.RemoteEventByURI(r.Context(), q)
	}
	if errors.Is(err, agenda.ErrNoSuchRemoteEvent) {
		return false
	}
	if err != nil {
		fail(w, r, err)
		return true
	}
	h.writeRemoteEvent(w, r, e)
	return true
}
