package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/rs/zerolog/hlog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/web/auth"
)

// Ledger is what the API needs of the ledger service.
type Ledger interface {
	RecordDonation(ctx context.Context, by membership.Account, name string, in ledger.DonationInput) (ledger.Transaction, error)
	Allocate(ctx context.Context, by membership.Account, name string, in ledger.AllocationInput) (ledger.Transaction, error)
	Reallocate(ctx context.Context, holder string, task uuid.UUID, parts []ledger.Part) (ledger.Transaction, error)
	Balances(ctx context.Context, viewer *membership.Account, name string) ([]ledger.Balance, error)
	Ledger(ctx context.Context, viewer *membership.Account, name string, before uuid.UUID, limit int) (ledger.Page, error)
	Trace(ctx context.Context, viewer *membership.Account, id uuid.UUID) (ledger.Trace, error)
	FundingOf(ctx context.Context, viewer *membership.Account, task uuid.UUID) ([]ledger.Funding, error)
	RightsOf(ctx context.Context, holder string) ([]ledger.Right, error)
	TaskCurrency(ctx context.Context, task uuid.UUID) (string, error)
	FundingOfProject(ctx context.Context, viewer *membership.Account, name string, project uuid.UUID) (ledger.ProjectFunding, error)
	PayoutOfTask(ctx context.Context, viewer *membership.Account, task uuid.UUID) (ledger.Payout, error)
}

func (h *handlers) routeLedger(r chi.Router) {
	r.Post("/associations/{name}/donations", h.donate)
	r.Post("/associations/{name}/allocations", h.allocate)
	r.Get("/associations/{name}/ledger", h.getLedger)
	r.Get("/associations/{name}/ledger.csv", h.getLedgerCSV)
	r.Get("/associations/{name}/balances", h.getBalances)
	r.Get("/donations/{id}/trace", h.getTrace)
	r.Get("/tasks/{id}/funding", h.getFunding)
	r.Post("/tasks/{id}/reallocations", h.reallocate)
	r.Get("/accounts/me/reallocation-rights", h.myRights)
}

// amount reads the decimal string s of field in currency; what it refuses
// is refused with the ledger's own code, so that "-5" and "0" read alike.
func amount(field, s, currency string) (int64, error) {
	n, fe := amountField(field, s, currency)
	if fe != nil {
		return 0, badField(fe.Code, fe.Field, fe.Detail)
	}
	return n, nil
}

// amountField is amount for a request that reports every field at once.
func amountField(field, s, currency string) (int64, *core.FieldError) {
	n, err := money.Parse(s, currency)
	if err != nil { // money.Parse refuses a sign: "-5" is no amount
		return 0, &core.FieldError{Field: field, Code: "invalid-amount",
			Detail: fmt.Sprintf("must be a positive amount in %s such as \"12.50\"", currency)}
	}
	return n, nil
}

// currencyOf returns association name's currency.
func (h *handlers) currencyOf(ctx context.Context, name string) (string, error) {
	a, err := h.members.Association(ctx, name)
	if err != nil {
		return "", err
	}
	return a.Settings.Currency, nil
}

type donationRequest struct {
	Amount     string `json:"amount"`
	Currency   string `json:"currency"`
	Target     string `json:"target"`
	Donor      string `json:"donor"`
	PublicName bool   `json:"public_name"`
	Reference  string `json:"reference"`
}

// donate records a donation the association received; only its treasurer
// may (ledger.RecordDonation says why).
func (h *handlers) donate(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in donationRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	name := chi.URLParam(r, "name")
	cur := in.Currency
	if cur == "" {
		if cur, err = h.currencyOf(r.Context(), name); err != nil {
			fail(w, r, err)
			return
		}
	}
	// Read in the currency named: if it is not the association's, the
	// ledger refuses it as such, whatever the amount.
	n, err := amount("amount", in.Amount, cur)
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := h.ledger.RecordDonation(r.Context(), acc, name, ledger.DonationInput{Amount: n, Currency: in.Currency,
		Target: in.Target, Donor: in.Donor, PublicName: in.PublicName, Reference: in.Reference})
	if err != nil {
		fail(w, r, err)
		return
	}
	// Recorded: cur is the association's currency (the ledger refuses any other).
	created(w, r, "/donations/"+t.ID.String()+"/trace", ledger.View(t, cur))
}

type allocationRequest struct {
	From   string `json:"from"`
	Task   string `json:"task"`
	Amount string `json:"amount"`
	Cause  string `json:"cause"`
}

