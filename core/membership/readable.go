package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// MayRead reports whether viewer (nil: a visitor) may read the records of
// association id — its projects, tasks, events and proposals (DESIGN §1):
// anyone a public association's, only its active members a members-only
// one's (a request to join is not membership yet, a suspended account
// reads as a visitor); and whether the association is public, so that a
// member is told what is not for everyone. It reads through tx so that
// every core package that lists an association's records shares this one
// rule.
func MayRead(ctx context.Context, tx store.Tx, viewer *Account, association uuid.UUID) (may, public bool, err error) {
	row, err := tx.Associations().ByID(ctx, association)
	if err != nil {
		return false, false, fmt.Errorf("may read association %s: %w", association, err)
	}
	a, err := AssociationFromRow(row)
	if err != nil {
		return false, false, err
	}
	if a.Settings.Visibility != VisibilityMembers {
		return true, true, nil
	}
	if viewer == nil || viewer.Status != AccountActive {
		return false, false, nil
	}
	m, err := tx.Associations().Membership(ctx, association, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("may read association %s: %w", a.Name, err)
	}
	return m.Status == MemberActive, false, nil
}

// MayReadRecords is MayRead for a caller outside a transaction (the
// Mastodon adapter showing a proposal's poll): the same one rule.
func (s *Service) MayReadRecords(ctx context.Context, viewer *Account, association uuid.UUID) (bool, error) {
	may, _, err := MayRead(ctx, s.db.Tx, viewer, association)
	return may, err
}
