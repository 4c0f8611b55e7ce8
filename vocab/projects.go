package vocab

import (
	"fmt"
	"html"
	"regexp"
	"time"

	"github.com/holon-network/holon/vocab/streams"
	streamsvocab "github.com/holon-network/holon/vocab/streams/vocab"
)

// ProjectFields is a project as it goes on the wire. Object.AttributedTo is
// the holder, Object.Audience the association.
type ProjectFields struct {
	Object
	Status              string // proposed, evaluating, accepted, rejected, active, completed, archived
	Goal                *Amount
	License             string // an SPDX identifier ("MIT", "CC-BY-SA-4.0"); "" for none
	Architecture        string // centralised, decentralised, distributed; "" for unsaid
	AcceptanceChecklist []string
	Beneficiaries       []string // actor IRIs
	Place               *Place
	Tags                []Hashtag
}

// spdxID is the shape of an SPDX licence identifier or expression.
var spdxID = regexp.MustCompile(`^[A-Za-z0-9.+-]{1,64}$`)

// NewProject builds a project: ["Project", "Page"], so that Mastodon shows
// its name, summary and link.
func NewProject(f ProjectFields) (streamsvocab.HolonProject, error) {
	p := streams.NewHolonProject()
	if err := setObject(p, f.Object, objectRules{kind: "project", fallback: "Page", noID: true}); err != nil {
		return nil, err
	}
	if err := oneOf("project", "status", f.Status, false, projectStatuses...); err != nil {
		return nil, err
	}
	p.SetHolonStatus(status(f.Status))
	if f.Goal != nil {
		if err := f.Goal.check(false); err != nil {
			return nil, fmt.Errorf("project goal: %w", err)
		}
		g := streams.NewHolonGoalProperty()
		g.Set(f.Goal.monetary())
		p.SetHolonGoal(g)
	}
	if f.License != "" {
		if !spdxID.MatchString(f.License) {
			return nil, fmt.Errorf("%w: project license %q is not an SPDX identifier", ErrInvalidObject, f.License)
		}
		u, _ := absoluteIRI("project", "license", "https://spdx.org/licenses/"+f.License+".html")
		l := streams.NewSchemaLicenseProperty()
		l.SetIRI(u)
		p.SetSchemaLicense(l)
	}
	if err := oneOf("project", "architecture", f.Architecture, true, architectures...); err != nil {
		return nil, err
	}
	if f.Architecture != "" {
		a := streams.NewHolonArchitectureProperty()
		a.Set(f.Architecture)
		p.SetHolonArchitecture(a)
	}
	if len(f.AcceptanceChecklist) > 0 {
		c := streams.NewHolonAcceptanceChecklistProperty()
		for _, item := range f.AcceptanceChecklist {
			if err := plainLine("project", "acceptance checklist item", item, MaxSummaryLength); err != nil {
				return nil, err
			}
			c.AppendXMLSchemaString(item)
		}
		p.SetHolonAcceptanceChecklist(c)
	}
	if len(f.Beneficiaries) > 0 {
		us, err := iris("project", "beneficiary", f.Beneficiaries)
		if err != nil {
			return nil, err
		}
		b := streams.NewHolonBeneficiariesProperty()
		for _, u := range us {
			b.AppendIRI(u)
		}
		p.SetHolonBeneficiaries(b)
	}
	if f.Place != nil {
		place, err := f.Place.build("project")
		if err != nil {
			return nil, err
		}
		l := streams.NewActivityStreamsLocationProperty()
		l.AppendActivityStreamsPlace(place)
		p.SetActivityStreamsLocation(l)
	}
	if len(f.Tags) > 0 {
		tags, err := hashtags("project", f.Tags)
		if err != nil {
			return nil, err
		}
		p.SetActivityStreamsTag(tags)
	}
	return p, nil
}

// TaskFields is a task as it goes on the wire. Object.Context is its
// project, Object.Audience the association.
type TaskFields struct {
	Object
	Status         string // draft, open, reserved, submitted, done, paid, cancelled
	Category       string // communication, programming, other…
	DoneCriteria   []string
	Budget         *Amount
	Effort         time.Duration // estimated; 0 for unsaid
	MaxReservation time.Duration // 0 for the association's default
	Reviewers      []string      // actor IRIs; none: a task_verification proposal decides
	ReservedBy     string        // while reserved
	ReservedUntil  time.Time     // while reserved
	CompletedBy    string        // once done
}

