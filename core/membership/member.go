package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Roles of a member within an association. The board runs the association
// day to day; the treasurer is a board member who also keeps the accounts.
const (
	MemberRegular   = "member"
	MemberBoard     = "board"
	MemberTreasurer = "treasurer"
)

// Roles lists the roles, in order of responsibility.
var Roles = []string{MemberRegular, MemberBoard, MemberTreasurer}

// States of a membership.
const (
	MemberPending = "pending" // asked to join, waiting for the board
	MemberActive  = "active"
)

// Member is one person's membership of one association. The person is
// local (AccountID is their account) or lives on another instance
// (AccountID is uuid.Nil; Host is their server's).
type Member struct {
	ID            uuid.UUID
	AssociationID uuid.UUID
	AccountID     uuid.UUID
	ActorID       uuid.UUID
	ActorURI      string
	Username      string
	Host          string
	Local         bool
	// Handle names the member in an association's routes: the username of
	// a local person, username@host of a remote one.
	Handle           string
	DisplayName      string
	Role             string
	Status           string
	RequestedAt      time.Time
	JoinedAt         *time.Time
	VotingSuspended  bool
	SuspensionReason string
}

// IsBoard reports whether m is an active member of the board.
func (m Member) IsBoard() bool {
	return m.Status == MemberActive && (m.Role == MemberBoard || m.Role == MemberTreasurer)
}

// VotingFrom is when m's probation ends; zero while m has not joined.
func (m Member) VotingFrom(s Settings) time.Time {
	if m.JoinedAt == nil {
		return time.Time{}
	}
	return m.JoinedAt.Add(s.ProbationPeriod)
}

// MayVote reports whether m may vote at now: an active member past probation
// whose voting rights are not suspended.
func (m Member) MayVote(s Settings, now time.Time) bool {
	return m.Status == MemberActive && !m.VotingSuspended && m.JoinedAt != nil && !now.Before(m.VotingFrom(s))
}

func memberFrom(r store.MemberRow) Member {
	m := Member{ID: r.ID, AssociationID: r.AssociationID, ActorID: r.ActorID, ActorURI: r.ActorURI,
		Username: r.Username, Host: r.Host, Local: r.Local, Handle: r.Username,
		DisplayName: r.DisplayName, Role: r.Role, Status: r.Status, RequestedAt: r.RequestedAt,
		JoinedAt: r.JoinedAt, VotingSuspended: r.VotingSuspended, SuspensionReason: r.SuspensionReason}
	if r.AccountID != nil {
		m.AccountID = *r.AccountID
	}
	if !r.Local {
		m.Handle = r.Username + "@" + r.Host
	}
	if m.DisplayName == "" {
		m.DisplayName = r.Username
	}
	return m
}

func requireBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by Account) error {
	if by.Status != AccountActive {
		return ErrNotAllowed
	}
	m, err := tx.Associations().Membership(ctx, association, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return core.New(core.KindForbidden, "board-only", "only the association's board may do this")
	}
	if err != nil {
		return err
	}
	if !memberFrom(m).IsBoard() {
		return core.New(core.KindForbidden, "board-only", "only the association's board may do this")
	}
	return nil
}

// Membership returns account's membership of association name, or
// ErrNoSuchMember.
func (s *Service) Membership(ctx context.Context, account Account, name string) (Member, error) {
	a, err := s.Association(ctx, name)
	if err != nil {
		return Member{}, err
	}
	row, err := s.db.Associations().Membership(ctx, a.ID, account.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Member{}, ErrNoSuchMember
	}
	if err != nil {
		return Member{}, err
	}
	return memberFrom(row), nil
}

// Members lists the members of association name in joining order, limit at
// a time after the cursor; pending requests are shown to the board only.
// When the association keeps its members private, only members see them.
// The reason for a suspension of voting rights is shown only to the board
// and to the member concerned.
func (s *Service) Members(ctx context.Context, viewer *Account, name string, after uuid.UUID, limit int) (list []Member, next uuid.UUID, err error) {
	a, err := s.Association(ctx, name)
	if err != nil {
		return nil, uuid.Nil, err
	}
	status := MemberActive
	if viewer != nil {
		m, err := s.db.Associations().Membership(ctx, a.ID, viewer.ID)
		switch {
		case err == nil && memberFrom(m).IsBoard():
			status = ""
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return nil, uuid.Nil, err
		case a.Settings.Visibility == VisibilityMembers && (err != nil || m.Status != MemberActive):
			// A pending request to join is not membership yet.
			return nil, uuid.Nil, core.New(core.KindForbidden, "members-only", "this association shows its members to its members only")
		}
	} else if a.Settings.Visibility == VisibilityMembers {
		return nil, uuid.Nil, core.New(core.KindForbidden, "members-only", "this association shows its members to its members only")
	}
	limit = clampLimit(limit)
	rows, err := s.db.Associations().Members(ctx, a.ID, status, after, limit+1)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	for _, r := range rows {
		m := memberFrom(r)
		if status != "" && (viewer == nil || viewer.ID != m.AccountID) {
			m.SuspensionReason = ""
		}
		list = append(list, m)
	}
	return list, next, nil
}

