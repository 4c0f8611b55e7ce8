package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/web/webtest"
)

// TestLedgerPage_DonorsFiltersAndCharts: the treasurer records donations,
// a donor who asked stays hidden from the public but not from members,
// the filters select transactions and the charts draw the money.
func TestLedgerPage_DonorsFiltersAndCharts(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		garden := w.project("Shared garden")
		dig := w.task(garden, "Dig the beds", "other", "100.00")
		kitchen := w.project("Community kitchen")
		cook := w.task(kitchen, "Cook for the fête", "other", "40.00")

		// Only the treasurer records donations; the amount may be written the French way.
		p := w.tom.get("/@commons/ledger").want(t, http.StatusOK)
		if p.byID("record-donation") == nil {
			t.Fatal("the treasurer has no donation form")
		}
		if w.alice.get("/@commons/ledger").byID("record-donation") != nil {
			t.Error("the board is offered to record a donation")
		}
		w.alice.post("/@commons/donations", url.Values{"amount": {"10.00"}, "target": {"general"}}).want(t, http.StatusForbidden).
			contains(t, "Only the association’s treasurer may do this.")
		p = w.tom.post("/@commons/donations", url.Values{"amount": {"ten"}, "target": {"general"}, "donor": {"Zed"}}).
			want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "amount-error"); got != "Give an amount such as 100.00." || attr(p.byID("donor"), "value") != "Zed" {
			t.Errorf("amount-error = %q; the donor typed is not kept", got)
		}
		w.donate("300,00", "general", "Dora Public", true)
		w.donate("200.00", "general", "Hector Hidden", false)
		w.fund(dig, "100.00")
		w.fund(cook, "40.00")

		p = w.visitor.get("/@commons/ledger").want(t, http.StatusOK)
		p.contains(t, "General fund: 360.00\u00a0EUR", "Dora Public", "Anonymous donor")
		p.lacks(t, "Hector Hidden")
		p = w.bob.get("/@commons/ledger").want(t, http.StatusOK)
		p.contains(t, "Dora Public", "Hector Hidden", "(shown to members only)")
		list := p.text(t, "transactions")
		for _, want := range []string{"allocation 100.00 EUR", "−100.00 EUR the general fund", "+100.00 EUR Dig the beds",
			"Cause: @tom", "donation 300.00 EUR", "Cause: VIR-300,00", "recorded by @tom", "Where it went"} {
			if !strings.Contains(list, want) {
				t.Errorf("the transactions lack %q: %q", want, list)
			}
		}

		// Filters: by kind, by project, by period.
		p = w.visitor.get("/@commons/ledger?kind=allocation").want(t, http.StatusOK)
		if got := p.text(t, "transactions"); strings.Contains(got, "donation") || strings.Count(got, "allocation") != 2 {
			t.Errorf("kind=allocation lists %q", got)
		}
		p = w.visitor.get("/@commons/ledger?project="+kitchen).want(t, http.StatusOK)
		if got := p.text(t, "transactions"); !strings.Contains(got, "Cook for the fête") || strings.Contains(got, "Dig the beds") {
			t.Errorf("project=kitchen lists %q", got)
		}
		today := time.Now().UTC().Format("2006-01-02")
		w.visitor.get("/@commons/ledger?from="+today+"&to="+today).want(t, http.StatusOK).contains(t, "Dora Public")
		w.visitor.get("/@commons/ledger?to=2020-01-31").want(t, http.StatusOK).contains(t, "No transaction matches.")
		p = w.visitor.get("/@commons/ledger?from=2026-05-01&to=2026-04-01").want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "to-error"); got != "The end of the period must come after its start." {
			t.Errorf("to-error = %q", got)
		}
		p = w.visitor.get("/@commons/ledger?from=yesterday&kind=gift").want(t, http.StatusUnprocessableEntity)
		if p.text(t, "from-error") != "Give a date such as 2026-12-31." {
			t.Errorf("from-error = %q", p.text(t, "from-error"))
		}
		w.visitor.get("/@commons/ledger?kind=gift").want(t, http.StatusUnprocessableEntity).contains(t, "Choose one of the proposed values.")

		// Charts: inline SVG with a title, a description and text labels.
		p = w.visitor.get("/@commons/ledger").want(t, http.StatusOK)
		flows := p.byID("flows-chart")
		if flows == nil {
			t.Fatalf("no chart of money in and out:\n%s", p.Body)
		}
		svg := firstTag(flows, "svg")
		if attr(svg, "role") != "img" || attr(svg, "aria-labelledby") != "flows-chart-title" || attr(svg, "aria-describedby") != "flows-chart-desc" {
			t.Errorf("the flows chart is not labelled: %v", svg.Attr)
		}
		if got := p.text(t, "flows-chart-desc"); !strings.Contains(got, "500.00 EUR in, 0.00 EUR out") {
			t.Errorf("the flows chart's description reads %q", got)
		}
		now := time.Now().UTC()
		p.contains(t, `<th scope="row">`+now.Format("Jan 2006")+"</th><td>500.00\u00a0EUR</td><td>0.00\u00a0EUR</td>")
		allocations := p.text(t, "allocations-chart")
		for _, want := range []string{"Shared garden", "100.00 EUR", "Community kitchen", "40.00 EUR"} {
			if !strings.Contains(allocations, want) {
				t.Errorf("the allocations chart lacks %q: %q", want, allocations)
			}
		}

		fr := newBrowser(t, in)
		fr.lang = "fr"
		p = fr.get("/@commons/ledger").want(t, http.StatusOK)
		p.contains(t, "Comptes de The Commons", "Fonds général : 360,00\u00a0EUR", "Entrées (dons)", "affectation", "Donateur anonyme",
			"Argent affecté, par projet")
	})
}

