package agenda

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// Bounds of the network agenda's filters: a place is matched with a
// locality or a place's name, a tag as events carry it.
const (
	MaxPlaceFilter = MaxPlaceName
	MaxTagFilter   = news.MaxTagLength
	// MaxRange bounds the span from From to To.
	MaxRange = 10 * 366 * 24 * time.Hour
)

// NetworkQuery selects events of the network agenda (issue 7): this
// instance's public associations' and the partners' (their copies kept
// here). Empty fields do not filter.
type NetworkQuery struct {
	// From keeps the events not over at it (now when ""); To those
	// starting before it (no bound when ""). Each is an RFC 3339 time or a
	// date ("2026-12-05"): From's date is its first instant, To's its
	// last (the day is included), in Location.
	From, To string
	// Location reads dates without an offset; nil is UTC.
	Location *time.Location
	// Tag keeps the events carrying it ("#garden" or "garden").
	Tag string
	// Place keeps the events whose locality or place's name is it, in any
	// case.
	Place string
	// Cancelled keeps cancelled events, left out otherwise.
	Cancelled bool
	// PartnersOnly leaves this instance's events out.
	PartnersOnly bool
	Cursor       string
	Limit        int
}

// AgendaItem is an event of the network agenda: a local association's
// (Remote false) or the copy of a partner's (Remote true). ID is the local
// id of either, whose page is /events/{ID}. A copy's Association is its
// association's name, AssociationHost its server, AssociationID its
// actor; its Sequence is 0 (UpdatedAt says what changed) and its Capacity
// 0 when the origin announces none.
type AgendaItem struct {
	Event
	Remote          bool
	AssociationHost string // "" for a local association
	// URL is the event's page: a copy's at its origin, a local event's
	// URI.
	URL string
}

// Handle is the association as people write it: its name, or
// name@host for a partner.
func (i AgendaItem) Handle() string {
	if i.AssociationHost == "" {
		return i.Association
	}
	return i.Association + "@" + i.AssociationHost
}

// NetworkAgenda lists the events q selects, by start, and the cursor of
// the next page ("" at the end): the events of this instance's public
// associations (and of the members-only ones viewer is an active member
// of), and the copies of the partners' events, but for those of actors
// moderated away or on blocked domains. Cancelled events are left out
// unless q asks for them. Bad input is a core.FieldErrors naming each
// field.
func (s *Service) NetworkAgenda(ctx context.Context, viewer *membership.Account, q NetworkQuery) ([]AgendaItem, string, error) {
	f, err := s.networkFilter(q)
	if err != nil {
		return nil, "", err
	}
	if viewer != nil && viewer.Status == membership.AccountActive {
		f.Member = viewer.ID
	}
	limit := min(max(q.Limit, 1), MaxPage)
	f.Limit = limit + 1
	rows, err := s.db.Events().NetworkAgenda(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("network agenda: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = agendaCursor(store.Event{ID: last.ID, StartsAt: last.StartsAt})
	}
	items, err := s.agendaItems(ctx, rows)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// networkFilter checks q and turns it into the store's filter, collecting
// every field error at once.
func (s *Service) networkFilter(q NetworkQuery) (store.NetworkAgendaFilter, error) {
	var fe core.FieldErrors
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	f := store.NetworkAgendaFilter{PartnersOnly: q.PartnersOnly, Cancelled: q.Cancelled}
	from, fromOK := agendaTime(&fe, "from", q.From, loc, false)
	to, toOK := agendaTime(&fe, "to", q.To, loc, true)
	if from.IsZero() {
		from = s.now()
	}
	if fromOK && toOK && !to.IsZero() {
		switch {
		case !to.After(from):
			fe.Add("to", "end-before-start", "must come after from")
		case to.Sub(from) > MaxRange:
			fe.Add("to", "range-too-long", "must be at most ten years after from")
		}
	}
	f.From, f.To = from, to
	// No event lasts longer than MaxDuration: one not over at From
	// started after this. (A partner's copy lasting longer is left out once
	// it has been under way that long.)
	f.StartsAfter = from.Add(-MaxDuration)
	if t := strings.TrimSpace(q.Tag); t != "" {
		if utf8.RuneCountInString(t) > MaxTagFilter+1 {
			fe.Add("tag", "too-long", fmt.Sprintf("must be at most %d characters", MaxTagFilter))
		} else if n, err := news.NormalizeTag(t); err != nil {
			fe.Add("tag", "invalid-tag", "must be a tag such as garden")
		} else {
			f.Tag = n
		}
	}
	if p := strings.TrimSpace(q.Place); p != "" {
		switch {
		case !utf8.ValidString(p):
			fe.Add("place", "bad-encoding", "must be valid UTF-8 text")
		case utf8.RuneCountInString(p) > MaxPlaceFilter:
			fe.Add("place", "too-long", fmt.Sprintf("must be at most %d characters", MaxPlaceFilter))
		default:
			f.Place = strings.ToLower(p)
		}
	}
	after, err := parseAgendaCursor(q.Cursor)
	if err != nil {
		fe.Add("cursor", "bad-cursor", "is not one this list handed out")
	}
	f.After = after
	if err := fe.Err(); err != nil {
		return store.NetworkAgendaFilter{}, err
	}
	return f, nil
}

// agendaTime reads the bound field: an RFC 3339 time, or a date in loc
// (its first instant, or with end its last: the next day's first).
func agendaTime(fe *core.FieldErrors, field, s string, loc *time.Location, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	if len(s) <= 40 {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), true
		}
		if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil && d.Year() >= 1970 {
			if end {
				d = d.AddDate(0, 0, 1)
			}
			return d.UTC(), true
		}
	}
	fe.Add(field, "invalid-time", "must be a date such as 2026-12-05 or a time such as 2026-12-05T14:00:00+01:00")
	return time.Time{}, false
}