func (h *handlers) allocate(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in allocationRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	name := chi.URLParam(r, "name")
	cur, err := h.currencyOf(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	task, err := uuid.Parse(in.Task)
	if err != nil {
		fail(w, r, badField("invalid-task", "task", "must be the id of a task"))
		return
	}
	n, err := amount("amount", in.Amount, cur)
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := h.ledger.Allocate(r.Context(), acc, name, ledger.AllocationInput{From: in.From, Task: task, Amount: n,
		Currency: cur, Cause: in.Cause})
	if errors.Is(err, ledger.ErrNeedsProposal) && h.governance != nil {
		err = h.allocationProposal(r.Context(), err, name, task, in, cur)
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, ledger.View(t, cur))
}

// ledgerPageJSON is one page of an association's ledger, newest first.
type ledgerPageJSON struct {
	Currency string                   `json:"currency"`
	Items    []ledger.TransactionView `json:"items"`
	Next     *string                  `json:"next"`
}

func ledgerCursor(c string) *core.FieldError {
	if _, err := uuid.Parse(c); err != nil {
		return badCursor()
	}
	return nil
}

func (h *handlers) getLedger(w http.ResponseWriter, r *http.Request) {
	p, err := pageParams(r, ledger.DefaultPageSize, ledger.MaxPageSize, ledgerCursor)
	if err != nil {
		fail(w, r, err)
		return
	}
	before := uuid.Nil
	if p.cursor != "" {
		before = uuid.MustParse(p.cursor) // checked by ledgerCursor
	}
	pg, err := h.ledger.Ledger(r.Context(), auth.Account(r.Context()), chi.URLParam(r, "name"), before, p.limit)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := ledgerPageJSON{Currency: pg.Currency, Items: make([]ledger.TransactionView, 0, len(pg.Items))}
	for _, t := range pg.Items {
		out.Items = append(out.Items, ledger.View(t, pg.Currency))
	}
	if pg.Next != uuid.Nil {
		next := pg.Next.String()
		out.Next = &next
	}
	writeJSON(w, r, http.StatusOK, out)
}

// getLedgerCSV exports the whole ledger, newest first, page by page: a
// spreadsheet wants one file, and the pages keep each read small. The
// first page is read before anything is written, so that a refusal is
// still answered as a problem.
func (h *handlers) getLedgerCSV(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	viewer := auth.Account(r.Context())
	pg, err := h.ledger.Ledger(r.Context(), viewer, name, uuid.Nil, ledger.MaxPageSize)
	if err != nil {
		fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`-ledger.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := ledger.WriteCSV(w, pg); err != nil {
		return // the client went away
	}
	for pg.Next != uuid.Nil {
		if pg, err = h.ledger.Ledger(r.Context(), viewer, name, pg.Next, ledger.MaxPageSize); err != nil {
			// Too late for a problem: the export ends short, and the log says why.
			hlog.FromRequest(r).Error().Err(err).Str("path", r.URL.Path).Msg("ledger export cut short")
			return
		}
		if err := ledger.WriteCSVRows(w, pg); err != nil {
			return
		}
	}
}

// balancesJSON is every account of an association's ledger.
type balancesJSON struct {
	Currency string        `json:"currency"`
	Accounts []balanceJSON `json:"accounts"`
}

// balanceJSON is one account; a task's account also shows its budget and
// whether it is open to money and locked by a reservation.
type balanceJSON struct {
	Account string  `json:"account"`
	Kind    string  `json:"kind"`
	Balance string  `json:"balance"`
	Budget  *string `json:"budget,omitempty"`
	Open    *bool   `json:"open,omitempty"`
	Locked  *bool   `json:"locked,omitempty"`
}

func (h *handlers) getBalances(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	list, err := h.ledger.Balances(r.Context(), auth.Account(r.Context()), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	cur, err := h.currencyOf(r.Context(), name)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := balancesJSON{Currency: cur, Accounts: make([]balanceJSON, 0, len(list))}
	for _, b := range list {
		j := balanceJSON{Account: b.Account, Kind: b.Kind, Balance: money.Format(b.Balance, cur)}
		if b.Kind == ledger.AccountTask {
			budget, open, locked := money.Format(b.Budget, cur), b.Open, b.Locked
			j.Budget, j.Open, j.Locked = &budget, &open, &locked
		}
		out.Accounts = append(out.Accounts, j)
	}
	writeJSON(w, r, http.StatusOK, out)
}

// traceJSON shows where each part of a donation went.
type traceJSON struct {
	Currency string                 `json:"currency"`
	Donation ledger.TransactionView `json:"donation"`
	Steps    []stepJSON             `json:"steps"`
	Holdings []holdingJSON          `json:"holdings"`
}

type stepJSON struct {
	Transaction string `json:"transaction"`
	Kind        string `json:"kind"`
	From        string `json:"from"`
	To          string `json:"to"`
	Payee       string `json:"payee,omitempty"`
	Amount      string `json:"amount"`
	At          string `json:"at"`
}

type holdingJSON struct {
	Account string `json:"account"`
	Amount  string `json:"amount"`
}

func (h *handlers) getTrace(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, ledger.ErrNoSuchDonation)
		return
	}
	tr, err := h.ledger.Trace(r.Context(), auth.Account(r.Context()), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	c := tr.Currency
	out := traceJSON{Currency: c, Donation: ledger.View(tr.Donation, c), Steps: []stepJSON{}, Holdings: []holdingJSON{}}
	for _, s := range tr.Steps {
		out.Steps = append(out.Steps, stepJSON{Transaction: s.Transaction.String(), Kind: s.Kind, From: s.From, To: s.To,
			Payee: s.Payee, Amount: money.Format(s.Amount, c), At: s.At})
	}
	for _, hd := range tr.Holdings {
		out.Holdings = append(out.Holdings, holdingJSON{Account: hd.Account, Amount: money.Format(hd.Amount, c)})
	}
	writeJSON(w, r, http.StatusOK, out)
}

// fundingJSON lists the donations that reached a task, oldest first.
type fundingJSON struct {
	Task      string            `json:"task"`
	Currency  string            `json:"currency"`
	Donations []fundingLineJSON `json:"donations"`
}

type fundingLineJSON struct {
	Donation  string `json:"donation"`
	Donor     string `json:"donor,omitempty"`
	In        string `json:"in"`
	Remaining string `json:"remaining"`
}

// taskID reads the {id} of a task's route; a malformed one has no account.
func taskID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, ledger.ErrNoSuchTaskAccount)
		return uuid.Nil, false
	}
	return id, true
}

func (h *handlers) getFunding(w http.ResponseWriter, r *http.Request) {
	task, ok := taskID(w, r)
	if !ok {
		return
	}
	list, err := h.ledger.FundingOf(r.Context(), auth.Account(r.Context()), task)
	if err != nil {
		fail(w, r, err)
		return
	}
	cur, err := h.ledger.TaskCurrency(r.Context(), task)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := fundingJSON{Task: task.String(), Currency: cur, Donations: make([]fundingLineJSON, 0, len(list))}
	for _, f := range list {
		out.Donations = append(out.Donations, fundingLineJSON{Donation: f.Donation.String(), Donor: f.Donor,
			In: money.Format(f.In, cur), Remaining: money.Format(f.Remaining, cur)})
	}
	writeJSON(w, r, http.StatusOK, out)
}

type reallocationRequest struct {
	Parts []struct {
		Task   string `json:"task"`
		Amount string `json:"amount"`
	} `json:"parts"`
}

// reallocate moves parts of a task's balance to other open tasks, as the
// caller's reallocation right on that task allows.
func (h *handlers) reallocate(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	task, ok := taskID(w, r)
	if !ok {
		return
	}
	var in reallocationRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	if len(in.Parts) == 0 || len(in.Parts) > ledger.MaxParts {
		fail(w, r, badField("out-of-range", "parts", fmt.Sprintf("must list from 1 to %d parts", ledger.MaxParts)))
		return
	}
	if rt, remote, err := h.remoteTaskOf(r.Context(), task); err != nil || remote {
		if err != nil {
			fail(w, r, err)
			return
		}
		h.reallocateRemote(w, r, acc, rt, in)
		return
	}
	cur, err := h.ledger.TaskCurrency(r.Context(), task)
	if err != nil {
		fail(w, r, err)
		return
	}
	var fields []core.FieldError
	parts := make([]ledger.Part, len(in.Parts))
	for i, p := range in.Parts {
		id, err := uuid.Parse(p.Task)
		if err != nil {
			fields = append(fields, core.FieldError{Field: fmt.Sprintf("parts[%d].task", i), Code: "invalid-task", Detail: "must be the id of a task"})
		}
		n, fe := amountField(fmt.Sprintf("parts[%d].amount", i), p.Amount, cur)
		if fe != nil {
			fields = append(fields, *fe)
		}
		parts[i] = ledger.Part{Task: id, Amount: n}
	}
	if len(fields) > 0 {
		fail(w, r, core.Invalid(fields...))
		return
	}
	t, err := h.ledger.Reallocate(r.Context(), h.members.ActorURI(acc.Username), task, parts)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, ledger.View(t, cur))
}

// rightsJSON lists the caller's reallocation rights. They are few (one per
// task completed as a volunteer), so the list is not paged.
type rightsJSON struct {
	Rights []rightJSON `json:"rights"`
}

type rightJSON struct {
	Task      string `json:"task"`
	Currency  string `json:"currency"`
	Amount    string `json:"amount"`
	Used      string `json:"used"`
	Remaining string `json:"remaining"`
	Cause     string `json:"cause"`
}

func (h *handlers) myRights(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	list, err := h.ledger.RightsOf(r.Context(), h.members.ActorURI(acc.Username))
	if err != nil {
		fail(w, r, err)
		return
	}
	out := rightsJSON{Rights: make([]rightJSON, 0, len(list))}
	for _, rt := range list {
		cur, err := h.ledger.TaskCurrency(r.Context(), rt.Task)
		if err != nil {
			fail(w, r, err)
			return
		}
		out.Rights = append(out.Rights, renderRight(rt, cur))
	}
	writeJSON(w, r, http.StatusOK, out)
}

func renderRight(rt ledger.Right, cur string) rightJSON {
	return rightJSON{Task: rt.Task.String(), Currency: cur, Amount: money.Format(rt.Amount, cur),
		Used: money.Format(rt.Used, cur), Remaining: money.Format(rt.Amount-rt.Used, cur), Cause: rt.Cause}
}
