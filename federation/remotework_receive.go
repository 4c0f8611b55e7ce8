package federation

import (
	"context"
	"errors"
	"math"
	"regexp"
	"strings"

	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// projectHandlers process the activities of docs/vocabulary.md §5.1–5.3
// by calling projects: on the association's instance the Offers of
// projects and reservations, their Undo, the Create of a submission and a
// reviewer's Accept or Reject; on the professional's instance the
// association's answers and its payout. The inbox has checked that the
// actor signed the activity, and that what a Create creates lives on the
// actor's host. What is not about projects goes on to the handler that
// was registered before (follows, notes).
type projectHandlers struct {
	projects *projects.Service
	fetcher  interface {
		Get(ctx context.Context, rawURL string) (fetch.Document, error)
	}
}

// register wraps the handlers p has for the types projects shares.
func (h projectHandlers) register(p *inbox.Processor) {
	p.Handle("Offer", h.offer)
	p.Handle("Undo", h.undo(p.Handler("Undo")))
	p.Handle("Accept", h.answer(true, p.Handler("Accept")))
	p.Handle("Reject", h.answer(false, p.Handler("Reject")))
	p.Handle("Create", h.create(p.Handler("Create")))
}

// orNothing runs next, if any.
func orNothing(ctx context.Context, next inbox.Handler, a store.InboxActivity, doc map[string]any) error {
	if next == nil {
		return nil
	}
	return next(ctx, a, doc)
}

// offer handles the Offer of a project (§5.1), of a reservation (§5.2) or
// of a reallocation (§5.6). Offers of anything else are done with.
func (h projectHandlers) offer(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	obj, ok := doc["object"].(map[string]any)
	if !ok {
		return nil
	}
	switch {
	case hasType(obj["type"], "Project"):
		return h.projectOffer(ctx, a, doc, obj)
	case hasType(obj["type"], "Transaction"):
		return settled(h.reallocationOffer(ctx, a, doc, obj))
	case hasType(obj["type"], "Reservation"):
		task, of := vocab.IDOf(doc["target"]), vocab.IDOf(obj["context"])
		switch {
		case task == "":
			task = of
		case of != "" && of != task:
			return nil // the Offer's target and the reservation's task disagree
		}
		_, err := h.projects.ReceiveReservationOffer(ctx, projects.ReservationOffer{Activity: a.ActivityID, Actor: a.Actor,
			For: responsible(obj, a.Actor), Task: task, Until: instant(obj["endTime"])})
		return settled(err)
	}
	return nil
}

// responsible is whom an offered object is attributed to: the actor
// itself when it names none.
func responsible(obj map[string]any, actor string) string {
	all := ids(obj["attributedTo"])
	switch len(all) {
	case 0:
		return actor
	case 1:
		return all[0]
	}
	return "" // several: not the actor's alone
}

func (h projectHandlers) projectOffer(ctx context.Context, a store.InboxActivity, doc, obj map[string]any) error {
	association := vocab.IDOf(doc["target"])
	if association == "" {
		association = vocab.IDOf(obj["audience"])
	}
	str := func(s string) *string { return &s }
	in := projects.ProjectInput{
		Name:        str(vocab.TextOf(obj["name"])),
		Summary:     str(vocab.TextOf(obj["summary"])),
		Description: str(textOf(vocab.TextOf(obj["content"]))),
	}
	if l := licenceOf(obj["license"]); l != "" {
		in.Licence = &l
	}
	if s, ok := obj["architecture"].(string); ok {
		in.Architecture = &s
	}
	checklist, beneficiaries, tags := texts(obj["acceptanceChecklist"]), ids(obj["beneficiaries"]), []string{}
	for _, t := range list(obj["tag"]) {
		if m, ok := t.(map[string]any); ok && hasType(m["type"], "Hashtag") {
			name, _ := m["name"].(string)
			tags = append(tags, name)
		}
	}
	in.Checklist, in.Beneficiaries, in.Tags = &checklist, &beneficiaries, &tags
	if loc, ok := firstMap(obj["location"]); ok {
		in.Place = str(vocab.TextOf(loc["name"]))
	}
	offer := projects.ProjectOffer{Activity: a.ActivityID, Actor: a.Actor, For: responsible(obj, a.Actor),
		Association: association, Input: in}
	if goal, ok := firstMap(obj["goal"]); ok {
		value, _ := goal["value"].(string)
		offer.Input.Goal = &value
		offer.GoalCurrency, _ = goal["currency"].(string)
	}
	_, err := h.projects.ReceiveProjectOffer(ctx, offer)
	return settled(err)
}

// licenceOf reads a licence as Holon writes it (its SPDX page) or as a
// bare identifier.
func licenceOf(v any) string {
	l := vocab.IDOf(v)
	if rest, ok := strings.CutPrefix(l, "https://spdx.org/licenses/"); ok {
		return strings.TrimSuffix(rest, ".html")
	}
	return l
}

// undo handles the Undo of an Offer of a reservation: its holder releases
// it. Other Undos go on to next.
func (h projectHandlers) undo(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		inner, embedded := doc["object"].(map[string]any)
		if embedded && (!hasType(inner["type"], "Offer") || vocab.IDOf(inner["actor"]) != a.Actor) {
			return orNothing(ctx, next, a, doc)
		}
		err := h.projects.ReceiveReservationUndo(ctx, a.Actor, vocab.IDOf(doc["object"]))
		if errors.Is(err, projects.ErrNotOurs) && !embedded {
			return orNothing(ctx, next, a, doc)
		}
		return settled(err)
	}
}

