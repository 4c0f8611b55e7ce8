package pages

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
)

// Codes of what the task forms refuse before core is asked.
const (
	codeInvalidDate = "invalid-date"
	codeRequired    = "required"
)

// taskAction reads a form posted on a task's page, runs act and goes back
// to the page with done confirmed, or shows the page again with the form
// (which slot picks among the page's forms) telling what went wrong.
func (s *server) taskAction(w http.ResponseWriter, r *http.Request, fields []string, rename map[string]string,
	slot func(*taskForms) **form, act func(acc membership.Account, task uuid.UUID, f *form) (done string, err error)) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.taskActionOn(w, r, id, fields, rename, slot, act)
}

func (s *server) taskActionOn(w http.ResponseWriter, r *http.Request, id uuid.UUID, fields []string, rename map[string]string,
	slot func(*taskForms) **form, act func(acc membership.Account, task uuid.UUID, f *form) (done string, err error)) {
	f := s.postForm(w, r, "/tasks/"+id.String(), fields, rename, func(acc membership.Account, f *form) (string, error) {
		return act(acc, id, f)
	})
	if f == nil {
		return
	}
	forms := newTaskForms()
	*slot(&forms) = f
	s.showTask(w, r, f.Status(), id, forms)
}

// deadline turns the day a person picked into the reservation's end: the
// end of that day (UTC), or, on the last day the task allows, the longest
// reservation itself, so that picking the last day offered is accepted.
// A day past it is left for core to refuse.
func deadline(day time.Time, now time.Time, longest time.Duration) time.Time {
	limit := now.Add(longest).Truncate(time.Second)
	end := day.Add(24*time.Hour - time.Second)
	if day.Format(dateLayout) == limit.UTC().Format(dateLayout) && end.After(limit) {
		return limit
	}
	return end
}

// reserveTask reserves the task until the end of the chosen day.
func (s *server) reserveTask(w http.ResponseWriter, r *http.Request) {
	if s.onPartnerTask(w, r, func(t projects.RemoteTask) { s.reservePartnerTask(w, r, t) }) {
		return
	}
	s.taskAction(w, r, reserveFields, nil, func(f *taskForms) **form { return &f.Reserve },
		func(acc membership.Account, id uuid.UUID, f *form) (string, error) {
			day, err := time.Parse(dateLayout, strings.TrimSpace(f.Value("until")))
			if err != nil {
				return "", core.Invalid(core.FieldError{Field: "until", Code: codeInvalidDate, Detail: "pick a day"})
			}
			t, err := s.projects.Task(r.Context(), id)
			if err != nil {
				return "", err
			}
			_, err = s.projects.Reserve(r.Context(), acc, id, deadline(day, time.Now().UTC(), t.MaxReservation))
			return "reserved", err
		})
}

// releaseTask ends the reservation: the holder's own, or anyone's by the
// board with a reason.
func (s *server) releaseTask(w http.ResponseWriter, r *http.Request) {
	if s.onPartnerTask(w, r, func(t projects.RemoteTask) { s.releasePartnerTask(w, r, t) }) {
		return
	}
	s.taskAction(w, r, releaseFields, releaseRename, func(f *taskForms) **form { return &f.Release },
		func(acc membership.Account, id uuid.UUID, f *form) (string, error) {
			_, err := s.projects.Release(r.Context(), acc, id, f.Value("release_reason"))
			return "released", err
		})
}

// changeTaskStatus opens a draft task or cancels an open one.
func (s *server) changeTaskStatus(w http.ResponseWriter, r *http.Request) {
	s.taskAction(w, r, taskStatusKeys, nil, func(f *taskForms) **form { return &f.Status },
		func(acc membership.Account, id uuid.UUID, f *form) (string, error) {
			switch f.Value("action") {
			case "open":
				_, err := s.projects.OpenTask(r.Context(), acc, id)
				return "opened", err
			case "cancel":
				_, err := s.projects.CancelTask(r.Context(), acc, id)
				return "cancelled", err
			}
			return "", core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		})
}

