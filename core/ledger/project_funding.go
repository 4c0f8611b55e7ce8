package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// ProjectFunding is the money of a project and its tasks, in minor units of
// Currency: what donors gave it directly (to the project or its tasks), what
// was allocated or reallocated to its tasks, what was paid out for them, and
// what its accounts hold now.
type ProjectFunding struct {
	Currency  string
	Donated   int64
	Allocated int64
	Spent     int64
	Balance   int64
}

// FundingOfProject sums the ledger of project, in association name, as
// viewer may read it (anyone for a public association, members otherwise).
// A project with no account yet has all figures zero.
func (s *Service) FundingOfProject(ctx context.Context, viewer *membership.Account, name string, project uuid.UUID) (ProjectFunding, error) {
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return ProjectFunding{}, err
	}
	flows, err := s.db.Ledger().FlowsOfProject(ctx, project)
	if err != nil {
		return ProjectFunding{}, fmt.Errorf("funding of project %s: %w", project, err)
	}
	out := ProjectFunding{Currency: a.association.Settings.Currency}
	for _, f := range flows {
		switch {
		case f.Kind == KindDonation:
			out.Donated += f.In
		case (f.Kind == KindAllocation || f.Kind == KindReallocation) && f.AccountKind == AccountTask:
			out.Allocated += f.In
		case f.Kind == KindPayout && f.AccountKind == AccountTask:
			out.Spent += f.Out
		}
	}
	if out.Balance, err = s.db.Ledger().BalanceOfProject(ctx, project); err != nil {
		return ProjectFunding{}, fmt.Errorf("funding of project %s: %w", project, err)
	}
	return out, nil
}

// PayoutOfTask returns the payout of task, owed or paid, as viewer may
// read the association's ledger; ErrNoSuchPayout when the task has none (it
// was not paid for, or not yet verified).
func (s *Service) PayoutOfTask(ctx context.Context, viewer *membership.Account, task uuid.UUID) (Payout, error) {
	list, err := s.db.Ledger().PayoutsOfTask(ctx, task)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Payout{}, fmt.Errorf("payout of task %s: %w", task, err)
	}
	if len(list) == 0 {
		return Payout{}, ErrNoSuchPayout
	}
	last := list[len(list)-1]
	if _, err := s.readableByID(ctx, viewer, last.AssociationID); err != nil {
		return Payout{}, err
	}
	return payoutFrom(last), nil
}
