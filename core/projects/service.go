package projects

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Policy is the instance's part of the rules.
type Policy struct {
	// BaseURL is the instance's public URL, the stem of local actors' ids.
	BaseURL string
}

// Ledger is what projects asks of core/ledger, inside the caller's
// transaction: a task's account follows the task's life.
type Ledger interface {
	OpenTaskAccount(ctx context.Context, tx store.Tx, association, project, task uuid.UUID, budget int64) error
	OpenProjectAccount(ctx context.Context, tx store.Tx, association, project uuid.UUID) error
	CloseTaskAccount(ctx context.Context, tx store.Tx, task uuid.UUID) error
	// LockTask refuses (task-not-funded) unless the balance covers the budget.
	LockTask(ctx context.Context, tx store.Tx, task uuid.UUID) error
	UnlockTask(ctx context.Context, tx store.Tx, task uuid.UUID) error
	Payout(ctx context.Context, tx store.Tx, task uuid.UUID, payee string, cause string) (ledger.Transaction, error)
	GrantReallocationRight(ctx context.Context, tx store.Tx, task uuid.UUID, holder string, cause string) error
	// ReallocateIn moves parts of a volunteer's task to other tasks, for
	// the holder of its reallocation right (an actor elsewhere), because
	// of cause (their offer).
	ReallocateIn(ctx context.Context, tx store.Tx, holder string, task uuid.UUID, parts []ledger.Part, cause string) (ledger.Transaction, error)
	// MarkPaid refuses (treasurer-only) anyone but the treasurer.
	MarkPaid(ctx context.Context, tx store.Tx, by membership.Account, payout uuid.UUID, bankReference string) (ledger.Payout, error)
}

// Service applies the rules of projects and tasks. It is safe for
// concurrent use.
type Service struct {
	db     *store.DB
	clock  core.Clock
	policy Policy
	ledger Ledger
	// publisher publishes to the associations' followers (UsePublisher);
	// messenger sends to one actor elsewhere (UseMessenger).
	publisher Publisher
	messenger Messenger
	// lapses rings when a reservation starts, for the lapse loop.
	lapses *core.Alarm
}

// New returns a Service writing to db, keeping the money of tasks in
// ledger.
func New(db *store.DB, clock core.Clock, policy Policy, ledger Ledger) *Service {
	if policy.BaseURL == "" {
		policy.BaseURL = "http://127.0.0.1:8080"
	}
	return &Service{db: db, clock: clock, policy: policy, ledger: ledger, lapses: core.NewAlarm()}
}

// submissionURI is the id of a submission on the wire (DESIGN §3), the
// cause of the ledger's payout or reallocation right: its id here, or on
// the instance that hosts it.
func (s *Service) submissionURI(sub store.Submission) string {
	if sub.URI != "" {
		return sub.URI
	}
	return s.policy.BaseURL + "/submissions/" + sub.ID.String()
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// actorOf returns the id on the wire of by's own actor.
func actorOf(ctx context.Context, tx store.Tx, by membership.Account) (string, error) {
	if by.Status != membership.AccountActive {
		return "", ErrNoActor
	}
	a, err := tx.Actors().OfAccount(ctx, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return "", ErrNoActor
	}
	if err != nil {
		return "", err
	}
	return a.URI, nil
}

// memberOf returns by's active membership of association, or ErrNotMember.
func memberOf(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) (membership.Member, error) {
	row, err := tx.Associations().Membership(ctx, association, by.ID)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Member{}, ErrNotMember
	}
	if err != nil {
		return membership.Member{}, err
	}
	m := membership.MemberFromRow(row)
	if m.Status != membership.MemberActive {
		return membership.Member{}, ErrNotMember
	}
	return m, nil
}

// isBoard reports whether by sits on association's board.
func isBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account) (bool, error) {
	m, err := memberOf(ctx, tx, association, by)
	if errors.Is(err, ErrNotMember) {
		return false, nil
	}
	return err == nil && m.IsBoard(), err
}

func associationByID(ctx context.Context, tx store.Tx, id uuid.UUID) (membership.Association, error) {
	row, err := tx.Associations().ByID(ctx, id)
	if err != nil {
		return membership.Association{}, err
	}
	return membership.AssociationFromRow(row)
}

func associationByName(ctx context.Context, tx store.Tx, name string) (membership.Association, error) {
	n, fe := membership.NormalizeName("name", name)
	if fe != nil {
		return membership.Association{}, ErrNoSuchAssociation
	}
	row, err := tx.Associations().ByName(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Association{}, ErrNoSuchAssociation
	}
	if err != nil {
		return membership.Association{}, err
	}
	return membership.AssociationFromRow(row)
}

// fieldErrors collects a request's field errors (core.FieldErrors).
type fieldErrors = core.FieldErrors

func itoa(n int) string { return strconv.Itoa(n) }

func encodeList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

func decodeList(s string) []string {
	var l []string
	_ = json.Unmarshal([]byte(s), &l)
	if l == nil {
		l = []string{}
	}
	return l
}
