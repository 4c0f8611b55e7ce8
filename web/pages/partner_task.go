package pages

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/auth"
)

// A partner's task, on the professional's instance: /tasks/{id} for the
// id of the copy kept here shows the task as its association published it
// and what the viewer did on it; its forms send the viewer's reservation,
// release and work to the association, which answers later (DESIGN §7).

// partnerForms are the forms of a partner's task page.
type partnerForms struct {
	Reserve, Release, Submit, Reallocate *form
}

func newPartnerForms() partnerForms {
	return partnerForms{Reserve: newForm(reserveFields...), Release: newForm(), Submit: newForm(submitFields...),
		Reallocate: newForm(reallocationFields...)}
}

// partnerSubmissionView is work the viewer delivered for the task, with
// the association's verdict and payout once they come back.
type partnerSubmissionView struct {
	projects.RemoteSubmission
	Criteria []criterionView
}

type partnerTaskPage struct {
	frame
	Task        projects.RemoteTask
	Association actorRef
	Description []string
	Deadline    deadlineView
	LoggedIn    bool
	Reservation *projects.RemoteReservation // the viewer's latest, if any
	Submissions []partnerSubmissionView
	MayReserve  bool
	MayRelease  bool
	MaySubmit   bool
	// A volunteer whose work was accepted may offer to move the task's
	// budget to the association's other open tasks kept here (Targets);
	// the association checks the right and answers.
	MayReallocate bool
	Targets       []projects.NetworkTask
	Rows          []partRow
	Reallocations []projects.RemoteReallocation
	Forms         partnerForms
	Failed        *form
	Done          string
}

// partnerTask returns the partner's task whose copy here has the id, and
// whether there is one.
func (s *server) partnerTask(r *http.Request, id uuid.UUID) (projects.RemoteTask, bool, error) {
	t, err := s.projects.RemoteTask(r.Context(), id)
	if errors.Is(err, projects.ErrNoSuchRemoteTask) {
		return projects.RemoteTask{}, false, nil
	}
	if err != nil {
		return projects.RemoteTask{}, false, err
	}
	return t, true, nil
}

// onPartnerTask answers with act when the id of the address is a partner's
// task, and reports whether it did: the "if remote" of the task routes.
func (s *server) onPartnerTask(w http.ResponseWriter, r *http.Request, act func(projects.RemoteTask)) bool {
	id, ok := idParam(r, "id")
	if !ok {
		return false
	}
	t, remote, err := s.partnerTask(r, id)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if remote {
		act(t)
	}
	return remote
}

