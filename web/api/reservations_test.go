package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/problem"
)

func deadline(d time.Duration) string {
	return fmt.Sprintf(`{"until": %q}`, time.Now().Add(d).UTC().Format(time.RFC3339))
}

// TestReservation_Refusals: a task that is not open, not funded, or a
// deadline out of range is refused with its own code, and changes nothing.
func TestReservation_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		open := s.task(t, p, "40.00", "")
		s.fund(t, open, "40.00")
		unfunded := s.task(t, p, "40.00", "")
		draft := s.task(t, p, "40.00", `, "draft": true`)
		cancelled := s.task(t, p, "40.00", "")
		e.post("/tasks/"+cancelled.ID+"/cancel", s.holderTok, "").ok(t, http.StatusOK, "Task", nil)
		held := s.task(t, p, "10.00", "")
		s.fund(t, held, "10.00")
		e.post("/tasks/"+held.ID+"/reservation", s.volTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)

		tests := []struct {
			name   string
			task   apiTask
			token  string
			body   string
			status int
			code   string
			field  string // field=its code, when the problem names one
		}{
			{"a draft", draft, s.proTok, deadline(time.Hour), 409, "task-not-open", ""},
			{"a cancelled task", cancelled, s.proTok, deadline(time.Hour), 409, "task-not-open", ""},
			{"a reserved task", held, s.proTok, deadline(time.Hour), 409, "task-already-reserved", ""},
			{"an unfunded task", unfunded, s.proTok, deadline(time.Hour), 409, "task-not-funded", ""},
			{"a deadline past the maximum", open, s.proTok, deadline(73 * time.Hour), 400, "invalid-input", "until=deadline-out-of-range"},
			{"a deadline in the past", open, s.proTok, deadline(-time.Minute), 400, "invalid-input", "until=deadline-out-of-range"},
			{"a deadline that is no time", open, s.proTok, `{"until": "tomorrow"}`, 400, "invalid-time", "until=invalid-time"},
			{"a deadline without a zone", open, s.proTok, `{"until": "2030-01-01T10:00:00"}`, 400, "invalid-time", "until=invalid-time"},
			{"no deadline", open, s.proTok, `{}`, 400, "invalid-time", "until=invalid-time"},
			{"an unknown field", open, s.proTok, `{"until": "2030-01-01T10:00:00Z", "for": "me"}`, 400, "unknown-field", "for=unknown-field"},
			{"anonymous", open, "", deadline(time.Hour), 401, "unauthenticated", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.snapshot(t, tc.task.ID)
				pr := e.post("/tasks/"+tc.task.ID+"/reservation", tc.token, tc.body).problem(t, tc.status, tc.code)
				if tc.field != "" {
					field, code, _ := strings.Cut(tc.field, "=")
					sameFields(t, pr, map[string]string{field: code})
				}
				s.unchangedSince(t, tc.task.ID, before)
			})
		}
		e.post("/tasks/"+uuid.Must(uuid.NewV7()).String()+"/reservation", s.proTok, deadline(time.Hour)).problem(t, 404, "task-not-found")
		e.post("/tasks/nope/reservation", s.proTok, deadline(time.Hour)).problem(t, 404, "task-not-found")

		// Releasing: only the holder, or the board with a reason.
		before := s.snapshot(t, held.ID)
		e.do(request{method: http.MethodDelete, path: "/tasks/" + held.ID + "/reservation", token: s.proTok}).problem(t, 403, "not-reservation-holder")
		e.do(request{method: http.MethodDelete, path: "/tasks/" + held.ID + "/reservation", token: s.boardTok}).problem(t, 400, "invalid-input")
		e.do(request{method: http.MethodDelete, path: "/tasks/" + open.ID + "/reservation", token: s.boardTok, body: `{"reason": "x"}`}).problem(t, 409, "task-not-reserved")
		s.unchangedSince(t, held.ID, before)
		var res apiReservation
		e.do(request{method: http.MethodDelete, path: "/tasks/" + held.ID + "/reservation", token: s.boardTok, body: `{"reason": "no news for a week"}`}).
			ok(t, http.StatusOK, "Reservation", &res)
		if res.Status != "released" || res.EndedBy == nil || *res.EndedBy != s.uri(s.board) || res.Reason != "no news for a week" {
			t.Fatalf("released %+v", res)
		}
		if got := s.getTask(t, held.ID); got.Status != "open" || got.ReservedBy != nil {
			t.Fatalf("released task %+v", got)
		}
		// The holder releases their own without a word.
		e.post("/tasks/"+held.ID+"/reservation", s.proTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)
		e.del("/tasks/"+held.ID+"/reservation", s.proTok).ok(t, http.StatusOK, "Reservation", nil)
		var history struct{ Reservations []apiReservation }
		e.get("/tasks/"+held.ID+"/reservations", "").ok(t, http.StatusOK, "ReservationList", &history)
		if len(history.Reservations) != 2 || history.Reservations[0].Actor != s.uri(s.vol) || history.Reservations[1].Status != "released" {
			t.Fatalf("history %+v", history)
		}
	})
}

