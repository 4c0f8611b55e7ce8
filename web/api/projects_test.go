package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
)

// projectState is what a refused request about project p might have
// changed: the project and its tasks, and the association's projects.
func (s *studio) projectState(t *testing.T, p string) string {
	t.Helper()
	var b strings.Builder
	for _, path := range []string{"/projects/" + p, "/projects/" + p + "/tasks", "/associations/" + s.name + "/projects"} {
		r := s.e.get(path, s.boardTok)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		b.Write(r.body)
	}
	return b.String()
}

func list(item string, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(item, i)
	}
	return "[" + strings.Join(items, ", ") + "]"
}

// TestProjects_BadInput: malformed or invalid bodies, oversized lists
// included, are refused with a 400 that names each field, and create or
// change nothing.
func TestProjects_BadInput(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		task := s.task(t, p, "10.00", "")
		proposals := "/associations/" + s.name + "/projects"
		tasks := "/projects/" + p.ID + "/tasks"
		valid := `"name": "Mesh", "licence": "MIT", "architecture": "distributed"`
		tests := []struct {
			name, method, path, body string
			code                     string
			fields                   map[string]string
			detail                   string
		}{
			{"malformed JSON", "POST", proposals, `{"name": "Mesh",}`, "malformed-json", nil, "line 1, column 17"},
			{"an unknown field", "POST", proposals, `{` + valid + `, "budget": "10"}`, "unknown-field", map[string]string{"budget": "unknown-field"}, "budget: unknown field"},
			{"a field given twice", "POST", proposals, `{` + valid + `, "name": "Other"}`, "repeated-field", map[string]string{"name": "repeated-field"}, "given more than once"},
			{"tags as a string", "POST", proposals, `{` + valid + `, "tags": "mesh"}`, "wrong-type", map[string]string{"tags": "wrong-type"}, "must be an array"},
			{"nothing required", "POST", proposals, `{"summary": "x"}`, "invalid-input",
				map[string]string{"name": "required", "licence": "required", "architecture": "required"}, "required"},
			{"an unknown licence and architecture", "POST", proposals, `{"name": "Mesh", "licence": "mine", "architecture": "tree"}`, "invalid-input",
				map[string]string{"licence": "unknown-licence", "architecture": "invalid-choice"}, "SPDX"},
			{"21 tags", "POST", proposals, `{` + valid + `, "tags": ` + list(`"t%d"`, 21) + `}`, "invalid-input", map[string]string{"tags": "too-many"}, "at most 20"},
			{"51 checklist items", "POST", proposals, `{` + valid + `, "checklist": ` + list(`"item %d"`, 51) + `}`, "invalid-input", map[string]string{"checklist": "too-many"}, "at most 50"},
			{"51 beneficiaries", "POST", proposals, `{` + valid + `, "beneficiaries": ` + list(`"b %d"`, 51) + `}`, "invalid-input", map[string]string{"beneficiaries": "too-many"}, "at most 50"},
			{"a negative goal", "POST", proposals, `{` + valid + `, "goal": "-5"}`, "invalid-input", map[string]string{"goal": "invalid-amount"}, "amount"},
			{"a name too long", "PATCH", "/projects/" + p.ID, `{"name": "` + strings.Repeat("n", 201) + `"}`, "invalid-input", map[string]string{"name": "too-long"}, "at most 200"},
			{"a change with an unknown field", "PATCH", "/projects/" + p.ID, `{"status": "active"}`, "unknown-field", map[string]string{"status": "unknown-field"}, "unknown field"},
			{"an unknown verdict", "POST", "/projects/" + p.ID + "/evaluation", `{"verdict": "maybe"}`, "invalid-input", map[string]string{"verdict": "invalid-choice"}, "accept or reject"},
			{"an evaluation as a string", "POST", "/projects/" + p.ID + "/evaluation", `"accept"`, "not-an-object", nil, "a string"},
			{"a status only an evaluation sets", "POST", "/projects/" + p.ID + "/status", `{"status": "accepted"}`, "invalid-input", map[string]string{"status": "invalid-choice"}, "evaluation"},
			{"31 done criteria", "POST", tasks, strings.Replace(s.taskBody("10.00", ""), `["firmware built from source", "ten routers flashed"]`, list(`"criterion %d"`, 31), 1),
				"invalid-input", map[string]string{"done_criteria": "too-many"}, "at most 30"},
			{"no done criteria", "POST", tasks, strings.Replace(s.taskBody("10.00", ""), `["firmware built from source", "ten routers flashed"]`, `[]`, 1),
				"invalid-input", map[string]string{"done_criteria": "too-few"}, "at least 1"},
			{"11 reviewers", "POST", tasks, strings.Replace(s.taskBody("10.00", ""), `"reviewers": [`, `"reviewers": [`+strings.Trim(list(`"https://r.example/%d"`, 10), "[]")+`, `, 1),
				"invalid-input", map[string]string{"reviewers": "too-many"}, "at most 10"},
			{"a reviewer that is no URL", "POST", tasks, strings.Replace(s.taskBody("10.00", ""), `"reviewers": [`, `"reviewers": ["alice", `, 1),
				"invalid-input", map[string]string{"reviewers": "not-a-url"}, "http"},
			{"a bad budget, category and period", "POST", tasks,
				strings.NewReplacer(`"budget": "10.00"`, `"budget": "ten"`, `"programming"`, `"cooking"`, `"72h"`, `"1000h"`).Replace(s.taskBody("10.00", "")),
				"invalid-input", map[string]string{"budget": "invalid-amount", "category": "invalid-choice", "max_reservation": "out-of-range"}, "max_reservation_period, 720h"},
			{"a draft flag as a string", "POST", tasks, s.taskBody("10.00", `, "draft": "yes"`), "wrong-type", map[string]string{"draft": "wrong-type"}, "true or false"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.projectState(t, p.ID)
				pr := e.do(request{method: tc.method, path: tc.path, token: s.holderTok, body: tc.body}).problem(t, http.StatusBadRequest, tc.code)
				if tc.fields != nil {
					sameFields(t, pr, tc.fields)
				}
				// One field: the detail says it; several: each field's does.
				said := pr.Detail
				for _, f := range pr.Errors {
					said += " | " + f.Detail
				}
				if !strings.Contains(said, tc.detail) {
					t.Errorf("details %q do not say %q", said, tc.detail)
				}
				if after := s.projectState(t, p.ID); after != before {
					t.Fatalf("a refused request changed something:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
		// Lists of the API are bounded too.
		for _, q := range []string{"?limit=0", "?limit=101", "?cursor=nope"} {
			e.get(proposals+q, "").problem(t, 400, "invalid-input")
			e.get(tasks+q, "").problem(t, 400, "invalid-input")
		}
		s.unchangedSince(t, task.ID, s.snapshot(t, task.ID))
	})
}

// TestProjects_Refusals: each rule of a project's life answers with its
// own status and code, and changes nothing.
func TestProjects_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		outsider := s.outsiderTok
		var proposed apiProject
		e.post("/associations/"+s.name+"/projects", s.holderTok, `{"name": "Mesh", "licence": "MIT", "architecture": "distributed"}`).
			ok(t, http.StatusCreated, "Project", &proposed)
		accepted := s.project(t)
		open := s.task(t, accepted, "10.00", "")
		s.fund(t, open, "10.00")
		reserved := s.task(t, accepted, "10.00", "")
		s.fund(t, reserved, "10.00")
		e.post("/tasks/"+reserved.ID+"/reservation", s.proTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)

		tests := []struct {
			name, method, path, token, body string
			status                          int
			code                            string
		}{
			{"a proposal by a non-member", "POST", "/associations/" + s.name + "/projects", outsider, `{"name": "Mesh", "licence": "MIT", "architecture": "distributed"}`, 403, "members-only"},
			{"a proposal to nobody", "POST", "/associations/nobody/projects", s.holderTok, `{"name": "Mesh", "licence": "MIT", "architecture": "distributed"}`, 404, "association-not-found"},
			{"an anonymous proposal", "POST", "/associations/" + s.name + "/projects", "", `{"name": "Mesh", "licence": "MIT", "architecture": "distributed"}`, 401, "unauthenticated"},
			{"an evaluation by the holder", "POST", "/projects/" + proposed.ID + "/evaluation", s.holderTok, `{"verdict": "accept"}`, 403, "board-only"},
			{"a second evaluation", "POST", "/projects/" + accepted.ID + "/evaluation", s.boardTok, `{"verdict": "reject", "reason": "no"}`, 409, "invalid-transition"},
			{"a task for a proposed project", "POST", "/projects/" + proposed.ID + "/tasks", s.holderTok, s.taskBody("10.00", ""), 409, "project-not-accepted"},
			{"a task by a non-member", "POST", "/projects/" + accepted.ID + "/tasks", outsider, s.taskBody("10.00", ""), 403, "holder-or-board-only"},
			{"a change by a non-member", "PATCH", "/projects/" + accepted.ID, outsider, `{"summary": "mine"}`, 403, "holder-or-board-only"},
			{"accepted to completed", "POST", "/projects/" + accepted.ID + "/status", s.boardTok, `{"status": "completed"}`, 409, "invalid-transition"},
			{"opening an open task", "POST", "/tasks/" + open.ID + "/open", s.holderTok, "", 409, "task-not-draft"},
			{"cancelling a reserved task", "POST", "/tasks/" + reserved.ID + "/cancel", s.holderTok, "", 409, "task-not-open"},
			{"cancelling by a non-member", "POST", "/tasks/" + open.ID + "/cancel", outsider, "", 403, "holder-or-board-only"},
			{"a body on cancel", "POST", "/tasks/" + open.ID + "/cancel", s.holderTok, `{"reason": "x"}`, 400, "unknown-field"},
			{"an unknown project", "GET", "/projects/0190a0a0-0000-7000-8000-000000000000", "", "", 404, "project-not-found"},
			{"a malformed project id", "GET", "/projects/nope", "", "", 404, "project-not-found"},
			{"the tasks of an unknown project", "GET", "/projects/0190a0a0-0000-7000-8000-000000000000/tasks", "", "", 404, "project-not-found"},
			{"an unknown task", "GET", "/tasks/0190a0a0-0000-7000-8000-000000000000", "", "", 404, "task-not-found"},
			{"recognitions of nobody", "GET", "/actors/nobody/recognitions", "", "", 404, "actor-not-found"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.projectState(t, accepted.ID) + s.projectState(t, proposed.ID) + s.snapshot(t, open.ID) + s.snapshot(t, reserved.ID)
				e.do(request{method: tc.method, path: tc.path, token: tc.token, body: tc.body}).problem(t, tc.status, tc.code)
				after := s.projectState(t, accepted.ID) + s.projectState(t, proposed.ID) + s.snapshot(t, open.ID) + s.snapshot(t, reserved.ID)
				if after != before {
					t.Fatalf("a refused request changed something:\nbefore %s\nafter  %s", before, after)
				}
			})
		}

		// Where the board may not evaluate, a proposal of the association must.
		no := false
		e.settings(s.board, s.name, membership.SettingsChange{BoardMayEvaluateProjects: &no})
		e.post("/projects/"+proposed.ID+"/evaluation", s.boardTok, `{"verdict": "accept"}`).problem(t, 409, "evaluation-needs-proposal")
	})
}

