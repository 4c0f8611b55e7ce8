package projects

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// AssociationOf returns the association id, to which a project or a task
// belongs, so that a page can link to it and know the viewer's role there.
func (s *Service) AssociationOf(ctx context.Context, id uuid.UUID) (membership.Association, error) {
	a, err := associationByID(ctx, s.db.Tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Association{}, ErrNoSuchAssociation
	}
	return a, err
}
