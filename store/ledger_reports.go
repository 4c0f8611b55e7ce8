package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// LedgerFilter selects transactions of one association's ledger. Empty
// fields do not filter; From and To bound created_at as [From, To).
type LedgerFilter struct {
	Association uuid.UUID
	Kind        string
	// Project keeps the transactions that touch the project's account or
	// the account of one of its tasks.
	Project  uuid.UUID
	From, To time.Time
	Before   uuid.UUID // keyset cursor: transactions older than this one
	Limit    int
}

// FilteredTransactions returns the transactions f selects, newest first.
func (r Ledger) FilteredTransactions(ctx context.Context, f LedgerFilter) ([]LedgerTransaction, error) {
	var list []LedgerTransaction
	q := r.tx.idb.NewSelect().TableExpr("ledger_transactions AS t").ColumnExpr("t.*").
		Where("t.association_id = ?", f.Association)
	if f.Kind != "" {
		q = q.Where("t.kind = ?", f.Kind)
	}
	if f.Project != uuid.Nil {
		q = q.Where(`EXISTS (SELECT 1 FROM ledger_postings AS p JOIN ledger_accounts AS a ON a.id = p.account_id
			WHERE p.transaction_id = t.id AND a.project_id = ?)`, f.Project)
	}
	q = timeRange(q, "t.created_at", f.From, f.To)
	if f.Before != uuid.Nil {
		q = q.Where("t.id < ?", f.Before)
	}
	if err := q.OrderExpr("t.id DESC").Limit(int64(f.Limit)).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "filter ledger transactions")
	}
	return list, nil
}

// timeRange bounds column (a constant of this file) to [from, to).
func timeRange(q *bun.SelectQuery, column string, from, to time.Time) *bun.SelectQuery {
	if !from.IsZero() {
		q = q.Where(column+" >= ?", from.UTC())
	}
	if !to.IsZero() {
		q = q.Where(column+" < ?", to.UTC())
	}
	return q
}

// LedgerMonthRow is the total of one kind of transaction in one month
// ("2026-11", UTC).
type LedgerMonthRow struct {
	Month string `bun:"month"`
	Kind  string `bun:"kind"`
	Total int64  `bun:"total"`
}

// MonthlyTotals sums association's transactions of kinds by month of
// created_at, within [from, to).
func (r Ledger) MonthlyTotals(ctx context.Context, association uuid.UUID, kinds []string, from, to time.Time) ([]LedgerMonthRow, error) {
	var list []LedgerMonthRow
	month := r.tx.driver.monthOf("t.created_at")
	q := r.tx.idb.NewSelect().TableExpr("ledger_transactions AS t").
		ColumnExpr(month+" AS month, t.kind, SUM(t.amount) AS total").
		Where("t.association_id = ?", association).Where("t.kind IN (?)", bun.In(kinds))
	q = timeRange(q, "t.created_at", from, to)
	if err := q.GroupExpr(month+", t.kind").OrderExpr("month").Scan(ctx, &list); err != nil {
		return nil, notFound(err, "monthly ledger totals")
	}
	return list, nil
}

// LedgerProjectRow is an amount that reached the tasks of one project.
type LedgerProjectRow struct {
	ProjectID uuid.UUID `bun:"project_id,type:uuid"`
	Total     int64     `bun:"total"`
}

// TaskInflowsByProject sums, per project, the money that transactions of
// kinds brought into its tasks' accounts within [from, to).
func (r Ledger) TaskInflowsByProject(ctx context.Context, association uuid.UUID, kinds []string, from, to time.Time) ([]LedgerProjectRow, error) {
	var list []LedgerProjectRow
	q := r.tx.idb.NewSelect().TableExpr("ledger_postings AS p").
		ColumnExpr("a.project_id, SUM(p.amount) AS total").
		Join("JOIN ledger_accounts AS a ON a.id = p.account_id").
		Join("JOIN ledger_transactions AS t ON t.id = p.transaction_id").
		Where("t.association_id = ?", association).Where("t.kind IN (?)", bun.In(kinds)).
		Where("a.kind = ?", "task").Where("p.amount > 0")
	q = timeRange(q, "t.created_at", from, to)
	if err := q.GroupExpr("a.project_id").OrderExpr("total DESC, a.project_id").Scan(ctx, &list); err != nil {
		return nil, notFound(err, "task inflows by project")
	}
	return list, nil
}

// Payouts returns up to limit payouts of association, newest first; the
// unpaid ones only when unpaid.
func (r Ledger) Payouts(ctx context.Context, association uuid.UUID, unpaid bool, limit int) ([]LedgerPayout, error) {
	var list []LedgerPayout
	q := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association)
	if unpaid {
		q = q.Where("paid_at IS NULL")
	}
	if err := q.OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list payouts")
	}
	return list, nil
}
