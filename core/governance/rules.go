package governance

import (
	"context"
	"fmt"
)

// RulesOf lists the thresholds association name applies to each category,
// in the order of Categories: public, like every rule of how it decides.
func (s *Service) RulesOf(ctx context.Context, name string) ([]CategoryRules, error) {
	a, err := associationByName(ctx, s.db.Tx, name)
	if err != nil {
		return nil, fmt.Errorf("rules of %s: %w", name, err)
	}
	own, err := s.db.GovernanceRules().Of(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("rules of %s: %w", name, err)
	}
	out := make([]CategoryRules, 0, len(Categories))
	for _, c := range Categories {
		r := CategoryRules{Category: c, Rules: DefaultRules(c)}
		for _, o := range own {
			if o.Category == c {
				r.Rules, r.Own = Rules{Quorum: o.Quorum, Majority: o.Majority}, true
			}
		}
		out = append(out, r)
	}
	return out, nil
}
