package projects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// A volunteer who completed a task of an association elsewhere holds the
// right to reallocate its budget there (DESIGN §4); from their instance
// they offer it, part by part, and the association executes it and answers
// (docs/vocabulary.md §5.6).

// OfferedPart is one part of a reallocation on the wire: the task that
// receives it (its id on the wire) and the amount, a decimal string.
type OfferedPart struct {
	Task   string `json:"task"`
	Amount string `json:"amount"`
}

// OfferedReallocation is what an Offer of a reallocation carries.
type OfferedReallocation struct {
	Task     string // the task whose budget moves
	Currency string
	Parts    []OfferedPart
}

// ReallocationOffer is a reallocation a volunteer elsewhere asks for.
type ReallocationOffer struct {
	Activity string // the Offer's id
	Actor    string
	For      string // whom it is attributed to: must be Actor
	OfferedReallocation
}

// ReceiveReallocationOffer moves parts of a task's budget to other tasks
// here, for the volunteer elsewhere who holds the right to (the rules of
// ledger.Reallocate), and answers with an Accept whose result is the
// reallocation's id, or a Reject that says why, changing nothing. An
// Offer received again moves nothing twice. ErrNoSuchTask when the task
// is not here.
func (s *Service) ReceiveReallocationOffer(ctx context.Context, o ReallocationOffer) error {
	id, ok := s.localID("tasks", o.Task)
	if !ok {
		return ErrNoSuchTask
	}
	t, err := s.db.Tasks().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchTask
	}
	if err != nil {
		return err
	}
	association, err := associationActor(ctx, s.db.Tx, t.AssociationID)
	if err != nil {
		return err
	}
	if _, err := s.db.RemoteReallocations().ReallocationOf(ctx, o.Activity); err == nil {
		return nil // answered already
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		if o.For != o.Actor {
			return ErrActsForAnother
		}
		if o.Currency != t.Currency {
			return core.Invalid(core.FieldError{Field: "parts", Code: "invalid-currency",
				Detail: "the parts must be in the task's currency, " + t.Currency})
		}
		if len(o.Parts) == 0 || len(o.Parts) > ledger.MaxParts {
			return core.Invalid(core.FieldError{Field: "parts", Code: "too-many",
				Detail: fmt.Sprintf("between 1 and %d parts", ledger.MaxParts)})
		}
		parts := make([]ledger.Part, len(o.Parts))
		for i, p := range o.Parts {
			to, ok := s.localID("tasks", p.Task)
			n, err := money.Parse(p.Amount, t.Currency)
			if !ok || err != nil {
				return core.Invalid(core.FieldError{Field: "parts", Code: "invalid-part",
					Detail: "each part names a task of this association and an amount in " + t.Currency})
			}
			parts[i] = ledger.Part{Task: to, Amount: n}
		}
		// Its cause is the volunteer's offer (§5.6).
		done, err := s.ledger.ReallocateIn(ctx, tx, o.Actor, id, parts, o.Activity)
		if err != nil {
			return err
		}
		if err := tx.RemoteReallocations().AddReallocationOffer(ctx, &store.ReallocationOffer{OfferActivity: o.Activity,
			TransactionID: done.ID}); err != nil {
			return err
		}
		return s.send(ctx, tx, Message{Type: MessageAccept, From: association, To: o.Actor, Object: o.Activity,
			Result: s.policy.BaseURL + "/transactions/" + done.ID.String()})
	})
	if core.KindOf(err) != 0 {
		return s.refuse(ctx, association, o.Actor, o.Activity, err)
	}
	if err != nil {
		return fmt.Errorf("receive reallocation offer %s: %w", o.Activity, err)
	}
	return nil
}

