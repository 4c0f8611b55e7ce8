package agenda

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// Refusals of an event published elsewhere. The inbox does not retry
// them: the same document would be refused again.
var (
	ErrNotPartnerEvent = core.New(core.KindForbidden, "not-partner-event",
		"nobody here follows this association nor takes part in this event: it is not kept here")
	ErrNotEventOwner = core.New(core.KindForbidden, "not-event-owner",
		"an event is published only by its association or its organiser, from the event's own host")
	ErrRemoteEventInvalid  = core.New(core.KindInvalid, "remote-event-invalid", "the event does not fit the vocabulary's bounds")
	ErrTooManyRemoteEvents = core.New(core.KindTooLarge, "too-many-partner-events",
		"this association already has as many events kept here as an instance keeps of one partner")
	ErrNoSuchRemoteEvent = core.New(core.KindNotFound, "remote-event-not-found", "no such partner event")
)

// Bounds on what is kept of events published elsewhere.
const (
	// MaxRemoteEvents bounds the copies kept of one association's events.
	MaxRemoteEvents = 5_000
	// MaxRemoteDescription bounds a copy's sanitised HTML description, in
	// bytes.
	MaxRemoteDescription = 40 << 10
)

// RemoteEvent is an event organised elsewhere as this instance keeps it: a
// partner association's, or one a local person takes part in.
// Association is the organising association's actor id on the wire (the
// event's attributedTo), Organiser the actor who organises it (Mobilizon's
// actor of the event, a person of the group; the association itself
// otherwise). Description is HTML the caller has sanitised.
type RemoteEvent struct {
	ID uuid.UUID
	// URI is its id on the wire, URL the page to read it at.
	URI         string
	URL         string
	Association string
	// AssociationHandle is name@host of the association, once kept.
	AssociationHandle string
	AssociationName   string // its display name, "" if none
	Organiser         string
	Name              string
	Summary           string
	Description       string
	// Start and End are instants (UTC); Timezone is the IANA zone the
	// origin gave, "" when it gave none (the times show in UTC).
	Start        time.Time
	End          time.Time
	Timezone     string
	Place        *Place
	OnlineLink   string
	Capacity     int // 0: none announced
	Participants int // as the origin counts them
	JoinMode     string
	Status       string
	Category     string
	Tags         []string
	Published    time.Time
	Updated      time.Time // the origin's; Published when it says none
}

