package ledger

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// DonationInput is what a donor gives. Target is "general" (or empty),
// "project:{id}" or "task:{id}".
type DonationInput struct {
	Amount     int64
	Currency   string
	Target     string
	Donor      string // the donor's name; may be empty
	PublicName bool   // may the public see Donor? Members always may
	Reference  string // the payment's reference, if any; else the donation's own URI is its cause
}

// Donate records a donation to association name, by anyone (by is nil for
// an anonymous donor). It trusts its caller to have received the money: it
// is for in-process callers that have (a payment provider's confirmation);
// people record donations with RecordDonation.
func (s *Service) Donate(ctx context.Context, by *membership.Account, name string, in DonationInput) (Transaction, error) {
	return s.donate(ctx, by, name, in, false)
}

// RecordDonation records, as the association's treasurer, a donation the
// association received (a bank transfer, cash): Holon has no payment
// provider, so a donation is money the treasurer has seen arrive. Anyone may
// give; only the treasurer may write the gift into the ledger, because the
// board allocates and the payouts it guarantees are paid from that money. A
// pledge nobody has received would make a guaranteed payment a promise
// nobody can keep. The donor's name is Donor, not by, who is recorded as
// the one who wrote the entry.
func (s *Service) RecordDonation(ctx context.Context, by membership.Account, name string, in DonationInput) (Transaction, error) {
	return s.donate(ctx, &by, name, in, true)
}

func (s *Service) donate(ctx context.Context, by *membership.Account, name string, in DonationInput, byTreasurer bool) (Transaction, error) {
	a, err := s.association(ctx, name, in.Amount, in.Currency)
	if err != nil {
		return Transaction{}, err
	}
	donor := strings.TrimSpace(in.Donor)
	if utf8.RuneCountInString(donor) > MaxDonorName {
		// Counted in characters, as the form counts them: a name in
		// Cyrillic or Greek has two bytes a letter.
		return Transaction{}, core.Invalid(core.FieldError{Field: "donor", Code: "too-long",
			Detail: "the donor's name has at most " + strconv.Itoa(MaxDonorName) + " characters"})
	}
	if len(in.Reference) > MaxCause {
		return Transaction{}, ErrInvalidCause
	}
	id := newID()
	cause := strings.TrimSpace(in.Reference)
	if cause == "" {
		cause = s.DonationURI(id)
	}
	createdBy := ""
	if by != nil {
		createdBy = s.members.ActorURI(by.Username)
	}
	var out Transaction
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if byTreasurer {
			if err := requireTreasurer(ctx, tx, a.ID, *by); err != nil {
				return err
			}
		}
		target, err := s.target(ctx, tx, a.ID, in.Target)
		if err != nil {
			return err
		}
		donors, err := s.ensureAccount(ctx, tx, a.ID, KeyDonors)
		if err != nil {
			return err
		}
		out, err = s.record(ctx, tx, entry{id: id, association: a.ID, kind: KindDonation, cause: cause,
			createdBy: createdBy, donor: donor, publicName: in.PublicName && donor != "",
			flows: []flow{{from: donors.ID, to: target.ID, amount: in.Amount}}})
		if err != nil || !byTreasurer {
			return err
		}
		to := in.Target
		if to == "" {
			to = KeyGeneral
		}
		return recordBoard(ctx, tx, a.ID, *by, "ledger.donation", amountOf(in.Amount, a.Settings.Currency), map[string]any{"to": to})
	})
	if err != nil {
		return Transaction{}, fmt.Errorf("donate to %s: %w", name, err)
	}
	return out, nil
}

// DonationURI is the address of donation id (its trace).
func (s *Service) DonationURI(id uuid.UUID) string {
	return s.members.Policy().BaseURL + "/donations/" + id.String()
}

// AllocationInput moves money from the general fund or a project (From:
// "general" or "project:{id}") to an open task.
type AllocationInput struct {
	From     string
	Task     uuid.UUID
	Amount   int64
	Currency string
	Cause    string // the decision; by default the board member who allocates
}

