package ledger

import (
	"encoding/csv"
	"io"
	"strings"
	"time"

	"github.com/holon-network/holon/core/money"
)

// TransactionView is a transaction as the API and the ActivityPub
// collection show it: amounts as decimal strings of the currency.
type TransactionView struct {
	ID        string        `json:"id"`
	Kind      string        `json:"kind"`
	Amount    string        `json:"amount"`
	Currency  string        `json:"currency"`
	Cause     string        `json:"cause"`
	CreatedBy string        `json:"created_by,omitempty"`
	Donor     string        `json:"donor,omitempty"`
	Memo      string        `json:"memo,omitempty"`
	CreatedAt string        `json:"created_at"`
	Postings  []PostingView `json:"postings"`
}

// PostingView is a posting with its amount as a decimal string.
type PostingView struct {
	Account string `json:"account"`
	Amount  string `json:"amount"`
}

// View renders t in currency.
func View(t Transaction, currency string) TransactionView {
	v := TransactionView{ID: t.ID.String(), Kind: t.Kind, Amount: money.Format(t.Amount, currency), Currency: currency,
		Cause: t.Cause, CreatedBy: t.CreatedBy, Donor: t.Donor, Memo: t.Memo,
		CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339), Postings: []PostingView{}}
	for _, p := range t.Postings {
		v.Postings = append(v.Postings, PostingView{Account: p.Account, Amount: money.Format(p.Amount, currency)})
	}
	return v
}

// CSVHeader is the first row of the ledger's CSV export.
var CSVHeader = []string{"id", "created_at", "kind", "amount", "currency", "cause", "created_by", "donor", "memo", "postings"}

// WriteCSV writes the transactions of page as CSV rows, header first. Free
// texts that a spreadsheet would run as a formula are quoted with a
// leading apostrophe.
func WriteCSV(w io.Writer, page Page) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	return writeRows(cw, page)
}

// WriteCSVRows writes the transactions of page as CSV rows without the
// header, for an export that follows WriteCSV with further pages.
func WriteCSVRows(w io.Writer, page Page) error {
	return writeRows(csv.NewWriter(w), page)
}

func writeRows(cw *csv.Writer, page Page) error {
	for _, t := range page.Items {
		v := View(t, page.Currency)
		parts := make([]string, len(v.Postings))
		for i, p := range v.Postings {
			parts[i] = p.Account + " " + p.Amount
		}
		if err := cw.Write([]string{v.ID, v.CreatedAt, v.Kind, v.Amount, v.Currency, cell(v.Cause),
			cell(v.CreatedBy), cell(v.Donor), cell(v.Memo), strings.Join(parts, "; ")}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
