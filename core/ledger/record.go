package ledger

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// flow moves amount from one account to another. When donation is set, the
// money leaving from is taken from that donation's lots only (a refund);
// otherwise from the account's oldest lots first.
type flow struct {
	from, to uuid.UUID
	amount   int64
	donation uuid.UUID
}

// entry is a transaction to record: what it is and the flows it makes.
type entry struct {
	id          uuid.UUID // chosen by the caller when the cause names it; else new
	association uuid.UUID
	kind        string
	cause       string
	createdBy   string
	donor       string
	publicName  bool
	memo        string
	payee       string // a payout's payee, for its publication
	flows       []flow
}

// lotBatch is how many lots one read takes while spending an account.
const lotBatch = 200

// record is where every transaction is written and every invariant checked:
// positive flows within one association, postings that sum to zero, no
// internal account below zero, no money into a closed task except a refund,
// no money out of a locked task except its payout. It locks the accounts it
// touches, in id order, so that concurrent writers wait for each other
// instead of overdrawing; then it moves the lots, first in first out.
func (s *Service) record(ctx context.Context, tx store.Tx, e entry) (Transaction, error) {
	if len(e.flows) == 0 {
		return Transaction{}, ErrInvalidAmount
	}
	cause, err := checkCause(e.cause)
	if err != nil {
		return Transaction{}, err
	}
	delta := map[uuid.UUID]int64{}
	var total int64
	for _, f := range e.flows {
		if f.amount <= 0 || f.from == f.to || total > maxTotal-f.amount {
			return Transaction{}, ErrInvalidAmount
		}
		total += f.amount
		delta[f.from] -= f.amount
		delta[f.to] += f.amount
	}
	ids := make([]uuid.UUID, 0, len(delta))
	var sum int64
	for id, d := range delta {
		sum += d
		if d != 0 {
			ids = append(ids, id)
		}
	}
	if sum != 0 {
		return Transaction{}, fmt.Errorf("record %s: postings sum to %d", e.kind, sum)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	accounts, err := tx.Ledger().AccountsForUpdate(ctx, ids)
	if err != nil {
		return Transaction{}, err
	}
	if len(accounts) != len(ids) {
		return Transaction{}, ErrNoSuchAccount
	}
	byID := make(map[uuid.UUID]*store.LedgerAccount, len(accounts))
	for i := range accounts {
		a := &accounts[i]
		byID[a.ID] = a
		if a.AssociationID != e.association {
			return Transaction{}, ErrNoSuchAccount
		}
		d := delta[a.ID]
		internal := a.Kind != AccountExternal
		if d < 0 && a.Locked && e.kind != KindPayout {
			return Transaction{}, ErrTaskLocked
		}
		if d > 0 && a.Kind == AccountTask && !a.Open && e.kind != KindRefund {
			return Transaction{}, ErrTaskClosed
		}
		if internal && a.Balance+d < 0 {
			return Transaction{}, ErrInsufficientFunds
		}
	}

	id := e.id
	if id == uuid.Nil {
		id = newID()
	}
	row := store.LedgerTransaction{ID: id, AssociationID: e.association, Kind: e.kind, Cause: cause,
		CreatedBy: e.createdBy, Donor: e.donor, PublicName: e.publicName, Memo: e.memo, Amount: total, CreatedAt: s.now()}
	postings := make([]store.LedgerPosting, 0, len(ids))
	out := Transaction{ID: id, AssociationID: e.association, Kind: e.kind, Cause: cause, CreatedBy: e.createdBy,
		Donor: e.donor, DonorPublic: e.publicName, Memo: e.memo, Amount: total, CreatedAt: row.CreatedAt}
	for _, aid := range ids {
		a := byID[aid]
		postings = append(postings, store.LedgerPosting{TransactionID: id, AccountID: aid, Amount: delta[aid]})
		out.Postings = append(out.Postings, Posting{Account: a.Key, Amount: delta[aid]})
	}
	if err := tx.Ledger().AddTransaction(ctx, &row, postings); err != nil {
		return Transaction{}, err
	}
	for _, aid := range ids {
		a := byID[aid]
		a.Balance += delta[aid]
		if err := tx.Ledger().UpdateAccount(ctx, a); err != nil {
			return Transaction{}, err
		}
	}
	for _, f := range e.flows {
		if err := moveLots(ctx, tx, id, f, byID[f.from], byID[f.to]); err != nil {
			return Transaction{}, err
		}
	}
	if err := s.publish(ctx, tx, out, e.payee); err != nil {
		return Transaction{}, err
	}
	return out, nil
}

// maxTotal bounds a transaction's total, far below int64 overflow.
const maxTotal = int64(1) << 53

// moveLots follows f's money: money from outside (a donation) becomes a new
// lot of its own; money from an internal account is taken from its lots,
// oldest first, and each part lands in to as a lot of the same donation
// (unless to is external, where the trace ends).
func moveLots(ctx context.Context, tx store.Tx, txID uuid.UUID, f flow, from, to *store.LedgerAccount) error {
	var moves []store.LedgerMove
	var lots []store.LedgerLot
	land := func(donation uuid.UUID, amount int64) {
		moves = append(moves, store.LedgerMove{ID: newID(), TransactionID: txID, DonationID: donation,
			FromAccount: from.ID, ToAccount: to.ID, Amount: amount})
		if to.Kind != AccountExternal {
			lots = append(lots, store.LedgerLot{ID: newID(), AccountID: to.ID, DonationID: donation, Amount: amount})
		}
	}
	if from.Kind == AccountExternal {
		land(txID, f.amount)
	} else {
		left := f.amount
		var spent []uuid.UUID
		after := uuid.Nil
		for left > 0 {
			batch, err := tx.Ledger().Lots(ctx, from.ID, f.donation, after, lotBatch)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				// The balance said yes but the lots say no: they disagree, and
				// the ledger must not go on.
				return fmt.Errorf("move lots of %s: %d missing: %w", from.Key, left, ErrInsufficientFunds)
			}
			for _, l := range batch {
				after = l.ID
				part := min(l.Amount, left)
				land(l.DonationID, part)
				left -= part
				if part == l.Amount {
					spent = append(spent, l.ID)
				} else if err := tx.Ledger().SetLotAmount(ctx, l.ID, l.Amount-part); err != nil {
					return err
				}
				if left == 0 {
					break
				}
			}
		}
		if err := tx.Ledger().DeleteLots(ctx, spent); err != nil {
			return err
		}
	}
	if err := tx.Ledger().AddMoves(ctx, moves); err != nil {
		return err
	}
	return tx.Ledger().AddLots(ctx, lots)
}
