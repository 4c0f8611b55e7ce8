package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestProjects_FromProposalToPaidTask follows a project through the API:
// proposed, accepted by the board, a task added, funded by a donation and
// an allocation, reserved, delivered, accepted, its payout owed and then
// marked paid by the treasurer, which moves the task to paid.
func TestProjects_FromProposalToPaidTask(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		var p apiProject
		e.post("/associations/"+s.name+"/projects", s.holderTok,
			`{"name": "Community mesh", "summary": "Wi-Fi for the village", "licence": "agpl-3.0-or-later", "architecture": "decentralised", "checklist": ["ten nodes online"], "tags": ["#Mesh", "network"], "place": "Lyon", "goal": "1500.00"}`).
			ok(t, http.StatusCreated, "Project", &p)
		if p.Status != "proposed" || p.Holder != s.uri(s.holder) || p.Association != s.name || p.Licence != "AGPL-3.0-or-later" ||
			p.Goal != "1500.00" || p.Currency != "EUR" || len(p.History) != 1 || p.History[0].From != nil || p.History[0].To != "proposed" {
			t.Fatalf("proposed %+v", p)
		}
		e.post("/projects/"+p.ID+"/evaluation", s.boardTok, `{"verdict": "accept", "reason": "fits our statutes"}`).ok(t, http.StatusOK, "Project", &p)
		if p.Status != "accepted" || len(p.History) != 3 || p.History[2].By != s.uri(s.board) || p.History[2].Reason != "fits our statutes" {
			t.Fatalf("evaluated %+v", p)
		}

		var task apiTask
		e.post("/projects/"+p.ID+"/tasks", s.holderTok, s.taskBody("250.00", "")).ok(t, http.StatusCreated, "Task", &task)
		if task.Status != "open" || task.Budget != "250.00" || task.MaxReservation != "72h0m0s" || len(task.DoneCriteria) != 2 || task.ReservedBy != nil {
			t.Fatalf("task %+v", task)
		}
		s.donate(t, `{"amount": "100.00", "donor": "Ada", "public_name": true}`)
		s.fund(t, task, "150.00")
		e.post("/associations/"+s.name+"/allocations", s.boardTok, fmt.Sprintf(`{"task": %q, "amount": "100.00"}`, task.ID)).
			ok(t, http.StatusCreated, "LedgerTransaction", nil)

		var res apiReservation
		until := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
		e.post("/tasks/"+task.ID+"/reservation", s.proTok, `{"until": "`+until+`"}`).ok(t, http.StatusCreated, "Reservation", &res)
		if res.Status != "active" || res.Actor != s.uri(s.pro) {
			t.Fatalf("reservation %+v", res)
		}
		if got := s.getTask(t, task.ID); got.Status != "reserved" || got.ReservedBy == nil || *got.ReservedBy != s.uri(s.pro) || got.ReservedUntil == nil {
			t.Fatalf("reserved task %+v", got)
		}

		var sub apiSubmission
		e.post("/tasks/"+task.ID+"/submissions", s.proTok, `{"text": "All ten routers run the new firmware.", "links": ["https://git.example/mesh"]}`).
			ok(t, http.StatusCreated, "Submission", &sub)
		if sub.Status != "pending" || sub.Reservation == nil || *sub.Reservation != res.ID {
			t.Fatalf("submission %+v", sub)
		}
		var rv apiReview
		e.post("/submissions/"+sub.ID+"/review", s.boardTok,
			`{"criteria": [{"criterion": "firmware built from source", "met": true, "comment": "reproducible"}, {"met": true}], "verdict": "accept", "comment": "thanks"}`).
			ok(t, http.StatusCreated, "Review", &rv)
		if rv.Outcome != "payout" || rv.Value != "250.00" || rv.Currency != "EUR" || rv.Criteria[1].Criterion != "ten routers flashed" {
			t.Fatalf("review %+v", rv)
		}
		e.get("/submissions/"+sub.ID, "").ok(t, http.StatusOK, "Submission", &sub)
		if sub.Status != "accepted" || sub.Review == nil || sub.Review.ID != rv.ID {
			t.Fatalf("reviewed submission %+v", sub)
		}

		// The payout is owed: the task is done and shows it, unpaid.
		done := s.getTask(t, task.ID)
		if done.Status != "done" || done.Payout == nil || done.Payout.Paid || done.Payout.Payee != s.uri(s.pro) || done.Payout.Amount != "250.00" {
			t.Fatalf("done task %+v (payout %+v)", done, done.Payout)
		}
		var paid apiPayout
		e.post("/payouts/"+done.Payout.ID+"/paid", s.treasurerTok, `{"reference": "SEPA-2026-17"}`).ok(t, http.StatusOK, "Payout", &paid)
		if !paid.Paid || paid.BankReference != "SEPA-2026-17" || paid.PaidBy != s.uri(s.treasurer) || paid.PaidAt == nil {
			t.Fatalf("paid %+v", paid)
		}
		final := s.getTask(t, task.ID)
		if final.Status != "paid" || final.Payout == nil || !final.Payout.Paid || *final.Payout.PaidAt != *paid.PaidAt {
			t.Fatalf("paid task %+v (payout %+v)", final, final.Payout)
		}

		var reservations struct{ Reservations []apiReservation }
		e.get("/tasks/"+task.ID+"/reservations", "").ok(t, http.StatusOK, "ReservationList", &reservations)
		if len(reservations.Reservations) != 1 || reservations.Reservations[0].Status != "completed" {
			t.Fatalf("reservations %+v", reservations)
		}
		var project apiProject
		e.get("/projects/"+p.ID, "").ok(t, http.StatusOK, "Project", &project)
		if f := project.Funding; f == nil || f.Donated != "150.00" || f.Allocated != "100.00" || f.Spent != "250.00" || f.Balance != "0.00" {
			t.Fatalf("funding %+v", project.Funding)
		}
		var rec struct {
			Actor        string
			Recognitions []struct {
				Task, Outcome, Value string
			}
			Rights []any `json:"reallocation_rights"`
		}
		e.get("/actors/pro/recognitions", "").ok(t, http.StatusOK, "Recognitions", &rec)
		if rec.Actor != s.uri(s.pro) || len(rec.Recognitions) != 1 || rec.Recognitions[0].Task != task.ID ||
			rec.Recognitions[0].Outcome != "payout" || rec.Recognitions[0].Value != "250.00" || len(rec.Rights) != 0 {
			t.Fatalf("recognitions %+v", rec)
		}
	})
}

