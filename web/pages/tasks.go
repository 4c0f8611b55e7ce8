package pages

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/web/auth"
)

// The fields of the forms of a task's page.
var (
	reserveFields  = []string{"until"}
	releaseFields  = []string{"release_reason"}
	releaseRename  = map[string]string{"reason": "release_reason"}
	submitFields   = []string{"text", "links"}
	allocateFields = []string{"amount", "from"}
	paidFields     = []string{"bank_reference"}
	taskStatusKeys = []string{"action"}
	reviewFields   = func() []string {
		f := []string{"verdict", "comment"}
		for i := range projects.MaxCriteria {
			f = append(f, criterionMet(i), criterionComment(i))
		}
		return f
	}()
)

func criterionMet(i int) string     { return fmt.Sprintf("criteria[%d].met", i) }
func criterionComment(i int) string { return fmt.Sprintf("criteria[%d].comment", i) }

func init() {
	for name, max := range map[string]int{
		"until": 10, "release_reason": projects.MaxReason, "text": projects.MaxSubmission,
		"links": projects.MaxLinks * 2050, "amount": 32, "from": 64, "bank_reference": ledger.MaxBankReference,
		"comment": projects.MaxReviewText,
	} {
		fieldMax[name] = max
	}
	for i := range projects.MaxCriteria {
		fieldMax[criterionMet(i)] = 8
		fieldMax[criterionComment(i)] = projects.MaxCriterionRem
	}
}

// taskForms are the forms of a task's page; the one that failed carries
// its errors, the others are empty.
type taskForms struct {
	Reserve, Release, Submit, Review, Allocate, Paid, Status *form
}

func newTaskForms() taskForms {
	return taskForms{Reserve: newForm(reserveFields...), Release: newForm(releaseFields...), Submit: newForm(submitFields...),
		Review: newForm(reviewFields...), Allocate: newForm(allocateFields...), Paid: newForm(paidFields...),
		Status: newForm(taskStatusKeys...)}
}

// deadlineView bounds the date picker of a reservation: from today to the
// day the task's longest reservation ends (UTC).
type deadlineView struct {
	Min, Max string
	Longest  time.Duration
}

type reservationView struct {
	projects.Reservation
	ActorRef, EndedByRef actorRef
}

type criterionView struct {
	Text    string
	Met     bool
	Comment string
}

type reviewView struct {
	projects.Review
	ReviewerRef actorRef
	Criteria    []criterionView
}

type submissionView struct {
	projects.Submission
	ByRef  actorRef
	Review *reviewView
}

// criterionInput is one done criterion in the review form.
type criterionInput struct {
	Number  int
	Text    string
	Met     string // the check box's name
	Comment string // the comment's name
	Form    *form
}

type reviewFormView struct {
	Submission uuid.UUID
	Criteria   []criterionInput
}

type fundingView struct {
	ledger.Funding
	Path string // the donation's trace
}

type taskFunding struct {
	Balance   int64
	Donations []fundingView
}

type payoutView struct {
	ledger.Payout
	PayeeRef, PaidByRef actorRef
}

// allocationSource is an account an allocation may come from.
type allocationSource struct {
	Key  string
	Kind string // general or project
	Name string
}

type taskPage struct {
	frame
	Task         projects.Task
	Project      projects.Project
	Association  membership.Association
	Description  []string
	Reviewers    []actorRef
	ReservedBy   actorRef
	Reservations []reservationView
	Submissions  []submissionView
	Funding      *taskFunding // nil when the viewer may not read the ledger
	Payouts      []payoutView
	Deadline     deadlineView

	LoggedIn      bool
	IsReserver    bool
	HolderOrBoard bool
	IsBoard       bool
	IsTreasurer   bool
	MayReserve    bool
	MaySubmit     bool
	MayAllocate   bool
	ReviewForm    *reviewFormView // for a reviewer, while a submission waits
	Sources       []allocationSource
	Forms         taskForms
	Failed        *form // the form that went wrong, whose problems head the page
	Done          string
	// ProposeAllocation: the allocation asked is above what the board may
	// allocate alone; the page offers to propose it.
	ProposeAllocation bool
}

func (s *server) taskPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if s.onPartnerTask(w, r, func(t projects.RemoteTask) { s.showPartnerTask(w, r, http.StatusOK, t, newPartnerForms()) }) {
		return
	}
	s.showTask(w, r, http.StatusOK, id, newTaskForms())
}

