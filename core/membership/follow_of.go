package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// FollowOf returns by's follow of the actor target, pending or accepted:
// ErrNoSuchFollow when by does not follow it.
func (s *Service) FollowOf(ctx context.Context, by Account, target uuid.UUID) (FollowListItem, error) {
	me, err := s.db.Actors().OfAccount(ctx, by.ID)
	if err != nil {
		return FollowListItem{}, fmt.Errorf("%w: %v", ErrNoActorAccount, err)
	}
	f, err := s.db.Follows().Between(ctx, me.ID, target)
	if errors.Is(err, store.ErrNotFound) {
		return FollowListItem{}, ErrNoSuchFollow
	}
	if err != nil {
		return FollowListItem{}, err
	}
	a, err := s.db.Actors().ByID(ctx, target)
	if err != nil {
		return FollowListItem{}, err
	}
	return FollowListItem{ID: f.ID, FollowedURI: a.URI, FollowedUsername: a.Username, FollowedHost: a.Host,
		State: f.State, ActivityID: f.ActivityID}, nil
}