// NewTask builds a task: ["Task", "Page"], so that Mastodon shows its name,
// summary and link.
func NewTask(f TaskFields) (streamsvocab.HolonTask, error) {
	t := streams.NewHolonTask()
	if err := setObject(t, f.Object, objectRules{kind: "task", fallback: "Page"}); err != nil {
		return nil, err
	}
	if f.Context == "" {
		return nil, fmt.Errorf("%w: task has no project (context)", ErrInvalidObject)
	}
	if err := oneOf("task", "status", f.Status, false, taskStatuses...); err != nil {
		return nil, err
	}
	t.SetHolonStatus(status(f.Status))
	if f.Category != "" {
		c, err := category("task", f.Category)
		if err != nil {
			return nil, err
		}
		t.SetSchemaCategory(c)
	}
	if len(f.DoneCriteria) == 0 {
		return nil, fmt.Errorf("%w: task has no done criteria", ErrInvalidObject)
	}
	dc := streams.NewHolonDoneCriteriaProperty()
	for _, c := range f.DoneCriteria {
		if err := plainLine("task", "done criterion", c, MaxSummaryLength); err != nil {
			return nil, err
		}
		dc.AppendXMLSchemaString(c)
	}
	t.SetHolonDoneCriteria(dc)
	if f.Budget != nil {
		if err := f.Budget.check(false); err != nil {
			return nil, fmt.Errorf("task budget: %w", err)
		}
		b := streams.NewHolonBudgetProperty()
		b.Set(f.Budget.monetary())
		t.SetHolonBudget(b)
	}
	if f.Effort < 0 || f.MaxReservation < 0 {
		return nil, fmt.Errorf("%w: task durations must not be negative", ErrInvalidObject)
	}
	if f.Effort > 0 {
		e := streams.NewHolonEffortProperty()
		e.Set(f.Effort)
		t.SetHolonEffort(e)
	}
	if f.MaxReservation > 0 {
		m := streams.NewHolonMaxReservationProperty()
		m.Set(f.MaxReservation)
		t.SetHolonMaxReservation(m)
	}
	if len(f.Reviewers) > 0 {
		us, err := iris("task", "reviewer", f.Reviewers)
		if err != nil {
			return nil, err
		}
		r := streams.NewHolonReviewersProperty()
		for _, u := range us {
			r.AppendIRI(u)
		}
		t.SetHolonReviewers(r)
	}
	if (f.ReservedBy == "") != f.ReservedUntil.IsZero() {
		return nil, fmt.Errorf("%w: a task's reservation needs both its holder and its deadline", ErrInvalidObject)
	}
	if f.ReservedBy != "" {
		u, err := absoluteIRI("task", "reservedBy", f.ReservedBy)
		if err != nil {
			return nil, err
		}
		by := streams.NewHolonReservedByProperty()
		by.Set(u)
		t.SetHolonReservedBy(by)
		until := streams.NewHolonReservedUntilProperty()
		until.Set(f.ReservedUntil.UTC())
		t.SetHolonReservedUntil(until)
	}
	if f.CompletedBy != "" {
		u, err := absoluteIRI("task", "completedBy", f.CompletedBy)
		if err != nil {
			return nil, err
		}
		c := streams.NewHolonCompletedByProperty()
		c.Set(u)
		t.SetHolonCompletedBy(c)
	}
	return t, nil
}

// ReservationFields is a reservation as a professional offers it.
// Object.AttributedTo is the professional, Object.Context the task. A
// reservation sent in an Offer has no ID: the association records it.
type ReservationFields struct {
	Object
	Status string    // active, released, lapsed, delivered; "" inside an Offer
	Start  time.Time // when it was made; zero inside an Offer
	Until  time.Time // the deadline
}

// NewReservation builds a reservation. It has no core type: it only ever
// goes to the association that owns the task.
func NewReservation(f ReservationFields) (streamsvocab.HolonReservation, error) {
	r := streams.NewHolonReservation()
	if err := setObject(r, f.Object, objectRules{kind: "reservation", noID: true, noURL: true, noText: true}); err != nil {
		return nil, err
	}
	if f.Context == "" || f.AttributedTo == "" || f.Until.IsZero() {
		return nil, fmt.Errorf("%w: a reservation needs its task (context), its professional (attributedTo) and its deadline", ErrInvalidObject)
	}
	if err := oneOf("reservation", "status", f.Status, true, reservationStatuses...); err != nil {
		return nil, err
	}
	if f.Status != "" {
		r.SetHolonStatus(status(f.Status))
	}
	if !f.Start.IsZero() {
		s := streams.NewActivityStreamsStartTimeProperty()
		s.Set(f.Start.UTC())
		r.SetActivityStreamsStartTime(s)
	}
	e := streams.NewActivityStreamsEndTimeProperty()
	e.Set(f.Until.UTC())
	r.SetActivityStreamsEndTime(e)
	return r, nil
}

