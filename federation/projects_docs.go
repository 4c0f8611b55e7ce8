package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// objectDocs builds the documents of an association's projects, tasks,
// submissions and reservations with the vocabulary's builders
// (docs/vocabulary.md §4): Holon's type first and a Page for everyone
// else, a plain-text name and summary line, the page's url. What the
// object itself does not say (its association's actor, the names of the
// people involved) is read through the caller's transaction, so that a
// publication sees the change it publishes.
type objectDocs struct {
	baseURL string
	// locale is the instance's default language ("en" when empty), that
	// of the summary lines written for Mastodon users where they vary
	// (events').
	locale string
}

// objectDoc is an object's document, with the association it belongs to
// and when it last changed.
type objectDoc struct {
	obj     vocab.Type
	owner   owner
	updated time.Time
	// name and summary are the plain-text lines the document carries for
	// Mastodon (a proposal's summary goes into its content): the Mastodon
	// client API shows the same words (Objects.Fallback).
	name, summary string
}

// document is the object as a JSON-LD document. Its "updated" has the
// microseconds the generated code drops: a peer keeps the latest of two
// changes made within one second only if it can tell them apart.
func (d objectDoc) document() (map[string]any, error) {
	m, err := vocab.Serialize(d.obj)
	if err != nil {
		return nil, err
	}
	d.precise(m)
	return m, nil
}

func (d objectDoc) precise(m map[string]any) {
	if !d.updated.IsZero() {
		m["updated"] = d.updated.UTC().Format(preciseTime)
	}
}

// preciseTime is RFC 3339 with microseconds, what both databases keep.
const preciseTime = "2006-01-02T15:04:05.000000Z07:00"

// owner is the association an object belongs to.
type owner struct {
	actor       store.Actor
	association membership.Association
}

// public reports whether the association shows its projects and ledger to
// everyone (DESIGN §1): a members-only association publishes nothing and
// serves nothing to the public.
func (o owner) public() bool {
	return o.association.Settings.Visibility != membership.VisibilityMembers
}

func (o owner) followers() string { return o.actor.URI + "/followers" }

func (d objectDocs) owner(ctx context.Context, tx store.Tx, association uuid.UUID) (owner, error) {
	row, err := tx.Associations().ByID(ctx, association)
	if err != nil {
		return owner{}, fmt.Errorf("association %s: %w", association, err)
	}
	a, err := membership.AssociationFromRow(row)
	if err != nil {
		return owner{}, err
	}
	actor, err := tx.Actors().OfAssociation(ctx, association)
	if err != nil {
		return owner{}, fmt.Errorf("actor of association %s: %w", a.Name, err)
	}
	return owner{actor: actor, association: a}, nil
}

func (d objectDocs) uri(kind string, id uuid.UUID) string {
	return d.baseURL + "/" + kind + "/" + id.String()
}

// addressed is to everyone, and to the association's followers.
func addressed(o owner) ([]string, []string) {
	return []string{vocab.PublicAudience}, []string{o.followers()}
}

func (d objectDocs) project(ctx context.Context, tx store.Tx, p projects.Project) (objectDoc, error) {
	o, err := d.owner(ctx, tx, p.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	to, cc := addressed(o)
	status := upperFirst(p.Status) + " project of the " + o.association.Name + " association."
	if p.Goal > 0 {
		status += " Goal " + money.Format(p.Goal, p.Currency) + " " + p.Currency + "."
	}
	if p.Summary != "" {
		status += " " + p.Summary
	}
	f := vocab.ProjectFields{
		Object: vocab.Object{ID: d.uri("projects", p.ID), Name: line(p.Name, vocab.MaxNameLength),
			Summary: line(status, vocab.MaxSummaryLength), Content: paragraphsOf(p.Description),
			AttributedTo: p.Holder, Audience: o.actor.URI, Context: o.actor.URI,
			Published: p.CreatedAt, Updated: later(p.UpdatedAt, p.CreatedAt), To: to, Cc: cc},
		Status: p.Status, License: p.Licence, Architecture: p.Architecture,
		AcceptanceChecklist: lines(p.Checklist), Beneficiaries: onlyURLs(p.Beneficiaries),
	}
	if p.Goal > 0 {
		f.Goal = &vocab.Amount{Value: money.Format(p.Goal, p.Currency), Currency: p.Currency}
	}
	if place := line(p.Place, vocab.MaxNameLength); place != "" {
		f.Place = &vocab.Place{Name: place}
	}
	for _, t := range p.Tags {
		f.Tags = append(f.Tags, vocab.Hashtag{Name: "#" + t, Href: d.baseURL + "/tags/" + url.PathEscape(t)})
	}
	doc, err := vocab.NewProject(f)
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of project %s: %w", p.ID, err)
	}
	return objectDoc{obj: doc, owner: o, updated: f.Updated, name: f.Name, summary: f.Summary}, nil
}

