// Package auditlog reads the audit log (core/audit writes it): the
// instance's entries to its admins and moderators, an association's board
// actions to its members, to the instance's admins, and to whoever the
// association shows its records to. It is apart from core/audit because it
// asks core/membership who may read, and core/membership records its
// actions through core/audit.
package auditlog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 200
	// MaxAction bounds the action prefix a filter names.
	MaxAction = 64
)

// ErrMembersOnly refuses an association's log to someone the association
// does not show its records to.
var ErrMembersOnly = core.New(core.KindForbidden, "members-only", "this association shows its records to its members only")

// Filter selects entries: those whose action starts with Action, older
// than the entry Before (uuid.Nil for the newest), Limit at most.
type Filter struct {
	Action string
	Before uuid.UUID
	Limit  int
}

// Entry is one action, as people read it.
type Entry struct {
	ID uuid.UUID
	At time.Time
	// Account is who acted, by name; "" for the operator at the command
	// line or the instance itself (an adopted proposal executed).
	Account string
	Action  string
	Target  string
	Detail  map[string]any
}

// Page is a page of entries, newest first; Next is the cursor of the next
// page, uuid.Nil after the last one.
type Page struct {
	Entries []Entry
	Next    uuid.UUID
}

// Service reads the audit log.
type Service struct {
	db      *store.DB
	members *membership.Service
}

// New returns a Service reading db.
func New(db *store.DB, members *membership.Service) *Service {
	return &Service{db: db, members: members}
}

// Instance returns the instance admins' actions, to an admin or a
// moderator.
func (s *Service) Instance(ctx context.Context, viewer membership.Account, f Filter) (Page, error) {
	if viewer.Status != membership.AccountActive ||
		(viewer.Role != membership.RoleAdmin && viewer.Role != membership.RoleModerator) {
		return Page{}, membership.ErrNotAllowed
	}
	return s.list(ctx, store.AuditFilter{Scope: store.AuditInstance}, f)
}

// OfAssociation returns the board actions of association name. Its members
// and the instance's admins always see them; others (viewer nil for the
// anonymous) only when the association shows its records to everyone.
func (s *Service) OfAssociation(ctx context.Context, viewer *membership.Account, name string, f Filter) (Page, error) {
	a, err := s.members.Association(ctx, name)
	if err != nil {
		return Page{}, err
	}
	if a.Settings.Visibility != membership.VisibilityPublic {
		ok, err := s.mayRead(ctx, viewer, a.ID)
		if err != nil {
			return Page{}, err
		}
		if !ok {
			return Page{}, ErrMembersOnly
		}
	}
	return s.list(ctx, store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &a.ID}, f)
}

// MayRead reports whether viewer may read the log of association name (a
// page links to it only then).
func (s *Service) MayRead(ctx context.Context, viewer *membership.Account, name string) (bool, error) {
	a, err := s.members.Association(ctx, name)
	if err != nil {
		return false, err
	}
	if a.Settings.Visibility == membership.VisibilityPublic {
		return true, nil
	}
	return s.mayRead(ctx, viewer, a.ID)
}

// mayRead reports whether viewer is an instance admin or an active member
// of association (a pending request to join is not membership yet).
func (s *Service) mayRead(ctx context.Context, viewer *membership.Account, association uuid.UUID) (bool, error) {
	if viewer == nil || viewer.Status != membership.AccountActive {
		return false, nil
	}
	if viewer.IsAdmin() {
		return true, nil
	}
	m, err := s.db.Associations().Membership(ctx, association, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("audit log reader: %w", err)
	}
	return m.Status == membership.MemberActive, nil
}

func (s *Service) list(ctx context.Context, q store.AuditFilter, f Filter) (Page, error) {
	action := strings.TrimSpace(f.Action)
	if len(action) > MaxAction || strings.IndexFunc(action, func(r rune) bool {
		return (r < 'a' || r > 'z') && r != '.' && r != '_' && r != '-'
	}) >= 0 {
		return Page{}, core.Invalid(core.FieldError{Field: "action", Code: "invalid-action",
			Detail: fmt.Sprintf("an action's name or its beginning, such as \"member.\": lower-case letters, dots, at most %d characters", MaxAction)})
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	q.Action, q.Before, q.Limit = action, f.Before, limit+1
	rows, err := s.db.AuditLog().List(ctx, q)
	if err != nil {
		return Page{}, fmt.Errorf("read the audit log: %w", err)
	}
	var p Page
	if len(rows) > limit {
		rows = rows[:limit]
		p.Next = rows[limit-1].ID
	}
	p.Entries = make([]Entry, len(rows))
	for i, r := range rows {
		var detail map[string]any
		if err := json.Unmarshal([]byte(r.Detail), &detail); err != nil {
			return Page{}, fmt.Errorf("audit entry %s: %w", r.ID, err)
		}
		p.Entries[i] = Entry{ID: r.ID, At: r.CreatedAt, Account: r.AccountName, Action: r.Action, Target: r.Target, Detail: detail}
	}
	return p, nil
}

// ForOperator returns the instance's entries, or those of association
// when it is not "", to the operator at the command line: having the
// database, they may read everything.
func (s *Service) ForOperator(ctx context.Context, association string, f Filter) (Page, error) {
	if association == "" {
		return s.list(ctx, store.AuditFilter{Scope: store.AuditInstance}, f)
	}
	a, err := s.members.Association(ctx, association)
	if err != nil {
		return Page{}, err
	}
	return s.list(ctx, store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &a.ID}, f)
}
