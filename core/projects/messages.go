package projects

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Types of the activities projects sends to other instances
// (docs/vocabulary.md §5.1–5.3).
const (
	MessageOffer  = "Offer"  // a local person asks an association elsewhere for a reservation or a reallocation
	MessageUndo   = "Undo"   // … and withdraws it
	MessageCreate = "Create" // … delivers work (Submission)
	MessageAccept = "Accept" // the association answers an Offer, or gives its verdict on a submission
	MessageReject = "Reject"
)

// Message is an activity about projects and tasks that a local actor sends
// to one actor on another instance. Messages are written in the
// transaction of the change they announce (DESIGN §1: one write path,
// transactional outbox).
type Message struct {
	Type string
	// ID is the activity's id when core keeps it (an Offer, so that its
	// answer and its Undo can name it); "" for a new one.
	ID   string
	From string // the local actor sending it
	To   string // the actor elsewhere
	// Object is the IRI acted on: the Offer answered or undone, the
	// submission judged.
	Object string
	// Result is the id the offered object now has (a project's Accept).
	Result string
	// Reason is one line of plain text: why an Offer was refused, what
	// the reviewers concluded.
	Reason string
	// Checks is the verdict on a submission, criterion by criterion.
	Checks       []CheckedCriterion
	Reservation  *OfferedReservation
	Reallocation *OfferedReallocation
	Submission   *DeliveredWork
}

// CheckedCriterion is one done criterion and a reviewer's check of it.
type CheckedCriterion struct {
	Criterion string
	Met       bool
	Comment   string
}

// OfferedReservation is what an Offer of a reservation carries.
type OfferedReservation struct {
	Task  string // the task's id on the wire
	Until time.Time
}

// DeliveredWork is a submission hosted here for a task elsewhere, as its
// Create carries it.
type DeliveredWork struct {
	Submission RemoteSubmission
}

// PayoutNotice is a payout an association elsewhere announces (the
// transaction of docs/vocabulary.md §5.3, which its ledger publishes to
// the payee).
type PayoutNotice struct {
	Association string // its actor's id, the ledger's keeper
	Payee       string
	Cause       string // the verified submission's id on the wire
	Amount      int64  // minor units of Currency
	Currency    string
}

// Messenger turns messages into activities and queues their delivery
// inside the caller's transaction (federation implements it).
type Messenger interface {
	Send(ctx context.Context, tx store.Tx, m Message) error
}

// UseMessenger sets who sends projects' messages to other instances. It
// is set once, at wiring, before the service is used by several
// goroutines.
func (s *Service) UseMessenger(m Messenger) { s.messenger = m }

var errNoMessenger = errors.New("federation is not wired: nothing can be sent to other instances")

func (s *Service) send(ctx context.Context, tx store.Tx, m Message) error {
	if s.messenger == nil {
		return errNoMessenger
	}
	return s.messenger.Send(ctx, tx, m)
}

// refusal is the one line of plain text a Reject carries for err, a
// refusal by the rules.
func refusal(err error) string {
	e, ok := core.As(err)
	if !ok {
		return "refused"
	}
	reason := e.Detail
	if len(e.Fields) > 1 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Detail
		}
		reason = strings.Join(parts, "; ")
	}
	return line(reason, MaxRefusal)
}

// MaxRefusal bounds the reason of a Reject.
const MaxRefusal = 500

// line makes s one line of at most max characters.
func line(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return s
}

// taskURI, projectURI are the ids on the wire of local objects (DESIGN §3).
func (s *Service) taskURI(id uuid.UUID) string { return s.policy.BaseURL + "/tasks/" + id.String() }
func (s *Service) projectURI(id uuid.UUID) string {
	return s.policy.BaseURL + "/projects/" + id.String()
}

// localID returns the id of the local object of kind ("tasks",
// "submissions"…) whose id on the wire is uri.
func (s *Service) localID(kind, uri string) (uuid.UUID, bool) {
	rest, ok := strings.CutPrefix(uri, s.policy.BaseURL+"/"+kind+"/")
	if !ok {
		return uuid.Nil, false
	}
	id, err := uuid.Parse(rest)
	return id, err == nil && id.String() == rest
}

// associationActor returns the id on the wire of association's actor.
func associationActor(ctx context.Context, tx store.Tx, association uuid.UUID) (string, error) {
	a, err := tx.Actors().OfAssociation(ctx, association)
	if err != nil {
		return "", err
	}
	return a.URI, nil
}