// RemoteReallocation is a local volunteer's offer to reallocate the budget
// of a task elsewhere: pending until the association answers, then
// accepted (Transaction is the reallocation on its ledger) or rejected
// with its reason.
type RemoteReallocation struct {
	ID          uuid.UUID
	Task        string
	Association string
	Actor       string
	Offer       string
	Currency    string
	Parts       []OfferedPart
	Status      string
	Reason      string
	Transaction string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Reallocation states on this side.
const (
	ReallocationPending  = store.RemotePending
	ReallocationAccepted = "accepted"
	ReallocationRejected = store.RemoteRejected
)

func remoteReallocationFrom(r store.RemoteReallocation) RemoteReallocation {
	out := RemoteReallocation{ID: r.ID, Task: r.TaskURI, Association: r.Association, Actor: r.Actor, Offer: r.OfferActivity,
		Currency: r.Currency, Parts: []OfferedPart{}, Status: r.Status, Reason: r.Reason, Transaction: r.Transaction,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	_ = json.Unmarshal([]byte(r.Parts), &out.Parts)
	return out
}

// RemotePart is one part of a reallocation as a volunteer here writes it:
// a task elsewhere (this instance's copy) and a decimal amount.
type RemotePart struct {
	Task   RemoteTask
	Amount string
}

// OfferReallocation offers, as by, to move parts of the budget of task (a
// task elsewhere by completed as a volunteer) to other tasks of the same
// association. The association checks the right and answers.
func (s *Service) OfferReallocation(ctx context.Context, by membership.Account, task RemoteTask, parts []RemotePart) (RemoteReallocation, error) {
	var fe fieldErrors
	if len(parts) == 0 || len(parts) > ledger.MaxParts {
		fe.Add("parts", "too-many", fmt.Sprintf("between 1 and %d parts", ledger.MaxParts))
	}
	offered := make([]OfferedPart, 0, len(parts))
	for _, p := range parts {
		n, err := money.Parse(p.Amount, task.Currency)
		switch {
		case p.Task.Association != task.Association || p.Task.URI == task.URI:
			fe.Add("parts", "invalid-target", "each part goes to another task of the same association")
		case err != nil || n <= 0:
			fe.Add("parts", "invalid-amount", fmt.Sprintf("each amount is positive, in %s, such as \"50.00\"", task.Currency))
		default:
			offered = append(offered, OfferedPart{Task: p.Task.URI, Amount: money.Format(n, task.Currency)})
			continue
		}
		break
	}
	if err := fe.Err(); err != nil {
		return RemoteReallocation{}, err
	}
	encoded, _ := json.Marshal(offered)
	var out RemoteReallocation
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		now := s.now()
		row := store.RemoteReallocation{ID: newID(), TaskURI: task.URI, Association: task.Association, Actor: actor,
			OfferActivity: s.policy.BaseURL + "/activities/" + newID().String(), Parts: string(encoded),
			Currency: task.Currency, Status: ReallocationPending, CreatedAt: now, UpdatedAt: now}
		if err := tx.RemoteReallocations().Create(ctx, &row); err != nil {
			return err
		}
		out = remoteReallocationFrom(row)
		return s.send(ctx, tx, Message{Type: MessageOffer, ID: row.OfferActivity, From: actor, To: task.Association,
			Reallocation: &OfferedReallocation{Task: task.URI, Currency: task.Currency, Parts: offered}})
	})
	if err != nil {
		return RemoteReallocation{}, fmt.Errorf("offer a reallocation of %s: %w", task.URI, err)
	}
	return out, nil
}

// RemoteReallocationsOf lists actor's reallocation offers of the task
// elsewhere, oldest first.
func (s *Service) RemoteReallocationsOf(ctx context.Context, actor, task string) ([]RemoteReallocation, error) {
	rows, err := s.db.RemoteReallocations().OfTask(ctx, task, actor)
	if err != nil {
		return nil, err
	}
	out := make([]RemoteReallocation, len(rows))
	for i, r := range rows {
		out[i] = remoteReallocationFrom(r)
	}
	return out, nil
}

// answerReallocation records the association's answer to a reallocation
// offered from here; ErrNotOurs when offer is none.
func (s *Service) answerReallocation(ctx context.Context, tx store.Tx, from, offer string, accepted bool, reason, result string) error {
	row, err := tx.RemoteReallocations().ByOffer(ctx, offer)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotOurs
	}
	if err != nil {
		return err
	}
	if row.Association != from {
		return ErrNotAssociation
	}
	status := ReallocationAccepted
	if !accepted {
		status, result = ReallocationRejected, ""
	}
	if result != "" && !core.IsHTTPURL(result) {
		result = ""
	}
	_, err = tx.RemoteReallocations().Answer(ctx, row.ID, status, reason, result, s.now())
	return err
}