// TestProjects_Lifecycle: a project's description changes, it goes active,
// completed and archived, each step on record with who and why; an
// archived project no longer changes. Drafts open, open tasks cancel.
func TestProjects_Lifecycle(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		e.patch("/projects/"+p.ID, s.holderTok, `{"summary": "Wi-Fi for the valley", "tags": ["mesh", "Radio"], "goal": "2000"}`).ok(t, http.StatusOK, "Project", &p)
		if p.Goal != "2000.00" || strings.Join(p.Tags, ",") != "mesh,radio" || p.Name != "Community mesh" {
			t.Fatalf("changed %+v", p)
		}
		draft := s.task(t, p, "10.00", `, "draft": true`)
		if draft.Status != "draft" {
			t.Fatalf("draft %+v", draft)
		}
		e.post("/tasks/"+draft.ID+"/open", s.holderTok, "").ok(t, http.StatusOK, "Task", &draft)
		e.post("/tasks/"+draft.ID+"/cancel", s.boardTok, "").ok(t, http.StatusOK, "Task", &draft)
		if draft.Status != "cancelled" {
			t.Fatalf("cancelled %+v", draft)
		}

		e.post("/projects/"+p.ID+"/status", s.holderTok, `{"status": "active", "reason": "starting"}`).ok(t, http.StatusOK, "Project", &p)
		e.post("/projects/"+p.ID+"/status", s.holderTok, `{"status": "completed"}`).problem(t, 403, "board-only")
		e.post("/projects/"+p.ID+"/status", s.boardTok, `{"status": "completed", "reason": "all done"}`).ok(t, http.StatusOK, "Project", &p)
		e.post("/projects/"+p.ID+"/status", s.boardTok, `{"status": "archived"}`).ok(t, http.StatusOK, "Project", &p)
		e.patch("/projects/"+p.ID, s.holderTok, `{"summary": "again"}`).problem(t, 409, "project-archived")
		want := []string{"proposed", "evaluating", "accepted", "active", "completed", "archived"}
		if len(p.History) != len(want) {
			t.Fatalf("history %+v", p.History)
		}
		for i, h := range p.History {
			if h.To != want[i] || (i > 0 && (h.From == nil || *h.From != want[i-1])) {
				t.Fatalf("history %d: %+v", i, h)
			}
		}
		if h := p.History[3]; h.By != s.uri(s.holder) || h.Reason != "starting" {
			t.Fatalf("activation %+v", h)
		}
		if h := p.History[4]; h.By != s.uri(s.board) || h.Reason != "all done" {
			t.Fatalf("completion %+v", h)
		}

		// A members-only association shows no funding to outsiders.
		vis := membership.VisibilityMembers
		e.settings(s.board, s.name, membership.SettingsChange{Visibility: &vis})
		var seen apiProject
		e.get("/projects/"+p.ID, s.outsiderTok).ok(t, http.StatusOK, "Project", &seen)
		if seen.Funding != nil {
			t.Fatalf("an outsider sees the funding of a members-only association: %+v", seen.Funding)
		}
		e.get("/projects/"+p.ID, s.holderTok).ok(t, http.StatusOK, "Project", &seen)
		if seen.Funding == nil {
			t.Fatal("a member does not see the funding")
		}
	})
}