// MemberCount counts the active members of association id.
func (s *Service) MemberCount(ctx context.Context, association uuid.UUID) (int, error) {
	return s.db.Associations().CountMembers(ctx, association, MemberActive)
}

// Join makes by a member of association name: at once when it joins
// freely, as a pending request for the board otherwise.
func (s *Service) Join(ctx context.Context, by Account, name string) (Member, error) {
	if by.Status != AccountActive {
		return Member{}, ErrNotAllowed
	}
	a, err := s.Association(ctx, name)
	if err != nil {
		return Member{}, err
	}
	actor, err := s.db.Actors().OfAccount(ctx, by.ID)
	if err != nil {
		return Member{}, fmt.Errorf("join %s: %w", a.Name, err)
	}
	now := s.now()
	account := by.ID
	row := store.Membership{ID: newID(), AssociationID: a.ID, ActorID: actor.ID, AccountID: &account, Role: MemberRegular,
		Status: MemberPending, RequestedAt: now, UpdatedAt: now}
	if a.Settings.JoinMode == JoinFree {
		row.Status = MemberActive
		row.JoinedAt = &now
	}
	err = s.db.Associations().AddMembership(ctx, &row)
	if errors.Is(err, store.ErrDuplicate) {
		return Member{}, ErrAlreadyMember
	}
	if err != nil {
		return Member{}, fmt.Errorf("join %s: %w", a.Name, err)
	}
	return memberFrom(store.MemberRow{Membership: row, Username: by.Username, Host: actor.Host, ActorURI: actor.URI,
		Local: true, DisplayName: by.DisplayName}), nil
}

// Leave ends by's membership of association name (or withdraws a pending
// request). The last board member may not leave.
func (s *Service) Leave(ctx context.Context, by Account, name string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := lockAssociation(ctx, tx, name)
		if err != nil {
			return err
		}
		m, err := membershipOf(ctx, tx, a.ID, "", by.ID)
		if err != nil {
			return err
		}
		if memberFrom(m).IsBoard() {
			if err := keepOneBoardMember(ctx, tx, a.ID); err != nil {
				return err
			}
		}
		return tx.Associations().DeleteMembership(ctx, m.ID)
	})
	if err != nil {
		return fmt.Errorf("leave %s: %w", name, err)
	}
	return nil
}

// MemberChange holds what the board changes of a membership; nil fields
// stay. Status "active" approves a pending request.
type MemberChange struct {
	Role             *string
	Status           *string
	VotingSuspended  *bool
	SuspensionReason *string
}

// MaxSuspensionReason bounds the reason given for a suspension.
const MaxSuspensionReason = 1000

// UpdateMember applies ch to username's membership of association name, as
// a board member: approve a request, change a role, suspend or restore
// voting rights (a suspension needs a reason).
func (s *Service) UpdateMember(ctx context.Context, by Account, name, username string, ch MemberChange) (Member, error) {
	var out store.MemberRow
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, m, err := boardAction(ctx, tx, by, name, username)
		if err != nil {
			return err
		}
		wasBoard := memberFrom(m).IsBoard()
		before := m
		now := s.now()
		var fe fieldErrors
		admitted := false
		if ch.Status != nil {
			switch {
			case *ch.Status == m.Status:
			case *ch.Status == MemberActive && m.Status == MemberPending:
				m.Status = MemberActive
				m.JoinedAt = &now
				admitted = true
			case *ch.Status == MemberActive || *ch.Status == MemberPending:
				return ErrNotPending
			default:
				fe.add(&core.FieldError{Field: "status", Code: "invalid-choice", Detail: "must be active (to approve a request)"})
			}
		}
		if m.Status == MemberPending && (ch.Role != nil || ch.VotingSuspended != nil) {
			return core.New(core.KindConflict, "approve-first", "approve the request to join before changing the role or voting rights")
		}
		if ch.SuspensionReason != nil && ch.VotingSuspended == nil {
			fe.add(&core.FieldError{Field: "suspension_reason", Code: "needs-suspension", Detail: "a reason goes with voting_suspended: true"})
		}
		if ch.Role != nil {
			if !validRole(*ch.Role) {
				fe.add(&core.FieldError{Field: "role", Code: "invalid-choice", Detail: "must be member, board or treasurer"})
			} else {
				m.Role = *ch.Role
			}
		}
		if ch.VotingSuspended != nil {
			reason := ""
			if ch.SuspensionReason != nil {
				r, e := checkText("suspension_reason", *ch.SuspensionReason, MaxSuspensionReason, false)
				fe.add(e)
				reason = r
			}
			switch {
			case *ch.VotingSuspended && reason == "":
				fe.add(&core.FieldError{Field: "suspension_reason", Code: "required", Detail: "say why the voting rights are suspended"})
			case *ch.VotingSuspended:
				m.VotingSuspended, m.SuspensionReason, m.SuspendedAt = true, reason, &now
			default:
				m.VotingSuspended, m.SuspensionReason, m.SuspendedAt = false, "", nil
			}
		}
		if err := fe.err(); err != nil {
			return err
		}
		if wasBoard && !memberFrom(m).IsBoard() {
			if err := keepOneBoardMember(ctx, tx, a.ID); err != nil {
				return err
			}
		}
		m.UpdatedAt = now
		out = m
		if err := tx.Associations().UpdateMembership(ctx, &m.Membership); err != nil {
			return err
		}
		if err := recordMemberChange(ctx, tx, a.ID, by, before, m); err != nil {
			return err
		}
		if !admitted {
			return nil
		}
		return s.tellMember(ctx, tx, m, true, "")
	})
	if err != nil {
		return Member{}, fmt.Errorf("update member %s of %s: %w", username, name, err)
	}
	return memberFrom(out), nil
}