// answer handles an Accept or a Reject: the association's answer to an
// Offer of a reservation sent from here, its verdict on work hosted here,
// or a reviewer's verdict on a submission for a task here. Others (the
// answers to Follows) go on to next.
func (h projectHandlers) answer(accepted bool, next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		if inner, ok := doc["object"].(map[string]any); ok && hasType(inner["type"], "Follow") {
			return orNothing(ctx, next, a, doc)
		}
		object := vocab.IDOf(doc["object"])
		if object == "" {
			return nil
		}
		reason := vocab.TextOf(doc["summary"])
		if reason == "" {
			reason = news.PlainText(vocab.TextOf(doc["content"]))
		}
		err := h.projects.ReceiveOfferAnswer(ctx, a.Actor, object, accepted, reason, vocab.IDOf(first(doc["result"])))
		if !errors.Is(err, projects.ErrNotOurs) {
			return settled(err)
		}
		checks := criterionChecks(doc["result"])
		verdict := make([]projects.CheckedCriterion, len(checks))
		for i, c := range checks {
			verdict[i] = projects.CheckedCriterion{Criterion: c.name, Met: c.Met, Comment: c.Comment}
		}
		err = h.projects.ReceiveVerdict(ctx, a.Actor, object, accepted, verdict, reason)
		if !errors.Is(err, projects.ErrNotOurs) {
			return settled(err)
		}
		review := projects.RemoteReview{Reviewer: a.Actor, Submission: object, Verdict: projects.Reject, Comment: reason}
		if accepted {
			review.Verdict = projects.Accept
		}
		if placed, ok := inOrder(checks); ok {
			review.Checks = placed
		}
		_, err = h.projects.ReceiveReview(ctx, review)
		if !errors.Is(err, projects.ErrNotOurs) {
			return settled(err)
		}
		return orNothing(ctx, next, a, doc)
	}
}

// check is a CriterionCheck as received.
type check struct {
	projects.CriterionCheck
	index int
	name  string
}

// maxChecks bounds the checks read from one activity.
const maxChecks = projects.MaxCriteria

// criterionChecks reads the CriterionChecks of a verdict's result.
func criterionChecks(v any) []check {
	var out []check
	for _, e := range list(v) {
		m, ok := e.(map[string]any)
		if !ok || !hasType(m["type"], "CriterionCheck") {
			continue
		}
		if len(out) == maxChecks {
			break
		}
		c := check{index: -1}
		if n, ok := m["criterion"].(float64); ok && n >= 0 && n < maxChecks && n == math.Trunc(n) {
			c.index = int(n)
		}
		c.name = vocab.TextOf(m["name"])
		c.Met, _ = m["satisfied"].(bool)
		c.Comment = news.PlainText(vocab.TextOf(m["content"]))
		out = append(out, c)
	}
	return out
}

// inOrder places checks by their criterion: each criterion once, none
// missing.
func inOrder(checks []check) ([]projects.CriterionCheck, bool) {
	out := make([]projects.CriterionCheck, len(checks))
	seen := make([]bool, len(checks))
	for _, c := range checks {
		if c.index < 0 || c.index >= len(checks) || seen[c.index] {
			return nil, false
		}
		seen[c.index] = true
		out[c.index] = c.CriterionCheck
	}
	return out, true
}

// create handles the Create of a submission for a task here (fetched from
// its origin, never taken from the activity) and of a ledger transaction.
// No transaction received ever touches this instance's ledger: the only
// one heard is the payout an association announces for work delivered
// from here, kept with that work. Other Creates go on to next.
func (h projectHandlers) create(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		obj, ok := doc["object"].(map[string]any)
		switch {
		case !ok:
			return orNothing(ctx, next, a, doc)
		case hasType(obj["type"], "Transaction"):
			return settled(h.transaction(ctx, a, obj))
		case hasType(obj["type"], "Submission"):
			if !h.projects.IsLocalTask(vocab.IDOf(obj["context"])) {
				return nil // work for a task elsewhere (a partner publishing its own): not to fetch
			}
			return settled(h.submission(ctx, a, vocab.IDOf(obj["id"])))
		}
		return orNothing(ctx, next, a, doc)
	}
}