// submitWork delivers work for the task: text, and links one a line.
func (s *server) submitWork(w http.ResponseWriter, r *http.Request) {
	if s.onPartnerTask(w, r, func(t projects.RemoteTask) { s.submitPartnerWork(w, r, t) }) {
		return
	}
	s.taskAction(w, r, submitFields, nil, func(f *taskForms) **form { return &f.Submit },
		func(acc membership.Account, id uuid.UUID, f *form) (string, error) {
			_, err := s.projects.Submit(r.Context(), acc, id, f.Value("text"), lines(f.Value("links")))
			return "submitted", err
		})
}

// reviewSubmission records a reviewer's decision, criterion by criterion.
func (s *server) reviewSubmission(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	sub, err := s.projects.Submission(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.taskActionOn(w, r, sub.TaskID, reviewFields, nil, func(f *taskForms) **form { return &f.Review },
		func(acc membership.Account, task uuid.UUID, f *form) (string, error) {
			t, err := s.projects.Task(r.Context(), task)
			if err != nil {
				return "", err
			}
			checks := make([]projects.CriterionCheck, len(t.DoneCriteria))
			for i := range checks {
				checks[i] = projects.CriterionCheck{Met: f.Checked(criterionMet(i)), Comment: f.Value(criterionComment(i))}
			}
			_, err = s.projects.ReviewSubmission(r.Context(), acc, id, checks, f.Value("verdict"), f.Value("comment"))
			return "reviewed", err
		})
}

// allocateToTask moves money from the general fund or the task's project
// to the task, as the board or the treasurer.
func (s *server) allocateToTask(w http.ResponseWriter, r *http.Request) {
	s.taskAction(w, r, allocateFields, nil, func(f *taskForms) **form { return &f.Allocate },
		func(acc membership.Account, id uuid.UUID, f *form) (string, error) {
			t, err := s.projects.Task(r.Context(), id)
			if err != nil {
				return "", err
			}
			a, err := s.projects.AssociationOf(r.Context(), t.AssociationID)
			if err != nil {
				return "", err
			}
			n, err := amountInput("amount", f.Value("amount"), a.Settings.Currency)
			if err != nil {
				return "", err
			}
			_, err = s.ledger.Allocate(r.Context(), acc, a.Name, ledger.AllocationInput{From: f.Value("from"), Task: id,
				Amount: n, Currency: a.Settings.Currency})
			if errors.Is(err, ledger.ErrNeedsProposal) {
				// Not a refusal of the person but of the way: the page
				// shows it with the form that proposes the allocation.
				err = core.New(core.KindConflict, ledger.ErrNeedsProposal.Code, ledger.ErrNeedsProposal.Detail)
			}
			return "allocated", err
		})
}

// markTaskPayoutPaid records, as the treasurer, that the task's payout
// was paid, with the bank's reference.
func (s *server) markTaskPayoutPaid(w http.ResponseWriter, r *http.Request) {
	payout, ok := idParam(r, "payout")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.taskAction(w, r, paidFields, nil, func(f *taskForms) **form { return &f.Paid },
		func(acc membership.Account, _ uuid.UUID, f *form) (string, error) {
			return "paid", s.markPaid(r, acc, payout, f)
		})
}

// markPaid marks payout paid with the form's bank reference, which a
// treasurer must give.
func (s *server) markPaid(r *http.Request, acc membership.Account, payout uuid.UUID, f *form) error {
	ref := strings.TrimSpace(f.Value("bank_reference"))
	if ref == "" {
		return core.Invalid(core.FieldError{Field: "bank_reference", Code: codeRequired, Detail: "give the bank's reference of the transfer"})
	}
	_, err := s.projects.MarkPaid(r.Context(), acc, payout, ref)
	return err
}

// amountInput reads an amount typed in field, in currency.
func amountInput(field, s, currency string) (int64, error) {
	n, err := money.Parse(decimalInput(s), currency)
	if err != nil || n <= 0 {
		return 0, core.Invalid(core.FieldError{Field: field, Code: "invalid-amount", Detail: "give an amount such as 100.00"})
	}
	return n, nil
}
