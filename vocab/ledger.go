package vocab

import (
	"fmt"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// TransactionFields is an entry of an association's ledger.
// Object.AttributedTo is the association that keeps the ledger.
type TransactionFields struct {
	Object
	Kind     string // donation, allocation, reallocation, payout, refund, transfer
	Amount   Amount // what the transaction moves
	Postings []Posting
	Cause    string // IRI of the donation record, adopted proposal, verified submission…
}

// Posting is one line of a transaction. Account is the ledger account as an
// IRI: the association for its general fund, a project or task for theirs,
// the donor or payee, or the association's IRI with #donors or #payees when
// that person is not named publicly.
type Posting struct {
	Account string
	Amount  Amount // negative when the money leaves the account
}

// NewTransaction builds a ledger transaction: ["Transaction", "Page"], so
// that Mastodon shows its name, summary and link. Its postings must be in
// the transaction's currency and sum to zero.
func NewTransaction(f TransactionFields) (streamsvocab.HolonTransaction, error) {
	t := streams.NewHolonTransaction()
	if err := setObject(t, f.Object, objectRules{kind: "transaction", fallback: "Page", noID: true}); err != nil {
		return nil, err
	}
	if err := oneOf("transaction", "kind", f.Kind, false, transactionKinds...); err != nil {
		return nil, err
	}
	k := streams.NewHolonKindProperty()
	k.Set(f.Kind)
	t.SetHolonKind(k)
	if err := f.Amount.check(false); err != nil {
		return nil, fmt.Errorf("transaction amount: %w", err)
	}
	a := streams.NewHolonAmountProperty()
	a.Set(f.Amount.monetary())
	t.SetHolonAmount(a)

	if len(f.Postings) < 2 {
		return nil, fmt.Errorf("%w: a transaction needs at least two postings", ErrInvalidObject)
	}
	var sum, out int64
	ps := streams.NewHolonPostingsProperty()
	for i, p := range f.Postings {
		if err := p.Amount.check(true); err != nil {
			return nil, fmt.Errorf("transaction posting %d: %w", i, err)
		}
		if p.Amount.Currency != f.Amount.Currency {
			return nil, fmt.Errorf("%w: posting %d is in %s, the transaction in %s", ErrInvalidObject, i, p.Amount.Currency, f.Amount.Currency)
		}
		u, err := absoluteIRI("transaction", "posting account", p.Account)
		if err != nil {
			return nil, err
		}
		m := p.Amount.minor()
		sum += m
		if m < 0 {
			out -= m
		}
		posting := streams.NewHolonPosting()
		acc := streams.NewHolonLedgerAccountProperty()
		acc.Set(u)
		posting.SetHolonLedgerAccount(acc)
		pa := streams.NewHolonAmountProperty()
		pa.Set(p.Amount.monetary())
		posting.SetHolonAmount(pa)
		ps.AppendHolonPosting(posting)
	}
	if sum != 0 {
		return nil, fmt.Errorf("%w: the postings of a transaction must sum to zero", ErrInvalidObject)
	}
	if out != f.Amount.minor() {
		return nil, fmt.Errorf("%w: the postings move %d minor units, the transaction says %s", ErrInvalidObject, out, f.Amount)
	}
	t.SetHolonPostings(ps)
	if f.Cause != "" {
		u, err := absoluteIRI("transaction", "cause", f.Cause)
		if err != nil {
			return nil, err
		}
		c := streams.NewHolonCauseProperty()
		c.Set(u)
		t.SetHolonCause(c)
	}
	return t, nil
}
