package federation

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// transaction builds the document of a ledger transaction as the public
// sees it (the caller has hidden a donor who asked to be): its postings
// name accounts by IRI (the association for its general fund, the project
// or task for theirs, the payee of a payout, the association's #donors or
// #payees otherwise), its summary says what happened in words.
func (d objectDocs) transaction(ctx context.Context, tx store.Tx, t ledger.Transaction, payee string) (objectDoc, error) {
	o, err := d.owner(ctx, tx, t.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	cur := o.association.Settings.Currency
	amount := money.Format(t.Amount, cur) + " " + cur
	to, cc := addressed(o)
	f := vocab.TransactionFields{
		Object: vocab.Object{ID: d.uri("transactions", t.ID), AttributedTo: o.actor.URI, Audience: o.actor.URI,
			Published: t.CreatedAt, To: to, Cc: cc},
		Kind:   t.Kind,
		Amount: vocab.Amount{Value: money.Format(t.Amount, cur), Currency: cur},
	}
	if core.IsHTTPURL(t.Cause) {
		f.Cause = t.Cause
	}
	var from, into []string // what the postings say, in words
	for _, p := range t.Postings {
		account := d.accountIRI(o, p.Account, payee)
		f.Postings = append(f.Postings, vocab.Posting{Account: account,
			Amount: vocab.Amount{Value: money.Format(p.Amount, cur), Currency: cur}})
		if p.Amount < 0 {
			from = append(from, d.accountWords(ctx, tx, p.Account))
		} else {
			into = append(into, d.accountWords(ctx, tx, p.Account))
		}
	}
	switch t.Kind {
	case ledger.KindDonation:
		who := "A donor"
		if t.Donor != "" {
			who = t.Donor
		}
		f.Name = "Donation of " + amount
		f.Summary = who + " gave " + amount + " to " + strings.Join(into, ", ") + "."
	case ledger.KindAllocation:
		f.Name = "Allocation of " + amount + " to " + strings.Join(into, ", ")
		f.Summary = amount + " from " + strings.Join(from, ", ") + " to " + strings.Join(into, ", ") + "."
	case ledger.KindReallocation:
		f.Name = "Reallocation of " + amount
		f.Summary = "Whoever completed " + strings.Join(from, ", ") + " as a volunteer moved " + amount + " of its budget to " +
			strings.Join(into, ", ") + "."
	case ledger.KindPayout:
		f.Name = "Payout of " + amount + " to " + handle(ctx, tx, payee)
		f.Summary = upperFirst(strings.Join(from, ", ")) + " was verified; its budget is paid to " + handle(ctx, tx, payee) + "."
		if payee != "" {
			f.Cc = append(f.Cc, payee)
		}
	case ledger.KindRefund:
		f.Name = "Refund of " + amount
		f.Summary = amount + " from " + strings.Join(from, ", ") + " given back to the donor."
	default:
		f.Name = upperFirst(t.Kind) + " of " + amount
		f.Summary = amount + " from " + strings.Join(from, ", ") + " to " + strings.Join(into, ", ") + "."
	}
	f.Name, f.Summary = line(f.Name, vocab.MaxNameLength), line(f.Summary, vocab.MaxSummaryLength)
	doc, err := vocab.NewTransaction(f)
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of transaction %s: %w", t.ID, err)
	}
	return objectDoc{obj: doc, owner: o, updated: f.Updated}, nil
}

// accountIRI names a ledger account on the wire (docs/vocabulary.md §3).
func (d objectDocs) accountIRI(o owner, key, payee string) string {
	switch {
	case key == ledger.KeyGeneral:
		return o.actor.URI
	case key == ledger.KeyDonors:
		return o.actor.URI + "#donors"
	case key == ledger.KeyPayees && payee != "":
		return payee
	case key == ledger.KeyPayees:
		return o.actor.URI + "#payees"
	}
	kind, id, _ := strings.Cut(key, ":")
	if u, err := uuid.Parse(id); err == nil && (kind == "project" || kind == "task") {
		return d.uri(kind+"s", u)
	}
	return o.actor.URI + "#" + key
}

// accountWords names a ledger account for a person: "the general fund",
// "the Community garden project", "the task Paint the shed".
func (d objectDocs) accountWords(ctx context.Context, tx store.Tx, key string) string {
	kind, id, _ := strings.Cut(key, ":")
	u, _ := uuid.Parse(id)
	switch {
	case key == ledger.KeyGeneral:
		return "the general fund"
	case key == ledger.KeyDonors:
		return "the donors"
	case key == ledger.KeyPayees:
		return "the payee"
	case kind == "project":
		if p, err := tx.Projects().ByID(ctx, u); err == nil {
			return "the " + p.Name + " project"
		}
		return "a project"
	case kind == "task":
		if t, err := tx.Tasks().ByID(ctx, u); err == nil {
			return "the task " + t.Name
		}
		return "a task"
	}
	return key
}
