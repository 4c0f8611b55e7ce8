package vocab

import (
	"fmt"
	"time"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// MembershipFields is someone's membership of an association, as the items
// of the association's members collection and the object of the Update
// that changes a member's roles. Object.Context is the association.
type MembershipFields struct {
	Object
	Member           string // the member's actor IRI
	Roles            []Role
	VotingRightsFrom time.Time // zero while the board suspends the rights
}

// NewMembership builds a membership. It has no core type: Mastodon has
// nothing to show for it.
func NewMembership(f MembershipFields) (streamsvocab.HolonMembership, error) {
	m := streams.NewHolonMembership()
	if err := setObject(m, f.Object, objectRules{kind: "membership"}); err != nil {
		return nil, err
	}
	if f.Context == "" {
		return nil, fmt.Errorf("%w: a membership needs its association (context)", ErrInvalidObject)
	}
	u, err := absoluteIRI("membership", "member", f.Member)
	if err != nil {
		return nil, err
	}
	mp := streams.NewHolonMemberProperty()
	mp.Set(u)
	m.SetHolonMember(mp)
	if len(f.Roles) == 0 {
		return nil, fmt.Errorf("%w: a membership has at least the member role", ErrInvalidObject)
	}
	rs := streams.NewHolonRolesProperty()
	for _, r := range f.Roles {
		role, err := r.build("membership")
		if err != nil {
			return nil, err
		}
		rs.AppendHolonRole(role)
	}
	m.SetHolonRoles(rs)
	if !f.VotingRightsFrom.IsZero() {
		v := streams.NewHolonVotingRightsFromProperty()
		v.Set(f.VotingRightsFrom.UTC())
		m.SetHolonVotingRightsFrom(v)
	}
	return m, nil
}
