package governance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Policy is the instance's part of the rules.
type Policy struct {
	// BaseURL is the instance's public URL, the stem of proposals' ids.
	BaseURL string
}

// Ledger is what an adopted proposal asks of core/ledger, inside the
// transaction that closes the proposal.
type Ledger interface {
	// AllocateByDecision moves amount from (general or project:{id}) to
	// task, the decision being cause; it refuses (insufficient-funds…)
	// what the ledger's rules refuse.
	AllocateByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, from string, task uuid.UUID, amount int64, cause, by string) (ledger.Transaction, error)
}

// Projects is what an adopted proposal asks of core/projects, inside the
// transaction that closes the proposal.
type Projects interface {
	// EvaluateByDecision accepts or rejects a proposed project.
	EvaluateByDecision(ctx context.Context, tx store.Tx, project uuid.UUID, verdict, reason, by string) error
	// VerifyByDecision accepts a submission, every done criterion met.
	VerifyByDecision(ctx context.Context, tx store.Tx, submission uuid.UUID, comment, by string) error
}

// Members is what an adopted proposal asks of core/membership, inside the
// transaction that closes the proposal.
type Members interface {
	ChangeSettingsByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, ch membership.SettingsChange) error
	AdmitByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) error
	ExcludeByDecision(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) error
}

// Executors carry out what adopted proposals decide.
type Executors struct {
	Ledger   Ledger
	Projects Projects
	Members  Members
}

// Service runs the proposals of this instance's associations. It is safe
// for concurrent use.
type Service struct {
	db     *store.DB
	clock  core.Clock
	policy Policy
	exec   Executors
	// deadlines rings when a proposal gets a deadline, or a ballot
	// changes counts to publish, for the scheduler.
	deadlines *core.Alarm
	// publisher publishes proposals to the associations' followers
	// (UsePublisher); nil publishes nothing.
	publisher   Publisher
	countsEvery time.Duration
	// messenger sends ballots and delegations to other instances, and the
	// answers to theirs (UseMessenger).
	messenger Messenger
}

// New returns a Service writing to db, carrying out adopted proposals with
// exec.
func New(db *store.DB, clock core.Clock, policy Policy, exec Executors) *Service {
	if policy.BaseURL == "" {
		policy.BaseURL = "http://127.0.0.1:8080"
	}
	return &Service{db: db, clock: clock, policy: policy, exec: exec, deadlines: core.NewAlarm()}
}

// Deadlines rings when a proposal made or moved here gets a deadline that
// the scheduler (AdvanceDue, NextDeadline) may not know of yet.
func (s *Service) Deadlines() <-chan struct{} { return s.deadlines.C() }

// ProposalURI is the id of proposal id on the wire (DESIGN §3): the cause
// of what it executes.
func (s *Service) ProposalURI(id uuid.UUID) string {
	return s.policy.BaseURL + "/proposals/" + id.String()
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

// memberByActor returns the membership of actor (a person's id, local or
// remote) in association, with any status; store.ErrNotFound when there is
// none.
func memberByActor(ctx context.Context, tx store.Tx, association uuid.UUID, actor string) (membership.Member, error) {
	m, err := membership.MemberByActor(ctx, tx, association, actor)
	if errors.Is(err, membership.ErrNoSuchMember) {
		return membership.Member{}, store.ErrNotFound
	}
	return m, err
}

func associationByID(ctx context.Context, tx store.Tx, id uuid.UUID) (membership.Association, error) {
	row, err := tx.Associations().ByID(ctx, id)
	if err != nil {
		return membership.Association{}, err
	}
	return membership.AssociationFromRow(row)
}

// Association returns association id, the one a proposal belongs to
// (Proposal.AssociationID): its settings say who may read the proposal.
func (s *Service) Association(ctx context.Context, id uuid.UUID) (membership.Association, error) {
	a, err := associationByID(ctx, s.db.Tx, id)
	if errors.Is(err, store.ErrNotFound) {
		return membership.Association{}, ErrNoSuchAssociation
	}
	if err != nil {
		return membership.Association{}, fmt.Errorf("association %s: %w", id, err)
	}
	return a, nil
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

// Page sizes of lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

func clampLimit(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return min(limit, MaxPageSize)
}