// submission fetches the submission uri from the server that hosts it and
// records it for its task here.
func (h projectHandlers) submission(ctx context.Context, a store.InboxActivity, uri string) error {
	d, err := h.fetcher.Get(ctx, uri)
	if err != nil {
		return fetchFailure(err)
	}
	obj, err := vocab.Parse(d.Raw)
	if err != nil || !hasType(obj["type"], "Submission") {
		return nil
	}
	var links []string
	for _, l := range list(obj["attachment"]) {
		if m, ok := l.(map[string]any); ok {
			if href := vocab.IDOf(m["href"]); href != "" {
				links = append(links, href)
			}
		}
		if len(links) > projects.MaxLinks {
			break // core refuses it as too many
		}
	}
	_, err = h.projects.ReceiveSubmission(ctx, projects.WorkDelivered{URI: d.URL, Actor: a.Actor,
		For: responsible(obj, a.Actor), Task: vocab.IDOf(obj["context"]),
		Text: textOf(vocab.TextOf(obj["content"])), Links: links})
	return err
}

// transaction hears the payout an association announces for work
// delivered from here (§5.3): its own transaction, of its own ledger, to
// the completer. Anything else is done with, untouched.
func (h projectHandlers) transaction(ctx context.Context, a store.InboxActivity, obj map[string]any) error {
	kind, _ := obj["kind"].(string)
	uri := vocab.IDOf(obj["id"])
	if kind != "payout" || responsible(obj, "") != a.Actor || uri == "" {
		return nil
	}
	n := projects.PayoutNotice{Association: a.Actor, Cause: vocab.IDOf(obj["cause"])}
	amount, ok := firstMap(obj["amount"])
	if !ok {
		return nil
	}
	n.Currency, _ = amount["currency"].(string)
	value, _ := amount["value"].(string)
	minor, err := money.Parse(value, n.Currency)
	if err != nil {
		return nil
	}
	n.Amount = minor
	for _, p := range list(obj["postings"]) {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		posting, _ := firstMap(m["amount"])
		v, _ := posting["value"].(string)
		if v == value { // the money going in: to the payee
			n.Payee = vocab.IDOf(m["ledgerAccount"])
		}
	}
	return h.projects.ReceivePayout(ctx, a.Actor, n, uri)
}

// firstMap returns a property's value as an object, or the first object
// of a list.
func firstMap(v any) (map[string]any, bool) {
	for _, e := range list(v) {
		if m, ok := e.(map[string]any); ok {
			return m, true
		}
	}
	return nil, false
}

// texts reads a list of strings, skipping anything else.
func texts(v any) []string {
	out := []string{}
	for _, e := range list(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// breaks are the HTML elements that end a line or a paragraph.
var breaks = regexp.MustCompile(`(?i)<br\s*/?>|</p\s*>`)

// textOf turns HTML content into the plain text it shows, keeping its
// paragraphs (a blank line between them) and line breaks.
func textOf(content string) string {
	text := breaks.ReplaceAllStringFunc(content, func(tag string) string {
		if strings.HasPrefix(strings.ToLower(tag), "<br") {
			return "\n"
		}
		return "\n\n"
	})
	return strings.TrimSpace(news.PlainText(text))
}

// reallocationOffer reads the Offer of a reallocation (§5.6): the task
// whose budget moves is the target, the posting that takes from it; each
// other posting is a part.
func (h projectHandlers) reallocationOffer(ctx context.Context, a store.InboxActivity, doc, obj map[string]any) error {
	if kind, _ := obj["kind"].(string); kind != "reallocation" {
		return nil
	}
	o := projects.ReallocationOffer{Activity: a.ActivityID, Actor: a.Actor, For: responsible(obj, a.Actor)}
	o.Task = vocab.IDOf(doc["target"])
	postings := list(obj["postings"])
	if len(postings) > maxPostings {
		postings = postings[:maxPostings] // the rules refuse more parts than that
	}
	for _, p := range postings {
		m, ok := p.(map[string]any)
		if !ok {
			continue
		}
		account := vocab.IDOf(m["ledgerAccount"])
		amount, _ := firstMap(m["amount"])
		value, _ := amount["value"].(string)
		currency, _ := amount["currency"].(string)
		if o.Currency == "" {
			o.Currency = currency
		} else if currency != o.Currency {
			o.Currency = "mixed" // refused: one currency a transaction
		}
		if strings.HasPrefix(value, "-") {
			if account != o.Task {
				return nil // it takes from another task than the one targeted
			}
			continue
		}
		o.Parts = append(o.Parts, projects.OfferedPart{Task: account, Amount: value})
	}
	return h.projects.ReceiveReallocationOffer(ctx, o)
}

// maxPostings bounds the postings read from one offered transaction.
const maxPostings = 64