// TestProjects_VolunteerReallocatesInTwoParts: work done without a
// reservation earns no money but the right to move the task's budget to
// other open tasks; the volunteer uses it in two parts, never beyond it,
// never into a closed task, and a refused attempt changes nothing.
func TestProjects_VolunteerReallocatesInTwoParts(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		done, next, other, cancelled := s.task(t, p, "30.00", ""), s.task(t, p, "20.00", ""), s.task(t, p, "20.00", ""), s.task(t, p, "5.00", "")
		s.fund(t, done, "30.00")
		e.post("/tasks/"+cancelled.ID+"/cancel", s.holderTok, "").ok(t, http.StatusOK, "Task", nil)

		var sub apiSubmission
		e.post("/tasks/"+done.ID+"/submissions", s.volTok, `{"text": "Flashed them on a Saturday."}`).ok(t, http.StatusCreated, "Submission", &sub)
		if sub.Reservation != nil {
			t.Fatalf("a volunteer's submission names a reservation: %+v", sub)
		}
		var rv apiReview
		e.post("/submissions/"+sub.ID+"/review", s.boardTok, `{"criteria": `+checks(true, true)+`, "verdict": "accept"}`).ok(t, http.StatusCreated, "Review", &rv)
		if rv.Outcome != "volunteer" || rv.Value != "30.00" {
			t.Fatalf("review %+v", rv)
		}
		if got := s.getTask(t, done.ID); got.Status != "done" || got.Payout != nil {
			t.Fatalf("volunteer's task %+v", got)
		}

		type recognitions struct {
			Recognitions []struct{ Outcome, Value string }
			Rights       []struct{ Task, Remaining string } `json:"reallocation_rights"`
		}
		var rec recognitions
		e.get("/actors/vol/recognitions", "").ok(t, http.StatusOK, "Recognitions", &rec)
		if len(rec.Recognitions) != 1 || rec.Recognitions[0].Outcome != "volunteer" || len(rec.Rights) != 1 ||
			rec.Rights[0].Task != done.ID || rec.Rights[0].Remaining != "30.00" {
			t.Fatalf("recognitions %+v", rec)
		}

		path := "/tasks/" + done.ID + "/reallocations"
		part := func(task apiTask, amount string) string {
			return fmt.Sprintf(`{"parts": [{"task": %q, "amount": %q}]}`, task.ID, amount)
		}
		before := s.snapshot(t, done.ID)
		for _, tc := range []struct {
			name, body string
			status     int
			code       string
		}{
			{"beyond the right", part(next, "30.01"), 409, "reallocation-right-exceeded"},
			{"to a cancelled task", part(cancelled, "1.00"), 409, "task-closed"},
			{"to itself", part(done, "1.00"), 400, "invalid-target"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e.post(path, s.volTok, tc.body).problem(t, tc.status, tc.code)
				s.unchangedSince(t, done.ID, before)
			})
		}

		e.post(path, s.volTok, part(next, "20.00")).ok(t, http.StatusCreated, "LedgerTransaction", nil)
		e.get("/actors/vol/recognitions", "").ok(t, http.StatusOK, "Recognitions", &rec)
		if len(rec.Rights) != 1 || rec.Rights[0].Remaining != "10.00" {
			t.Fatalf("after the first part: %+v", rec.Rights)
		}
		e.post(path, s.volTok, part(other, "10.01")).problem(t, 409, "reallocation-right-exceeded")
		e.post(path, s.volTok, part(other, "10.00")).ok(t, http.StatusCreated, "LedgerTransaction", nil)
		e.get("/actors/vol/recognitions", "").ok(t, http.StatusOK, "Recognitions", &rec)
		if len(rec.Recognitions) != 1 || len(rec.Rights) != 0 {
			t.Fatalf("after the second part: %+v", rec)
		}
		var bal struct {
			Accounts []struct{ Account, Balance string }
		}
		e.get("/associations/"+s.name+"/balances", "").ok(t, http.StatusOK, "Balances", &bal)
		got := map[string]string{}
		for _, a := range bal.Accounts {
			got[a.Account] = a.Balance
		}
		if got["task:"+done.ID] != "0.00" || got["task:"+next.ID] != "20.00" || got["task:"+other.ID] != "10.00" {
			t.Fatalf("balances %v", got)
		}
	})
}
