package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Members on other instances, on the association's instance
// (docs/vocabulary.md §5.10): a remote person's Join makes them a member
// (at once, or once the board admits them), their Leave ends it. The
// association answers a Join with an Accept or a Reject, and sends a
// Reject when it later excludes the member.

// Refusals of a Join.
var (
	ErrNotAnAssociation = core.New(core.KindNotFound, "not-an-association", "only an association can be joined")
	ErrOnlyPersons      = core.New(core.KindForbidden, "only-persons-join", "only a person may join an association")
)

// Why the association says no, in the Reject's summary.
const (
	reasonRefused  = "the board refused the request to join"
	reasonExcluded = "the association ended the membership"
)

// ReceiveJoin records the Join activityID by which the remote actor
// actorURI asks to join the association whose actor is associationURI:
// an active member at once when the association joins freely (answered
// with an Accept), a pending request for its board otherwise. A Join of
// anything but a local association is ErrNotAnAssociation, and nothing is
// answered. Anyone but a person, or someone a block stands between with
// the association, is answered with a Reject saying why, and nothing is
// kept. A Join received again changes nothing: an active member is
// answered again, a pending request waits on.
func (s *Service) ReceiveJoin(ctx context.Context, actorURI, associationURI, activityID string) (Member, error) {
	var out Member
	var refusal error
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		group, err := tx.Actors().ByURI(ctx, associationURI)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!group.Local || group.AssociationID == nil || group.DeletedAt != nil)) {
			return ErrNotAnAssociation
		}
		if err != nil {
			return err
		}
		row, err := tx.Associations().ByIDForUpdate(ctx, *group.AssociationID)
		if err != nil {
			return err
		}
		a, err := associationFrom(row)
		if err != nil {
			return err
		}
		person, err := tx.Actors().ByURI(ctx, actorURI)
		if err != nil {
			return fmt.Errorf("member %s: %w", actorURI, err)
		}
		if person.Local {
			return ErrNotAllowed // local persons join here, not through an inbox
		}
		join := JoinRef{ActivityID: activityID, Member: person.URI, Association: group.URI}
		refusal = RefuseBlocked(ctx, tx, group, person.URI)
		if refusal == nil && person.Kind != ActorPerson {
			refusal = ErrOnlyPersons
		}
		if refusal != nil {
			return s.answerJoin(ctx, tx, group, person, join, false, detailOf(refusal))
		}
		m, err := tx.Associations().MembershipOfActor(ctx, a.ID, person.ID)
		switch {
		case err == nil && m.Status == MemberActive:
			out = memberFrom(m)
			return s.answerJoin(ctx, tx, group, person, join, true, "")
		case err == nil:
			// Still waiting: the board's answer names the latest Join.
			m.JoinActivity, m.UpdatedAt = activityID, s.now()
			out = memberFrom(m)
			return tx.Associations().UpdateMembership(ctx, &m.Membership)
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		now := s.now()
		add := store.Membership{ID: newID(), AssociationID: a.ID, ActorID: person.ID, Role: MemberRegular, Status: MemberPending,
			RequestedAt: now, UpdatedAt: now, JoinActivity: activityID}
		if a.Settings.JoinMode == JoinFree {
			add.Status, add.JoinedAt = MemberActive, &now
		}
		if err := tx.Associations().AddMembership(ctx, &add); err != nil {
			return err
		}
		out = memberFrom(store.MemberRow{Membership: add, Username: person.Username, Host: person.Host, ActorURI: person.URI,
			DisplayName: person.DisplayName})
		if add.Status != MemberActive {
			return nil
		}
		return s.answerJoin(ctx, tx, group, person, join, true, "")
	})
	if err == nil {
		err = refusal
	}
	if err != nil {
		return Member{}, fmt.Errorf("receive join of %s by %s: %w", associationURI, actorURI, err)
	}
	return out, nil
}

// ReceiveLeave ends the membership (or withdraws the request to join) of
// the remote actor actorURI in the association whose actor is
// associationURI: its Leave. The last board member may not leave.
func (s *Service) ReceiveLeave(ctx context.Context, actorURI, associationURI string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		group, err := tx.Actors().ByURI(ctx, associationURI)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!group.Local || group.AssociationID == nil)) {
			return ErrNotAnAssociation
		}
		if err != nil {
			return err
		}
		if _, err := tx.Associations().ByIDForUpdate(ctx, *group.AssociationID); err != nil {
			return err
		}
		m, err := membershipOfActor(ctx, tx, *group.AssociationID, actorURI)
		if err != nil {
			return err
		}
		if m.Local {
			return ErrNotAllowed
		}
		if memberFrom(m).IsBoard() {
			if err := keepOneBoardMember(ctx, tx, *group.AssociationID); err != nil {
				return err
			}
		}
		return tx.Associations().DeleteMembership(ctx, m.ID)
	})
	if err != nil {
		return fmt.Errorf("receive leave of %s by %s: %w", associationURI, actorURI, err)
	}
	return nil
}

// tellMember sends a remote member the association's answer to their Join:
// an Accept when the board (or a decision) admits them, a Reject when it
// refuses or excludes them. A local member is told nothing: they see it.
func (s *Service) tellMember(ctx context.Context, tx store.Tx, m store.MemberRow, accept bool, reason string) error {
	if m.Local {
		return nil
	}
	group, err := tx.Actors().OfAssociation(ctx, m.AssociationID)
	if err != nil {
		return err
	}
	person, err := tx.Actors().ByID(ctx, m.ActorID)
	if err != nil {
		return err
	}
	join := JoinRef{ActivityID: m.JoinActivity, Member: person.URI, Association: group.URI}
	return s.answerJoin(ctx, tx, group, person, join, accept, reason)
}

// answerJoin publishes the association's Accept or Reject of join.
func (s *Service) answerJoin(ctx context.Context, tx store.Tx, group, person store.Actor, join JoinRef, accept bool, reason string) error {
	kind := "Reject"
	if accept {
		kind, reason = "Accept", ""
	}
	return s.publish(ctx, tx, Publication{Type: kind, Actor: actorFrom(group), To: []Actor{actorFrom(person)}, Join: &join, Summary: reason})
}

// detailOf is the sentence a refusal tells its user.
func detailOf(err error) string {
	if e, ok := core.As(err); ok {
		return e.Detail
	}
	return "refused"
}
