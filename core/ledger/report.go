package ledger

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Kinds lists every transaction kind, in the order a filter offers them.
var Kinds = []string{KindDonation, KindAllocation, KindReallocation, KindPayout, KindRefund, KindTransfer}

// Query selects transactions of a ledger: of one kind, touching one
// project (its account or its tasks'), within [From, To). Zero values do
// not filter.
type Query struct {
	Kind     string
	Project  uuid.UUID
	From, To time.Time
	Before   uuid.UUID // cursor: the Next of the previous page
	Limit    int
}

// ErrBadPeriod is a period whose end does not come after its start.
var ErrBadPeriod = core.Invalid(core.FieldError{Field: "to", Code: "invalid-period", Detail: "the end of the period must come after its start"})

// check refuses an unknown kind or an empty period.
func (q Query) check() error {
	if q.Kind != "" && !slices.Contains(Kinds, q.Kind) {
		return core.Invalid(core.FieldError{Field: "kind", Code: "invalid-choice", Detail: "unknown kind of transaction"})
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return ErrBadPeriod
	}
	return nil
}

// Transactions returns a page of the transactions of association name that
// q selects, newest first, as Ledger does (hidden donors stay hidden from
// the public).
func (s *Service) Transactions(ctx context.Context, viewer *membership.Account, name string, q Query) (Page, error) {
	if err := q.check(); err != nil {
		return Page{}, err
	}
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return Page{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	rows, err := s.db.Ledger().FilteredTransactions(ctx, store.LedgerFilter{Association: a.association.ID, Kind: q.Kind,
		Project: q.Project, From: q.From, To: q.To, Before: q.Before, Limit: limit + 1})
	if err != nil {
		return Page{}, err
	}
	return s.page(ctx, a, rows, limit)
}

// MaxMonths bounds the months MonthlyFlows sums at once: ten years.
const MaxMonths = 120

// MonthFlow is the money that came into an association (donations) and
// left it (payouts and refunds) in one month.
type MonthFlow struct {
	Month   time.Time // the first instant of the month, UTC
	In, Out int64
}

// MonthlyFlows returns, for every month from the one holding from to the
// one before to (at most MaxMonths), the money that came into association
// name and left it, empty months included.
func (s *Service) MonthlyFlows(ctx context.Context, viewer *membership.Account, name string, from, to time.Time) ([]MonthFlow, error) {
	first, end := monthStart(from), to.UTC()
	if from.IsZero() || to.IsZero() || !end.After(first) {
		return nil, ErrBadPeriod
	}
	var months []MonthFlow
	for m := first; m.Before(end); m = m.AddDate(0, 1, 0) {
		if len(months) == MaxMonths {
			return nil, core.Invalid(core.FieldError{Field: "from", Code: "period-too-long", Detail: "at most ten years at once"})
		}
		months = append(months, MonthFlow{Month: m})
	}
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Ledger().MonthlyTotals(ctx, a.association.ID, []string{KindDonation, KindPayout, KindRefund}, first, end)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, m := range months {
		index[m.Month.Format("2006-01")] = i
	}
	for _, r := range rows {
		i, ok := index[r.Month]
		if !ok {
			continue
		}
		if r.Kind == KindDonation {
			months[i].In += r.Total
		} else {
			months[i].Out += r.Total
		}
	}
	return months, nil
}

func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// ProjectAmount is an amount that went to one project.
type ProjectAmount struct {
	Project uuid.UUID
	Amount  int64
}

// AllocationsByProject sums, per project, what allocations and
// reallocations brought to its tasks within [from, to) (zero: unbounded),
// the largest first.
func (s *Service) AllocationsByProject(ctx context.Context, viewer *membership.Account, name string, from, to time.Time) ([]ProjectAmount, error) {
	if err := (Query{From: from, To: to}).check(); err != nil {
		return nil, err
	}
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Ledger().TaskInflowsByProject(ctx, a.association.ID, []string{KindAllocation, KindReallocation}, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]ProjectAmount, len(rows))
	for i, r := range rows {
		out[i] = ProjectAmount{Project: r.ProjectID, Amount: r.Total}
	}
	return out, nil
}

// Payouts lists the payouts of association name, newest first, the unpaid
// ones only when unpaid. The bank's reference is shown to members only.
func (s *Service) Payouts(ctx context.Context, viewer *membership.Account, name string, unpaid bool) ([]Payout, error) {
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Ledger().Payouts(ctx, a.association.ID, unpaid, MaxPageSize)
	if err != nil {
		return nil, err
	}
	return payoutsFor(a, rows), nil
}

// PayoutsOfTask lists the payouts of task, oldest first.
func (s *Service) PayoutsOfTask(ctx context.Context, viewer *membership.Account, task uuid.UUID) ([]Payout, error) {
	acc, err := taskAccount(ctx, s.db.Tx, task, false)
	if errors.Is(err, ErrNoSuchTaskAccount) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a, err := s.readableByID(ctx, viewer, acc.AssociationID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Ledger().PayoutsOfTask(ctx, task)
	if err != nil {
		return nil, err
	}
	return payoutsFor(a, rows), nil
}

func payoutsFor(a reader, rows []store.LedgerPayout) []Payout {
	out := make([]Payout, len(rows))
	for i, r := range rows {
		out[i] = payoutFrom(r)
		if !a.member {
			out[i].BankReference = ""
		}
	}
	return out
}
