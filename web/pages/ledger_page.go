package pages

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

var (
	ledgerFilterFields = []string{"kind", "from", "to", "project"}
	donationFields     = []string{"amount", "target", "donor", "public_name", "reference"}
)

func init() {
	for name, max := range map[string]int{"kind": 16, "from": 10, "to": 10, "project": 36, "donor": ledger.MaxDonorName,
		"public_name": 8, "reference": ledger.MaxCause} {
		fieldMax[name] = max
	}
}

// chartMonths is how many months the charts show when no period is asked.
const chartMonths = 12

// postingView is a posting with its account named.
type postingView struct {
	Account accountRef
	Amount  int64
}

// transactionView is a transaction as the ledger page lists it.
type transactionView struct {
	ledger.Transaction
	Postings []postingView
	Cause    causeRef
	ByRef    actorRef
	Trace    string // a donation's trace
	Hidden   bool   // the donor's name is shown to members only
}

// projectOption is a project a filter offers.
type projectOption struct {
	ID   string
	Name string
}

// targetOption is an account a donation may go to.
type targetOption struct {
	Key     string
	Account accountRef
}

type ledgerPage struct {
	frame
	Association membership.Association
	Currency    string
	Filter      *form
	Kinds       []string
	Projects    []projectOption
	Items       []transactionView
	Next        string
	Flows       columnChart
	Allocations barChart
	IsMember    bool
	IsTreasurer bool
	General     int64 // the general fund's balance
	Donation    *form
	Targets     []targetOption
	Unpaid      []payoutView
	Paid        *form
	PaidFor     string // the payout whose form failed
	Done        string
}

func (s *server) ledgerPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showLedger(w, r, http.StatusOK, a, newForm(donationFields...), newForm(paidFields...), "")
}

// ledgerFilter reads the filters of the address into f and the query.
func ledgerFilter(r *http.Request, f *form) ledger.Query {
	var q ledger.Query
	v := r.URL.Query()
	for _, name := range ledgerFilterFields {
		if s := strings.TrimSpace(v.Get(name)); s != "" && len(s) <= fieldMax[name] {
			f.Values[name] = s
		}
	}
	q.Kind = f.Value("kind")
	if d := f.Value("from"); d != "" {
		t, err := time.Parse(dateLayout, d)
		if err != nil {
			f.fail(core.FieldError{Field: "from", Code: codeInvalidDate})
		}
		q.From = t
	}
	if d := f.Value("to"); d != "" {
		t, err := time.Parse(dateLayout, d)
		if err != nil {
			f.fail(core.FieldError{Field: "to", Code: codeInvalidDate})
		}
		q.To = t.AddDate(0, 0, 1) // the whole last day
	}
	if p := f.Value("project"); p != "" {
		id, err := uuid.Parse(p)
		if err != nil {
			f.fail(core.FieldError{Field: "project", Code: codeInvalidChoice})
		}
		q.Project = id
	}
	q.Before, _ = uuid.Parse(v.Get("before"))
	return q
}

// chartPeriod is the months the charts show: those of the filter's
// period, or the last twelve.
func chartPeriod(q ledger.Query, now time.Time) (from, to time.Time) {
	from, to = q.From, q.To
	if to.IsZero() {
		to = monthOf(now).AddDate(0, 1, 0)
	}
	if from.IsZero() {
		from = monthOf(to.Add(-time.Nanosecond)).AddDate(0, 1-chartMonths, 0)
	}
	return from, to
}

