package governance

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// OpenProposals lists association name's open proposals, the nearest
// deadline first, at most MaxPageSize: the head of its register of
// decisions.
func (s *Service) OpenProposals(ctx context.Context, name string) ([]Proposal, error) {
	a, err := associationByName(ctx, s.db.Tx, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Proposals().OpenOfAssociation(ctx, a.ID, MaxPageSize)
	if err != nil {
		return nil, fmt.Errorf("open proposals of %s: %w", name, err)
	}
	return proposalsFrom(rows)
}

// Decided lists association name's closed proposals (adopted, rejected,
// withdrawn), newest first, limit at a time before the cursor: the rest of
// its register of decisions.
func (s *Service) Decided(ctx context.Context, name string, before uuid.UUID, limit int) (list []Proposal, next uuid.UUID, err error) {
	a, err := associationByName(ctx, s.db.Tx, name)
	if err != nil {
		return nil, uuid.Nil, err
	}
	limit = clampLimit(limit)
	rows, err := s.db.Proposals().ClosedOfAssociation(ctx, a.ID, before, limit+1)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("decisions of %s: %w", name, err)
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	list, err = proposalsFrom(rows)
	return list, next, err
}

func proposalsFrom(rows []store.Proposal) ([]Proposal, error) {
	out := make([]Proposal, 0, len(rows))
	for _, r := range rows {
		p, err := proposalFrom(r)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
