package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Memberships elsewhere, on the member's instance (docs/vocabulary.md
// §5.10): a local person joins an association of another instance by
// sending it a Join, and keeps here what the association answered.

// States of a membership elsewhere.
const (
	ElsewherePending  = "pending"  // the Join is sent, not yet answered
	ElsewhereActive   = "active"   // the association accepted it
	ElsewhereRejected = "rejected" // refused, or later ended, by the association
	ElsewhereLeft     = "left"     // the person left (or deleted their account)
)

// ErrNoSuchMembershipElsewhere is returned for an answer to a Join this
// instance did not send, or a Leave of an association one is no member of.
var ErrNoSuchMembershipElsewhere = core.New(core.KindNotFound, "membership-elsewhere-not-found",
	"you are not a member of this association, nor waiting to be")

// MaxReason bounds the reason kept from an association's Reject.
const MaxReason = 500

// MembershipElsewhere is a local person's membership of an association on
// another instance, as far as this instance knows it.
type MembershipElsewhere struct {
	ID          uuid.UUID
	Actor       string // the person's actor id
	Association string // the association's actor id
	// Handle (name@host) and DisplayName of the association, as its
	// document gives them.
	Handle       string
	DisplayName  string
	JoinActivity string
	Status       string
	Reason       string // why the association refused or ended it
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func elsewhereFrom(r store.RemoteMembershipRow) MembershipElsewhere {
	m := MembershipElsewhere{ID: r.ID, Actor: r.Actor, Association: r.Association, DisplayName: r.DisplayName,
		JoinActivity: r.JoinActivity, Status: r.Status, Reason: r.Reason, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Username != "" {
		m.Handle = r.Username + "@" + r.Host
	}
	if m.DisplayName == "" {
		m.DisplayName = r.Username
	}
	return m
}

// JoinElsewhere asks the association of another instance whose actor is
// association (resolved and stored here first) to make by a member: a Join
// is sent, and the membership waits for the association's answer.
func (s *Service) JoinElsewhere(ctx context.Context, by Account, association Actor) (MembershipElsewhere, error) {
	if by.Status != AccountActive {
		return MembershipElsewhere{}, ErrNotAllowed
	}
	if association.Local || association.Kind != ActorGroup {
		return MembershipElsewhere{}, ErrNotAnAssociation
	}
	var out MembershipElsewhere
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		group, err := tx.Actors().ByURI(ctx, association.URI)
		if err != nil {
			return err
		}
		if group.DeletedAt != nil {
			return ErrActorDeleted
		}
		if err := RefuseBlocked(ctx, tx, me, group.URI); err != nil {
			return err
		}
		now := s.now()
		row := store.RemoteMembership{ID: newID(), AccountID: by.ID, Actor: me.URI, Association: group.URI,
			JoinActivity: s.policy.BaseURL + "/activities/" + newID().String(), Status: ElsewherePending,
			CreatedAt: now, UpdatedAt: now}
		err = tx.RemoteMemberships().Create(ctx, &row)
		if errors.Is(err, store.ErrDuplicate) {
			return ErrAlreadyMember
		}
		if err != nil {
			return err
		}
		out = elsewhereFrom(store.RemoteMembershipRow{RemoteMembership: row, Username: group.Username, Host: group.Host,
			DisplayName: group.DisplayName})
		return s.publish(ctx, tx, Publication{Type: "Join", Actor: actorFrom(me), To: []Actor{actorFrom(group)},
			Join: &JoinRef{ActivityID: row.JoinActivity, Member: me.URI, Association: group.URI}})
	})
	if err != nil {
		return MembershipElsewhere{}, fmt.Errorf("join %s: %w", association.URI, err)
	}
	return out, nil
}

