package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// GovernanceRule is an association's thresholds for one category.
type GovernanceRule struct {
	bun.BaseModel `bun:"table:governance_rules"`

	AssociationID uuid.UUID `bun:"association_id,pk,type:uuid"`
	Category      string    `bun:"category,pk"`
	Quorum        float64   `bun:"quorum"`
	Majority      float64   `bun:"majority"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// GovernanceRules reads and writes associations' thresholds.
type GovernanceRules struct{ tx Tx }

// GovernanceRules returns the rule repository.
func (t Tx) GovernanceRules() GovernanceRules { return GovernanceRules{t} }

// Of lists association's own thresholds, by category.
func (r GovernanceRules) Of(ctx context.Context, association uuid.UUID) ([]GovernanceRule, error) {
	var list []GovernanceRule
	err := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association).OrderExpr("category").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "governance rules")
	}
	return list, nil
}

// Set writes association's thresholds for one category.
func (r GovernanceRules) Set(ctx context.Context, rule *GovernanceRule) error {
	_, err := r.tx.idb.NewInsert().Model(rule).On("CONFLICT (association_id, category) DO UPDATE").
		Set("quorum = EXCLUDED.quorum").Set("majority = EXCLUDED.majority").Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	return wrapWrite(err, "set governance rule")
}