// RefuseMember turns down username's pending request to join association
// name, as a board member.
func (s *Service) RefuseMember(ctx context.Context, by Account, name, username string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, m, err := boardAction(ctx, tx, by, name, username)
		if err != nil {
			return err
		}
		if m.Status != MemberPending {
			return ErrNotPending
		}
		if err := tx.Associations().DeleteMembership(ctx, m.ID); err != nil {
			return err
		}
		if err := recordBoard(ctx, tx, a.ID, by, "member.refuse", Handle(m.Username, m.Host, m.Local), nil); err != nil {
			return err
		}
		return s.tellMember(ctx, tx, m, false, reasonRefused)
	})
	if err != nil {
		return fmt.Errorf("refuse member %s of %s: %w", username, name, err)
	}
	return nil
}

// AssociationsOf lists the associations account belongs to or asked to join.
func (s *Service) AssociationsOf(ctx context.Context, account Account) ([]store.AssociationMembership, error) {
	return s.db.Associations().AssociationsOf(ctx, account.ID)
}

// lockAssociation locks association name for the rest of the transaction.
func lockAssociation(ctx context.Context, tx store.Tx, name string) (store.Association, error) {
	n, fe := NormalizeName("name", name)
	if fe != nil {
		return store.Association{}, ErrNoSuchAssociation
	}
	a, err := tx.Associations().ByNameForUpdate(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return store.Association{}, ErrNoSuchAssociation
	}
	return a, err
}

// membershipOf returns the membership of the member named handle (a
// local username, or username@host of a member elsewhere) or of account
// id, when known.
func membershipOf(ctx context.Context, tx store.Tx, association uuid.UUID, handle string, account uuid.UUID) (store.MemberRow, error) {
	if account == uuid.Nil {
		if name, host, remote := strings.Cut(strings.TrimPrefix(handle, "@"), "@"); remote {
			return remoteMembershipOf(ctx, tx, association, name, host)
		}
		u, fe := NormalizeName("username", handle)
		if fe != nil {
			return store.MemberRow{}, ErrNoSuchMember
		}
		acc, err := tx.Accounts().ByUsername(ctx, u)
		if errors.Is(err, store.ErrNotFound) {
			return store.MemberRow{}, ErrNoSuchMember
		}
		if err != nil {
			return store.MemberRow{}, err
		}
		account = acc.ID
	}
	m, err := tx.Associations().Membership(ctx, association, account)
	if errors.Is(err, store.ErrNotFound) {
		return store.MemberRow{}, ErrNoSuchMember
	}
	return m, err
}

// remoteMembershipOf returns the membership of the actor name@host.
func remoteMembershipOf(ctx context.Context, tx store.Tx, association uuid.UUID, name, host string) (store.MemberRow, error) {
	if name == "" || host == "" || len(name)+len(host) > 500 {
		return store.MemberRow{}, ErrNoSuchMember
	}
	a, err := tx.Actors().ByHandle(ctx, name, strings.ToLower(host))
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

// boardAction locks association name, checks that by sits on its board and
// only then looks username's membership up, so that outsiders cannot probe
// who is a member of an association that keeps its members private.
func boardAction(ctx context.Context, tx store.Tx, by Account, name, username string) (store.Association, store.MemberRow, error) {
	a, err := lockAssociation(ctx, tx, name)
	if err != nil {
		return store.Association{}, store.MemberRow{}, err
	}
	if err := requireBoard(ctx, tx, a.ID, by); err != nil {
		return store.Association{}, store.MemberRow{}, err
	}
	m, err := membershipOf(ctx, tx, a.ID, username, uuid.Nil)
	return a, m, err
}

// keepOneBoardMember refuses a change that would remove the last active
// board member (the caller holds the association's lock).
func keepOneBoardMember(ctx context.Context, tx store.Tx, association uuid.UUID) error {
	n, err := tx.Associations().CountMembers(ctx, association, MemberActive, MemberBoard, MemberTreasurer)
	if err != nil {
		return err
	}
	if n <= 1 {
		return ErrLastBoardMember
	}
	return nil
}

func validRole(r string) bool {
	for _, v := range Roles {
		if r == v {
			return true
		}
	}
	return false
}
