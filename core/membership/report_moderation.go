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

// ReportNote is a moderator's note on a report, for the other moderators.
type ReportNote struct {
	ID        uuid.UUID
	Author    string // the moderator's username; empty once their account is gone
	Text      string
	CreatedAt time.Time
}

// ReportDetail is a report with the moderators' notes and the actions
// taken on it.
type ReportDetail struct {
	Report
	ModeratorNotes []ReportNote
	Actions        []ModerationAction
}

// Resolution is how a moderator resolves a report: an action on its
// target (one of Resolutions) and a comment.
type Resolution struct {
	Action  string
	Comment string
}

// moderatedReport returns the report id when by moderates it, and the
// association in whose name by acts when by does so as its board (nil
// for the instance's moderators). A report by may not see is
// ErrNoSuchReport.
func (s *Service) moderatedReport(ctx context.Context, tx store.Tx, by Account, id uuid.UUID) (store.ReportRow, *uuid.UUID, error) {
	if by.Status != AccountActive {
		return store.ReportRow{}, nil, ErrNotAllowed
	}
	row, err := tx.Reports().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.ReportRow{}, nil, ErrNoSuchReport
	}
	if err != nil {
		return store.ReportRow{}, nil, err
	}
	if moderatesInstance(by) {
		return row, nil, nil
	}
	ok, err := mayModerate(ctx, tx, by, row)
	if err != nil {
		return store.ReportRow{}, nil, err
	}
	if !ok {
		return store.ReportRow{}, nil, ErrNoSuchReport
	}
	target, err := tx.Actors().ByID(ctx, row.TargetID)
	if err != nil {
		return store.ReportRow{}, nil, err
	}
	return row, target.AssociationID, nil
}

// ReportDetail returns the report id with its moderators' notes and the
// actions taken, for one of its moderators.
func (s *Service) ReportDetail(ctx context.Context, by Account, id uuid.UUID) (ReportDetail, error) {
	var out ReportDetail
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		if _, _, err := s.moderatedReport(ctx, tx, by, id); err != nil {
			return err
		}
		rp, err := s.reportByID(ctx, tx, id, moderatesInstance(by))
		if err != nil {
			return err
		}
		out = ReportDetail{Report: rp}
		notes, err := tx.Reports().Comments(ctx, id, MaxReportNotes)
		if err != nil {
			return err
		}
		for _, n := range notes {
			note := ReportNote{ID: n.ID, Text: n.Text, CreatedAt: n.CreatedAt}
			if n.AuthorName != nil {
				note.Author = *n.AuthorName
			}
			out.ModeratorNotes = append(out.ModeratorNotes, note)
		}
		actions, err := tx.ModerationActions().List(ctx, uuid.Nil, id, nil, maxHistory)
		if err != nil {
			return err
		}
		for _, a := range actions {
			out.Actions = append(out.Actions, moderationActionFrom(a, true))
		}
		return nil
	})
	if err != nil {
		return ReportDetail{}, fmt.Errorf("report %s: %w", id, err)
	}
	return out, nil
}

// AddReportNote adds by's note to the report id, for its other moderators.
func (s *Service) AddReportNote(ctx context.Context, by Account, id uuid.UUID, text string) (ReportNote, error) {
	text, fe := checkText("text", text, MaxReportNote, true)
	if fe != nil {
		return ReportNote{}, core.Invalid(*fe)
	}
	var out ReportNote
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, board, err := s.moderatedReport(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if n, err := tx.Reports().CountComments(ctx, id); err != nil {
			return err
		} else if n >= MaxReportNotes {
			return ErrReportNotesFull
		}
		c := store.ReportComment{ID: newID(), ReportID: id, AccountID: accountRef(by), Text: text, CreatedAt: s.now()}
		if err := tx.Reports().AddComment(ctx, &c); err != nil {
			return err
		}
		out = ReportNote{ID: c.ID, Author: by.Username, Text: text, CreatedAt: c.CreatedAt}
		return s.auditReport(ctx, tx, by, board, row, "report.note", nil)
	})
	if err != nil {
		return ReportNote{}, fmt.Errorf("note on report %s: %w", id, err)
	}
	return out, nil
}

// auditReport records by's action on the report row.
func (s *Service) auditReport(ctx context.Context, tx store.Tx, by Account, board *uuid.UUID, row store.ReportRow, action string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["report"] = row.ID.String()
	target := "@" + row.TargetUsername
	if !row.TargetLocal {
		target = row.TargetUsername + "@" + row.TargetHost
	}
	return audit.Record(ctx, tx, audit.Entry{Association: board, Account: accountRef(by), AccountName: by.Username,
		Action: action, Target: target, Detail: detail, At: s.now()})
}

