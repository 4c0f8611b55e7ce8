package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/store"
)

// Moderators' actions on an account or actor (local or remote, a person
// or an association), and on notes.
const (
	ActionNone        = "none" // a report resolved without action
	ActionWarn        = "warn"
	ActionSilence     = "silence"
	ActionUnsilence   = "unsilence"
	ActionSuspend     = "suspend"
	ActionUnsuspend   = "unsuspend"
	ActionDelete      = "delete"
	ActionRemoveNotes = "remove_notes" // a report's notes removed, on resolving it
	ActionRemoveNote  = "remove_note"  // one note removed, as recorded
)

// AccountActions are the actions on an account or actor.
var AccountActions = []string{ActionWarn, ActionSilence, ActionUnsilence, ActionSuspend, ActionUnsuspend, ActionDelete}

// Resolutions are the actions a report is resolved with.
var Resolutions = []string{ActionNone, ActionWarn, ActionSilence, ActionSuspend, ActionDelete, ActionRemoveNotes}

// Bounds on moderation.
const (
	MaxModerationText = 1000 // characters of a warning, a reason, a resolution's comment
	MaxReportNote     = 2000 // characters of a moderator's note on a report
	MaxReportNotes    = 200  // moderators' notes on one report
	maxHistory        = 100  // actions shown on an account's or a report's page
)

// Errors of moderation.
var (
	ErrModerateSelf       = core.New(core.KindInvalid, "moderate-self", "you cannot act on your own account")
	ErrReportOpen         = core.New(core.KindConflict, "report-open", "this report is already open")
	ErrReportNotForwarded = core.New(core.KindConflict, "report-not-forwardable", "only a report made here about an actor elsewhere, not yet forwarded, can be forwarded")
	ErrReportNotesFull    = core.New(core.KindTooLarge, "report-notes-full", "this report has as many notes as it may hold")
	ErrReportNoNotes      = core.New(core.KindConflict, "report-no-notes", "this report names no note to remove")
	ErrNoSuchNote         = core.New(core.KindNotFound, "note-not-found", "no such note")
	// errActorSuspended answers, for a suspended local actor, what a
	// deleted one does (410 Gone), so that every address of it is closed
	// while the suspension lasts.
	errActorSuspended = &core.Error{Kind: core.KindNotFound, Code: ErrActorDeleted.Code, Detail: "this actor is suspended"}
	errNoNoteRemover  = errors.New("no note remover (UseNoteRemover)")
)

// NoteRemover takes notes down inside a moderator's transaction (core/news
// does: a local note's Delete is federated). It returns the note's id on
// the wire.
type NoteRemover interface {
	RemoveNote(ctx context.Context, tx store.Tx, id uuid.UUID) (string, error)
}

// UseNoteRemover sets who removes notes. Set once, before serving.
func (s *Service) UseNoteRemover(r NoteRemover) { s.notes = r }

// ModerationAction is one moderator's action, as its history shows it.
type ModerationAction struct {
	ID        uuid.UUID
	Action    string
	Text      string
	NoteURI   string     // the note removed, for ActionRemoveNote
	Report    *uuid.UUID // the report it answers
	Moderator string     // the username of who acted; empty for the warned person
	CreatedAt time.Time
}

func moderationActionFrom(r store.ModerationActionRow, showModerator bool) ModerationAction {
	a := ModerationAction{ID: r.ID, Action: r.Action, Text: r.Text, NoteURI: r.NoteURI, Report: r.ReportID, CreatedAt: r.CreatedAt}
	if showModerator && r.ModeratorName != nil {
		a.Moderator = *r.ModeratorName
	}
	return a
}

// ActionInput is an action a moderator takes on an account.
type ActionInput struct {
	Type   string
	Text   string     // the warning, or why
	Report *uuid.UUID // the report it answers, if any
}

