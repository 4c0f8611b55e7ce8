package membership

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// States of a report.
const (
	ReportOpen     = "open"
	ReportResolved = "resolved"
)

// Bounds on reports, made here or received.
const (
	MaxReportComment = 1000 // characters of the comment
	MaxReportedNotes = 100  // notes a report names
	MaxFlagObjects   = 100  // objects of a received Flag
)

// Errors of reports.
var (
	ErrNoSuchReport   = core.New(core.KindNotFound, "report-not-found", "no such report")
	ErrReportResolved = core.New(core.KindConflict, "report-resolved", "this report is already resolved")
	ErrReportSelf     = core.New(core.KindInvalid, "report-self", "you cannot report yourself")
	// ErrNothingToReport refuses a received Flag that names no actor nor
	// note of this instance: there is nothing here to moderate.
	ErrNothingToReport = core.New(core.KindNotFound, "nothing-to-report", "the report names nobody on this instance")
	ErrFlagTooLarge    = core.New(core.KindTooLarge, "flag-too-large", "a report names at most 100 objects")
)

// ReportRef is what a Flag carries: its id, the reported actor and notes
// (Objects, the actor first) and the comment.
type ReportRef struct {
	ActivityID string
	Objects    []string
	Content    string
}

// ReportedNote is a note a report names.
type ReportedNote struct {
	ID      uuid.UUID // its id here
	URI     string
	URL     string // where a person reads it, when its server says
	Content string // sanitised HTML, for its moderators
	Deleted bool   // deleted since, by its author or a moderator
}

// Report is a report for the moderators: the instance's administrators
// and moderators, and the board of an association when the association is
// the one reported.
type Report struct {
	ID             uuid.UUID
	TargetURI      string
	TargetUsername string
	TargetHost     string
	TargetLocal    bool
	// Association is the name of the reported association, when the
	// target is a local association: its board moderates the report.
	Association string
	// Reporter is who reported: a local person, or the remote actor that
	// sent the Flag (often its server's instance actor). Only the
	// instance's moderators see it, so that a board never learns who
	// reported its association; empty otherwise.
	ReporterURI      string
	ReporterUsername string
	ReporterHost     string
	Comment          string
	Notes            []ReportedNote
	Local            bool // made here, not received
	Forwarded        bool // sent, anonymously, to the target's server
	State            string
	CreatedAt        time.Time
	ResolvedAt       *time.Time
	ResolvedBy       string // the username of who resolved it
	// Resolution is the action it was last resolved with ("none",
	// "warn"…) and ResolutionComment the moderator's words.
	Resolution        string
	ResolutionComment string
}

// ReportInput is what a person reports.
type ReportInput struct {
	Target  Actor
	Notes   []string // notes by Target: local ids or ids on the wire
	Comment string
	// Forward sends the report to a remote target's server too, as a Flag
	// from this instance, so that the reporter stays anonymous there.
	Forward bool
}

// moderatesInstance reports whether a sees and resolves every report.
func moderatesInstance(a Account) bool {
	return a.Status == AccountActive && (a.Role == RoleAdmin || a.Role == RoleModerator)
}