// TestTracePage_StepsOfADonation follows a donation to a task and to the
// person paid for it.
func TestTracePage_StepsOfADonation(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		project := w.project("Shared garden")
		task := w.task(project, "Dig the beds", "other", "60.00")
		w.donate("100.00", "general", "Dora", false)
		w.fund(task, "60.00")
		w.reserve(w.bob, task)
		w.bob.post("/tasks/"+task+"/submissions", url.Values{"text": {"Done."}}).redirectsTo(t, "/tasks/"+task+"?done=submitted")
		w.accept(task)

		p := w.visitor.get("/@commons/ledger?kind=donation").want(t, http.StatusOK)
		var trace string
		walk(p.doc, func(n *htmlNode) bool {
			if n.Data == "a" && strings.HasSuffix(attr(n, "href"), "/trace") {
				trace = attr(n, "href")
			}
			return trace == ""
		})
		if trace == "" {
			t.Fatalf("no link to the donation's trace:\n%s", p.Body)
		}
		p = w.visitor.get(trace).want(t, http.StatusOK)
		p.lacks(t, "Dora")
		steps := p.text(t, "steps")
		for _, want := range []string{"100.00 EUR given to the general fund", "60.00 EUR moved (allocation) from the general fund to Dig the beds",
			"60.00 EUR paid for Dig the beds to @bob"} {
			if !strings.Contains(steps, want) {
				t.Errorf("the steps lack %q: %q", want, steps)
			}
		}
		if got := p.text(t, "holdings"); got != "40.00 EUR — the general fund" {
			t.Errorf("holdings = %q", got)
		}
		p.contains(t, "60.00\u00a0EUR of it paid people for their work.")
		w.bob.get(trace).want(t, http.StatusOK).contains(t, "by Dora", "(shown to members only)")
		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get(trace).want(t, http.StatusOK).contains(t, "Trace d’un don", "100,00\u00a0EUR donnés à", "60,00\u00a0EUR payés pour")
		w.visitor.get("/donations/0190d6a0-0000-7000-8000-000000000000/trace").want(t, http.StatusNotFound).
			contains(t, "There is no such donation.")
	})
}

// TestLedgerPage_MembersOnlyAssociation: an association that shows itself
// to its members only keeps its ledger and traces from the public.
func TestLedgerPage_MembersOnlyAssociation(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		form := settingsForm()
		form.Set("visibility", "members")
		form.Set("board_may_evaluate_projects", "on")
		w.alice.post("/@commons/settings", form).redirectsTo(t, "/@commons/settings?saved=1")
		project := w.project("Shared garden")
		w.visitor.get("/@commons/ledger").want(t, http.StatusForbidden)
		w.visitor.get("/projects/"+project).want(t, http.StatusOK).contains(t, "This association shows its accounts to its members only.")
		w.bob.get("/@commons/ledger").want(t, http.StatusOK)
	})
}