// ModerateAccount applies in to the account or actor acct (a local
// username, or name@host): moderators may warn, silence and suspend (and
// undo those); only administrators delete. Staff accounts are acted on by
// administrators only, and nobody acts on their own. The action, its
// history line and its audit entry commit together.
func (s *Service) ModerateAccount(ctx context.Context, by Account, acct string, in ActionInput) (ModerationAction, error) {
	if !moderatesInstance(by) {
		return ModerationAction{}, ErrNotAllowed
	}
	var fe fieldErrors
	if !oneOf(in.Type, AccountActions) {
		fe.add(&core.FieldError{Field: "type", Code: "invalid-choice", Detail: "must be one of " + strings.Join(AccountActions, ", ")})
	}
	text, e := checkText("text", in.Text, MaxModerationText, false)
	fe.add(e)
	if err := fe.err(); err != nil {
		return ModerationAction{}, err
	}
	var out ModerationAction
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		target, err := s.moderatedActor(ctx, tx, acct)
		if err != nil {
			return err
		}
		if in.Report != nil {
			row, err := tx.Reports().ByID(ctx, *in.Report)
			if errors.Is(err, store.ErrNotFound) || (err == nil && row.TargetID != target.ID) {
				return core.Invalid(core.FieldError{Field: "report", Code: "unknown-report", Detail: "no report about this account has this id"})
			}
			if err != nil {
				return err
			}
		}
		out, err = s.applyAction(ctx, tx, by, target, in.Type, text, in.Report)
		return err
	})
	if err != nil {
		return ModerationAction{}, fmt.Errorf("%s on %s: %w", in.Type, truncateRunes(acct, 100), err)
	}
	return out, nil
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// moderatedActor finds the live actor acct: a local name (a person or an
// association; not the instance actor) or name@host.
func (s *Service) moderatedActor(ctx context.Context, tx store.Tx, acct string) (store.Actor, error) {
	acct = strings.TrimPrefix(strings.TrimSpace(acct), "@")
	if acct == "" || len(acct) > 400 {
		return store.Actor{}, ErrNoSuchActor
	}
	name, host, remote := strings.Cut(acct, "@")
	host = strings.ToLower(host)
	var row store.Actor
	var err error
	if !remote || host == strings.ToLower(s.policy.Host) {
		row, err = tx.Actors().Local(ctx, strings.ToLower(name))
	} else {
		row, err = tx.Actors().ByHandle(ctx, name, host)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Actor{}, ErrNoSuchActor
	case err != nil:
		return store.Actor{}, err
	case row.Local && row.AccountID == nil && row.AssociationID == nil:
		return store.Actor{}, ErrNoSuchActor // the instance actor
	case row.DeletedAt != nil:
		return store.Actor{}, ErrActorDeleted
	}
	return row, nil
}

// acctOf names an actor in the audit log: @name here, name@host elsewhere.
func acctOf(a store.Actor) string {
	if a.Local {
		return "@" + a.Username
	}
	return a.Username + "@" + a.Host
}