// Report records by's report of in.Target and some of its notes for the
// moderators. A remote target's server is sent a Flag from the instance
// actor when in.Forward says so.
func (s *Service) Report(ctx context.Context, by Account, in ReportInput) (Report, error) {
	if by.Status != AccountActive {
		return Report{}, ErrNotAllowed
	}
	var fe fieldErrors
	comment, e := checkText("comment", strings.ReplaceAll(in.Comment, "\x00", ""), MaxReportComment, false)
	fe.add(e)
	if len(in.Notes) > MaxReportedNotes {
		fe.add(&core.FieldError{Field: "notes", Code: "too-many", Detail: fmt.Sprintf("at most %d notes", MaxReportedNotes)})
		return Report{}, fe.err()
	}
	var instance Actor
	if in.Forward && !in.Target.Local {
		var err error
		if instance, err = s.EnsureInstanceActor(ctx); err != nil {
			return Report{}, err
		}
	}
	var id uuid.UUID
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoActorAccount, err)
		}
		target, err := tx.Actors().ByID(ctx, in.Target.ID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrNoSuchActor
		}
		if err != nil {
			return err
		}
		if target.ID == me.ID {
			return ErrReportSelf
		}
		notes, noteErrs, err := reportedNotes(ctx, tx, target, in.Notes)
		if err != nil {
			return err
		}
		if err := append(fe, noteErrs...).err(); err != nil {
			return err
		}
		id = newID()
		row := store.Report{ID: id, ActivityID: s.policy.BaseURL + "/activities/" + id.String(), ReporterID: &me.ID,
			TargetID: target.ID, Comment: comment, Local: true, Forwarded: instance.ID != uuid.Nil,
			State: ReportOpen, CreatedAt: s.now()}
		ids := make([]uuid.UUID, len(notes))
		objects := []string{target.URI}
		for i, n := range notes {
			ids[i] = n.ID
			objects = append(objects, n.URI)
		}
		if _, err := tx.Reports().Create(ctx, &row, ids); err != nil {
			return err
		}
		if !row.Forwarded {
			return nil
		}
		return s.publish(ctx, tx, Publication{Type: "Flag", Actor: instance, To: []Actor{actorFrom(target)},
			Report: &ReportRef{ActivityID: row.ActivityID, Objects: objects, Content: comment}})
	})
	if err != nil {
		return Report{}, fmt.Errorf("report %s: %w", in.Target.URI, err)
	}
	return s.reportByID(ctx, s.db.Tx, id, true)
}

// reportedNotes finds the notes refs name (local ids or ids on the wire),
// each once; every one must be stored here, live, and target's, or it is
// one of the field errors.
func reportedNotes(ctx context.Context, tx store.Tx, target store.Actor, refs []string) ([]store.NoteRow, fieldErrors, error) {
	var notes []store.NoteRow
	var fe fieldErrors
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		var n store.NoteRow
		var err error
		if id, perr := uuid.Parse(ref); perr == nil {
			n, err = tx.Notes().ByID(ctx, id)
		} else {
			n, err = tx.Notes().ByURI(ctx, ref)
		}
		switch {
		case errors.Is(err, store.ErrNotFound) || (err == nil && n.DeletedAt != nil):
			fe.add(&core.FieldError{Field: "notes", Code: "unknown-note", Detail: "no such note here: " + truncateRunes(ref, 200)})
			continue
		case err != nil:
			return nil, nil, err
		case n.AuthorID != target.ID:
			fe.add(&core.FieldError{Field: "notes", Code: "not-by-target", Detail: "a reported note must be the reported actor's"})
			continue
		}
		if !slices.ContainsFunc(notes, func(x store.NoteRow) bool { return x.ID == n.ID }) {
			notes = append(notes, n)
		}
	}
	return notes, fe, nil
}

// ReceiveFlag records a report received from the remote actor actorURI
// (a Flag): of the objects, only this instance's actors and notes are
// kept. The first local actor named is the target, or else the author of
// the first local note; only the target's notes are kept. The comment is
// cut to MaxReportComment characters. A Flag that names nothing local is
// ErrNothingToReport; receiving the same Flag again changes nothing.
func (s *Service) ReceiveFlag(ctx context.Context, actorURI, activityID string, objects []string, content string) error {
	if len(objects) > MaxFlagObjects {
		return ErrFlagTooLarge
	}
	comment := truncateRunes(strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(content, ""), "\x00", "")), MaxReportComment)
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		reporter, err := tx.Actors().ByURI(ctx, actorURI)
		if err != nil {
			return fmt.Errorf("reporter: %w", err)
		}
		var target *store.Actor
		var notes []store.NoteRow
		for _, uri := range objects {
			if a, err := tx.Actors().ByURI(ctx, uri); err == nil {
				if a.Local && target == nil {
					target = &a
				}
				continue
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			n, err := tx.Notes().ByURI(ctx, uri)
			switch {
			case errors.Is(err, store.ErrNotFound):
			case err != nil:
				return err
			case n.Local && n.DeletedAt == nil && !slices.ContainsFunc(notes, func(x store.NoteRow) bool { return x.ID == n.ID }):
				notes = append(notes, n)
			}
		}
		if target == nil && len(notes) > 0 {
			a, err := tx.Actors().ByID(ctx, notes[0].AuthorID)
			if err != nil {
				return err
			}
			target = &a
		}
		if target == nil {
			return ErrNothingToReport
		}
		var ids []uuid.UUID
		for _, n := range notes {
			if n.AuthorID == target.ID {
				ids = append(ids, n.ID)
			}
		}
		_, err = tx.Reports().Create(ctx, &store.Report{ID: newID(), ActivityID: activityID, ReporterID: &reporter.ID,
			TargetID: target.ID, Comment: comment, State: ReportOpen, CreatedAt: s.now()}, ids)
		return err
	})
	if err != nil {
		return fmt.Errorf("receive report %s from %s: %w", activityID, actorURI, err)
	}
	return nil
}

