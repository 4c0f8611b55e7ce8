package news

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Range is a page of a timeline as Mastodon clients ask for it, by the
// entries' ids (UUIDv7, so in time order): the entries older than Max,
// newer than Since, newest first; or, when Min is set, the entries just
// newer than Min (read from Min up, Since ignored as Mastodon does),
// still shown newest first. uuid.Nil leaves a bound open. Limit is
// DefaultTimelineLimit when not positive, at most MaxTimelineLimit.
type Range struct {
	Max, Since, Min uuid.UUID
	Limit           int
}

// page is r as the store reads it.
func (r Range) page() store.TimelinePage {
	limit := r.Limit
	if limit <= 0 {
		limit = DefaultTimelineLimit
	}
	p := store.TimelinePage{Cursor: r.Max, Limit: min(limit, MaxTimelineLimit), Since: r.Since}
	if r.Min != uuid.Nil {
		p.Since, p.Ascend = r.Min, true
	}
	return p
}

// ranged makes entries of the rows of a Range read, newest first.
func (s *Service) ranged(ctx context.Context, r Range, rows []store.TimelineRow) ([]Entry, error) {
	if r.Min != uuid.Nil {
		slices.Reverse(rows)
	}
	return s.entries(ctx, rows)
}

// PublicFilter narrows PublicRange: the notes written here only (Local)
// or received only (Remote).
type PublicFilter = store.PublicFilter

// ActorFilter narrows ActorRange (store.ActorFilter: replies, boosts,
// hashtag).
type ActorFilter = store.ActorFilter

// HomeRange is the range r of viewer's home timeline (Home).
func (s *Service) HomeRange(ctx context.Context, viewer membership.Account, r Range) ([]Entry, error) {
	v, err := s.timelineViewer(ctx, &viewer)
	if err != nil {
		return nil, err
	}
	if v.Actor == uuid.Nil {
		return nil, ErrNoSuchActor
	}
	rows, err := s.db.Notes().HomeTimeline(ctx, v, r.page())
	if err != nil {
		return nil, fmt.Errorf("home of %s: %w", viewer.Username, err)
	}
	return s.ranged(ctx, r, rows)
}

// PublicRange is the range r of the public notes this instance shows
// (Network's notes, without boosts), narrowed by f.
func (s *Service) PublicRange(ctx context.Context, viewer *membership.Account, f PublicFilter, r Range) ([]Entry, error) {
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Notes().PublicTimeline(ctx, v.Actor, f, r.page())
	if err != nil {
		return nil, fmt.Errorf("public timeline: %w", err)
	}
	return s.ranged(ctx, r, rows)
}

// TaggedRange is the range r of the public notes carrying the hashtag tag
// (Tagged).
func (s *Service) TaggedRange(ctx context.Context, viewer *membership.Account, tag string, r Range) ([]Entry, error) {
	name, err := NormalizeTag(tag)
	if err != nil {
		return nil, err
	}
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Notes().TagTimeline(ctx, v.Actor, name, r.page())
	if err != nil {
		return nil, fmt.Errorf("notes tagged %s: %w", name, err)
	}
	return s.ranged(ctx, r, rows)
}

// ActorRange is the range r of what the actor did as viewer may read it
// (ActorNews), narrowed by f; ErrNoSuchActor when no such actor is known
// here, or it was deleted.
func (s *Service) ActorRange(ctx context.Context, viewer *membership.Account, actor uuid.UUID, f ActorFilter, r Range) ([]Entry, error) {
	a, err := s.db.Actors().ByID(ctx, actor)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.DeletedAt != nil) {
		return nil, ErrNoSuchActor
	}
	if err != nil {
		return nil, fmt.Errorf("actor %s: %w", actor, err)
	}
	if f.Tag != "" {
		if f.Tag, err = NormalizeTag(f.Tag); err != nil {
			return nil, err
		}
	}
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Notes().ActorStatuses(ctx, v, actor, f, r.page())
	if err != nil {
		return nil, fmt.Errorf("news of actor %s: %w", actor, err)
	}
	return s.ranged(ctx, r, rows)
}

// Favourites is the range r of the notes viewer liked and may still read,
// most recently liked first; each entry's Key is the like's id, by which
// the list pages.
func (s *Service) Favourites(ctx context.Context, viewer membership.Account, r Range) ([]Entry, error) {
	v, err := s.timelineViewer(ctx, &viewer)
	if err != nil {
		return nil, err
	}
	if v.Actor == uuid.Nil {
		return nil, ErrNoSuchActor
	}
	rows, err := s.db.Notes().LikedTimeline(ctx, v, r.page())
	if err != nil {
		return nil, fmt.Errorf("likes of %s: %w", viewer.Username, err)
	}
	return s.ranged(ctx, r, rows)
}