// Allocate moves money to a task, as the association's board or treasurer,
// within the available balance and within the board_may_allocate_up_to
// setting: above it the allocation needs a proposal (ErrNeedsProposal).
func (s *Service) Allocate(ctx context.Context, by membership.Account, name string, in AllocationInput) (Transaction, error) {
	a, err := s.association(ctx, name, in.Amount, in.Currency)
	if err != nil {
		return Transaction{}, err
	}
	actor := s.members.ActorURI(by.Username)
	cause := in.Cause
	if strings.TrimSpace(cause) == "" {
		cause = actor
	}
	var out Transaction
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if err := requireBoardOrTreasurer(ctx, tx, a.ID, by); err != nil {
			return err
		}
		if in.Amount > a.Settings.BoardMayAllocateUpTo {
			return ErrNeedsProposal
		}
		out, err = s.allocate(ctx, tx, a.ID, in.From, in.Task, in.Amount, cause, actor)
		if err != nil {
			return err
		}
		return recordAllocation(ctx, tx, a, by, in)
	})
	if err != nil {
		return Transaction{}, fmt.Errorf("allocate in %s: %w", name, err)
	}
	return out, nil
}

func (s *Service) allocate(ctx context.Context, tx store.Tx, association uuid.UUID, from string, task uuid.UUID, amount int64, cause, by string) (Transaction, error) {
	if from == "" {
		from = KeyGeneral
	}
	if from != KeyGeneral && !strings.HasPrefix(from, "project:") {
		return Transaction{}, ErrInvalidTarget
	}
	source, err := s.target(ctx, tx, association, from)
	if err != nil {
		return Transaction{}, err
	}
	to, err := taskAccount(ctx, tx, task, false)
	if err != nil {
		return Transaction{}, err
	}
	return s.record(ctx, tx, entry{association: association, kind: KindAllocation, cause: cause, createdBy: by,
		flows: []flow{{from: source.ID, to: to.ID, amount: amount}}})
}

// Part is one part of a reallocation: an amount to one open task.
type Part struct {
	Task   uuid.UUID
	Amount int64
}

// MaxParts bounds the parts of one reallocation.
const MaxParts = 50

// Reallocate moves parts of task's balance to other open tasks of the same
// association, as holder (an actor URI) of the task's reallocation right.
// The parts together may not pass what is left of the right.
func (s *Service) Reallocate(ctx context.Context, holder string, task uuid.UUID, parts []Part) (Transaction, error) {
	var out Transaction
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		var err error
		out, err = s.ReallocateIn(ctx, tx, holder, task, parts, "")
		return err
	})
	if err != nil {
		return Transaction{}, fmt.Errorf("reallocate task %s: %w", task, err)
	}
	return out, nil
}

// ReallocateIn is Reallocate inside the caller's transaction, for a
// holder elsewhere whose offer is answered in it. Its cause is cause (the
// holder's offer), or the right's when empty.
func (s *Service) ReallocateIn(ctx context.Context, tx store.Tx, holder string, task uuid.UUID, parts []Part, cause string) (Transaction, error) {
	if len(parts) == 0 || len(parts) > MaxParts {
		return Transaction{}, ErrInvalidAmount
	}
	source, err := taskAccount(ctx, tx, task, true)
	if err != nil {
		return Transaction{}, err
	}
	right, err := tx.Ledger().RightOfTaskForUpdate(ctx, task)
	if errors.Is(err, store.ErrNotFound) || (err == nil && right.Holder != holder) {
		return Transaction{}, ErrNoReallocationRight
	}
	if err != nil {
		return Transaction{}, err
	}
	var total int64
	flows := make([]flow, 0, len(parts))
	for _, p := range parts {
		if p.Amount <= 0 || p.Amount > maxTotal {
			return Transaction{}, ErrInvalidAmount
		}
		total += p.Amount
		to, err := taskAccount(ctx, tx, p.Task, false)
		if err != nil {
			return Transaction{}, err
		}
		if to.AssociationID != source.AssociationID || to.ID == source.ID {
			return Transaction{}, ErrInvalidTarget
		}
		flows = append(flows, flow{from: source.ID, to: to.ID, amount: p.Amount})
	}
	if total > right.Amount-right.Used {
		return Transaction{}, ErrRightExceeded
	}
	if cause == "" {
		cause = right.Cause
	} else if cause, err = checkCause(cause); err != nil {
		return Transaction{}, err
	}
	out, err := s.record(ctx, tx, entry{association: source.AssociationID, kind: KindReallocation,
		cause: cause, createdBy: holder, flows: flows})
	if err != nil {
		return Transaction{}, err
	}
	return out, tx.Ledger().UseRight(ctx, right.ID, total)
}