// applyAction applies the account action typ to target for by, inside tx,
// with its history line and its audit entry.
func (s *Service) applyAction(ctx context.Context, tx store.Tx, by Account, target store.Actor, typ, text string, report *uuid.UUID) (ModerationAction, error) {
	if !moderatesInstance(by) || (typ == ActionDelete && !by.IsAdmin()) {
		return ModerationAction{}, ErrNotAllowed
	}
	var acc *store.Account
	if target.AccountID != nil {
		if *target.AccountID == by.ID {
			return ModerationAction{}, ErrModerateSelf
		}
		row, err := tx.Accounts().ByIDForUpdate(ctx, *target.AccountID)
		if err != nil {
			return ModerationAction{}, err
		}
		if (row.Role == RoleAdmin || row.Role == RoleModerator) && !by.IsAdmin() {
			return ModerationAction{}, ErrNotAllowed
		}
		acc = &row
	}
	now := s.now()
	var err error
	switch typ {
	case ActionWarn:
	case ActionSilence:
		err = tx.Actors().SetSilenced(ctx, target.ID, &now)
	case ActionUnsilence:
		err = tx.Actors().SetSilenced(ctx, target.ID, nil)
	case ActionSuspend:
		err = s.suspend(ctx, tx, target, acc, now)
	case ActionUnsuspend:
		err = tx.Actors().SetSuspended(ctx, target.ID, nil)
		if err == nil && acc != nil && acc.Status == AccountSuspended {
			acc.Status, acc.UpdatedAt = AccountActive, now
			err = tx.Accounts().Update(ctx, acc)
		}
	case ActionDelete:
		switch {
		case acc != nil:
			err = s.deleteAccountIn(ctx, tx, acc.ID)
		case target.Local:
			err = core.Invalid(core.FieldError{Field: "type", Code: "invalid-choice",
				Detail: "an association is not deleted by a moderator: suspend it"})
		default:
			// A remote actor is forgotten here; its server keeps it.
			err = s.forgetActor(ctx, tx, target)
		}
	default:
		err = core.Invalid(core.FieldError{Field: "type", Code: "invalid-choice", Detail: "unknown action"})
	}
	if err != nil {
		return ModerationAction{}, err
	}
	return s.recordAction(ctx, tx, by, nil, target, typ, text, "", report)
}

// suspend cuts target off: a local account may no longer log in (its
// sessions end; its tokens are refused while it lasts), its actor answers
// 410 Gone and nothing is delivered for it; a remote actor's activities
// are refused at the inbox and its follows with actors here end.
func (s *Service) suspend(ctx context.Context, tx store.Tx, target store.Actor, acc *store.Account, now time.Time) error {
	if err := tx.Actors().SetSuspended(ctx, target.ID, &now); err != nil {
		return err
	}
	if acc != nil {
		if err := tx.Credentials().DeleteSessionsOf(ctx, acc.ID); err != nil {
			return err
		}
		if acc.Status == AccountActive {
			acc.Status, acc.UpdatedAt = AccountSuspended, now
			return tx.Accounts().Update(ctx, acc)
		}
		return nil
	}
	if !target.Local {
		_, err := tx.Follows().DeleteOf(ctx, target.ID)
		return err
	}
	return nil
}

// recordAction writes the history line and the audit entry of an action
// (association set for a board's action in its association's name).
func (s *Service) recordAction(ctx context.Context, tx store.Tx, by Account, association *uuid.UUID, target store.Actor, typ, text, noteURI string, report *uuid.UUID) (ModerationAction, error) {
	row := store.ModerationAction{ID: newID(), TargetID: target.ID, ReportID: report, NoteURI: noteURI, Action: typ,
		Text: text, AccountID: accountRef(by), CreatedAt: s.now()}
	if err := tx.ModerationActions().Add(ctx, &row); err != nil {
		return ModerationAction{}, err
	}
	name := "account." + typ
	detail := map[string]any{}
	if text != "" {
		detail["text"] = text
	}
	auditTarget := acctOf(target)
	if typ == ActionRemoveNote {
		name, auditTarget = "note.remove", noteURI
		detail["author"] = acctOf(target)
	}
	if report != nil {
		detail["report"] = report.String()
	}
	err := audit.Record(ctx, tx, audit.Entry{Association: association, Account: accountRef(by), AccountName: by.Username,
		Action: name, Target: auditTarget, Detail: detail, At: row.CreatedAt})
	if err != nil {
		return ModerationAction{}, err
	}
	return moderationActionFrom(store.ModerationActionRow{ModerationAction: row, ModeratorName: &by.Username}, true), nil
}

// accountRef is by's id for the records, nil for the operator.
func accountRef(by Account) *uuid.UUID {
	if by.ID == uuid.Nil {
		return nil
	}
	id := by.ID
	return &id
}