// LeaveElsewhere ends by's membership (or withdraws their request) of the
// association of another instance whose actor is association: a Leave is
// sent to it.
func (s *Service) LeaveElsewhere(ctx context.Context, by Account, association string) (MembershipElsewhere, error) {
	if by.Status != AccountActive {
		return MembershipElsewhere{}, ErrNotAllowed
	}
	var out MembershipElsewhere
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return err
		}
		m, err := tx.RemoteMemberships().Open(ctx, me.URI, association)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchMembershipElsewhere
		}
		if err != nil {
			return err
		}
		now := s.now()
		if moved, err := tx.RemoteMemberships().Move(ctx, m.ID, m.Status, ElsewhereLeft, "", now); err != nil || !moved {
			return errors.Join(err, ErrNoSuchMembershipElsewhere)
		}
		group, err := tx.Actors().ByURI(ctx, association)
		if err != nil {
			return err
		}
		m.Status, m.UpdatedAt = ElsewhereLeft, now
		out = elsewhereFrom(store.RemoteMembershipRow{RemoteMembership: m, Username: group.Username, Host: group.Host,
			DisplayName: group.DisplayName})
		return s.publish(ctx, tx, Publication{Type: "Leave", Actor: actorFrom(me), To: []Actor{actorFrom(group)},
			Join: &JoinRef{Member: me.URI, Association: group.URI}})
	})
	if err != nil {
		return MembershipElsewhere{}, fmt.Errorf("leave %s: %w", association, err)
	}
	return out, nil
}

// ReceiveJoinAnswer records the answer of the association whose actor is
// from to a Join sent from here, named by its id (or, when only its actor
// and object are given, the person's open membership of that
// association): an Accept makes a pending membership active; a Reject
// refuses it or, when it was active, ends it, keeping the reason. An
// answer to no Join of ours is ErrNoSuchMembershipElsewhere; one from
// another actor than the association joined is ErrNotAllowed.
func (s *Service) ReceiveJoinAnswer(ctx context.Context, from string, join JoinRef, accepted bool, reason string) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		var m store.RemoteMembership
		var err error
		switch {
		case join.ActivityID != "":
			m, err = tx.RemoteMemberships().ByJoin(ctx, join.ActivityID)
		case join.Member != "" && join.Association != "":
			m, err = tx.RemoteMemberships().Open(ctx, join.Member, join.Association)
		default:
			return ErrNoSuchMembershipElsewhere
		}
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchMembershipElsewhere
		}
		if err != nil {
			return err
		}
		if m.Association != from || (join.Association != "" && join.Association != from) {
			return ErrNotAllowed
		}
		now := s.now()
		switch {
		case accepted && m.Status == ElsewherePending:
			_, err = tx.RemoteMemberships().Move(ctx, m.ID, ElsewherePending, ElsewhereActive, "", now)
		case !accepted && (m.Status == ElsewherePending || m.Status == ElsewhereActive):
			_, err = tx.RemoteMemberships().Move(ctx, m.ID, m.Status, ElsewhereRejected, reasonLine(reason), now)
		}
		return err
	})
}

// MembershipsElsewhere lists by's memberships of associations on other
// instances, newest first: what they asked for and what was answered.
func (s *Service) MembershipsElsewhere(ctx context.Context, by Account) ([]MembershipElsewhere, error) {
	rows, err := s.db.RemoteMemberships().Of(ctx, by.ID, MaxPageSize)
	if err != nil {
		return nil, err
	}
	out := make([]MembershipElsewhere, len(rows))
	for i, r := range rows {
		out[i] = elsewhereFrom(r)
	}
	return out, nil
}

// MembershipElsewhere returns by's latest membership of the association
// whose actor is association, whatever its state.
func (s *Service) MembershipElsewhere(ctx context.Context, by Account, association string) (MembershipElsewhere, error) {
	row, err := s.db.RemoteMemberships().Latest(ctx, by.ID, association)
	if errors.Is(err, store.ErrNotFound) {
		return MembershipElsewhere{}, ErrNoSuchMembershipElsewhere
	}
	if err != nil {
		return MembershipElsewhere{}, err
	}
	return elsewhereFrom(row), nil
}

// reasonLine keeps the first line of an association's reason, bounded.
func reasonLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) <= MaxReason {
		return s
	}
	cut := MaxReason
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
