package news

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
)

// The timelines a person keeps a reading position in.
const (
	MarkerHome          = "home"
	MarkerNotifications = "notifications"
)

// MaxMarkerID bounds a saved position: ids are UUIDs or short cursors.
const MaxMarkerID = 100

// ErrBadMarker refuses a position in an unknown timeline or an over-long
// or empty one.
var ErrBadMarker = core.New(core.KindInvalid, "bad-marker", "a marker needs a known timeline and a last read id")

// Marker is where a person stopped reading a timeline; Version counts its
// saves, so that clients can tell a stale copy.
type Marker struct {
	Timeline   string
	LastReadID string
	Version    int
	UpdatedAt  time.Time
}

// Markers returns by's markers of the given timelines that were saved;
// unknown timelines are ignored.
func (s *Service) Markers(ctx context.Context, by membership.Account, timelines []string) ([]Marker, error) {
	known := make([]string, 0, 2)
	for _, t := range timelines {
		if (t == MarkerHome || t == MarkerNotifications) && !slices.Contains(known, t) {
			known = append(known, t)
		}
	}
	rows, err := s.db.Markers().Of(ctx, by.ID, known)
	if err != nil {
		return nil, fmt.Errorf("markers of %s: %w", by.Username, err)
	}
	out := make([]Marker, len(rows))
	for i, r := range rows {
		out[i] = Marker{Timeline: r.Timeline, LastReadID: r.LastReadID, Version: r.Version, UpdatedAt: r.UpdatedAt}
	}
	return out, nil
}

// SetMarkers saves by's positions, timeline → last read id, and returns
// the markers as they now are.
func (s *Service) SetMarkers(ctx context.Context, by membership.Account, positions map[string]string) ([]Marker, error) {
	timelines := make([]string, 0, len(positions))
	for t, id := range positions {
		if (t != MarkerHome && t != MarkerNotifications) || id == "" || len(id) > MaxMarkerID {
			return nil, fmt.Errorf("marker %q: %w", t, ErrBadMarker)
		}
		timelines = append(timelines, t)
	}
	now := s.now()
	for t, id := range positions {
		if err := s.db.Markers().Save(ctx, by.ID, t, id, now); err != nil {
			return nil, fmt.Errorf("save marker of %s: %w", by.Username, err)
		}
	}
	return s.Markers(ctx, by, timelines)
}