func (d objectDocs) task(ctx context.Context, tx store.Tx, t projects.Task) (objectDoc, error) {
	o, err := d.owner(ctx, tx, t.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	to, cc := addressed(o)
	done, err := completion(ctx, tx, t)
	if err != nil {
		return objectDoc{}, err
	}
	f := vocab.TaskFields{
		Object: vocab.Object{ID: d.uri("tasks", t.ID), Name: line(t.Name, vocab.MaxNameLength),
			Summary: line(d.taskLine(ctx, tx, t, done), vocab.MaxSummaryLength),
			Content: paragraphsOf(t.Description), Audience: o.actor.URI, Context: d.uri("projects", t.ProjectID),
			Published: t.CreatedAt, Updated: later(t.UpdatedAt, t.CreatedAt), To: to, Cc: cc},
		Status: t.Status, Category: t.Category, DoneCriteria: lines(t.DoneCriteria),
		Budget:         &vocab.Amount{Value: money.Format(t.Budget, t.Currency), Currency: t.Currency},
		Effort:         t.EstimatedEffort,
		MaxReservation: t.MaxReservation, Reviewers: onlyURLs(t.Reviewers), CompletedBy: done.by,
	}
	if t.ReservedBy != "" && t.ReservedUntil != nil {
		f.ReservedBy, f.ReservedUntil = t.ReservedBy, *t.ReservedUntil
	}
	doc, err := vocab.NewTask(f)
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of task %s: %w", t.ID, err)
	}
	return objectDoc{obj: doc, owner: o, updated: f.Updated, name: f.Name, summary: f.Summary}, nil
}

// done is how a task was completed: by whom, when it was verified, and
// how (payout or volunteer).
type done struct {
	by, outcome string
	at          time.Time
}

// completion returns how a done or paid task was completed: its accepted
// submission and the review that accepted it.
func completion(ctx context.Context, tx store.Tx, t projects.Task) (done, error) {
	if t.Status != projects.TaskDone && t.Status != projects.TaskPaid {
		return done{}, nil
	}
	subs, err := tx.Submissions().OfTask(ctx, t.ID)
	if err != nil {
		return done{}, err
	}
	for i := len(subs) - 1; i >= 0; i-- {
		if subs[i].Status != projects.SubmissionAccepted {
			continue
		}
		rv, err := tx.Submissions().Review(ctx, subs[i].ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return done{}, err
		}
		d := done{by: subs[i].By, outcome: rv.Outcome, at: rv.ReviewedAt}
		if d.at.IsZero() {
			d.at = t.UpdatedAt
		}
		return d, nil
	}
	return done{at: t.UpdatedAt}, nil
}

// taskLine is the line a person reads first: the state, who holds or did
// the task, its budget.
func (d objectDocs) taskLine(ctx context.Context, tx store.Tx, t projects.Task, c done) string {
	budget := "Budget " + money.Format(t.Budget, t.Currency) + " " + t.Currency + "."
	switch t.Status {
	case projects.TaskOpen:
		return "Open task. " + budget + " Reservable for up to " + duration(t.MaxReservation) + "."
	case projects.TaskReserved:
		until := ""
		if t.ReservedUntil != nil {
			until = " until " + day(*t.ReservedUntil)
		}
		return "Reserved by " + handle(ctx, tx, t.ReservedBy) + until + ". " + budget
	case projects.TaskSubmitted:
		return "Work submitted, awaiting review. " + budget
	case projects.TaskDone, projects.TaskPaid:
		s := "Done by " + handle(ctx, tx, c.by) + " on " + day(c.at)
		amount := money.Format(t.Budget, t.Currency) + " " + t.Currency
		switch {
		case c.outcome == projects.OutcomeVolunteer:
			return s + ", as a volunteer. " + budget
		case t.Status == projects.TaskPaid:
			return s + "; " + amount + " paid on " + day(t.UpdatedAt) + "."
		}
		return s + "; " + amount + " to be paid."
	case projects.TaskCancelled:
		return "Cancelled task. " + budget
	}
	return upperFirst(t.Status) + " task. " + budget
}

// submissionStatuses are a submission's states on the wire.
var submissionStatuses = map[string]string{
	projects.SubmissionPending:  "submitted",
	projects.SubmissionAccepted: "accepted",
	projects.SubmissionRejected: "rejected",
}

