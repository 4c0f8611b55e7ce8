package federation

import (
	"context"
	"errors"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// projectMessenger turns projects' messages into the activities of
// docs/vocabulary.md §5.1–5.3 and queues their delivery in the same
// transaction (projects.Messenger).
type projectMessenger struct {
	baseURL string
	clock   core.Clock
	// queued tells the delivery worker there is work, once the
	// transaction has committed.
	queued func()
}

// Send implements projects.Messenger. The recipient is a stored actor:
// one who sent what is answered, or an association resolved before its
// task was acted on. A message to a local actor has nowhere to go.
func (pm *projectMessenger) Send(ctx context.Context, tx store.Tx, m projects.Message) error {
	return sendOne(ctx, tx, pm.baseURL, pm.clock.Now(), pm.queued, message{kind: m.Type, from: m.From, to: m.To, id: m.ID,
		build: func(id string, _ store.Actor) (vocab.Type, error) { return pm.activity(id, m) }})
}

// activity builds the activity m describes, whose id is id.
func (pm *projectMessenger) activity(id string, m projects.Message) (vocab.Type, error) {
	now := pm.clock.Now().UTC()
	f := vocab.ActivityFields{ID: id, Actor: m.From, To: []string{m.To}, Published: now, Summary: m.Reason}
	switch {
	case m.Type == projects.MessageOffer && m.Reservation != nil:
		return offerOfReservation(id, m.From, m.To, *m.Reservation, now)
	case m.Type == projects.MessageOffer && m.Reallocation != nil:
		t, err := reallocationObject(m.From, *m.Reallocation)
		if err != nil {
			return nil, err
		}
		f.Object, f.Target, f.Summary = t, m.Reallocation.Task, ""
	case m.Type == projects.MessageUndo && m.Reservation != nil:
		offer, err := offerOfReservation(m.Object, m.From, m.To, *m.Reservation, now)
		if err != nil {
			return nil, err
		}
		f.Object = offer
	case m.Type == projects.MessageCreate && m.Submission != nil:
		sub, err := submissionObject(m.Submission.Submission)
		if err != nil {
			return nil, err
		}
		f.Object, f.Published = sub, m.Submission.Submission.SubmittedAt
	case m.Type == projects.MessageAccept || m.Type == projects.MessageReject:
		f.ObjectIRI, f.ResultIRI = m.Object, m.Result
		if len(m.Checks) > 0 {
			checks := make([]vocab.CriterionCheck, len(m.Checks))
			for i, c := range m.Checks {
				checks[i] = vocab.CriterionCheck{Criterion: i, Text: c.Criterion, Satisfied: c.Met, Remark: c.Comment}
			}
			result, err := vocab.CriterionChecks(checks)
			if err != nil {
				return nil, err
			}
			f.Result = result
		}
	default:
		return nil, errors.New("not a message Holon sends")
	}
	return vocab.NewActivity(m.Type, f)
}

// offerOfReservation is the Offer of §5.2: the reservation, attributed to
// its professional, of the task it targets.
func offerOfReservation(id, actor, association string, r projects.OfferedReservation, at time.Time) (vocab.Type, error) {
	res, err := vocab.NewReservation(vocab.ReservationFields{Object: vocab.Object{AttributedTo: actor, Context: r.Task}, Until: r.Until})
	if err != nil {
		return nil, err
	}
	return vocab.NewActivity(projects.MessageOffer, vocab.ActivityFields{ID: id, Actor: actor, Object: res, Target: r.Task,
		To: []string{association}, Published: at})
}

// submissionStatus is a submission's status on the wire.
func submissionStatus(s string) string {
	if s == projects.SubmissionPending {
		return "submitted"
	}
	return s
}

// submissionObject is work hosted here as its id serves it and its Create
// carries it (§5.3).
func submissionObject(s projects.RemoteSubmission) (vocab.Type, error) {
	task := s.TaskName
	if task == "" {
		task = "a task"
	}
	summary := "Submitted for " + task + ", awaiting review."
	switch s.Status {
	case projects.SubmissionAccepted:
		summary = "Submitted for " + task + ", accepted."
	case projects.SubmissionRejected:
		summary = "Submitted for " + task + ", not accepted."
	}
	return vocab.NewSubmission(vocab.SubmissionFields{
		Object: vocab.Object{ID: s.URI, Name: line("Delivery: "+task, vocab.MaxNameLength),
			Summary: line(summary, vocab.MaxSummaryLength), Content: paragraphsOf(s.Text), AttributedTo: s.By,
			Context: s.Task, Published: s.SubmittedAt, To: []string{s.Association}},
		Status: submissionStatus(s.Status), Links: s.Links})
}

// reallocationObject is the transaction a volunteer offers (§5.6): the
// task's budget, posting by posting, to other tasks.
func reallocationObject(actor string, r projects.OfferedReallocation) (vocab.Type, error) {
	var total int64
	postings := []vocab.Posting{{Account: r.Task}}
	for _, p := range r.Parts {
		n, err := money.Parse(p.Amount, r.Currency)
		if err != nil {
			return nil, err
		}
		total += n
		postings = append(postings, vocab.Posting{Account: p.Task, Amount: vocab.Amount{Value: p.Amount, Currency: r.Currency}})
	}
	amount := money.Format(total, r.Currency)
	postings[0].Amount = vocab.Amount{Value: "-" + amount, Currency: r.Currency}
	return vocab.NewTransaction(vocab.TransactionFields{
		Object: vocab.Object{Name: "Reallocation of " + amount + " " + r.Currency,
			Summary:      "The budget of a task completed as a volunteer, moved to other tasks.",
			AttributedTo: actor},
		Kind: "reallocation", Amount: vocab.Amount{Value: amount, Currency: r.Currency}, Postings: postings})
}
