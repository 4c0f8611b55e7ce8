package pages

import (
	"net/http"
	"time"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/web/auth"
)

// traceStep is one move of a part of the donation, as a sentence: how
// much went from where to where (and to whom, for a payment), and when.
type traceStep struct {
	Number   int
	Kind     string
	From, To accountRef
	Payee    actorRef
	Amount   int64
	At       time.Time
}

type holdingView struct {
	Account accountRef
	Amount  int64
}

type tracePage struct {
	frame
	Association membership.Association
	Currency    string
	Donation    transactionView
	Steps       []traceStep
	Holdings    []holdingView
	Paid        int64 // what reached payees
}

// tracePage shows where each part of a donation went, step by step.
func (s *server) tracePage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	viewer := auth.Account(ctx)
	tr, err := s.ledger.Trace(ctx, viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.projects.AssociationOf(ctx, tr.Donation.AssociationID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, member, err := s.memberOf(ctx, viewer, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := s.namer(ctx)
	p := &tracePage{Association: a, Currency: tr.Currency, Donation: s.transactionView(names, tr.Donation, member)}
	for i, st := range tr.Steps {
		at, _ := time.Parse(time.RFC3339, st.At)
		step := traceStep{Number: i + 1, Kind: st.Kind, From: names.account(st.From), To: names.account(st.To),
			Payee: names.actor(st.Payee), Amount: st.Amount, At: at}
		if st.Kind == ledger.KindPayout {
			p.Paid += st.Amount
		}
		p.Steps = append(p.Steps, step)
	}
	for _, h := range tr.Holdings {
		p.Holdings = append(p.Holdings, holdingView{Account: names.account(h.Account), Amount: h.Amount})
	}
	s.render(w, r, http.StatusOK, "trace", p)
}