// ResolveReport resolves the report id, as one of its moderators, with
// in's action on its target, in one transaction: the instance's
// moderators may warn, silence or suspend it (administrators delete it
// too) and remove its reported notes; a board, for a report about its
// association, may remove the notes or resolve without action. A report
// by may not see is ErrNoSuchReport; one already resolved
// ErrReportResolved, and nothing is applied.
func (s *Service) ResolveReport(ctx context.Context, by Account, id uuid.UUID, in Resolution) (Report, error) {
	if in.Action == "" {
		in.Action = ActionNone
	}
	var fe fieldErrors
	if !oneOf(in.Action, Resolutions) {
		fe.add(&core.FieldError{Field: "action", Code: "invalid-choice", Detail: "must be one of " + strings.Join(Resolutions, ", ")})
	}
	comment, e := checkText("comment", in.Comment, MaxModerationText, false)
	fe.add(e)
	if err := fe.err(); err != nil {
		return Report{}, err
	}
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, board, err := s.moderatedReport(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if row.ResolvedAt != nil {
			return ErrReportResolved
		}
		if board != nil && in.Action != ActionNone && in.Action != ActionRemoveNotes {
			return ErrNotAllowed
		}
		switch in.Action {
		case ActionNone:
		case ActionRemoveNotes:
			if err := s.removeReportedNotes(ctx, tx, by, board, row, comment); err != nil {
				return err
			}
		default:
			target, err := tx.Actors().ByID(ctx, row.TargetID)
			if err != nil {
				return err
			}
			if target.DeletedAt != nil {
				return ErrActorDeleted
			}
			if _, err := s.applyAction(ctx, tx, by, target, in.Action, comment, &id); err != nil {
				return err
			}
		}
		resolved, err := tx.Reports().ResolveWith(ctx, id, by.ID, in.Action, comment, s.now())
		if err != nil {
			return err
		}
		if !resolved {
			return ErrReportResolved
		}
		return s.auditReport(ctx, tx, by, board, row, "report.resolve", map[string]any{"action": in.Action, "comment": comment})
	})
	if err != nil {
		return Report{}, fmt.Errorf("resolve report %s: %w", id, err)
	}
	return s.reportByID(ctx, s.db.Tx, id, moderatesInstance(by))
}

// removeReportedNotes removes the live notes the report names.
func (s *Service) removeReportedNotes(ctx context.Context, tx store.Tx, by Account, board *uuid.UUID, row store.ReportRow, reason string) error {
	ids, err := tx.Reports().NoteIDs(ctx, row.ID)
	if err != nil {
		return err
	}
	removed := 0
	for _, nid := range ids {
		_, err := s.removeNote(ctx, tx, by, board, nid, reason, &row.ID)
		if core.KindOf(err) == core.KindNotFound {
			continue // deleted already, by its author or another moderator
		}
		if err != nil {
			return err
		}
		removed++
	}
	if removed == 0 {
		return ErrReportNoNotes
	}
	return nil
}

// ReopenReport opens the resolved report id again (what was applied
// stays: undo it with the account actions).
func (s *Service) ReopenReport(ctx context.Context, by Account, id uuid.UUID) (Report, error) {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		row, board, err := s.moderatedReport(ctx, tx, by, id)
		if err != nil {
			return err
		}
		reopened, err := tx.Reports().Reopen(ctx, id)
		if err != nil {
			return err
		}
		if !reopened {
			return ErrReportOpen
		}
		return s.auditReport(ctx, tx, by, board, row, "report.reopen", nil)
	})
	if err != nil {
		return Report{}, fmt.Errorf("reopen report %s: %w", id, err)
	}
	return s.reportByID(ctx, s.db.Tx, id, moderatesInstance(by))
}

// ForwardReport sends the report id, made here about an actor elsewhere
// and not forwarded yet, to the target's server as a Flag from the
// instance actor (the reporter stays anonymous there). Instance
// moderators only.
func (s *Service) ForwardReport(ctx context.Context, by Account, id uuid.UUID) (Report, error) {
	if !moderatesInstance(by) {
		// A board may not learn more of a report than it is shown.
		if by.Status == AccountActive {
			if _, _, err := s.moderatedReport(ctx, s.db.Tx, by, id); err != nil {
				return Report{}, err
			}
		}
		return Report{}, ErrNotAllowed
	}
	instance, err := s.EnsureInstanceActor(ctx)
	if err != nil {
		return Report{}, err
	}
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		row, _, err := s.moderatedReport(ctx, tx, by, id)
		if err != nil {
			return err
		}
		if row.TargetLocal || !row.Local || row.Forwarded {
			return ErrReportNotForwarded
		}
		if ok, err := tx.Reports().MarkForwarded(ctx, id); err != nil {
			return err
		} else if !ok {
			return ErrReportNotForwarded
		}
		target, err := tx.Actors().ByID(ctx, row.TargetID)
		if err != nil {
			return err
		}
		notes, err := tx.Reports().Notes(ctx, []uuid.UUID{id})
		if err != nil {
			return err
		}
		objects := []string{target.URI}
		for _, n := range notes {
			objects = append(objects, n.URI)
		}
		err = s.publish(ctx, tx, Publication{Type: "Flag", Actor: instance, To: []Actor{actorFrom(target)},
			Report: &ReportRef{ActivityID: row.ActivityID, Objects: objects, Content: row.Comment}})
		if err != nil {
			return err
		}
		return s.auditReport(ctx, tx, by, nil, row, "report.forward", nil)
	})
	if err != nil {
		return Report{}, fmt.Errorf("forward report %s: %w", id, err)
	}
	return s.reportByID(ctx, s.db.Tx, id, true)
}