// Location is the copy's time zone, UTC when the origin named none.
func (e RemoteEvent) Location() *time.Location {
	if loc, err := loadZone(e.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// Remaining is how many places are left, and false when the origin
// announces no capacity.
func (e RemoteEvent) Remaining() (int, bool) {
	if e.Capacity == 0 {
		return 0, false
	}
	return max(e.Capacity-e.Participants, 0), true
}

// Open reports whether one may still ask to take part at now.
func (e RemoteEvent) Open(now time.Time) error {
	if e.Status == StatusCancelled {
		return ErrRemoteEventCancelled
	}
	if !now.Before(e.End) {
		return ErrRemoteEventOver
	}
	return nil
}

// CacheEvent keeps (or updates) the copy of an event published elsewhere,
// received from the actor from (the activity's signer, or the event's
// origin when it was fetched from its id). The event must be its
// association's (on the host of its id), sent by the association or its
// organiser (the one the copy names, once kept); it is kept when someone
// here follows the association, and an Update of a copy is also taken
// when a local person takes part in it. An update older than the copy
// changes nothing; a cancellation keeps the copy, cancelled.
func (s *Service) CacheEvent(ctx context.Context, from string, e RemoteEvent) (RemoteEvent, error) {
	return s.cacheEvent(ctx, from, e, false)
}

// CacheAskedEvent is CacheEvent for an event a local person asked for by
// its address (to join it from here, as from any instance): it is kept
// whether or not anyone here follows its association, whose actor must be
// known. Its later Updates are taken while someone here takes part.
func (s *Service) CacheAskedEvent(ctx context.Context, from string, e RemoteEvent) (RemoteEvent, error) {
	return s.cacheEvent(ctx, from, e, true)
}

func (s *Service) cacheEvent(ctx context.Context, from string, e RemoteEvent, asked bool) (RemoteEvent, error) {
	if err := checkRemoteEvent(&e); err != nil {
		return RemoteEvent{}, fmt.Errorf("keep event %s: %w", e.URI, err)
	}
	if !core.SameHost(e.Association, e.URI) || !core.SameHost(from, e.URI) || (from != e.Association && from != e.Organiser) {
		return RemoteEvent{}, fmt.Errorf("keep event %s from %s: %w", e.URI, from, ErrNotEventOwner)
	}
	var out RemoteEvent
	keep := func(tx store.Tx) error {
		owner, err := tx.Actors().ByURI(ctx, e.Association)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (owner.Local || owner.DeletedAt != nil)) {
			return ErrNotPartnerEvent
		}
		if err != nil {
			return err
		}
		followed, err := tx.Follows().FollowedHere(ctx, owner.ID)
		if err != nil {
			return err
		}
		now := s.now()
		row := remoteEventRow(e)
		row.AssociationActorID, row.ReceivedAt = owner.ID, now
		old, err := tx.RemoteEvents().ByURIForUpdate(ctx, e.URI)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if !followed && !asked {
				return ErrNotPartnerEvent
			}
			n, err := tx.RemoteEvents().CountOf(ctx, owner.ID)
			if err != nil {
				return err
			}
			if n >= MaxRemoteEvents {
				return ErrTooManyRemoteEvents
			}
			row.ID = idAt(e.Published, now)
			if err := tx.RemoteEvents().Create(ctx, &row); err != nil {
				return err
			}
		case err != nil:
			return err
		case old.AssociationActorID != owner.ID:
			return ErrNotEventOwner
		case from != e.Association && from != old.Organiser:
			// Only the association names another organiser: a person of
			// its host cannot make themselves one by saying so.
			return ErrNotEventOwner
		default:
			if !followed && !asked {
				taking, err := tx.RemoteEvents().HasParticipations(ctx, old.ID)
				if err != nil {
					return err
				}
				if !taking {
					return ErrNotPartnerEvent
				}
			}
			if !e.Updated.After(old.UpdatedAt) {
				tags, err := tx.RemoteEvents().Tags(ctx, old.ID)
				if err != nil {
					return err
				}
				out = remoteEventFrom(old, owner, tags[old.ID])
				return nil
			}
			row.ID = old.ID
			if err := tx.RemoteEvents().Update(ctx, &row); err != nil {
				return err
			}
		}
		if err := tx.RemoteEvents().SetTags(ctx, row.ID, e.Tags); err != nil {
			return err
		}
		out = remoteEventFrom(row, owner, e.Tags)
		return nil
	}
	err := s.db.InTx(ctx, keep)
	if errors.Is(err, store.ErrDuplicate) {
		// A Create and an Update of one event arrived together: both
		// found no copy and one lost the insert. Again, it finds the
		// other's copy and updates it.
		err = s.db.InTx(ctx, keep)
	}
	if err != nil {
		return RemoteEvent{}, fmt.Errorf("keep event %s: %w", e.URI, err)
	}
	return out, nil
}

// ForgetEvent deletes the copy of the event uri, with the participations
// in it, when from (the Delete's signer) is its association or its
// organiser. It reports whether uri was a kept event.
func (s *Service) ForgetEvent(ctx context.Context, from, uri string) (bool, error) {
	kept := false
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		old, err := tx.RemoteEvents().ByURIForUpdate(ctx, uri)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		kept = true
		owner, err := tx.Actors().ByID(ctx, old.AssociationActorID)
		if err != nil {
			return err
		}
		if !core.SameHost(from, uri) || (from != owner.URI && from != old.Organiser) {
			return ErrNotEventOwner
		}
		return tx.RemoteEvents().Delete(ctx, uri)
	})
	if err != nil {
		return kept, fmt.Errorf("forget event %s: %w", uri, err)
	}
	return kept, nil
}

// RemoteEvent returns the copy of an event elsewhere by its local id.
func (s *Service) RemoteEvent(ctx context.Context, id uuid.UUID) (RemoteEvent, error) {
	row, err := s.db.RemoteEvents().ByID(ctx, id)
	return s.remoteEvent(ctx, row, err)
}

// RemoteEventByURI returns the copy of an event elsewhere by its id on the
// wire.
func (s *Service) RemoteEventByURI(ctx context.Context, uri string) (RemoteEvent, error) {
	row, err := s.db.RemoteEvents().ByURI(ctx, uri)
	return s.remoteEvent(ctx, row, err)
}

