package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

func TestCataloguePage_FiltersOpenTasks(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		garden := w.project("Shared garden")
		w.task(garden, "Dig the beds", "other", "100.00")
		w.task(garden, "Write the newsletter", "communication", "40.00")
		site := w.task(garden, "Build the website", "programming", "900.00")
		draft := taskForm("Plan next year", "research", "10.00")
		draft.Set("draft", "on")
		idFrom(t, w.alice.post("/projects/"+garden+"/tasks/new", draft), "/tasks/")

		p := w.visitor.get("/tasks").want(t, http.StatusOK)
		list := p.text(t, "catalogue")
		for _, want := range []string{"Dig the beds", "Write the newsletter", "Build the website", "Shared garden", "@commons",
			"900.00 EUR", "can be reserved for up to 7 days"} {
			if !strings.Contains(list, want) {
				t.Errorf("the catalogue lacks %q: %q", want, list)
			}
		}
		if strings.Contains(list, "Plan next year") {
			t.Error("the catalogue lists a draft")
		}
		// Federation is wired: the partners' part is there, empty (no
		// partner; federation/partners_test.go fills it from another
		// instance).
		if p.byID("network-heading") == nil || !strings.Contains(p.Body, "No partner task matches.") {
			t.Error("the partners' part of the catalogue is missing")
		}
		for query, want := range map[string][]string{
			"category=communication":          {"Write the newsletter"},
			"min_budget=50&max_budget=500":    {"Dig the beds"},
			"min_budget=50,00&max_budget=100": {"Dig the beds"},
			"tag=GARDEN&place=lyon":           {"Dig the beds", "Write the newsletter", "Build the website"},
			"tag=kitchen":                     nil,
			"association=commons":             {"Dig the beds", "Write the newsletter", "Build the website"},
		} {
			p := w.visitor.get("/tasks?"+query).want(t, http.StatusOK)
			got := ""
			if n := p.byID("catalogue"); n != nil {
				got = textOf(n)
			}
			for _, name := range []string{"Dig the beds", "Write the newsletter", "Build the website"} {
				if strings.Contains(got, name) != contains(want, name) {
					t.Errorf("%s: the catalogue reads %q", query, got)
				}
			}
		}
		w.visitor.get("/tasks?tag=kitchen").contains(t, "No open task matches.")
		p = w.visitor.get("/tasks?min_budget=cheap&category=gardening").want(t, http.StatusUnprocessableEntity)
		if p.text(t, "min_budget-error") != "Give an amount such as 100.00." || p.text(t, "category-error") != "Choose one of the proposed values." {
			t.Errorf("the refused filters read:\n%s", p.Body)
		}
		w.visitor.get("/tasks?association=nobody").want(t, http.StatusUnprocessableEntity).contains(t, "There is no association by this name.")

		// A reserved task leaves the catalogue.
		w.donate("900.00", "general", "", false)
		w.fund(site, "900.00")
		w.reserve(w.bob, site)
		w.visitor.get("/tasks").lacks(t, "Build the website")

		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get("/tasks?association=commons").want(t, http.StatusOK).contains(t, "Tâches ouvertes", "Tâches de commons :",
			"communication", "réservable jusqu’à 7 jours", "100,00\u00a0EUR")
	})
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// TestRecognition_VolunteerReallocatesInParts: work accepted without a
// reservation is volunteer work, on the volunteer's profile with the right
// to give the task's money to other open tasks, in parts.
func TestRecognition_VolunteerReallocatesInParts(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		garden := w.project("Shared garden")
		dig := w.task(garden, "Dig the beds", "other", "100.00")
		news := w.task(garden, "Write the newsletter", "communication", "40.00")
		site := w.task(garden, "Build the website", "programming", "900.00")
		w.donate("100.00", "general", "", false)
		w.fund(dig, "100.00")

		p := w.eve.get("/tasks/"+dig).want(t, http.StatusOK)
		p.contains(t, "work accepted without a reservation is volunteer work")
		w.eve.post("/tasks/"+dig+"/submissions", url.Values{"text": {"I dug them on Sunday."}}).redirectsTo(t, "/tasks/"+dig+"?done=submitted")
		w.accept(dig)

		p = w.eve.get("/@eve").want(t, http.StatusOK)
		if got := p.text(t, "work"); !strings.Contains(got, "Dig the beds volunteer worth 100.00 EUR") {
			t.Errorf("eve's work reads %q", got)
		}
		right := p.text(t, "right-"+dig)
		if !strings.Contains(right, "100.00 EUR left to reallocate, of 100.00 EUR.") {
			t.Errorf("eve's right reads %q", right)
		}
		form := p.byID("reallocate-" + dig)
		if form == nil {
			t.Fatalf("eve has no reallocation form:\n%s", p.Body)
		}
		if opts := textOf(form); !strings.Contains(opts, "Write the newsletter") || !strings.Contains(opts, "Build the website") || strings.Contains(opts, "Dig the beds (") {
			t.Errorf("the reallocation offers %q", opts)
		}
		if w.visitor.get("/@eve").byID("reallocate-"+dig) != nil {
			t.Error("a visitor is offered eve's reallocation form")
		}
		action := "/tasks/" + dig + "/reallocations"
		w.bob.post(action, url.Values{"parts[0].task": {news}, "parts[0].amount": {"10.00"}}).want(t, http.StatusForbidden).
			contains(t, "You hold no right to reallocate this task’s money.")
		w.eve.post(action, url.Values{}).want(t, http.StatusUnprocessableEntity).contains(t, "Give at least one part: a task and an amount.")
		w.eve.post(action, url.Values{"parts[0].task": {news}, "parts[0].amount": {"70.00"}, "parts[1].task": {site}, "parts[1].amount": {"40.00"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "These parts come to more than what is left of your right to reallocate.")
		p = w.eve.post(action, url.Values{"parts[0].task": {news}, "parts[0].amount": {"a lot"}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "parts[0].amount-error"); got != "Give an amount such as 100.00." {
			t.Errorf("parts[0].amount-error = %q", got)
		}
		w.eve.post(action, url.Values{"parts[0].task": {news}, "parts[0].amount": {"40.00"}, "parts[2].task": {site}, "parts[2].amount": {"35,50"}}).
			redirectsTo(t, "/@eve?done=reallocated")
		p = w.eve.get("/@eve?done=reallocated").want(t, http.StatusOK)
		p.contains(t, "The money is reallocated.")
		if got := p.text(t, "right-"+dig); !strings.Contains(got, "24.50 EUR left to reallocate") {
			t.Errorf("eve's right reads %q after reallocating", got)
		}
		w.visitor.get("/tasks/"+news).contains(t, "Funded: 40.00\u00a0EUR of a budget of 40.00\u00a0EUR.")
		w.visitor.get("/@commons/ledger?kind=reallocation").want(t, http.StatusOK).contains(t, "reallocation", "+35.50\u00a0EUR")
		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get("/@eve").want(t, http.StatusOK).contains(t, "Travail vérifié", "bénévole", "Argent à réaffecter")
	})
}