func (d objectDocs) submission(ctx context.Context, tx store.Tx, s projects.Submission, rv *projects.Review) (objectDoc, error) {
	trow, err := tx.Tasks().ByID(ctx, s.TaskID)
	if err != nil {
		return objectDoc{}, fmt.Errorf("task of submission %s: %w", s.ID, err)
	}
	o, err := d.owner(ctx, tx, trow.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	to, cc := addressed(o)
	criteria := decodeStrings(trow.DoneCriteria)
	summary := "Submitted for " + trow.Name + ", awaiting review."
	f := vocab.SubmissionFields{
		Object: vocab.Object{ID: d.uri("submissions", s.ID), Name: line("Delivery: "+trow.Name, vocab.MaxNameLength),
			Content: paragraphsOf(s.Text), AttributedTo: s.By, Audience: o.actor.URI, Context: d.uri("tasks", s.TaskID),
			Published: s.SubmittedAt, To: to, Cc: append(cc, o.actor.URI)},
		Status: submissionStatuses[s.Status], Links: onlyURLs(s.Links),
	}
	if rv != nil {
		met := 0
		for i, c := range rv.Criteria {
			text := fmt.Sprintf("Criterion %d", i+1)
			if i < len(criteria) {
				text = criteria[i]
			}
			f.Checks = append(f.Checks, vocab.CriterionCheck{Criterion: i, Text: line(text, vocab.MaxSummaryLength),
				Satisfied: c.Met, Remark: c.Comment})
			if c.Met {
				met++
			}
		}
		switch rv.Verdict {
		case projects.Accept:
			summary = fmt.Sprintf("Accepted after review: %s met.", criteriaCount(len(rv.Criteria), "is", "are"))
		default:
			summary = fmt.Sprintf("Rejected after review: %d of %s met.", met, criteriaCount(len(rv.Criteria), "", ""))
		}
		f.Updated = rv.ReviewedAt
	}
	f.Summary = line(summary, vocab.MaxSummaryLength)
	doc, err := vocab.NewSubmission(f)
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of submission %s: %w", s.ID, err)
	}
	return objectDoc{obj: doc, owner: o, updated: f.Updated}, nil
}

func criteriaCount(n int, one, many string) string {
	verb := many
	s := fmt.Sprintf("the %d done criteria", n)
	if n == 1 {
		s, verb = "the done criterion", one
	}
	if verb == "" {
		return s
	}
	return s + " " + verb
}

// reservationStatuses are a reservation's states on the wire.
var reservationStatuses = map[string]string{
	store.ReservationActive:    "active",
	store.ReservationReleased:  "released",
	store.ReservationLapsed:    "lapsed",
	store.ReservationCompleted: "delivered",
}

func (d objectDocs) reservation(ctx context.Context, tx store.Tx, r projects.Reservation) (objectDoc, error) {
	trow, err := tx.Tasks().ByID(ctx, r.TaskID)
	if err != nil {
		return objectDoc{}, fmt.Errorf("task of reservation %s: %w", r.ID, err)
	}
	o, err := d.owner(ctx, tx, trow.AssociationID)
	if err != nil {
		return objectDoc{}, err
	}
	doc, err := vocab.NewReservation(vocab.ReservationFields{
		Object: vocab.Object{ID: d.uri("reservations", r.ID), AttributedTo: r.Actor, Audience: o.actor.URI,
			Context: d.uri("tasks", r.TaskID)},
		Status: reservationStatuses[r.Status], Start: r.ReservedAt, Until: r.Deadline,
	})
	if err != nil {
		return objectDoc{}, fmt.Errorf("document of reservation %s: %w", r.ID, err)
	}
	return objectDoc{obj: doc, owner: o}, nil
}

// handle names an actor as people write it, name@host, when it is known
// here; its id otherwise.
func handle(ctx context.Context, tx store.Tx, uri string) string {
	if uri == "" {
		return "someone"
	}
	a, err := tx.Actors().ByURI(ctx, uri)
	if err != nil || a.Username == "" {
		return uri
	}
	return a.Username + "@" + a.Host
}

// line makes s one plain-text line of at most max characters, as the
// vocabulary requires of names and summaries: whatever a person typed
// (a line break, a long text) never keeps a change from being published.
func line(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

func lines(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if l := line(s, vocab.MaxSummaryLength); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// onlyURLs keeps the http(s) addresses of a list that may hold free text
// (a project's beneficiaries are names or actors).
func onlyURLs(in []string) []string {
	var out []string
	for _, s := range in {
		if u, err := url.Parse(s); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil {
			out = append(out, s)
		}
	}
	return out
}

// paragraphsOf renders a plain-text description as escaped HTML
// paragraphs, the content of an object.
func paragraphsOf(text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(text, "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>")
			b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
			b.WriteString("</p>")
		}
	}
	return b.String()
}

// later is t when it is after created; zero (no "updated") otherwise.
func later(t, created time.Time) time.Time {
	if t.After(created) {
		return t
	}
	return time.Time{}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// day writes a date as people read it: "16 March 2025".
func day(t time.Time) string { return t.UTC().Format("2 January 2006") }

// duration writes a reservation period in days, or hours when it is not
// whole days.
func duration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		n := int(d / (24 * time.Hour))
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	case d >= time.Hour && d%time.Hour == 0:
		n := int(d / time.Hour)
		if n == 1 {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", n)
	}
	return d.String()
}

func decodeStrings(s string) []string {
	var out []string
	_ = json.Unmarshal([]byte(s), &out)
	return out
}
