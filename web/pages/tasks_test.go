package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/web/webtest"
)

// TestTaskPages_ReserveDeliverReviewAndPay is a paid task from end to end
// through the forms: funded by the treasurer, reserved by bob, delivered,
// reviewed by rita criterion by criterion, marked paid, on bob's profile.
func TestTaskPages_ReserveDeliverReviewAndPay(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		project := w.project("Shared garden")
		task := w.task(project, "Dig the beds", "other", "100.00")

		// Not funded yet: the reservation is refused, the budget is not there.
		p := w.bob.get("/tasks/"+task).want(t, http.StatusOK)
		until := p.byID("until")
		if attr(until, "type") != "date" || attr(until, "min") != time.Now().UTC().Format("2006-01-02") ||
			attr(until, "max") != time.Now().UTC().Add(168*time.Hour).Format("2006-01-02") || attr(until, "value") != attr(until, "max") {
			t.Fatalf("the deadline picker is not bounded by the task's longest reservation: %v", until.Attr)
		}
		w.bob.post("/tasks/"+task+"/reservation", url.Values{"until": {attr(until, "max")}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "This task’s money does not cover its budget yet.")

		w.donate("500.00", "general", "Dora", true)
		w.bob.post("/tasks/"+task+"/allocations", url.Values{"amount": {"100.00"}, "from": {"general"}}).want(t, http.StatusForbidden).
			contains(t, "Only the association’s board or its treasurer may do this.")
		w.tom.post("/tasks/"+task+"/allocations", url.Values{"amount": {"900.00"}, "from": {"general"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "The account does not hold enough money for this.")
		w.fund(task, "100.00")
		w.visitor.get("/tasks/"+task).want(t, http.StatusOK).contains(t, "Funded: 100.00\u00a0EUR of a budget of 100.00\u00a0EUR.",
			"The donation of Dora")

		// A day past the longest reservation, and a malformed day, are refused.
		late := time.Now().UTC().Add(10 * 24 * time.Hour).Format("2006-01-02")
		w.bob.post("/tasks/"+task+"/reservation", url.Values{"until": {late}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "Pick a day from today to the last day the task may be reserved.")
		p = w.bob.post("/tasks/"+task+"/reservation", url.Values{"until": {"tomorrow"}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "until-error"); got != "Give a date such as 2026-12-31." {
			t.Errorf("until-error = %q", got)
		}
		w.reserve(w.bob, task)
		p = w.bob.get("/tasks/"+task+"?done=reserved").want(t, http.StatusOK)
		p.contains(t, "The task is reserved for you.")
		if got := p.text(t, "reserved-by"); !strings.Contains(got, "Reserved by @bob") {
			t.Errorf("reserved-by = %q", got)
		}
		if p.byID("release") == nil || p.byID("submit-work") == nil {
			t.Error("the holder of the reservation may release it and deliver")
		}
		// Someone else: neither reserve, nor deliver, nor release.
		p = w.eve.get("/tasks/"+task).want(t, http.StatusOK)
		if p.byID("reserve") != nil || p.byID("submit-work") != nil || p.byID("release") != nil {
			t.Error("eve is offered to act on bob's reservation")
		}
		w.eve.post("/tasks/"+task+"/reservation", url.Values{"until": {attr(until, "max")}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "Someone reserved this task just before you.")
		w.eve.post("/tasks/"+task+"/submissions", url.Values{"text": {"mine"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "This task is reserved by someone else until their deadline.")
		w.eve.post("/tasks/"+task+"/release", nil).want(t, http.StatusForbidden).
			contains(t, "Only the person who reserved the task, or the board with a reason, may release it.")

		// Delivery: a link must be an address.
		w.bob.post("/tasks/"+task+"/submissions", url.Values{"text": {"Dug and sown."}, "links": {"not a link"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "Each line must be an address starting with https:// or http://.")
		w.bob.post("/tasks/"+task+"/submissions", url.Values{"text": {"Dug and sown."}, "links": {"https://photos.example/beds"}}).
			redirectsTo(t, "/tasks/"+task+"?done=submitted")
		if w.bob.get("/tasks/"+task).byID("review") != nil {
			t.Error("bob is offered to review his own work")
		}
		sub := w.submissionID(task)
		p = w.rita.get("/tasks/" + task)
		if attr(p.byID("criteria[0].met"), "type") != "checkbox" || attr(p.byID("criteria[1].comment"), "name") != "criteria[1].comment" {
			t.Fatalf("the review form lacks a check and a comment per criterion:\n%s", p.Body)
		}
		// Accepting with a criterion unmet, rejecting without a word: refused.
		w.rita.post("/submissions/"+sub+"/review", url.Values{"criteria[0].met": {"on"}, "verdict": {"accept"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "Work can be accepted only when every criterion is met")
		p = w.rita.post("/submissions/"+sub+"/review", url.Values{"criteria[0].met": {"on"}, "verdict": {"reject"}}).
			want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "comment-error"); got != "This field is required." {
			t.Errorf("comment-error = %q", got)
		}
		w.eve.post("/submissions/"+sub+"/review", url.Values{"criteria[0].met": {"on"}, "criteria[1].met": {"on"}, "verdict": {"accept"}}).
			want(t, http.StatusForbidden).contains(t, "Only the reviewers the task names may review its work.")
		w.accept(task)

		p = w.visitor.get("/tasks/"+task).want(t, http.StatusOK)
		subs := p.text(t, "submissions")
		for _, want := range []string{"Delivered on", "@bob", "accepted", "Reviewed on", "@rita", "paid — 100.00 EUR", "Met: Seeds are sown — Well sown", "Good work"} {
			if !strings.Contains(subs, want) {
				t.Errorf("submissions lack %q: %q", want, subs)
			}
		}
		if got := p.text(t, "reservations"); !strings.Contains(got, "@bob completed") {
			t.Errorf("reservations = %q", got)
		}
		p.contains(t, "Payment of 100.00\u00a0EUR to", "owed, not yet paid")

		// The treasurer marks the payment paid, with the bank's reference.
		p = w.tom.get("/tasks/"+task).want(t, http.StatusOK)
		var form *htmlNode
		walk(p.doc, func(n *htmlNode) bool {
			if n.Data == "form" && strings.HasPrefix(attr(n, "id"), "mark-paid-") {
				form = n
			}
			return form == nil
		})
		if form == nil {
			t.Fatalf("tom has no form to mark the payment paid:\n%s", p.Body)
		}
		w.bob.post(attr(form, "action"), url.Values{"bank_reference": {"VIR-1"}}).want(t, http.StatusForbidden).
			contains(t, "Only the association’s treasurer may do this.")
		p = w.tom.post(attr(form, "action"), url.Values{"bank_reference": {"  "}}).want(t, http.StatusUnprocessableEntity)
		p.contains(t, "Give the bank’s reference of the transfer.")
		w.tom.post(attr(form, "action"), url.Values{"bank_reference": {"VIR-2026-001"}}).redirectsTo(t, "/tasks/"+task+"?done=paid")
		w.tom.get("/tasks/"+task).contains(t, "paid on "+time.Now().UTC().Format("2006-01-02"), "(VIR-2026-001)")
		w.visitor.get("/tasks/"+task).lacks(t, "VIR-2026-001")
		w.tom.post(attr(form, "action"), url.Values{"bank_reference": {"VIR-again"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "This payment is already marked as paid.")

		// Bob's profile: the verified work, its value and date.
		work := w.visitor.get("/@bob").want(t, http.StatusOK).text(t, "work")
		for _, want := range []string{"Dig the beds", "paid", "worth 100.00 EUR", time.Now().UTC().Format("2006-01-02")} {
			if !strings.Contains(work, want) {
				t.Errorf("bob's verified work lacks %q: %q", want, work)
			}
		}
	})
}

// TestTaskPages_ReleaseLapseAndFrench: the board releases a reservation
// with a reason, a reservation that passes its deadline lapses, and both
// stay in the task's history, read in French too.
func TestTaskPages_ReleaseLapseAndFrench(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		project := w.project("Shared garden")
		task := w.task(project, "Dig the beds", "other", "100.00")
		w.donate("100.00", "general", "", false)
		w.fund(task, "100.00")
		w.reserve(w.bob, task)
		p := w.alice.post("/tasks/"+task+"/release", url.Values{}).want(t, http.StatusUnprocessableEntity)
		if got := p.text(t, "release_reason-error"); got != "This field is required." {
			t.Errorf("release_reason-error = %q", got)
		}
		w.alice.post("/tasks/"+task+"/release", url.Values{"release_reason": {"Bob is away"}}).redirectsTo(t, "/tasks/"+task+"?done=released")

		// A reservation whose deadline passes lapses, on record.
		ctx := context.Background()
		id := uuid.MustParse(task)
		if _, err := in.Projects.Reserve(ctx, mustAccount(t, in, "eve"), id, time.Now().Add(1500*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		if n, err := in.Projects.LapseDue(ctx); err != nil || n != 1 {
			t.Fatalf("lapsed %d, %v", n, err)
		}
		history := w.visitor.get("/tasks/"+task).want(t, http.StatusOK).text(t, "reservations")
		for _, want := range []string{"@bob released", "Reason: Bob is away", "@eve lapsed: deadline missed"} {
			if !strings.Contains(history, want) {
				t.Errorf("the reservations lack %q: %q", want, history)
			}
		}
		fr := newBrowser(t, in)
		fr.lang = "fr"
		p = fr.get("/tasks/"+task).want(t, http.StatusOK)
		p.contains(t, "expirée : échéance dépassée", "libérée", "Critères d’achèvement", "Connectez-vous pour réserver cette tâche",
			"100,00\u00a0EUR", "7 jours")
		// The holder cancels an open task; it can be reserved no more.
		w.alice.post("/tasks/"+task+"/status", url.Values{"action": {"cancel"}}).redirectsTo(t, "/tasks/"+task+"?done=cancelled")
		w.alice.post("/tasks/"+task+"/status", url.Values{"action": {"cancel"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "This task is not open.")
		w.bob.get("/tasks/"+task).contains(t, "This task cannot be reserved now.")
	})
}