// TestPayoutPaid_Refusals: the treasurer, and only they, marks a payout
// paid, once, with a reference; until then the task stays done.
func TestPayoutPaid_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		task := s.task(t, s.project(t), "25.00", "")
		s.fund(t, task, "25.00")
		e.post("/tasks/"+task.ID+"/reservation", s.proTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)
		var sub apiSubmission
		e.post("/tasks/"+task.ID+"/submissions", s.proTok, `{"text": "done"}`).ok(t, http.StatusCreated, "Submission", &sub)
		e.post("/submissions/"+sub.ID+"/review", s.boardTok, `{"criteria": `+checks(true, true)+`, "verdict": "accept"}`).ok(t, http.StatusCreated, "Review", nil)
		done := s.getTask(t, task.ID)
		if done.Payout == nil {
			t.Fatalf("no payout on %+v", done)
		}
		path := "/payouts/" + done.Payout.ID + "/paid"
		tests := []struct {
			name, path, token, body string
			status                  int
			code                    string
		}{
			{"by the board", path, s.boardTok, `{"reference": "VIR-42"}`, 403, "treasurer-only"},
			{"by the payee", path, s.proTok, `{"reference": "VIR-42"}`, 403, "treasurer-only"},
			{"anonymous", path, "", `{"reference": "VIR-42"}`, 401, "unauthenticated"},
			{"without a reference", path, s.treasurerTok, `{"reference": " "}`, 400, "invalid-cause"},
			{"with a reference too long", path, s.treasurerTok, `{"reference": "` + strings.Repeat("r", 201) + `"}`, 400, "invalid-cause"},
			{"without a body", path, s.treasurerTok, ``, 400, "empty-body"},
			{"of an unknown payout", "/payouts/0190a0a0-0000-7000-8000-000000000000/paid", s.treasurerTok, `{"reference": "VIR-42"}`, 404, "payout-not-found"},
			{"of a malformed id", "/payouts/nope/paid", s.treasurerTok, `{"reference": "VIR-42"}`, 404, "payout-not-found"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.snapshot(t, task.ID)
				e.do(request{method: http.MethodPost, path: tc.path, token: tc.token, body: tc.body, contentType: "application/json"}).problem(t, tc.status, tc.code)
				s.unchangedSince(t, task.ID, before)
			})
		}
		e.post(path, s.treasurerTok, `{"reference": "VIR-42"}`).ok(t, http.StatusOK, "Payout", nil)
		before := s.snapshot(t, task.ID)
		e.post(path, s.treasurerTok, `{"reference": "VIR-43"}`).problem(t, 409, "payout-already-paid")
		s.unchangedSince(t, task.ID, before)
		if got := s.getTask(t, task.ID); got.Status != "paid" || got.Payout.BankReference != "VIR-42" {
			t.Fatalf("task %+v, payout %+v", got, got.Payout)
		}
	})
}