// MaxBankReference bounds a payout's bank reference.
const MaxBankReference = 200

// MarkPaid records, inside the caller's transaction, as the association's
// treasurer, that payout was paid out, with the bank's reference. It is
// called by core/projects (projects.Service.MarkPaid), which moves the
// payout's task from done to paid in the same transaction: there is no
// other way to mark a payout paid, so a task cannot stay done once paid.
func (s *Service) MarkPaid(ctx context.Context, tx store.Tx, by membership.Account, payout uuid.UUID, bankReference string) (Payout, error) {
	ref := strings.TrimSpace(bankReference)
	if ref == "" || len(ref) > MaxBankReference {
		return Payout{}, ErrInvalidCause
	}
	p, err := tx.Ledger().PayoutForUpdate(ctx, payout)
	if errors.Is(err, store.ErrNotFound) {
		return Payout{}, ErrNoSuchPayout
	}
	if err != nil {
		return Payout{}, fmt.Errorf("mark payout %s paid: %w", payout, err)
	}
	if err := requireTreasurer(ctx, tx, p.AssociationID, by); err != nil {
		return Payout{}, err
	}
	if p.PaidAt != nil {
		return Payout{}, ErrPayoutPaid
	}
	now := s.now().Truncate(time.Microsecond)
	p.PaidAt, p.PaidBy, p.BankReference = &now, s.members.ActorURI(by.Username), ref
	if err := tx.Ledger().UpdatePayout(ctx, &p); err != nil {
		return Payout{}, fmt.Errorf("mark payout %s paid: %w", payout, err)
	}
	return payoutFrom(p), nil
}

// Payout is money owed to a payee for a verified task, until paid.
type Payout struct {
	ID            uuid.UUID
	TaskID        uuid.UUID
	Payee         string
	Amount        int64
	Paid          bool
	PaidAt        *time.Time
	PaidBy        string
	BankReference string
}

func payoutFrom(p store.LedgerPayout) Payout {
	return Payout{ID: p.ID, TaskID: p.TaskID, Payee: p.Payee, Amount: p.Amount, Paid: p.PaidAt != nil,
		PaidAt: p.PaidAt, PaidBy: p.PaidBy, BankReference: p.BankReference}
}

