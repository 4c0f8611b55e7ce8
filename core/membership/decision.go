package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// The methods below carry out what an association decided by an adopted
// proposal (core/governance), inside the transaction that closes it: the
// decision stands for the board, so they check no one's role.

// ChangeSettingsByDecision applies ch to association's settings.
func (s *Service) ChangeSettingsByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, ch SettingsChange) error {
	row, err := tx.Associations().ByIDForUpdate(ctx, association)
	if err != nil {
		return fmt.Errorf("change settings by decision: %w", err)
	}
	current, err := decodeSettings(row.Settings)
	if err != nil {
		return err
	}
	settings, err := current.Apply(ch)
	if err != nil {
		return err
	}
	row.Settings, row.UpdatedAt = settings.encode(), s.now()
	if err := tx.Associations().Update(ctx, &row); err != nil {
		return fmt.Errorf("change settings by decision: %w", err)
	}
	if settings.FollowApproval == current.FollowApproval {
		return nil
	}
	// The Group's document shows it: publish the change.
	actor, err := tx.Actors().OfAssociation(ctx, association)
	if err != nil {
		return fmt.Errorf("change settings by decision: %w", err)
	}
	return s.publishProfile(ctx, tx, actor.ID)
}

// AdmitByDecision approves the pending request of actor (a person's id,
// local or remote: told with an Accept) to join association.
func (s *Service) AdmitByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) error {
	m, err := membershipOfActor(ctx, tx, association, actor)
	if err != nil {
		return err
	}
	if m.Status != MemberPending {
		return ErrNotPending
	}
	now := s.now()
	m.Status, m.JoinedAt, m.UpdatedAt = MemberActive, &now, now
	if err := tx.Associations().UpdateMembership(ctx, &m.Membership); err != nil {
		return err
	}
	return s.tellMember(ctx, tx, m, true, "")
}

// ExcludeByDecision ends actor's membership of association; a remote
// member is told with a Reject of their Join. The last board member may
// not be excluded (ErrLastBoardMember).
func (s *Service) ExcludeByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) error {
	if _, err := tx.Associations().ByIDForUpdate(ctx, association); err != nil {
		return fmt.Errorf("exclude by decision: %w", err)
	}
	m, err := membershipOfActor(ctx, tx, association, actor)
	if err != nil {
		return err
	}
	if memberFrom(m).IsBoard() {
		if err := keepOneBoardMember(ctx, tx, association); err != nil {
			return err
		}
	}
	if err := tx.Associations().DeleteMembership(ctx, m.ID); err != nil {
		return err
	}
	return s.tellMember(ctx, tx, m, false, reasonExcluded)
}

// membershipOfActor returns the membership of actor, a person's id (local
// or remote), in association, or ErrNoSuchMember.
func membershipOfActor(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) (store.MemberRow, error) {
	a, err := tx.Actors().ByURI(ctx, actor)
	if errors.Is(err, store.ErrNotFound) {
		return store.MemberRow{}, ErrNoSuchMember
	}
	if err != nil {
		return store.MemberRow{}, err
	}
	m, err := tx.Associations().MembershipOfActor(ctx, association, a.ID)
	if errors.Is(err, store.ErrNotFound) {
		return store.MemberRow{}, ErrNoSuchMember
	}
	return m, err
}

// MemberByActor returns the membership, with any status, of actor (a
// person's id, local or remote) in association, inside tx; ErrNoSuchMember
// when there is none. Governance reads its electorate's members with it.
func MemberByActor(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) (Member, error) {
	row, err := membershipOfActor(ctx, tx, association, actor)
	if err != nil {
		return Member{}, err
	}
	return memberFrom(row), nil
}
