package agenda

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Policy is the instance's part of the rules.
type Policy struct {
	// BaseURL is the instance's public URL, the stem of events' ids.
	BaseURL string
}

// Service applies the rules of events and participation. It is safe for
// concurrent use.
type Service struct {
	db        *store.DB
	clock     core.Clock
	policy    Policy
	publisher Publisher
}

// New returns a Service writing to db.
func New(db *store.DB, clock core.Clock, policy Policy) *Service {
	if policy.BaseURL == "" {
		policy.BaseURL = "http://127.0.0.1:8080"
	}
	return &Service{db: db, clock: clock, policy: policy}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// eventURI is the id on the wire of the local event id (DESIGN §3).
func (s *Service) eventURI(id uuid.UUID) string { return s.policy.BaseURL + "/events/" + id.String() }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// actorOf returns the actor of by's account, which it takes part and acts
// as.
func actorOf(ctx context.Context, tx store.Tx, by membership.Account) (store.Actor, error) {
	if by.Status != membership.AccountActive {
		return store.Actor{}, ErrNoActor
	}
	a, err := tx.Actors().OfAccount(ctx, by.ID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.DeletedAt != nil) {
		return store.Actor{}, ErrNoActor
	}
	return a, err
}

// isBoard reports whether by sits on association's board.
func isBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) (bool, error) {
	if by.Status != membership.AccountActive {
		return false, nil
	}
	row, err := tx.Associations().Membership(ctx, association, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return membership.MemberFromRow(row).IsBoard(), nil
}

// requireBoard refuses anyone but a member of association's board.
func requireBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) error {
	ok, err := isBoard(ctx, tx, association, by)
	if err != nil {
		return err
	}
	if !ok {
		return ErrBoardOnly
	}
	return nil
}

func associationByName(ctx context.Context, tx store.Tx, name string) (store.Association, error) {
	n, fe := membership.NormalizeName("name", name)
	if fe != nil {
		return store.Association{}, ErrNoSuchAssociation
	}
	row, err := tx.Associations().ByName(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return store.Association{}, ErrNoSuchAssociation
	}
	return row, err
}

// lockEvent reads event id and locks its row until the transaction ends:
// every change of the event or of a participation in it goes through here,
// one at a time.
func lockEvent(ctx context.Context, tx store.Tx, id uuid.UUID) (store.Event, error) {
	row, err := tx.Events().ByIDForUpdate(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Event{}, ErrNoSuchEvent
	}
	return row, err
}

// load reads event row's association name and tags into an Event.
func load(ctx context.Context, tx store.Tx, row store.Event) (Event, error) {
	a, err := tx.Associations().ByID(ctx, row.AssociationID)
	if err != nil {
		return Event{}, err
	}
	tags, err := tx.Events().Tags(ctx, row.ID)
	if err != nil {
		return Event{}, err
	}
	return eventFrom(row, a.Name, tags[row.ID]), nil
}
