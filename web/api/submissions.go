package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// submissionJSON is work delivered for a task; once reviewed, a single
// submission also shows its review.
type submissionJSON struct {
	ID          string      `json:"id"`
	Task        string      `json:"task"`
	By          string      `json:"by"`
	Reservation *string     `json:"reservation"`
	Text        string      `json:"text"`
	Links       []string    `json:"links"`
	Status      string      `json:"status"`
	SubmittedAt string      `json:"submitted_at"`
	ReviewedAt  *string     `json:"reviewed_at"`
	Review      *reviewJSON `json:"review,omitempty"`
}

func renderSubmission(s projects.Submission) submissionJSON {
	out := submissionJSON{ID: s.ID.String(), Task: s.TaskID.String(), By: s.By, Text: s.Text, Links: nonNil(s.Links),
		Status: s.Status, SubmittedAt: timestamp(s.SubmittedAt), ReviewedAt: optTimestamp(s.ReviewedAt)}
	if s.ReservationID != nil {
		id := s.ReservationID.String()
		out.Reservation = &id
	}
	return out
}

// reviewJSON is the decision on a submission, criterion by criterion. The
// outcome says what followed: payout (the completer is paid), volunteer (a
// reallocation right instead) or rejected; value is the task's budget when
// accepted.
type reviewJSON struct {
	ID         string      `json:"id"`
	Submission string      `json:"submission"`
	Reviewer   string      `json:"reviewer"`
	Verdict    string      `json:"verdict"`
	Criteria   []checkJSON `json:"criteria"`
	Comment    string      `json:"comment"`
	Outcome    string      `json:"outcome"`
	Value      string      `json:"value"`
	Currency   string      `json:"currency"`
	ReviewedAt string      `json:"reviewed_at"`
}

// checkJSON is the check of one done criterion.
type checkJSON struct {
	Criterion string `json:"criterion"`
	Met       bool   `json:"met"`
	Comment   string `json:"comment"`
}

func renderReview(rv projects.Review, currency string) reviewJSON {
	out := reviewJSON{ID: rv.ID.String(), Submission: rv.SubmissionID.String(), Reviewer: rv.Reviewer, Verdict: rv.Verdict,
		Criteria: make([]checkJSON, len(rv.Criteria)), Comment: rv.Comment, Outcome: rv.Outcome,
		Value: money.Format(rv.Value, currency), Currency: currency, ReviewedAt: timestamp(rv.ReviewedAt)}
	for i, c := range rv.Criteria {
		out.Criteria[i] = checkJSON{Criterion: c.Criterion, Met: c.Met, Comment: c.Comment}
	}
	return out
}

type submissionRequest struct {
	Text  string   `json:"text"`
	Links []string `json:"links"`
}

// submitWork delivers work for a task: by the holder of its reservation,
// or by anyone while it is open (a volunteer completion).
func (h *handlers) submitWork(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, projects.ErrNoSuchTask)
	if !ok {
		return
	}
	var in submissionRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	s, err := h.projects.Submit(r.Context(), acc, id, in.Text, in.Links)
	if errors.Is(err, projects.ErrNoSuchTask) && h.onPartnerTask(w, r, id, func(t projects.RemoteTask) { h.submitRemoteWork(w, r, acc, t, in.Text, in.Links) }) {
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/submissions/"+s.ID.String(), renderSubmission(s))
}

// submissionsJSON is every submission of a task, oldest first. Each one
// waits on a review before the next can come, so the list is not paged.
type submissionsJSON struct {
	Submissions []submissionJSON `json:"submissions"`
}

func (h *handlers) listSubmissions(w http.ResponseWriter, r *http.Request) {
	id, ok := h.existingTask(w, r)
	if !ok {
		return
	}
	list, err := h.projects.Submissions(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	out := submissionsJSON{Submissions: make([]submissionJSON, len(list))}
	for i, s := range list {
		out.Submissions[i] = renderSubmission(s)
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (h *handlers) getSubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r, projects.ErrNoSuchSubmission)
	if !ok {
		return
	}
	s, err := h.projects.Submission(r.Context(), id)
	if errors.Is(err, projects.ErrNoSuchSubmission) && h.remoteWork != nil {
		h.getHostedSubmission(w, r, id)
		return
	}
	if err != nil {
		fail(w, r, err)
		return
	}
	out := renderSubmission(s)
	rv, err := h.projects.ReviewOf(r.Context(), id)
	switch {
	case errors.Is(err, projects.ErrNotReviewed):
	case err != nil:
		fail(w, r, err)
		return
	default:
		t, err := h.projects.Task(r.Context(), s.TaskID)
		if err != nil {
			fail(w, r, err)
			return
		}
		j := renderReview(rv, t.Currency)
		out.Review = &j
	}
	writeJSON(w, r, http.StatusOK, out)
}

// reviewRequest is a reviewer's decision: one check per done criterion, in
// the task's order (criterion, when given, must name it).
type reviewRequest struct {
	Criteria []struct {
		Criterion string `json:"criterion"`
		Met       *bool  `json:"met"`
		Comment   string `json:"comment"`
	} `json:"criteria"`
	Verdict string `json:"verdict"`
	Comment string `json:"comment"`
}

// reviewSubmission decides on a submission, as one of the reviewers the
// task names and never as its completer.
func (h *handlers) reviewSubmission(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := pathID(w, r, projects.ErrNoSuchSubmission)
	if !ok {
		return
	}
	var in reviewRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	if n := len(in.Criteria); n > projects.MaxCriteria {
		fail(w, r, badField("too-many", "criteria", fmt.Sprintf("at most %d checks, one per done criterion; got %d", projects.MaxCriteria, n)))
		return
	}
	checks := make([]projects.CriterionCheck, len(in.Criteria))
	for i, c := range in.Criteria {
		if c.Met == nil {
			fail(w, r, badField("required", fmt.Sprintf("criteria[%d].met", i), "say whether the criterion is met: true or false"))
			return
		}
		checks[i] = projects.CriterionCheck{Criterion: c.Criterion, Met: *c.Met, Comment: c.Comment}
	}
	rv, err := h.projects.ReviewSubmission(r.Context(), acc, id, checks, in.Verdict, in.Comment)
	if err != nil {
		fail(w, r, err)
		return
	}
	s, err := h.projects.Submission(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	t, err := h.projects.Task(r.Context(), s.TaskID)
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/submissions/"+id.String(), renderReview(rv, t.Currency))
}