func (s *Service) remoteEvent(ctx context.Context, row store.RemoteEvent, err error) (RemoteEvent, error) {
	if errors.Is(err, store.ErrNotFound) {
		return RemoteEvent{}, ErrNoSuchRemoteEvent
	}
	if err != nil {
		return RemoteEvent{}, err
	}
	a, err := s.db.Actors().ByID(ctx, row.AssociationActorID)
	if err != nil {
		return RemoteEvent{}, fmt.Errorf("association of event %s: %w", row.URI, err)
	}
	tags, err := s.db.RemoteEvents().Tags(ctx, row.ID)
	if err != nil {
		return RemoteEvent{}, err
	}
	return remoteEventFrom(row, a, tags[row.ID]), nil
}

func remoteEventRow(e RemoteEvent) store.RemoteEvent {
	r := store.RemoteEvent{URI: e.URI, Organiser: e.Organiser, Name: e.Name, Summary: e.Summary, Description: e.Description,
		URL: e.URL, StartsAt: e.Start, EndsAt: e.End, Timezone: e.Timezone, OnlineLink: e.OnlineLink,
		ParticipantCount: e.Participants, JoinMode: e.JoinMode, Status: e.Status, Category: e.Category,
		PublishedAt: e.Published, UpdatedAt: e.Updated}
	if e.Capacity > 0 {
		c := e.Capacity
		r.Capacity = &c
	}
	if p := e.Place; p != nil {
		r.PlaceName, r.StreetAddress, r.Locality, r.PostalCode, r.Region, r.Country =
			p.Name, p.StreetAddress, p.Locality, p.PostalCode, p.Region, p.Country
		r.Latitude, r.Longitude = p.Latitude, p.Longitude
	}
	return r
}

func remoteEventFrom(r store.RemoteEvent, association store.Actor, tags []string) RemoteEvent {
	if tags == nil {
		tags = []string{}
	}
	e := RemoteEvent{ID: r.ID, URI: r.URI, URL: r.URL, Association: association.URI, AssociationName: association.DisplayName,
		Organiser: r.Organiser, Name: r.Name, Summary: r.Summary, Description: r.Description, Start: r.StartsAt.UTC(),
		End: r.EndsAt.UTC(), Timezone: r.Timezone, OnlineLink: r.OnlineLink, Participants: r.ParticipantCount,
		JoinMode: r.JoinMode, Status: r.Status, Category: r.Category, Tags: tags, Published: r.PublishedAt,
		Updated: r.UpdatedAt}
	if association.Username != "" {
		e.AssociationHandle = association.Username + "@" + association.Host
	}
	if r.Capacity != nil {
		e.Capacity = *r.Capacity
	}
	p := Place{Name: r.PlaceName, StreetAddress: r.StreetAddress, Locality: r.Locality, PostalCode: r.PostalCode,
		Region: r.Region, Country: r.Country, Latitude: r.Latitude, Longitude: r.Longitude}
	if !p.empty() {
		e.Place = &p
	}
	return e
}

