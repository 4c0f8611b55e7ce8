package store

import (
	"context"

	"github.com/google/uuid"
)

// OpenOfAssociation lists at most limit open proposals of association
// (those with a deadline), the nearest deadline first.
func (r Proposals) OpenOfAssociation(ctx context.Context, association uuid.UUID, limit int) ([]Proposal, error) {
	var list []Proposal
	err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).Where("deadline IS NOT NULL").
		OrderExpr("deadline ASC, id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list open proposals")
	}
	return list, nil
}

// ClosedOfAssociation lists at most limit closed proposals of association,
// newest first, older than the cursor (uuid.Nil for the first page).
func (r Proposals) ClosedOfAssociation(ctx context.Context, association, before uuid.UUID, limit int) ([]Proposal, error) {
	var list []Proposal
	q := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).Where("deadline IS NULL")
	if before != uuid.Nil {
		q = q.Where("id < ?", before)
	}
	if err := q.OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list closed proposals")
	}
	return list, nil
}
