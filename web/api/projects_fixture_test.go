package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
)

// studio is books (an association "commons" in EUR with its board and
// treasurer) whose board evaluates projects, with a project holder among
// its members, a professional and a volunteer from outside.
type studio struct {
	*books
	holder, pro, vol          membership.Account
	holderTok, proTok, volTok string
}

func newStudio(t *testing.T, e env) *studio {
	s := &studio{books: newBooks(t, e)}
	yes := true
	e.settings(s.board, s.name, membership.SettingsChange{BoardMayEvaluateProjects: &yes})
	s.holder, s.holderTok = e.person("holder")
	e.join(s.holder, s.name)
	s.pro, s.proTok = e.person("pro")
	s.vol, s.volTok = e.person("vol")
	return s
}

// uri is the actor id of a local account.
func (s *studio) uri(acc membership.Account) string { return s.e.Members.ActorURI(acc.Username) }

type apiProject struct {
	ID, Association, Holder, Name, Licence, Architecture, Goal, Currency, Status string
	Tags                                                                         []string
	History                                                                      []struct {
		From       *string
		To, By, At string
		Reason     string
	}
	Funding *struct{ Donated, Allocated, Spent, Balance string }
}

type apiTask struct {
	ID, Project, Name, Category, Budget, Currency, Status string
	DoneCriteria                                          []string `json:"done_criteria"`
	MaxReservation                                        string   `json:"max_reservation"`
	Reviewers                                             []string
	ReservedBy                                            *string `json:"reserved_by"`
	ReservedUntil                                         *string `json:"reserved_until"`
	Payout                                                *apiPayout
}

type apiPayout struct {
	ID, Task, Payee, Amount, Currency string
	Paid                              bool
	PaidAt                            *string `json:"paid_at"`
	PaidBy                            string  `json:"paid_by"`
	BankReference                     string  `json:"bank_reference"`
}

type apiReservation struct {
	ID, Task, Actor, Status, Deadline, Reason string
	EndedBy                                   *string `json:"ended_by"`
}

type apiSubmission struct {
	ID, Task, By, Status string
	Reservation          *string
	Review               *apiReview
}

type apiReview struct {
	ID, Verdict, Outcome, Value, Currency, Reviewer string
	Criteria                                        []struct {
		Criterion string
		Met       bool
	}
}

// project proposes a project as the holder and has the board accept it.
func (s *studio) project(t *testing.T) apiProject {
	t.Helper()
	var p apiProject
	s.e.post("/associations/"+s.name+"/projects", s.holderTok,
		`{"name": "Community mesh", "licence": "AGPL-3.0-or-later", "architecture": "decentralised", "tags": ["Mesh"], "place": "Lyon", "goal": "1500.00"}`).
		ok(t, http.StatusCreated, "Project", &p)
	s.e.post("/projects/"+p.ID+"/evaluation", s.boardTok, `{"verdict": "accept", "reason": "fits our statutes"}`).
		ok(t, http.StatusOK, "Project", &p)
	return p
}

// taskBody is a new task of budget, reviewed by the board member; extra
// is added to the object as is (`, "draft": true`).
func (s *studio) taskBody(budget, extra string) string {
	return fmt.Sprintf(`{"name": "Flash the routers", "category": "programming", "done_criteria": ["firmware built from source", "ten routers flashed"], "budget": %q, "max_reservation": "72h", "reviewers": [%q]%s}`,
		budget, s.uri(s.board), extra)
}

// task adds a task of budget to project p as its holder.
func (s *studio) task(t *testing.T, p apiProject, budget, extra string) apiTask {
	t.Helper()
	var task apiTask
	s.e.post("/projects/"+p.ID+"/tasks", s.holderTok, s.taskBody(budget, extra)).ok(t, http.StatusCreated, "Task", &task)
	return task
}

// fund records a donation of amount to task, as the treasurer.
func (s *studio) fund(t *testing.T, task apiTask, amount string) {
	t.Helper()
	s.donate(t, fmt.Sprintf(`{"amount": %q, "target": "task:%s"}`, amount, task.ID))
}

func (s *studio) getTask(t *testing.T, id string) apiTask {
	t.Helper()
	var task apiTask
	s.e.get("/tasks/"+id, s.boardTok).ok(t, http.StatusOK, "Task", &task)
	return task
}

// snapshot is everything a refused request about task might have changed:
// the task, its reservations and submissions, and the association's
// ledger and balances, as a member reads them.
func (s *studio) snapshot(t *testing.T, task string) string {
	t.Helper()
	var b strings.Builder
	for _, path := range []string{"/tasks/" + task, "/tasks/" + task + "/reservations", "/tasks/" + task + "/submissions",
		"/associations/" + s.name + "/ledger", "/associations/" + s.name + "/balances"} {
		r := s.e.get(path, s.boardTok)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		b.Write(r.body)
	}
	return b.String()
}

// unchangedSince fails if anything of snapshot changed.
func (s *studio) unchangedSince(t *testing.T, task, before string) {
	t.Helper()
	if after := s.snapshot(t, task); after != before {
		t.Fatalf("a refused request changed something:\nbefore %s\nafter  %s", before, after)
	}
}

// checks is a review's criteria, each met or not.
func checks(met ...bool) string {
	parts := make([]string, len(met))
	for i, m := range met {
		parts[i] = fmt.Sprintf(`{"met": %t}`, m)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