func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// showLedger shows the association's ledger as the filters of the address
// select it, with the treasurer's forms.
func (s *server) showLedger(w http.ResponseWriter, r *http.Request, status int, a membership.Association, donation, paid *form, paidFor string) {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	filter := newForm(ledgerFilterFields...)
	q := ledgerFilter(r, filter)
	q.Limit = ledger.DefaultPageSize
	p := &ledgerPage{Association: a, Currency: a.Settings.Currency, Filter: filter, Kinds: ledger.Kinds,
		Donation: donation, Paid: paid, PaidFor: paidFor, Done: doneParam(r, "donated", "paid")}
	m, member, err := s.memberOf(ctx, viewer, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.IsMember, p.IsTreasurer = member, member && m.Role == membership.MemberTreasurer
	names := s.namer(ctx)
	if !filter.Invalid() {
		page, err := s.ledger.Transactions(ctx, viewer, a.Name, q)
		if err != nil {
			if core.KindOf(err) != core.KindInvalid {
				s.fail(w, r, err)
				return
			}
			filter.take(err)
		}
		for _, t := range page.Items {
			p.Items = append(p.Items, s.transactionView(names, t, member))
		}
		if page.Next != uuid.Nil {
			u := *r.URL
			v := u.Query()
			v.Set("before", page.Next.String())
			v.Del("done")
			u.RawQuery = v.Encode()
			p.Next = u.RequestURI()
		}
	}
	from, to := chartPeriod(q, time.Now())
	if !filter.Invalid() {
		flows, err := s.ledger.MonthlyFlows(ctx, viewer, a.Name, from, to)
		if err != nil {
			if core.KindOf(err) != core.KindInvalid {
				s.fail(w, r, err)
				return
			}
			filter.take(err)
		}
		p.Flows = layoutColumns(flows)
		byProject, err := s.ledger.AllocationsByProject(ctx, viewer, a.Name, from, to)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var rows []barRow
		for _, pa := range byProject {
			rows = append(rows, barRow{Label: names.project(pa.Project), Path: "/projects/" + pa.Project.String(),
				Amount: pa.Amount, Class: "bar-allocated"})
		}
		p.Allocations = layoutBars(rows)
	}
	list, _, err := s.projects.Projects(ctx, a.Name, uuid.Nil, projects.MaxPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, pr := range list {
		p.Projects = append(p.Projects, projectOption{ID: pr.ID.String(), Name: pr.Name})
	}
	if err := s.ledgerBalances(r, p, names); err != nil {
		s.fail(w, r, err)
		return
	}
	if filter.Invalid() && status == http.StatusOK {
		status = filter.Status()
	}
	s.render(w, r, status, "ledger", p)
}

// ledgerBalances adds the general fund's balance and, for the treasurer,
// where a donation may go and which payouts wait to be marked paid.
func (s *server) ledgerBalances(r *http.Request, p *ledgerPage, names *namer) error {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	balances, err := s.ledger.Balances(ctx, viewer, p.Association.Name)
	if err != nil {
		return err
	}
	if p.IsTreasurer {
		p.Targets = append(p.Targets, targetOption{Key: ledger.KeyGeneral, Account: accountRef{Kind: "general"}})
	}
	for _, b := range balances {
		switch {
		case b.Account == ledger.KeyGeneral:
			p.General = b.Balance
		case !p.IsTreasurer || b.Kind == ledger.AccountExternal:
		case b.Kind == ledger.AccountProject, b.Kind == ledger.AccountTask && b.Open:
			p.Targets = append(p.Targets, targetOption{Key: b.Account, Account: names.account(b.Account)})
		}
	}
	if !p.IsTreasurer {
		return nil
	}
	unpaid, err := s.ledger.Payouts(ctx, viewer, p.Association.Name, true)
	if err != nil {
		return err
	}
	for _, po := range unpaid {
		p.Unpaid = append(p.Unpaid, payoutView{Payout: po, PayeeRef: names.actor(po.Payee)})
	}
	return nil
}

func (s *server) transactionView(names *namer, t ledger.Transaction, member bool) transactionView {
	v := transactionView{Transaction: t, Cause: names.cause(t.Cause), ByRef: names.actor(t.CreatedBy),
		Hidden: member && t.Kind == ledger.KindDonation && t.Donor != "" && !t.DonorPublic}
	for _, po := range t.Postings {
		v.Postings = append(v.Postings, postingView{Account: names.account(po.Account), Amount: po.Amount})
	}
	if t.Kind == ledger.KindDonation {
		v.Trace = "/donations/" + t.ID.String() + "/trace"
	}
	return v
}

// recordDonation records, as the treasurer, a donation the association
// received.
func (s *server) recordDonation(w http.ResponseWriter, r *http.Request) {
	s.ledgerAction(w, r, donationFields, func(acc membership.Account, a membership.Association, f *form) (string, error) {
		n, err := amountInput("amount", f.Value("amount"), a.Settings.Currency)
		if err != nil {
			return "", err
		}
		_, err = s.ledger.RecordDonation(r.Context(), acc, a.Name, ledger.DonationInput{Amount: n, Currency: a.Settings.Currency,
			Target: f.Value("target"), Donor: f.Value("donor"), PublicName: f.Checked("public_name"), Reference: f.Value("reference")})
		return "donated", err
	}, false)
}

// markLedgerPayoutPaid marks a payout paid from the ledger page.
func (s *server) markLedgerPayoutPaid(w http.ResponseWriter, r *http.Request) {
	payout, ok := idParam(r, "payout")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.ledgerAction(w, r, paidFields, func(acc membership.Account, _ membership.Association, f *form) (string, error) {
		return "paid", s.markPaid(r, acc, payout, f)
	}, true)
}

// ledgerAction reads a treasurer's form on the ledger page, runs act and
// goes back to the ledger, or shows it again with what went wrong.
func (s *server) ledgerAction(w http.ResponseWriter, r *http.Request, fields []string,
	act func(acc membership.Account, a membership.Association, f *form) (string, error), payout bool) {
	a, err := s.members.Association(r.Context(), chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := s.postForm(w, r, "/@"+a.Name+"/ledger", fields, nil, func(acc membership.Account, f *form) (string, error) {
		return act(acc, a, f)
	})
	if f == nil {
		return
	}
	// The filters are not posted: the page shows the whole ledger again.
	r.URL.RawQuery = ""
	if payout {
		s.showLedger(w, r, f.Status(), a, newForm(donationFields...), f, chi.URLParam(r, "payout"))
		return
	}
	s.showLedger(w, r, f.Status(), a, f, newForm(paidFields...), "")
}