// agendaItems reads rows' tags into items.
func (s *Service) agendaItems(ctx context.Context, rows []store.NetworkEventRow) ([]AgendaItem, error) {
	var local, remote []uuid.UUID
	for _, r := range rows {
		if r.Remote {
			remote = append(remote, r.ID)
		} else {
			local = append(local, r.ID)
		}
	}
	localTags, err := s.db.Events().Tags(ctx, local...)
	if err != nil {
		return nil, fmt.Errorf("tags of the network agenda: %w", err)
	}
	remoteTags, err := s.db.RemoteEvents().Tags(ctx, remote...)
	if err != nil {
		return nil, fmt.Errorf("tags of the partners' events: %w", err)
	}
	out := make([]AgendaItem, len(rows))
	for i, r := range rows {
		tags := localTags[r.ID]
		if r.Remote {
			tags = remoteTags[r.ID]
		}
		out[i] = itemFrom(r, tags)
	}
	return out, nil
}

func itemFrom(r store.NetworkEventRow, tags []string) AgendaItem {
	if tags == nil {
		tags = []string{}
	}
	e := Event{ID: r.ID, AssociationID: r.AssociationID, Association: r.AssociationName, URI: r.URI, Organiser: r.Organiser,
		Name: r.Name, Summary: r.Summary, Description: r.Description, Start: r.StartsAt.UTC(), End: r.EndsAt.UTC(),
		Timezone: r.Timezone, OnlineLink: r.OnlineLink, Capacity: r.Capacity, JoinMode: r.JoinMode, Status: r.Status,
		Category: r.Category, Tags: tags, Sequence: r.Sequence, Participants: r.ParticipantCount,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if e.Timezone == "" {
		e.Timezone = "UTC"
	}
	p := Place{Name: r.PlaceName, StreetAddress: r.StreetAddress, Locality: r.Locality, PostalCode: r.PostalCode,
		Region: r.Region, Country: r.Country, Latitude: r.Latitude, Longitude: r.Longitude}
	if !p.empty() {
		e.Place = &p
	}
	url := r.URL
	if url == "" {
		url = r.URI
	}
	return AgendaItem{Event: e, Remote: r.Remote, AssociationHost: r.AssociationHost, URL: url}
}