// SubmissionFields is the work delivered for a task. Object.AttributedTo is
// who delivered it, Object.Context the task, Object.Content the text.
type SubmissionFields struct {
	Object
	Status string   // submitted, accepted, rejected
	Links  []string // where the work is (repositories, documents)
	Checks []CriterionCheck
}

// CriterionCheck is a reviewer's verdict on one done criterion.
type CriterionCheck struct {
	Criterion int    // its position (from 0) in the task's done criteria
	Text      string // the criterion, for readers
	Satisfied bool
	Remark    string // plain text; "" for none
}

// NewSubmission builds a submission: ["Submission", "Page"], so that
// Mastodon shows its name, summary and link.
func NewSubmission(f SubmissionFields) (streamsvocab.HolonSubmission, error) {
	s := streams.NewHolonSubmission()
	if err := setObject(s, f.Object, objectRules{kind: "submission", fallback: "Page"}); err != nil {
		return nil, err
	}
	if f.Context == "" || f.AttributedTo == "" {
		return nil, fmt.Errorf("%w: a submission needs its task (context) and who delivered it (attributedTo)", ErrInvalidObject)
	}
	if err := oneOf("submission", "status", f.Status, false, submissionStatuses...); err != nil {
		return nil, err
	}
	s.SetHolonStatus(status(f.Status))
	if len(f.Links) > 0 {
		us, err := iris("submission", "link", f.Links)
		if err != nil {
			return nil, err
		}
		a := streams.NewActivityStreamsAttachmentProperty()
		for _, u := range us {
			l := streams.NewActivityStreamsLink()
			h := streams.NewActivityStreamsHrefProperty()
			h.Set(u)
			l.SetActivityStreamsHref(h)
			a.AppendActivityStreamsLink(l)
		}
		s.SetActivityStreamsAttachment(a)
	}
	if len(f.Checks) > 0 {
		cs := streams.NewHolonChecksProperty()
		for i, c := range f.Checks {
			check, err := c.build(i)
			if err != nil {
				return nil, err
			}
			cs.AppendHolonCriterionCheck(check)
		}
		s.SetHolonChecks(cs)
	}
	return s, nil
}

func (c CriterionCheck) build(i int) (streamsvocab.HolonCriterionCheck, error) {
	if c.Criterion < 0 {
		return nil, fmt.Errorf("%w: check %d has a negative criterion", ErrInvalidObject, i)
	}
	if err := plainLine("submission", "checked criterion", c.Text, MaxSummaryLength); err != nil {
		return nil, err
	}
	check := streams.NewHolonCriterionCheck()
	n := streams.NewHolonCriterionProperty()
	n.Set(c.Criterion)
	check.SetHolonCriterion(n)
	check.SetActivityStreamsName(nameProp(c.Text))
	sat := streams.NewHolonSatisfiedProperty()
	sat.Set(c.Satisfied)
	check.SetHolonSatisfied(sat)
	if c.Remark != "" {
		r := streams.NewActivityStreamsContentProperty()
		r.AppendXMLSchemaString(html.EscapeString(c.Remark))
		check.SetActivityStreamsContent(r)
	}
	return check, nil
}

func status(s string) streamsvocab.HolonStatusProperty {
	p := streams.NewHolonStatusProperty()
	p.Set(s)
	return p
}

// categoryWord is the shape of a category: a word from a fixed list
// ("programming", "budget_allocation", Mobilizon's "SPORTS").
var categoryWord = regexp.MustCompile(`^[A-Za-z_]{1,64}$`)

func category(kind, s string) (streamsvocab.SchemaCategoryProperty, error) {
	if !categoryWord.MatchString(s) {
		return nil, fmt.Errorf("%w: %s category %q is not a word", ErrInvalidObject, kind, s)
	}
	p := streams.NewSchemaCategoryProperty()
	p.Set(s)
	return p, nil
}

func nameProp(s string) streamsvocab.ActivityStreamsNameProperty {
	p := streams.NewActivityStreamsNameProperty()
	p.AppendXMLSchemaString(s)
	return p
}
