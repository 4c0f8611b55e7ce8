package agenda

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Bounds of a calendar feed: the events from FeedSince ago on (a calendar
// keeps the recent past), at most MaxFeed of them.
const (
	FeedSince = 30 * 24 * time.Hour
	MaxFeed   = 1000
)

// ErrMembersOnly refuses a members-only association's agenda to someone
// who is not its member.
var ErrMembersOnly = core.New(core.KindForbidden, "members-only", "this association shows its agenda to its members only")

// Feed is what a calendar feed holds: a name and events, by start.
// Cancelled events stay, so that calendars remove them.
type Feed struct {
	Name        string
	Association string // the association's name; "" for the network's
	Events      []Event
}

// AssociationFeed is association name's calendar: its events from
// FeedSince ago on, cancelled ones included. A members-only association
// shows it to its active members only.
func (s *Service) AssociationFeed(ctx context.Context, viewer *membership.Account, name string) (Feed, error) {
	row, err := associationByName(ctx, s.db.Tx, name)
	if err != nil {
		return Feed{}, err
	}
	a, err := s.readable(ctx, row, viewer)
	if err != nil {
		return Feed{}, err
	}
	rows, err := s.db.Events().OfAssociation(ctx, a.ID, store.EventRange{From: s.now().Add(-FeedSince), Limit: MaxFeed})
	if err != nil {
		return Feed{}, fmt.Errorf("feed of %s: %w", a.Name, err)
	}
	names := map[uuid.UUID]string{a.ID: a.Name}
	events, err := s.withTags(ctx, rows, names)
	if err != nil {
		return Feed{}, err
	}
	title := a.DisplayName
	if title == "" {
		title = a.Name
	}
	return Feed{Name: title, Association: a.Name, Events: events}, nil
}

// NetworkFeed is the network's calendar: the events of this instance's
// public associations and the copies of the partners' (as NetworkAgenda
// lists them to an anonymous reader), from FeedSince ago on, cancelled
// ones included, by start, at most MaxFeed. A copy's URI is its id at its
// origin, its Association name@host, its Sequence 0.
func (s *Service) NetworkFeed(ctx context.Context) (Feed, error) {
	from := s.now().Add(-FeedSince)
	rows, err := s.db.Events().NetworkAgenda(ctx, store.NetworkAgendaFilter{From: from, StartsAfter: from.Add(-MaxDuration),
		Cancelled: true, Limit: MaxFeed})
	if err != nil {
		return Feed{}, fmt.Errorf("network feed: %w", err)
	}
	items, err := s.agendaItems(ctx, rows)
	if err != nil {
		return Feed{}, err
	}
	events := make([]Event, len(items))
	for i, it := range items {
		events[i] = it.Event
		if it.Remote {
			events[i].Association = it.Handle()
		}
	}
	return Feed{Events: events}, nil
}

// withTags reads rows' tags into events; names holds their associations'
// names.
func (s *Service) withTags(ctx context.Context, rows []store.Event, names map[uuid.UUID]string) ([]Event, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	tags, err := s.db.Events().Tags(ctx, ids...)
	if err != nil {
		return nil, fmt.Errorf("tags of the feed's events: %w", err)
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = eventFrom(r, names[r.AssociationID], tags[r.ID])
	}
	return out, nil
}

// isActiveMember reports whether viewer is an active member of
// association.
func isActiveMember(ctx context.Context, tx store.Tx, association uuid.UUID, viewer *membership.Account) (bool, error) {
	if viewer == nil || viewer.Status != membership.AccountActive {
		return false, nil
	}
	m, err := tx.Associations().Membership(ctx, association, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return m.Status == membership.MemberActive, nil
}

// readable returns the association of row when viewer may read its
// agenda: anyone a public association's, its active members only a
// members-only one's (ErrMembersOnly).
func (s *Service) readable(ctx context.Context, row store.Association, viewer *membership.Account) (membership.Association, error) {
	a, err := membership.AssociationFromRow(row)
	if err != nil {
		return membership.Association{}, fmt.Errorf("agenda of %s: %w", row.Name, err)
	}
	if a.Settings.Visibility == membership.VisibilityPublic {
		return a, nil
	}
	member, err := isActiveMember(ctx, s.db.Tx, a.ID, viewer)
	if err != nil {
		return membership.Association{}, err
	}
	if !member {
		return membership.Association{}, ErrMembersOnly
	}
	return a, nil
}