// TestReservation_ConcurrentRequestsOneWins sends 20 reservations of one
// task at once over real HTTP, each from another person: one is created,
// the 19 others are refused as conflicts, and the ledger locks the budget
// once.
func TestReservation_ConcurrentRequestsOneWins(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		task := s.task(t, p, "80.00", "")
		s.fund(t, task, "80.00")
		const n = 20
		tokens := make([]string, n)
		for i := range tokens {
			_, tokens[i] = e.person(fmt.Sprintf("pro%02d", i))
		}
		body := deadline(24 * time.Hour)
		statuses := make([]int, n)
		codes := make([]string, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, err := http.NewRequest(http.MethodPost, e.URL+"/api/holon/v1/tasks/"+task.ID+"/reservation", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tokens[i])
				<-start
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer res.Body.Close()
				statuses[i] = res.StatusCode
				if res.StatusCode != http.StatusCreated {
					var pr problem.Problem
					_ = json.NewDecoder(res.Body).Decode(&pr)
					codes[i] = pr.Code
				}
			}()
		}
		began := time.Now()
		close(start)
		wg.Wait()
		t.Logf("%d concurrent reservations answered in %s", n, time.Since(began))
		won := 0
		for i, st := range statuses {
			switch {
			case st == http.StatusCreated:
				won++
			case st == http.StatusConflict && codes[i] == "task-already-reserved":
			default:
				t.Errorf("request %d: %d %s", i, st, codes[i])
			}
		}
		if won != 1 {
			t.Fatalf("%d reservations created, want 1 (statuses %v)", won, statuses)
		}
		var history struct{ Reservations []apiReservation }
		e.get("/tasks/"+task.ID+"/reservations", "").ok(t, http.StatusOK, "ReservationList", &history)
		if len(history.Reservations) != 1 || history.Reservations[0].Status != "active" {
			t.Fatalf("reservations %+v", history)
		}
		var bal struct {
			Accounts []struct {
				Account, Balance string
				Budget           *string
				Locked           *bool
			}
		}
		e.get("/associations/"+s.name+"/balances", "").ok(t, http.StatusOK, "Balances", &bal)
		for _, a := range bal.Accounts {
			if a.Account == "task:"+task.ID && (a.Balance != "80.00" || a.Locked == nil || !*a.Locked) {
				t.Fatalf("task account %+v", a)
			}
		}
		var ledgerPage struct{ Items []struct{ Kind string } }
		e.get("/associations/"+s.name+"/ledger", s.boardTok).ok(t, http.StatusOK, "LedgerPage", &ledgerPage)
		if len(ledgerPage.Items) != 1 || ledgerPage.Items[0].Kind != "donation" {
			t.Fatalf("the reservations moved money: %+v", ledgerPage.Items)
		}
	})
}

// later is a clock some hours ahead: the lapse scheduler of a process
// that lives after the deadline.
type later struct{ by time.Duration }

func (c later) Now() time.Time { return time.Now().Add(c.by) }

// TestReservations_ShowLapses: a reservation past its deadline lapses (the
// scheduler sweeps it), the task reopens with its budget unlocked, and the
// lapse stays in the task's history.
func TestReservations_ShowLapses(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		task := s.task(t, s.project(t), "10.00", "")
		s.fund(t, task, "10.00")
		e.post("/tasks/"+task.ID+"/reservation", s.proTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)

		clock := later{2 * time.Hour}
		sweeper := projects.New(e.DB, clock, projects.Policy{BaseURL: e.Config.BaseURL()}, ledger.New(e.DB, clock, e.Members))
		if n, err := sweeper.LapseDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("lapsed %d, %v", n, err)
		}
		var history struct{ Reservations []apiReservation }
		e.get("/tasks/"+task.ID+"/reservations", "").ok(t, http.StatusOK, "ReservationList", &history)
		if len(history.Reservations) != 1 || history.Reservations[0].Status != "lapsed" || history.Reservations[0].EndedBy != nil {
			t.Fatalf("history %+v", history)
		}
		if got := s.getTask(t, task.ID); got.Status != "open" || got.ReservedBy != nil || got.ReservedUntil != nil {
			t.Fatalf("task after the lapse %+v", got)
		}
		// Open again, and its budget with it: someone else reserves it.
		e.post("/tasks/"+task.ID+"/reservation", s.volTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)
	})
}