// Refund gives amount of donation back to its donor, as the association's
// treasurer: the money is taken from wherever that donation's lots sit,
// except a locked task.
func (s *Service) Refund(ctx context.Context, by membership.Account, donation uuid.UUID, amount int64, reason string) (Transaction, error) {
	if amount <= 0 || amount > maxTotal {
		return Transaction{}, ErrInvalidAmount
	}
	if len(reason) > MaxMemo {
		return Transaction{}, ErrInvalidCause
	}
	var out Transaction
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		d, err := tx.Ledger().Transaction(ctx, donation)
		if errors.Is(err, store.ErrNotFound) || (err == nil && d.Kind != KindDonation) {
			return ErrNoSuchDonation
		}
		if err != nil {
			return err
		}
		if err := requireTreasurer(ctx, tx, d.AssociationID, by); err != nil {
			return err
		}
		donors, err := s.ensureAccount(ctx, tx, d.AssociationID, KeyDonors)
		if err != nil {
			return err
		}
		lots, err := tx.Ledger().LotsOfDonation(ctx, donation)
		if err != nil {
			return err
		}
		held := map[uuid.UUID]int64{}
		var order []uuid.UUID
		for _, l := range lots {
			if _, seen := held[l.AccountID]; !seen {
				order = append(order, l.AccountID)
			}
			held[l.AccountID] += l.Amount
		}
		accounts, err := tx.Ledger().AccountsForUpdate(ctx, order)
		if err != nil {
			return err
		}
		locked := map[uuid.UUID]bool{}
		for _, a := range accounts {
			locked[a.ID] = a.Locked
		}
		left := amount
		var flows []flow
		for _, acc := range order {
			if left == 0 || locked[acc] {
				continue
			}
			part := min(held[acc], left)
			flows = append(flows, flow{from: acc, to: donors.ID, amount: part, donation: donation})
			left -= part
		}
		if left > 0 {
			return ErrInsufficientFunds
		}
		out, err = s.record(ctx, tx, entry{association: d.AssociationID, kind: KindRefund, cause: s.DonationURI(donation),
			createdBy: s.members.ActorURI(by.Username), memo: strings.TrimSpace(reason), flows: flows})
		if err != nil {
			return err
		}
		return recordRefund(ctx, tx, d.AssociationID, by, amount)
	})
	if err != nil {
		return Transaction{}, fmt.Errorf("refund donation %s: %w", donation, err)
	}
	return out, nil
}

// association returns association name after checking that amount is a
// positive amount of its currency.
func (s *Service) association(ctx context.Context, name string, amount int64, currency string) (membership.Association, error) {
	a, err := s.members.Association(ctx, name)
	if err != nil {
		return membership.Association{}, err
	}
	if amount <= 0 || amount > maxTotal {
		return membership.Association{}, ErrInvalidAmount
	}
	if currency != "" {
		c, err := money.Currency(currency)
		if err != nil || c != a.Settings.Currency {
			return membership.Association{}, ErrWrongCurrency
		}
	}
	return a, nil
}

// target returns the internal account key names in association: general,
// an existing project's or task's account.
func (s *Service) target(ctx context.Context, tx store.Tx, association uuid.UUID, key string) (store.LedgerAccount, error) {
	switch {
	case key == "" || key == KeyGeneral:
		return s.ensureAccount(ctx, tx, association, KeyGeneral)
	case strings.HasPrefix(key, "project:"), strings.HasPrefix(key, "task:"):
		_, id, _ := strings.Cut(key, ":")
		u, err := uuid.Parse(id)
		if err != nil {
			return store.LedgerAccount{}, ErrInvalidTarget
		}
		kind, _, _ := strings.Cut(key, ":")
		return accountByKey(ctx, tx, association, kind+":"+u.String())
	}
	return store.LedgerAccount{}, ErrInvalidTarget
}

// memberRole returns by's role in association, "" unless by is an active
// member.
func memberRole(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) (string, error) {
	if by.Status != membership.AccountActive {
		return "", nil
	}
	m, err := tx.Associations().Membership(ctx, association, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if m.Status != membership.MemberActive {
		return "", nil
	}
	return m.Role, nil
}

// requireBoardOrTreasurer refuses anyone but the board and the treasurer,
// who allocate the association's money.
func requireBoardOrTreasurer(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) error {
	r, err := memberRole(ctx, tx, association, by)
	if err != nil {
		return err
	}
	if r != membership.MemberBoard && r != membership.MemberTreasurer {
		return ErrBoardOrTreasurer
	}
	return nil
}

func requireTreasurer(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) error {
	r, err := memberRole(ctx, tx, association, by)
	if err != nil {
		return err
	}
	if r != membership.MemberTreasurer {
		return ErrTreasurerOnly
	}
	return nil
}
