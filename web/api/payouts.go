package api

import (
	"net/http"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/web/auth"
)

type markPaidRequest struct {
	Reference string `json:"reference"`
}

// payoutJSON is money owed to a payee for a verified task, until paid.
type payoutJSON struct {
	ID            string  `json:"id"`
	Task          string  `json:"task"`
	Payee         string  `json:"payee"`
	Amount        string  `json:"amount"`
	Currency      string  `json:"currency"`
	Paid          bool    `json:"paid"`
	PaidAt        *string `json:"paid_at,omitempty"`
	PaidBy        string  `json:"paid_by,omitempty"`
	BankReference string  `json:"bank_reference,omitempty"`
}

func renderPayout(p ledger.Payout, cur string) payoutJSON {
	return payoutJSON{ID: p.ID.String(), Task: p.TaskID.String(), Payee: p.Payee, Amount: money.Format(p.Amount, cur),
		Currency: cur, Paid: p.Paid, PaidAt: optTimestamp(p.PaidAt), PaidBy: p.PaidBy, BankReference: p.BankReference}
}

// markPaid records, as the treasurer, that a payout was paid; its task
// moves from done to paid in the same transaction.
func (h *handlers) markPaid(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, ledger.ErrNoSuchPayout)
	if !ok {
		return
	}
	var in markPaidRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	p, err := h.projects.MarkPaid(r.Context(), acc, id, in.Reference)
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := h.projects.Task(r.Context(), p.TaskID)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderPayout(p, t.Currency))
}