// showPartnerTask shows the partner's task with its forms.
func (s *server) showPartnerTask(w http.ResponseWriter, r *http.Request, status int, t projects.RemoteTask, forms partnerForms) {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	now := time.Now().UTC()
	p := &partnerTaskPage{Task: t, Association: s.namer(ctx).actor(t.Association), Description: paragraphs(t.Description),
		Deadline: deadlineView{Min: now.Format(dateLayout), Max: now.Add(t.MaxReservation).Format(dateLayout), Longest: t.MaxReservation},
		LoggedIn: viewer != nil, Forms: forms, Done: doneParam(r, "offered", "withdrawn", "delivered", "reallocation")}
	if viewer != nil {
		me := s.viewerURI(viewer)
		res, err := s.projects.RemoteReservationOf(ctx, me, t.URI)
		switch {
		case err == nil:
			p.Reservation = &res
		case !errors.Is(err, projects.ErrNotReserved):
			s.fail(w, r, err)
			return
		}
		subs, err := s.projects.RemoteSubmissionsOf(ctx, me, t.URI)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, sub := range subs {
			v := partnerSubmissionView{RemoteSubmission: sub}
			for i, c := range sub.Checks {
				text := c.Criterion
				if text == "" && i < len(t.DoneCriteria) {
					text = t.DoneCriteria[i]
				}
				v.Criteria = append(v.Criteria, criterionView{Text: text, Met: c.Met, Comment: c.Comment})
			}
			p.Submissions = append(p.Submissions, v)
		}
	}
	if viewer != nil {
		if err := s.partnerReallocation(r, p); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	holds := p.Reservation != nil && (p.Reservation.Status == projects.ReservationPending || p.Reservation.Status == store.RemoteActive)
	p.MayReserve = viewer != nil && t.Status == projects.TaskOpen && !holds
	p.MayRelease = holds
	p.MaySubmit = viewer != nil && (t.Status == projects.TaskOpen ||
		p.Reservation != nil && p.Reservation.Status == store.RemoteActive)
	if forms.Reserve.Value("until") == "" {
		forms.Reserve.Values["until"] = p.Deadline.Max
	}
	for f, ok := range map[*form]bool{forms.Reserve: p.MayReserve, forms.Release: p.MayRelease, forms.Submit: p.MaySubmit,
		forms.Reallocate: p.MayReallocate} {
		if !ok {
			f.hoist()
		}
	}
	p.Failed = failed(forms.Reserve, forms.Release, forms.Submit, forms.Reallocate)
	s.render(w, r, status, "partner_task", p)
}

// partnerAction reads a form posted on a partner's task page, runs act and
// goes back to the page, or shows it again with what went wrong.
func (s *server) partnerAction(w http.ResponseWriter, r *http.Request, t projects.RemoteTask, fields []string,
	slot func(*partnerForms) **form, act func(acc membership.Account, f *form) (string, error)) {
	f := s.postForm(w, r, "/tasks/"+t.ID.String(), fields, nil, func(acc membership.Account, f *form) (string, error) {
		if s.remote != nil {
			// The association answers: its inbox must be known here.
			if _, err := s.remote.Lookup(r.Context(), t.Association); err != nil {
				return "", err
			}
		}
		return act(acc, f)
	})
	if f == nil {
		return
	}
	forms := newPartnerForms()
	*slot(&forms) = f
	s.showPartnerTask(w, r, f.Status(), t, forms)
}

// reservePartnerTask offers a reservation until the end of the chosen day:
// pending until the association answers.
func (s *server) reservePartnerTask(w http.ResponseWriter, r *http.Request, t projects.RemoteTask) {
	s.partnerAction(w, r, t, reserveFields, func(f *partnerForms) **form { return &f.Reserve },
		func(acc membership.Account, f *form) (string, error) {
			day, err := time.Parse(dateLayout, strings.TrimSpace(f.Value("until")))
			if err != nil {
				return "", core.Invalid(core.FieldError{Field: "until", Code: codeInvalidDate, Detail: "pick a day"})
			}
			_, err = s.projects.OfferReservation(r.Context(), acc, t, deadline(day, time.Now().UTC(), t.MaxReservation))
			return "offered", err
		})
}

// releasePartnerTask withdraws the viewer's pending or active reservation.
func (s *server) releasePartnerTask(w http.ResponseWriter, r *http.Request, t projects.RemoteTask) {
	s.partnerAction(w, r, t, nil, func(f *partnerForms) **form { return &f.Release },
		func(acc membership.Account, _ *form) (string, error) {
			_, err := s.projects.WithdrawReservation(r.Context(), acc, t.URI)
			return "withdrawn", err
		})
}

// submitPartnerWork delivers the viewer's work: hosted here, sent to the
// association, pending until its verdict.
func (s *server) submitPartnerWork(w http.ResponseWriter, r *http.Request, t projects.RemoteTask) {
	s.partnerAction(w, r, t, submitFields, func(f *partnerForms) **form { return &f.Submit },
		func(acc membership.Account, f *form) (string, error) {
			_, err := s.projects.SubmitRemote(r.Context(), acc, t, f.Value("text"), lines(f.Value("links")))
			return "delivered", err
		})
}

// partnerReallocation adds the viewer's offers to reallocate the task's
// budget and, when their work was accepted as a volunteer's (no completed
// reservation), the form to offer one.
func (s *server) partnerReallocation(r *http.Request, p *partnerTaskPage) error {
	ctx := r.Context()
	moves, err := s.projects.RemoteReallocationsOf(ctx, s.viewerURI(auth.Account(ctx)), p.Task.URI)
	if err != nil {
		return err
	}
	p.Reallocations = moves
	accepted := false
	for _, sub := range p.Submissions {
		accepted = accepted || sub.Status == projects.SubmissionAccepted
	}
	if !accepted || p.Reservation != nil && p.Reservation.Status == store.RemoteDone {
		return nil
	}
	open, _, err := s.projects.PartnerTasks(ctx, projects.CatalogueQuery{Status: projects.TaskOpen, Limit: projects.MaxPage})
	if err != nil {
		return err
	}
	for _, o := range open {
		if o.Association == p.Task.Association && o.URI != p.Task.URI {
			p.Targets = append(p.Targets, o)
		}
	}
	p.MayReallocate = len(p.Targets) > 0
	for i := range reallocationRows {
		p.Rows = append(p.Rows, partRow{Number: i + 1, Task: partTask(i), Amount: partAmount(i),
			ID: fmt.Sprintf("part-%d", i), Form: p.Forms.Reallocate})
	}
	return nil
}

// reallocatePartnerTask offers to move parts of the task's budget to other
// tasks of its association, each named by its copy here; the rows left
// empty are skipped. The offer is pending until the association answers.
func (s *server) reallocatePartnerTask(w http.ResponseWriter, r *http.Request, t projects.RemoteTask) {
	s.partnerAction(w, r, t, reallocationFields, func(f *partnerForms) **form { return &f.Reallocate },
		func(acc membership.Account, f *form) (string, error) {
			var parts []projects.RemotePart
			for i := range reallocationRows {
				task, amount := strings.TrimSpace(f.Value(partTask(i))), strings.TrimSpace(f.Value(partAmount(i)))
				if task == "" && amount == "" {
					continue
				}
				id, err := uuid.Parse(task)
				to, remote := projects.RemoteTask{}, false
				if err == nil {
					if to, remote, err = s.partnerTask(r, id); err != nil {
						return "", err
					}
				}
				if !remote || to.Association != t.Association {
					return "", core.Invalid(core.FieldError{Field: partTask(i), Code: codeInvalidChoice, Detail: "choose a task"})
				}
				if _, err := amountInput(partAmount(i), amount, t.Currency); err != nil {
					return "", err
				}
				parts = append(parts, projects.RemotePart{Task: to, Amount: decimalInput(amount)})
			}
			if len(parts) == 0 {
				return "", core.Invalid(core.FieldError{Field: partTask(0), Code: codeRequired, Detail: "give at least one part: a task and an amount"})
			}
			_, err := s.projects.OfferReallocation(r.Context(), acc, t, parts)
			return "reallocation", err
		})
}

func init() {
	labelSets["partner_done"] = labelKeys("partner_done", "offered", "withdrawn", "delivered", "reallocation")
	labelSets["partner_reservation"] = labelKeys("partner_reservation", store.RemotePending, store.RemoteActive,
		store.RemoteRejected, projects.ReservationLapsed, store.RemoteReleased, store.RemoteDone)
	labelSets["partner_reallocation"] = labelKeys("partner_reallocation", projects.ReallocationPending,
		projects.ReallocationAccepted, projects.ReallocationRejected)
}
