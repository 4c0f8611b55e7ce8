package pages

import (
	"context"

	"github.com/holon-network/holon/core/membership"
)

func init() {
	labelSets["membership_elsewhere"] = labelKeys("membership_elsewhere", membership.ElsewherePending,
		membership.ElsewhereActive, membership.ElsewhereRejected)
}

// elsewhere lists the person's memberships of associations on other
// instances, for the person alone (this instance does not know whether
// those associations show their members): asked for, current, or refused
// or ended by the association; not those they left.
func (s *server) elsewhere(ctx context.Context, acc membership.Account) ([]membership.MembershipElsewhere, error) {
	all, err := s.members.MembershipsElsewhere(ctx, acc)
	if err != nil {
		return nil, err
	}
	var out []membership.MembershipElsewhere
	for _, m := range all {
		if m.Status != membership.ElsewhereLeft {
			out = append(out, m)
		}
	}
	return out, nil
}
