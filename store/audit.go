package store

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Scopes of audit entries.
const (
	AuditInstance    = "instance"    // an instance admin's action
	AuditAssociation = "association" // a board's action in an association's name
)

// AuditEntry is one action in the audit log. Detail is a JSON object.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log,alias:audit"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	Scope         string     `bun:"scope"`
	AssociationID *uuid.UUID `bun:"association_id,type:uuid"`
	AccountID     *uuid.UUID `bun:"account_id,type:uuid"`
	AccountName   string     `bun:"account_name"`
	Action        string     `bun:"action"`
	Target        string     `bun:"target"`
	Detail        string     `bun:"detail"`
	CreatedAt     time.Time  `bun:"created_at"`
}

// AuditFilter selects audit entries: those of one scope, of one
// association when AssociationID is set, older than the Before cursor
// (uuid.Nil for the newest), Limit at most.
type AuditFilter struct {
	Scope         string
	AssociationID *uuid.UUID
	Action        string // a prefix ("domain." or "report.resolve"); "" for all
	Before        uuid.UUID
	Limit         int
}

// AuditLog reads and appends to the audit log.
type AuditLog struct{ tx Tx }

// AuditLog returns the audit log repository.
func (t Tx) AuditLog() AuditLog { return AuditLog{t} }

// Append inserts e.
func (r AuditLog) Append(ctx context.Context, e *AuditEntry) error {
	_, err := r.tx.idb.NewInsert().Model(e).Exec(ctx)
	return wrapWrite(err, "append to the audit log")
}

// List returns the entries f selects, newest first.
func (r AuditLog) List(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var list []AuditEntry
	q := r.tx.idb.NewSelect().Model(&list).Where("scope = ?", f.Scope).OrderExpr("id DESC").Limit(int64(f.Limit))
	if f.AssociationID != nil {
		q = q.Where("association_id = ?", *f.AssociationID)
	}
	if f.Action != "" {
		q = q.Where("action LIKE ? ESCAPE '\\'", likePrefix(f.Action))
	}
	if f.Before != uuid.Nil {
		q = q.Where("id < ?", f.Before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list the audit log")
	}
	return list, nil
}

// likePrefix is a LIKE pattern (escape character \) matching what starts
// with prefix.
func likePrefix(prefix string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(prefix) + "%"
}
