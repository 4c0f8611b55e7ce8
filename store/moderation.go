package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// SetSilenced silences the actor id from at, or lifts its silence (nil).
func (r Actors) SetSilenced(ctx context.Context, id uuid.UUID, at *time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).Set("silenced_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "silence actor")
	}
	return expectOne(res, "silence actor")
}

// SetSuspended suspends the actor id from at, or lifts its suspension (nil).
func (r Actors) SetSuspended(ctx context.Context, id uuid.UUID, at *time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).Set("suspended_at = ?", at).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "suspend actor")
	}
	return expectOne(res, "suspend actor")
}

// ModerationAction is a moderator's action on an actor or one of its
// notes (NoteURI), answering a report or not.
type ModerationAction struct {
	bun.BaseModel `bun:"table:moderation_actions,alias:ma"`

	ID        uuid.UUID  `bun:"id,pk,type:uuid"`
	TargetID  uuid.UUID  `bun:"target_id,type:uuid"`
	ReportID  *uuid.UUID `bun:"report_id,type:uuid"`
	NoteURI   string     `bun:"note_uri"`
	Action    string     `bun:"action"`
	Text      string     `bun:"text"`
	AccountID *uuid.UUID `bun:"account_id,type:uuid"`
	CreatedAt time.Time  `bun:"created_at"`
}

// ModerationActionRow is an action with the name of the moderator.
type ModerationActionRow struct {
	ModerationAction `bun:",extend"`

	ModeratorName *string `bun:"moderator_name"`
}

// ModerationActions reads and appends moderators' actions.
type ModerationActions struct{ tx Tx }

// ModerationActions returns the repository of moderators' actions.
func (t Tx) ModerationActions() ModerationActions { return ModerationActions{t} }

// Add records a.
func (r ModerationActions) Add(ctx context.Context, a *ModerationAction) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "record moderation action")
}

// List returns up to limit actions, newest first: those on the actor
// target (when set) of one of actions (when given), or those answering the
// report (when set).
func (r ModerationActions) List(ctx context.Context, target, report uuid.UUID, actions []string, limit int) ([]ModerationActionRow, error) {
	var list []ModerationActionRow
	q := r.tx.idb.NewSelect().Model(&list).ColumnExpr("ma.*").ColumnExpr("acc.username AS moderator_name").
		Join("LEFT JOIN accounts AS acc ON acc.id = ma.account_id").OrderExpr("ma.id DESC").Limit(int64(limit))
	if target != uuid.Nil {
		q = q.Where("ma.target_id = ?", target)
	}
	if report != uuid.Nil {
		q = q.Where("ma.report_id = ?", report)
	}
	if len(actions) > 0 {
		q = q.Where("ma.action IN (?)", bun.In(actions))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list moderation actions")
	}
	return list, nil
}

// ReportComment is a moderator's note on a report.
type ReportComment struct {
	bun.BaseModel `bun:"table:report_comments,alias:rc"`

	ID        uuid.UUID  `bun:"id,pk,type:uuid"`
	ReportID  uuid.UUID  `bun:"report_id,type:uuid"`
	AccountID *uuid.UUID `bun:"account_id,type:uuid"`
	Text      string     `bun:"text"`
	CreatedAt time.Time  `bun:"created_at"`
}

// ReportCommentRow is a note with the name of its author.
type ReportCommentRow struct {
	ReportComment `bun:",extend"`

	AuthorName *string `bun:"author_name"`
}

// AddComment records a moderator's note on a report.
func (r Reports) AddComment(ctx context.Context, c *ReportComment) error {
	_, err := r.tx.idb.NewInsert().Model(c).Exec(ctx)
	return wrapWrite(err, "add a note to a report")
}

// Comments returns the notes on the report id, oldest first, up to limit.
func (r Reports) Comments(ctx context.Context, id uuid.UUID, limit int) ([]ReportCommentRow, error) {
	var list []ReportCommentRow
	err := r.tx.idb.NewSelect().Model(&list).ColumnExpr("rc.*").ColumnExpr("acc.username AS author_name").
		Join("LEFT JOIN accounts AS acc ON acc.id = rc.account_id").
		Where("rc.report_id = ?", id).OrderExpr("rc.id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list report notes")
	}
	return list, nil
}

// CountComments returns how many notes the report id has.
func (r Reports) CountComments(ctx context.Context, id uuid.UUID) (int, error) {
	n, err := r.tx.idb.NewSelect().Model((*ReportComment)(nil)).Where("report_id = ?", id).Count(ctx)
	if err != nil {
		return 0, notFound(err, "count report notes")
	}
	return int(n), nil
}

// ResolveWith marks the open report id resolved by account at, with the
// action taken and a comment; false, changing nothing, when it is not open.
func (r Reports) ResolveWith(ctx context.Context, id, by uuid.UUID, action, comment string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Report)(nil)).
		Set("state = 'resolved'").Set("resolved_by = ?", by).Set("resolved_at = ?", at).
		Set("resolution = ?", action).Set("resolution_comment = ?", comment).
		Where("id = ?", id).Where("resolved_at IS NULL").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "resolve report")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Reopen opens the resolved report id again; false, changing nothing, when
// it is open.
func (r Reports) Reopen(ctx context.Context, id uuid.UUID) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Report)(nil)).
		Set("state = 'open'").Set("resolved_by = NULL").Set("resolved_at = NULL").
		Where("id = ?", id).Where("resolved_at IS NOT NULL").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "reopen report")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkForwarded records that the report id was sent to its target's
// server; false when it already was.
func (r Reports) MarkForwarded(ctx context.Context, id uuid.UUID) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Report)(nil)).Set("forwarded = TRUE").
		Where("id = ?", id).Where("forwarded = FALSE").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "mark report forwarded")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// NoteIDs returns the ids of the notes the report id names.
func (r Reports) NoteIDs(ctx context.Context, id uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := r.tx.idb.NewSelect().TableExpr("report_notes").Column("note_id").Where("report_id = ?", id).
		OrderExpr("note_id").Scan(ctx, &ids)
	if err != nil {
		return nil, notFound(err, "reported notes")
	}
	return ids, nil
}
