package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Balance is one account's balance; Budget, Open and Locked are a task's.
type Balance struct {
	Account string
	Kind    string
	Balance int64
	Budget  int64
	Open    bool
	Locked  bool
}

// Balances returns the balance of every account of association name.
func (s *Service) Balances(ctx context.Context, viewer *membership.Account, name string) ([]Balance, error) {
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Ledger().Accounts(ctx, a.association.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Balance, 0, len(rows))
	for _, r := range rows {
		out = append(out, Balance{Account: r.Key, Kind: r.Kind, Balance: r.Balance, Budget: r.Budget, Open: r.Open, Locked: r.Locked})
	}
	return out, nil
}

// Page sizes of the public ledger.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Page is one page of the ledger, newest first; Next is the cursor of the
// following page, uuid.Nil at the end.
type Page struct {
	Currency string
	Items    []Transaction
	Next     uuid.UUID
}

// Ledger returns a page of association name's transactions, newest first,
// before the cursor. Donors' names are shown to the public only where the
// donor allowed it, and always to members.
func (s *Service) Ledger(ctx context.Context, viewer *membership.Account, name string, before uuid.UUID, limit int) (Page, error) {
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return Page{}, err
	}
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	rows, err := s.db.Ledger().Transactions(ctx, a.association.ID, before, limit+1)
	if err != nil {
		return Page{}, err
	}
	return s.page(ctx, a, rows, limit)
}

