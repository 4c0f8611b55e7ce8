package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/store"
)

// LivePolicy returns the policy with the registration mode and who may
// create associations as the instance's settings hold them now: an admin
// may change them at any time (core/instance), from any process sharing
// the database, so they are read at each use rather than kept. Until the
// settings are first saved, the configuration's values apply.
func (s *Service) LivePolicy(ctx context.Context) (Policy, error) {
	p := s.policy
	reg, creation, err := s.db.InstanceSettings().Policy(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return Policy{}, fmt.Errorf("read the instance policy: %w", err)
	default:
		p.Registrations, p.AssociationCreation = reg, creation
	}
	return p, nil
}

// MayCreate reports whether by may found an association on this instance
// now.
func (s *Service) MayCreate(ctx context.Context, by Account) (bool, error) {
	if by.Status != AccountActive {
		return false, nil
	}
	p, err := s.LivePolicy(ctx)
	if err != nil {
		return false, err
	}
	return p.AssociationCreation != CreationByAdmins || by.IsAdmin(), nil
}
