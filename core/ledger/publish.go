package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Publication is a transaction to publish in the database transaction
// that records it (DESIGN §1): every transaction of a ledger is public
// (unless its association is members-only), its donor's name only where
// the donor allowed it. Payee is the actor a payout pays.
type Publication struct {
	Transaction Transaction
	Payee       string
}

// Publisher queues publications inside the caller's transaction;
// federation provides it.
type Publisher interface {
	Publish(ctx context.Context, tx store.Tx, p Publication) error
}

// UsePublisher sets who turns publications into activities. It is set once,
// at wiring, before the service is used by several goroutines. Without one
// nothing is published (a ledger used without federation, in tests).
func (s *Service) UsePublisher(p Publisher) { s.publisher = p }

func (s *Service) publish(ctx context.Context, tx store.Tx, t Transaction, payee string) error {
	if s.publisher == nil {
		return nil
	}
	// What the public may see: a hidden donor stays hidden.
	if t.Kind == KindDonation && !t.DonorPublic {
		t.Donor, t.CreatedBy = "", ""
	}
	if err := s.publisher.Publish(ctx, tx, Publication{Transaction: t, Payee: payee}); err != nil {
		return fmt.Errorf("publish %s transaction: %w", t.Kind, err)
	}
	return nil
}

// Entry is one transaction as a reader may see it, with its association's
// currency and, for a payout, its payee.
type Entry struct {
	Transaction
	Currency    string
	Association string // the association's name
	Payee       string
}

// Transaction returns transaction id as viewer may see it: anyone when its
// association is public, members only otherwise; a hidden donor's name
// only to members.
func (s *Service) Transaction(ctx context.Context, viewer *membership.Account, id uuid.UUID) (Entry, error) {
	row, err := s.db.Ledger().Transaction(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Entry{}, ErrNoSuchTransaction
	}
	if err != nil {
		return Entry{}, err
	}
	a, err := s.readableByID(ctx, viewer, row.AssociationID)
	if err != nil {
		return Entry{}, err
	}
	postings, err := s.db.Ledger().Postings(ctx, []uuid.UUID{id})
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Transaction: transactionFrom(row, a.member), Currency: a.association.Settings.Currency, Association: a.association.Name}
	for _, p := range postings {
		e.Postings = append(e.Postings, Posting{Account: p.Key, Amount: p.Amount})
	}
	if row.Kind == KindPayout {
		p, err := s.db.Ledger().Payout(ctx, id)
		if err != nil {
			return Entry{}, fmt.Errorf("payee of transaction %s: %w", id, err)
		}
		e.Payee = p.Payee
	}
	return e, nil
}

// LedgerSize counts the transactions of association name's ledger, as
// viewer may read it.
func (s *Service) LedgerSize(ctx context.Context, viewer *membership.Account, name string) (int, error) {
	a, err := s.readable(ctx, viewer, name)
	if err != nil {
		return 0, err
	}
	return s.db.Ledger().CountTransactions(ctx, a.association.ID)
}
