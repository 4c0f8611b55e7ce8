package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Report is a report for the moderators about an actor and some of its
// notes, made here or received as a Flag.
type Report struct {
	bun.BaseModel `bun:"table:reports"`

	ID         uuid.UUID  `bun:"id,pk,type:uuid"`
	ActivityID string     `bun:"activity_id"`
	ReporterID *uuid.UUID `bun:"reporter_id,type:uuid"`
	TargetID   uuid.UUID  `bun:"target_id,type:uuid"`
	Comment    string     `bun:"comment"`
	Local      bool       `bun:"local"`
	Forwarded  bool       `bun:"forwarded"`
	State      string     `bun:"state"`
	ResolvedBy *uuid.UUID `bun:"resolved_by,type:uuid"`
	ResolvedAt *time.Time `bun:"resolved_at"`
	CreatedAt  time.Time  `bun:"created_at"`
	// Resolution is the action taken on resolving ("none", "warn"…) and
	// ResolutionComment the moderator's words.
	Resolution        string `bun:"resolution"`
	ResolutionComment string `bun:"resolution_comment"`
}

// ReportRow is a report with the names of those it concerns.
type ReportRow struct {
	Report `bun:",extend"`

	TargetURI      string `bun:"target_uri"`
	TargetUsername string `bun:"target_username"`
	TargetHost     string `bun:"target_host"`
	TargetLocal    bool   `bun:"target_local"`
	// TargetAssociation is the name of the association reported, when the
	// target is a local association.
	TargetAssociation *string `bun:"target_association"`
	ReporterURI       *string `bun:"reporter_uri"`
	ReporterUsername  *string `bun:"reporter_username"`
	ReporterHost      *string `bun:"reporter_host"`
	ResolverUsername  *string `bun:"resolver_username"`
}

// reportNote links a report and a note it names.
type reportNote struct {
	bun.BaseModel `bun:"table:report_notes"`

	ReportID uuid.UUID `bun:"report_id,pk,type:uuid"`
	NoteID   uuid.UUID `bun:"note_id,pk,type:uuid"`
}

// ReportedNote is one note a report names.
type ReportedNote struct {
	ReportID  uuid.UUID  `bun:"report_id"`
	NoteID    uuid.UUID  `bun:"note_id"`
	URI       string     `bun:"uri"`
	URL       string     `bun:"url"`
	Content   string     `bun:"content"` // sanitised HTML
	DeletedAt *time.Time `bun:"deleted_at"`
}

// ReportScope says which reports a list holds: every report, or (when
// Account is set) those about the associations whose board Account is on,
// in one of Roles with Status. State, when set, keeps only that state.
type ReportScope struct {
	Account uuid.UUID
	Roles   []string
	Status  string
	State   string
	// Target, when set, keeps only the reports about that actor.
	Target uuid.UUID
}

// Reports reads and writes reports.
type Reports struct{ tx Tx }

// Reports returns the report repository.
func (t Tx) Reports() Reports { return Reports{t} }

// Create records rp and the notes it names; it reports false, changing
// nothing, when a report with its activity id exists.
func (r Reports) Create(ctx context.Context, rp *Report, notes []uuid.UUID) (bool, error) {
	res, err := r.tx.idb.NewInsert().Model(rp).On("CONFLICT (activity_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "create report")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if len(notes) == 0 {
		return true, nil
	}
	rows := make([]reportNote, len(notes))
	for i, id := range notes {
		rows[i] = reportNote{ReportID: rp.ID, NoteID: id}
	}
	_, err = r.tx.idb.NewInsert().Model(&rows).Exec(ctx)
	return true, wrapWrite(err, "record reported notes")
}

func (r Reports) query(model any) *bun.SelectQuery {
	return r.tx.idb.NewSelect().Model(model).
		ColumnExpr("report.*").
		ColumnExpr("t.uri AS target_uri, t.username AS target_username, t.host AS target_host, t.local AS target_local").
		ColumnExpr("ta.name AS target_association").
		ColumnExpr("rp.uri AS reporter_uri, rp.username AS reporter_username, rp.host AS reporter_host").
		ColumnExpr("rs.username AS resolver_username").
		Join("JOIN actors AS t ON t.id = report.target_id").
		Join("LEFT JOIN associations AS ta ON ta.id = t.association_id").
		Join("LEFT JOIN actors AS rp ON rp.id = report.reporter_id").
		Join("LEFT JOIN accounts AS rs ON rs.id = report.resolved_by")
}

// ByID returns the report id.
func (r Reports) ByID(ctx context.Context, id uuid.UUID) (ReportRow, error) {
	var row ReportRow
	if err := r.query(&row).Where("report.id = ?", id).Scan(ctx); err != nil {
		return ReportRow{}, notFound(err, "report")
	}
	return row, nil
}

// List returns up to limit reports in scope, newest first, before the
// report id cursor (uuid.Nil for the first page).
func (r Reports) List(ctx context.Context, scope ReportScope, before uuid.UUID, limit int) ([]ReportRow, error) {
	var list []ReportRow
	q := r.query(&list).OrderExpr("report.id DESC").Limit(int64(limit))
	if scope.Account != uuid.Nil {
		q = q.Where("t.association_id IN (SELECT m.association_id FROM memberships AS m WHERE m.account_id = ? AND m.status = ? AND m.role IN (?))",
			scope.Account, scope.Status, bun.In(scope.Roles))
	}
	if scope.Target != uuid.Nil {
		q = q.Where("report.target_id = ?", scope.Target)
	}
	if scope.State != "" {
		q = q.Where("report.state = ?", scope.State)
	}
	if before != uuid.Nil {
		q = q.Where("report.id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list reports")
	}
	return list, nil
}

// Notes returns the notes the reports ids name, in the order they were
// stored.
func (r Reports) Notes(ctx context.Context, ids []uuid.UUID) ([]ReportedNote, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var list []ReportedNote
	err := r.tx.idb.NewSelect().
		ColumnExpr("rn.report_id, rn.note_id, n.uri, n.url, n.content, n.deleted_at").
		TableExpr("report_notes AS rn").
		Join("JOIN notes AS n ON n.id = rn.note_id").
		Where("rn.report_id IN (?)", bun.In(ids)).
		OrderExpr("rn.report_id, n.id").
		Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "list reported notes")
	}
	return list, nil
}

// Resolve marks the open report id resolved by account at; it reports
// false, changing nothing, when the report is not open.
func (r Reports) Resolve(ctx context.Context, id, by uuid.UUID, state string, at time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*Report)(nil)).
		Set("state = ?", state).Set("resolved_by = ?", by).Set("resolved_at = ?", at).
		Where("id = ?", id).Where("resolved_at IS NULL").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "resolve report")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
