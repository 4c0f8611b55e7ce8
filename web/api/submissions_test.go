package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestReview_Refusals: a review by anyone but the task's reviewers, by the
// completer of the work, twice, or that does not check each criterion
// properly is refused, and changes nothing.
func TestReview_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		task := s.task(t, p, "60.00", "")
		s.fund(t, task, "60.00")
		e.post("/tasks/"+task.ID+"/reservation", s.proTok, deadline(24*time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)
		var sub apiSubmission
		e.post("/tasks/"+task.ID+"/submissions", s.proTok, `{"text": "done"}`).ok(t, http.StatusCreated, "Submission", &sub)

		// The board member completes a task they review themselves.
		own := s.task(t, p, "5.00", "")
		var ownSub apiSubmission
		e.post("/tasks/"+own.ID+"/submissions", s.boardTok, `{"text": "did it myself"}`).ok(t, http.StatusCreated, "Submission", &ownSub)

		review := func(v string) string { return `{"criteria": ` + checks(true, true) + `, "verdict": "` + v + `"}` }
		many := make([]string, 31)
		for i := range many {
			many[i] = `{"met": true}`
		}
		tests := []struct {
			name, sub, token, body string
			status                 int
			code, field            string
		}{
			{"by someone the task does not name", sub.ID, s.holderTok, review("accept"), 403, "not-reviewer", ""},
			{"by the completer", sub.ID, s.proTok, review("accept"), 403, "not-reviewer", ""},
			{"of one's own work, as a reviewer", ownSub.ID, s.boardTok, review("accept"), 403, "own-submission", ""},
			{"anonymous", sub.ID, "", review("accept"), 401, "unauthenticated", ""},
			{"accepting an unmet criterion", sub.ID, s.boardTok, `{"criteria": ` + checks(true, false) + `, "verdict": "accept"}`, 400, "invalid-input", "criteria=criteria-not-met"},
			{"one check for two criteria", sub.ID, s.boardTok, `{"criteria": ` + checks(true) + `, "verdict": "accept"}`, 400, "invalid-input", "criteria=one-check-per-criterion"},
			{"checks in another order", sub.ID, s.boardTok, `{"criteria": [{"criterion": "ten routers flashed", "met": true}, {"met": true}], "verdict": "accept"}`, 400, "invalid-input", "criteria=criterion-mismatch"},
			{"a check without met", sub.ID, s.boardTok, `{"criteria": [{"comment": "fine"}, {"met": true}], "verdict": "accept"}`, 400, "required", "criteria[0].met=required"},
			{"an unknown verdict", sub.ID, s.boardTok, review("maybe"), 400, "invalid-input", "verdict=invalid-choice"},
			{"a rejection without a comment", sub.ID, s.boardTok, `{"criteria": ` + checks(false, true) + `, "verdict": "reject"}`, 400, "invalid-input", "comment=required"},
			{"too many checks", sub.ID, s.boardTok, `{"criteria": [` + strings.Join(many, ",") + `], "verdict": "accept"}`, 400, "too-many", "criteria=too-many"},
			{"an unknown field in a check", sub.ID, s.boardTok, `{"criteria": [{"met": true, "score": 5}, {"met": true}], "verdict": "accept"}`, 400, "unknown-field", "score=unknown-field"},
			{"malformed JSON", sub.ID, s.boardTok, `{"criteria": [{"met": true},], "verdict": "accept"}`, 400, "malformed-json", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.snapshot(t, task.ID) + s.snapshot(t, own.ID) + string(e.get("/submissions/"+tc.sub, "").body)
				pr := e.post("/submissions/"+tc.sub+"/review", tc.token, tc.body).problem(t, tc.status, tc.code)
				if tc.field != "" {
					field, code, _ := strings.Cut(tc.field, "=")
					sameFields(t, pr, map[string]string{field: code})
				}
				after := s.snapshot(t, task.ID) + s.snapshot(t, own.ID) + string(e.get("/submissions/"+tc.sub, "").body)
				if after != before {
					t.Fatalf("a refused review changed something:\nbefore %s\nafter  %s", before, after)
				}
			})
		}

		e.post("/submissions/"+sub.ID+"/review", s.boardTok, review("accept")).ok(t, http.StatusCreated, "Review", nil)
		before := s.snapshot(t, task.ID) + string(e.get("/submissions/"+sub.ID, "").body)
		e.post("/submissions/"+sub.ID+"/review", s.boardTok, review("accept")).problem(t, 409, "already-reviewed")
		e.post("/submissions/"+sub.ID+"/review", s.boardTok, `{"criteria": `+checks(false, false)+`, "verdict": "reject", "comment": "on second thought"}`).
			problem(t, 409, "already-reviewed")
		if after := s.snapshot(t, task.ID) + string(e.get("/submissions/"+sub.ID, "").body); after != before {
			t.Fatalf("a second review changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// TestReview_RejectionGivesTheTaskBack: a rejected delivery returns the
// task to the holder of its reservation, who may deliver again.
func TestReview_RejectionGivesTheTaskBack(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		task := s.task(t, s.project(t), "60.00", "")
		s.fund(t, task, "60.00")
		e.post("/tasks/"+task.ID+"/reservation", s.proTok, deadline(24*time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)
		var first, second apiSubmission
		e.post("/tasks/"+task.ID+"/submissions", s.proTok, `{"text": "first try"}`).ok(t, http.StatusCreated, "Submission", &first)
		var rv apiReview
		e.post("/submissions/"+first.ID+"/review", s.boardTok, `{"criteria": `+checks(true, false)+`, "verdict": "reject", "comment": "two routers still run the old firmware"}`).
			ok(t, http.StatusCreated, "Review", &rv)
		if rv.Outcome != "rejected" || rv.Value != "0.00" {
			t.Fatalf("review %+v", rv)
		}
		if got := s.getTask(t, task.ID); got.Status != "reserved" || got.ReservedBy == nil || *got.ReservedBy != s.uri(s.pro) {
			t.Fatalf("task after the rejection %+v", got)
		}
		e.post("/tasks/"+task.ID+"/submissions", s.volTok, `{"text": "let me"}`).problem(t, 409, "reserved-by-another")
		e.post("/tasks/"+task.ID+"/submissions", s.proTok, `{"text": "second try"}`).ok(t, http.StatusCreated, "Submission", &second)
		var list struct{ Submissions []apiSubmission }
		e.get("/tasks/"+task.ID+"/submissions", "").ok(t, http.StatusOK, "SubmissionList", &list)
		if len(list.Submissions) != 2 || list.Submissions[0].Status != "rejected" || list.Submissions[1].ID != second.ID {
			t.Fatalf("submissions %+v", list)
		}
	})
}

// TestSubmit_Refusals: work for a task that waits on nobody, by someone
// else than the reservation's holder, or with bad text or links is
// refused and changes nothing.
func TestSubmit_Refusals(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		s := newStudio(t, e)
		p := s.project(t)
		held := s.task(t, p, "10.00", "")
		s.fund(t, held, "10.00")
		e.post("/tasks/"+held.ID+"/reservation", s.proTok, deadline(time.Hour)).ok(t, http.StatusCreated, "Reservation", nil)
		draft := s.task(t, p, "10.00", `, "draft": true`)
		links := make([]string, 21)
		for i := range links {
			links[i] = fmt.Sprintf("%q", fmt.Sprintf("https://git.example/%d", i))
		}
		tests := []struct {
			name        string
			task        apiTask
			token       string
			body        string
			status      int
			code, field string
		}{
			{"for a task reserved by another", held, s.volTok, `{"text": "mine"}`, 409, "reserved-by-another", ""},
			{"for a draft", draft, s.volTok, `{"text": "mine"}`, 409, "task-not-submittable", ""},
			{"without text", held, s.proTok, `{"text": "  "}`, 400, "invalid-input", "text=required"},
			{"with a link that is no URL", held, s.proTok, `{"text": "x", "links": ["javascript:alert(1)"]}`, 400, "invalid-input", "links=not-a-url"},
			{"with too many links", held, s.proTok, `{"text": "x", "links": [` + strings.Join(links, ",") + `]}`, 400, "invalid-input", "links=too-many"},
			{"with links as a string", held, s.proTok, `{"text": "x", "links": "https://git.example"}`, 400, "wrong-type", "links=wrong-type"},
			{"anonymous", held, "", `{"text": "x"}`, 401, "unauthenticated", ""},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.snapshot(t, tc.task.ID)
				pr := e.post("/tasks/"+tc.task.ID+"/submissions", tc.token, tc.body).problem(t, tc.status, tc.code)
				if tc.field != "" {
					field, code, _ := strings.Cut(tc.field, "=")
					sameFields(t, pr, map[string]string{field: code})
				}
				s.unchangedSince(t, tc.task.ID, before)
			})
		}
		e.get("/submissions/nope", "").problem(t, 404, "submission-not-found")
		e.get("/tasks/"+draft.ID+"/submissions", "").ok(t, http.StatusOK, "SubmissionList", nil)
		e.get("/tasks/0190a0a0-0000-7000-8000-000000000000/submissions", "").problem(t, 404, "task-not-found")
	})
}