// page makes a Page of rows, read with one row more than limit to know
// whether another page follows, with their postings.
func (s *Service) page(ctx context.Context, a reader, rows []store.LedgerTransaction, limit int) (Page, error) {
	page := Page{Currency: a.association.Settings.Currency}
	if len(rows) > limit {
		rows = rows[:limit]
		page.Next = rows[limit-1].ID
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	postings, err := s.db.Ledger().Postings(ctx, ids)
	if err != nil {
		return Page{}, err
	}
	byTx := map[uuid.UUID][]Posting{}
	for _, p := range postings {
		byTx[p.TransactionID] = append(byTx[p.TransactionID], Posting{Account: p.Key, Amount: p.Amount})
	}
	for _, r := range rows {
		t := transactionFrom(r, a.member)
		t.Postings = byTx[r.ID]
		page.Items = append(page.Items, t)
	}
	return page, nil
}

func transactionFrom(r store.LedgerTransaction, member bool) Transaction {
	t := Transaction{ID: r.ID, AssociationID: r.AssociationID, Kind: r.Kind, Cause: r.Cause, CreatedBy: r.CreatedBy,
		Donor: r.Donor, DonorPublic: r.PublicName, Memo: r.Memo, Amount: r.Amount, CreatedAt: r.CreatedAt}
	if r.Kind == KindDonation && !r.PublicName && !member {
		// Hidden donors stay hidden, their account included.
		t.Donor, t.CreatedBy = "", ""
	}
	return t
}

// Step is one move of a part of a donation.
type Step struct {
	Transaction uuid.UUID
	Kind        string
	From, To    string // account keys
	Payee       string // for a payout: the actor paid
	Amount      int64
	At          string // RFC 3339
}

// Holding is a part of a donation still sitting in an account.
type Holding struct {
	Account string
	Amount  int64
}

// Trace shows where each part of a donation went, first in first out:
// every move in order, and where the rest sits now.
type Trace struct {
	Currency string
	Donation Transaction
	Steps    []Step
	Holdings []Holding
}

// Trace follows donation id.
func (s *Service) Trace(ctx context.Context, viewer *membership.Account, id uuid.UUID) (Trace, error) {
	d, err := s.db.Ledger().Transaction(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.Kind != KindDonation) {
		return Trace{}, ErrNoSuchDonation
	}
	if err != nil {
		return Trace{}, err
	}
	a, err := s.readableByID(ctx, viewer, d.AssociationID)
	if err != nil {
		return Trace{}, err
	}
	moves, err := s.db.Ledger().MovesOfDonation(ctx, id)
	if err != nil {
		return Trace{}, err
	}
	lots, err := s.db.Ledger().LotsOfDonation(ctx, id)
	if err != nil {
		return Trace{}, err
	}
	out := Trace{Currency: a.association.Settings.Currency, Donation: transactionFrom(d, a.member)}
	for _, m := range moves {
		out.Steps = append(out.Steps, Step{Transaction: m.TransactionID, Kind: m.Kind, From: m.FromKey, To: m.ToKey,
			Payee: m.Payee, Amount: m.Amount, At: m.CreatedAt.UTC().Format("2006-01-02T15:04:05Z07:00")})
	}
	keys := map[uuid.UUID]string{}
	for _, m := range moves {
		keys[m.ToAccount] = m.ToKey
	}
	held := map[string]int64{}
	var order []string
	for _, l := range lots {
		k := keys[l.AccountID]
		if _, seen := held[k]; !seen {
			order = append(order, k)
		}
		held[k] += l.Amount
	}
	for _, k := range order {
		out.Holdings = append(out.Holdings, Holding{Account: k, Amount: held[k]})
	}
	return out, nil
}

// Funding is how much of one donation reached a task, and how much of it is
// still there.
type Funding struct {
	Donation  uuid.UUID
	Donor     string // "" when hidden from the viewer
	In        int64
	Remaining int64
}

// FundingOf shows which donations fund task, oldest first.
func (s *Service) FundingOf(ctx context.Context, viewer *membership.Account, task uuid.UUID) ([]Funding, error) {
	acc, err := taskAccount(ctx, s.db.Tx, task, false)
	if err != nil {
		return nil, err
	}
	a, err := s.readableByID(ctx, viewer, acc.AssociationID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Ledger().FundingOf(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Funding, 0, len(rows))
	for _, r := range rows {
		f := Funding{Donation: r.DonationID, In: r.In, Remaining: r.Remaining}
		if r.PublicName || a.member {
			f.Donor = r.Donor
		}
		out = append(out, f)
	}
	return out, nil
}

// TaskCurrency returns the currency of the association whose ledger holds
// task's account, in which the task's amounts are written.
func (s *Service) TaskCurrency(ctx context.Context, task uuid.UUID) (string, error) {
	acc, err := taskAccount(ctx, s.db.Tx, task, false)
	if err != nil {
		return "", err
	}
	name, err := s.db.Ledger().AssociationName(ctx, acc.AssociationID)
	if err != nil {
		return "", fmt.Errorf("association of task %s: %w", task, err)
	}
	a, err := s.members.Association(ctx, name)
	if err != nil {
		return "", err
	}
	return a.Settings.Currency, nil
}

// RightsOf lists holder's reallocation rights, with what is left of each.
func (s *Service) RightsOf(ctx context.Context, holder string) ([]Right, error) {
	rows, err := s.db.Ledger().RightsOf(ctx, holder)
	if err != nil {
		return nil, err
	}
	out := make([]Right, 0, len(rows))
	for _, r := range rows {
		out = append(out, Right{Task: r.TaskID, Holder: r.Holder, Amount: r.Amount, Used: r.Used, Cause: r.Cause})
	}
	return out, nil
}

// Right is a volunteer's right to reallocate a task's balance.
type Right struct {
	Task         uuid.UUID
	Holder       string
	Amount, Used int64
	Cause        string
}

type reader struct {
	association membership.Association
	member      bool // an active member sees hidden donors
}

// readable returns association name as viewer may read its ledger: anyone
// when the association is public, its members only otherwise.
func (s *Service) readable(ctx context.Context, viewer *membership.Account, name string) (reader, error) {
	a, err := s.members.Association(ctx, name)
	if err != nil {
		return reader{}, err
	}
	member := false
	if viewer != nil {
		role, err := memberRole(ctx, s.db.Tx, a.ID, *viewer)
		if err != nil {
			return reader{}, err
		}
		member = role != ""
	}
	if a.Settings.Visibility == membership.VisibilityMembers && !member {
		return reader{}, membership.ErrNotAllowed
	}
	return reader{association: a, member: member}, nil
}

func (s *Service) readableByID(ctx context.Context, viewer *membership.Account, id uuid.UUID) (reader, error) {
	name, err := s.db.Ledger().AssociationName(ctx, id)
	if err != nil {
		return reader{}, fmt.Errorf("association of ledger: %w", err)
	}
	return s.readable(ctx, viewer, name)
}
