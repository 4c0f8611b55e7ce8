package store

import (
	"context"

	"github.com/google/uuid"
)

// CountOf counts the copies kept of the events of the association whose
// actor is association: a partner's share of this instance is bounded.
func (r RemoteEvents) CountOf(ctx context.Context, association uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*RemoteEvent)(nil)).Where("association_actor_id = ?", association).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count remote events")
	}
	return int(n), nil
}

// HasParticipations reports whether a local person takes part in, or
// asked to take part in, the copy event: its origin's Updates are kept for
// them even when nobody here follows its association.
func (r RemoteEvents) HasParticipations(ctx context.Context, event uuid.UUID) (bool, error) {
	ok, err := r.tx.idb.NewSelect().Model((*RemoteEventParticipation)(nil)).Where("event_id = ?", event).Exists(ctx)
	if err != nil {
		return false, notFound(err, "participations in a remote event")
	}
	return ok, nil
}