// showTask shows task id with its forms.
func (s *server) showTask(w http.ResponseWriter, r *http.Request, status int, id uuid.UUID, forms taskForms) {
	ctx := r.Context()
	t, err := s.projects.Task(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr, err := s.projects.Project(ctx, t.ProjectID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.projects.AssociationOf(ctx, t.AssociationID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reservations, err := s.projects.Reservations(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	submissions, err := s.projects.Submissions(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	viewer := auth.Account(ctx)
	me := s.viewerURI(viewer)
	m, member, err := s.memberOf(ctx, viewer, a.Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := s.namer(ctx)
	now := time.Now().UTC()
	longest := t.MaxReservation
	p := &taskPage{Task: t, Project: pr, Association: a, Description: paragraphs(t.Description),
		Reviewers: names.actorList(t.Reviewers), ReservedBy: names.actor(t.ReservedBy),
		Deadline: deadlineView{Min: now.Format(dateLayout), Max: now.Add(longest).Format(dateLayout), Longest: longest},
		LoggedIn: viewer != nil, IsReserver: me != "" && me == t.ReservedBy,
		HolderOrBoard: ownsOrBoards(pr, me, m, member), IsBoard: member && m.IsBoard(),
		IsTreasurer: member && m.Role == membership.MemberTreasurer, Forms: forms,
		Done: doneParam(r, "added", "reserved", "released", "opened", "cancelled", "submitted", "reviewed", "allocated", "paid")}
	p.MayReserve = viewer != nil && t.Status == projects.TaskOpen
	p.MaySubmit = viewer != nil && (t.Status == projects.TaskOpen || p.IsReserver && t.Status == projects.TaskReserved)
	p.MayAllocate = p.IsBoard && slices.Contains([]string{projects.TaskDraft, projects.TaskOpen, projects.TaskReserved, projects.TaskSubmitted}, t.Status)
	if p.MayAllocate {
		p.Sources = []allocationSource{{Key: ledger.KeyGeneral, Kind: "general"},
			{Key: ledger.ProjectKey(pr.ID), Kind: "project", Name: pr.Name}}
	}
	if forms.Reserve.Value("until") == "" {
		forms.Reserve.Values["until"] = p.Deadline.Max
	}
	for _, res := range reservations {
		p.Reservations = append(p.Reservations, reservationView{Reservation: res, ActorRef: names.actor(res.Actor), EndedByRef: names.actor(res.EndedBy)})
	}
	for _, sub := range submissions {
		v := submissionView{Submission: sub, ByRef: names.actor(sub.By)}
		rv, err := s.projects.ReviewOf(ctx, sub.ID)
		reviewed := err == nil
		if err != nil && !errors.Is(err, projects.ErrNotReviewed) {
			s.fail(w, r, err)
			return
		}
		if reviewed {
			v.Review = &reviewView{Review: rv, ReviewerRef: names.actor(rv.Reviewer)}
			for i, c := range rv.Criteria {
				text := ""
				if i < len(t.DoneCriteria) {
					text = t.DoneCriteria[i]
				}
				v.Review.Criteria = append(v.Review.Criteria, criterionView{Text: text, Met: c.Met, Comment: c.Comment})
			}
		}
		p.Submissions = append(p.Submissions, v)
		if sub.Status == projects.SubmissionPending && t.Status == projects.TaskSubmitted &&
			me != "" && me != sub.By && slices.Contains(t.Reviewers, me) {
			p.ReviewForm = reviewForm(sub.ID, t.DoneCriteria, forms.Review)
		}
	}
	if err := s.taskMoney(r, p, names); err != nil {
		s.fail(w, r, err)
		return
	}
	shown := map[*form]bool{
		forms.Reserve:  p.MayReserve,
		forms.Release:  t.Status == projects.TaskReserved && (p.IsReserver || p.IsBoard),
		forms.Submit:   p.MaySubmit,
		forms.Review:   p.ReviewForm != nil,
		forms.Allocate: p.MayAllocate,
		forms.Paid:     p.IsTreasurer && slices.ContainsFunc(p.Payouts, func(po payoutView) bool { return !po.Paid }),
		forms.Status:   p.HolderOrBoard && (t.Status == projects.TaskDraft || t.Status == projects.TaskOpen),
	}
	for f, ok := range shown {
		if !ok {
			f.hoist()
		}
	}
	p.ProposeAllocation = s.governance != nil && forms.Allocate.refusedWith(ledger.ErrNeedsProposal.Code)
	p.Failed = failed(forms.Reserve, forms.Release, forms.Submit, forms.Review, forms.Allocate, forms.Paid, forms.Status)
	s.render(w, r, status, "task", p)
}

// taskMoney adds what funds the task and what it paid out, unless the
// association shows its ledger to its members only.
func (s *server) taskMoney(r *http.Request, p *taskPage, names *namer) error {
	ctx := r.Context()
	viewer := auth.Account(ctx)
	funding, err := s.ledger.FundingOf(ctx, viewer, p.Task.ID)
	switch {
	case isForbidden(err):
		return nil
	case err != nil:
		return err
	}
	p.Funding = &taskFunding{}
	for _, f := range funding {
		p.Funding.Balance += f.Remaining
		p.Funding.Donations = append(p.Funding.Donations, fundingView{Funding: f, Path: "/donations/" + f.Donation.String() + "/trace"})
	}
	payouts, err := s.ledger.PayoutsOfTask(ctx, viewer, p.Task.ID)
	if err != nil {
		return err
	}
	for _, po := range payouts {
		p.Payouts = append(p.Payouts, payoutView{Payout: po, PayeeRef: names.actor(po.Payee), PaidByRef: names.actor(po.PaidBy)})
	}
	return nil
}

func reviewForm(sub uuid.UUID, criteria []string, f *form) *reviewFormView {
	v := &reviewFormView{Submission: sub}
	for i, c := range criteria {
		v.Criteria = append(v.Criteria, criterionInput{Number: i + 1, Text: c, Met: criterionMet(i), Comment: criterionComment(i), Form: f})
	}
	return v
}

// dateLayout is how a date input writes its value.
const dateLayout = "2006-01-02"