// RemoveNote takes the note id (stored here, local or remote) down:
// moderators only. A local note's Delete is federated; a remote one is
// hidden here.
func (s *Service) RemoveNote(ctx context.Context, by Account, id uuid.UUID, reason string) (ModerationAction, error) {
	if !moderatesInstance(by) {
		return ModerationAction{}, ErrNotAllowed
	}
	reason, fe := checkText("reason", reason, MaxModerationText, false)
	if fe != nil {
		return ModerationAction{}, core.Invalid(*fe)
	}
	var out ModerationAction
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		var err error
		out, err = s.removeNote(ctx, tx, by, nil, id, reason, nil)
		return err
	})
	if err != nil {
		return ModerationAction{}, fmt.Errorf("remove note %s: %w", id, err)
	}
	return out, nil
}

func (s *Service) removeNote(ctx context.Context, tx store.Tx, by Account, association *uuid.UUID, id uuid.UUID, reason string, report *uuid.UUID) (ModerationAction, error) {
	if s.notes == nil {
		return ModerationAction{}, errNoNoteRemover
	}
	row, err := tx.Notes().ByID(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ModerationAction{}, ErrNoSuchNote
	case err != nil:
		return ModerationAction{}, err
	}
	author, err := tx.Actors().ByID(ctx, row.AuthorID)
	if err != nil {
		return ModerationAction{}, err
	}
	uri, err := s.notes.RemoveNote(ctx, tx, id)
	if err != nil {
		return ModerationAction{}, err
	}
	return s.recordAction(ctx, tx, by, association, author, ActionRemoveNote, reason, uri, report)
}

// Warnings returns the warnings the moderators gave account, newest first
// (without who gave them).
func (s *Service) Warnings(ctx context.Context, account Account) ([]ModerationAction, error) {
	actor, err := s.db.Actors().OfAccount(ctx, account.ID)
	if err != nil {
		return nil, fmt.Errorf("warnings of %s: %w", account.Username, err)
	}
	rows, err := s.db.ModerationActions().List(ctx, actor.ID, uuid.Nil, []string{ActionWarn}, maxHistory)
	if err != nil {
		return nil, err
	}
	out := make([]ModerationAction, len(rows))
	for i, r := range rows {
		out[i] = moderationActionFrom(r, false)
	}
	return out, nil
}

// ModeratedAccount is an account or actor as its moderators see it.
type ModeratedAccount struct {
	Actor       Actor
	Acct        string // name here, name@host elsewhere
	Role        string // a local person's
	Status      string // a local person's account state
	SilencedAt  *time.Time
	SuspendedAt *time.Time
	Actions     []ModerationAction
	Reports     []Report
}

// AccountModeration returns acct as its moderators see it: its state, the
// actions taken on it and the reports about it (newest first, bounded).
func (s *Service) AccountModeration(ctx context.Context, by Account, acct string) (ModeratedAccount, error) {
	if !moderatesInstance(by) {
		return ModeratedAccount{}, ErrNotAllowed
	}
	var out ModeratedAccount
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, err := s.moderatedActor(ctx, tx, acct)
		if err != nil {
			return err
		}
		out = ModeratedAccount{Actor: actorFrom(row), Acct: row.Username, SilencedAt: row.SilencedAt, SuspendedAt: row.SuspendedAt}
		if !row.Local {
			out.Acct += "@" + row.Host
		}
		if row.AccountID != nil {
			acc, err := tx.Accounts().ByID(ctx, *row.AccountID)
			if err != nil {
				return err
			}
			out.Role, out.Status = acc.Role, acc.Status
		}
		actions, err := tx.ModerationActions().List(ctx, row.ID, uuid.Nil, nil, maxHistory)
		if err != nil {
			return err
		}
		for _, a := range actions {
			out.Actions = append(out.Actions, moderationActionFrom(a, true))
		}
		reports, err := tx.Reports().List(ctx, store.ReportScope{Target: row.ID}, uuid.Nil, maxHistory)
		if err != nil {
			return err
		}
		out.Reports, err = s.reportsFrom(ctx, tx, reports, true)
		return err
	})
	if err != nil {
		return ModeratedAccount{}, fmt.Errorf("moderation of %s: %w", truncateRunes(acct, 100), err)
	}
	return out, nil
}