// Reports lists the reports by moderates, newest first, limit at a time
// before the cursor; next is the cursor of the following page, uuid.Nil at
// the end. The instance's administrators and moderators see every report;
// a board member those about their associations; anyone else none. state
// ("" for any) keeps only reports in that state.
func (s *Service) Reports(ctx context.Context, by Account, state string, before uuid.UUID, limit int) (list []Report, next uuid.UUID, err error) {
	if state != "" && state != ReportOpen && state != ReportResolved {
		return nil, uuid.Nil, core.Invalid(core.FieldError{Field: "state", Code: "invalid-choice", Detail: "must be open or resolved"})
	}
	if by.Status != AccountActive {
		return nil, uuid.Nil, ErrNotAllowed
	}
	scope := store.ReportScope{State: state}
	if !moderatesInstance(by) {
		scope.Account, scope.Roles, scope.Status = by.ID, []string{MemberBoard, MemberTreasurer}, MemberActive
	}
	limit = clampLimit(limit)
	rows, err := s.db.Reports().List(ctx, scope, before, limit+1)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	list, err = s.reportsFrom(ctx, s.db.Tx, rows, moderatesInstance(by))
	return list, next, err
}

// mayModerate reports whether by moderates the report row: an instance
// moderator, or a board member of the reported association.
func mayModerate(ctx context.Context, tx store.Tx, by Account, row store.ReportRow) (bool, error) {
	if moderatesInstance(by) {
		return true, nil
	}
	if row.TargetAssociation == nil {
		return false, nil
	}
	a, err := tx.Associations().ByName(ctx, *row.TargetAssociation)
	if err != nil {
		return false, err
	}
	err = requireBoard(ctx, tx, a.ID, by)
	if core.KindOf(err) == core.KindForbidden {
		return false, nil
	}
	return err == nil, err
}

func (s *Service) reportByID(ctx context.Context, tx store.Tx, id uuid.UUID, showReporter bool) (Report, error) {
	row, err := tx.Reports().ByID(ctx, id)
	if err != nil {
		return Report{}, err
	}
	list, err := s.reportsFrom(ctx, tx, []store.ReportRow{row}, showReporter)
	if err != nil {
		return Report{}, err
	}
	return list[0], nil
}

func (s *Service) reportsFrom(ctx context.Context, tx store.Tx, rows []store.ReportRow, showReporter bool) ([]Report, error) {
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	notes, err := tx.Reports().Notes(ctx, ids)
	if err != nil {
		return nil, err
	}
	byReport := map[uuid.UUID][]ReportedNote{}
	for _, n := range notes {
		byReport[n.ReportID] = append(byReport[n.ReportID], ReportedNote{ID: n.NoteID, URI: n.URI, URL: n.URL,
			Content: n.Content, Deleted: n.DeletedAt != nil})
	}
	list := make([]Report, len(rows))
	for i, r := range rows {
		rp := Report{ID: r.ID, TargetURI: r.TargetURI, TargetUsername: r.TargetUsername, TargetHost: r.TargetHost,
			TargetLocal: r.TargetLocal, Comment: r.Comment, Notes: byReport[r.ID], Local: r.Local, Forwarded: r.Forwarded,
			State: r.State, CreatedAt: r.CreatedAt, ResolvedAt: r.ResolvedAt,
			Resolution: r.Resolution, ResolutionComment: r.ResolutionComment}
		if r.TargetAssociation != nil {
			rp.Association = *r.TargetAssociation
		}
		if r.ResolverUsername != nil {
			rp.ResolvedBy = *r.ResolverUsername
		}
		if showReporter && r.ReporterURI != nil {
			rp.ReporterURI, rp.ReporterUsername, rp.ReporterHost = *r.ReporterURI, *r.ReporterUsername, *r.ReporterHost
		}
		list[i] = rp
	}
	return list, nil
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