// checkRemoteEvent checks an event published elsewhere against the bounds
// of a local one and normalises it (times in UTC, tags as local tags are).
// What only describes it loosely is made to fit rather than refused: a
// summary is cut, an unknown category or time zone is dropped, tags that
// are not tags here are left out and only the first MaxTags kept.
func checkRemoteEvent(e *RemoteEvent) error {
	var fe core.FieldErrors
	if !core.IsHTTPURL(e.URI) {
		fe.Add("id", "not-a-url", "must be an http or https id")
	}
	if !core.IsHTTPURL(e.Association) {
		fe.Add("attributedTo", "not-a-url", "must be the association's actor id")
	}
	if e.Organiser == "" {
		e.Organiser = e.Association
	} else if !core.IsHTTPURL(e.Organiser) {
		fe.Add("actor", "not-a-url", "must be the organiser's actor id")
	}
	if e.URL == "" || !core.IsHTTPURL(e.URL) {
		e.URL = e.URI
	}
	e.Name = fe.Text("name", e.Name, MaxName, true)
	e.Summary = cut(strings.TrimSpace(e.Summary), MaxSummary)
	if len(e.Description) > MaxRemoteDescription || !utf8.ValidString(e.Description) {
		fe.Add("content", "too-long", "at most 40 KiB of valid UTF-8")
	}
	if _, err := loadZone(e.Timezone); err != nil {
		e.Timezone = ""
	}
	switch {
	case e.Start.IsZero():
		fe.Add("startTime", "required", "the event must say when it starts")
	case e.End.IsZero():
		e.End = e.Start
	case e.End.Before(e.Start):
		fe.Add("endTime", "end-before-start", "the end must not come before the start")
	case e.End.Sub(e.Start) > MaxDuration:
		fe.Add("endTime", "too-long-event", "an event lasts at most 366 days")
	}
	e.Start, e.End = e.Start.UTC().Truncate(time.Second), e.End.UTC().Truncate(time.Second)
	if p := e.Place; p != nil {
		e.Place = PlaceInput{Name: p.Name, StreetAddress: p.StreetAddress, Locality: p.Locality, PostalCode: p.PostalCode,
			Region: p.Region, Country: p.Country, Latitude: p.Latitude, Longitude: p.Longitude}.check(&fe)
	}
	e.OnlineLink = checkLink(&fe, e.OnlineLink)
	if e.Capacity < 0 || e.Capacity > MaxCapacity {
		fe.Add("maximumAttendeeCapacity", "out-of-range", "must be between 0 (no limit) and 1000000")
	}
	e.Participants = min(max(e.Participants, 0), MaxCapacity)
	switch e.JoinMode {
	case "", "free", "external":
		e.JoinMode = JoinFree
	case "restricted", "invite", JoinApproval:
		e.JoinMode = JoinApproval
	default:
		fe.Add("joinMode", "invalid-choice", "must be free, restricted or invite")
	}
	switch st := strings.ToLower(strings.TrimSpace(e.Status)); st {
	case "":
		e.Status = StatusConfirmed
	case StatusConfirmed, StatusTentative, StatusCancelled:
		e.Status = st
	default:
		fe.Add("status", "invalid-choice", "must be CONFIRMED, TENTATIVE or CANCELLED")
	}
	if c := strings.ToUpper(strings.TrimSpace(e.Category)); IsCategory(c) {
		e.Category = c
	} else {
		e.Category = ""
	}
	e.Tags = remoteTags(e.Tags)
	if e.Published.IsZero() {
		fe.Add("published", "required", "the event must say when it was published")
	}
	e.Published = e.Published.UTC().Truncate(time.Microsecond)
	if e.Updated.IsZero() || e.Updated.Before(e.Published) {
		e.Updated = e.Published
	}
	e.Updated = e.Updated.UTC().Truncate(time.Microsecond)
	if len(fe) > 0 {
		// One error, with every field it breaks: errors.Is finds
		// ErrRemoteEventInvalid, and the fields say why.
		e := *ErrRemoteEventInvalid
		e.Fields = fe
		e.Detail += ": " + core.Invalid(fe...).Detail
		return &e
	}
	return nil
}

// remoteTags keeps the first MaxTags of in that are tags here, normalised
// and sorted.
func remoteTags(in []string) []string {
	out := []string{}
	for _, t := range in {
		if len(out) == MaxTags {
			break
		}
		n, err := news.NormalizeTag(t)
		if err != nil || slices.Contains(out, n) {
			continue
		}
		letter, ok := false, true
		for _, r := range n {
			letter = letter || unicode.IsLetter(r)
			ok = ok && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
		}
		if ok && letter {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// cut shortens s to max characters, with an ellipsis.
func cut(s string, max int) string {
	if !utf8.ValidString(s) {
		return ""
	}
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// idAt returns a UUIDv7 whose time is published, or now when published is
// later, so that copies sort among local events by when they were
// published and a peer cannot put its events ahead of everyone's.
func idAt(published, now time.Time) uuid.UUID {
	at := published
	if at.After(now) {
		at = now
	}
	var id uuid.UUID
	_, _ = rand.Read(id[:])
	ms := uint64(max(at.UnixMilli(), 0))
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(id[0:6], ts[2:8])
	id[6] = 0x70 | (id[6] & 0x0f) // version 7
	id[8] = 0x80 | (id[8] & 0x3f) // RFC 4122 variant
	return id
}
