package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Proposal is a proposal's row. Options and Actions are JSON arrays,
// Outcome a JSON object, all shaped by core/governance; the periods are
// nanoseconds.
type Proposal struct {
	bun.BaseModel `bun:"table:proposals"`

	ID              uuid.UUID  `bun:"id,pk,type:uuid"`
	AssociationID   uuid.UUID  `bun:"association_id,type:uuid"`
	Author          string     `bun:"author"`
	Category        string     `bun:"category"`
	Title           string     `bun:"title"`
	Body            string     `bun:"body"`
	Options         string     `bun:"options"`
	Actions         string     `bun:"actions"`
	ProjectID       *uuid.UUID `bun:"project_id,type:uuid"`
	Phase           string     `bun:"phase"`
	DebatePeriod    int64      `bun:"debate_period"`
	ConsensusPeriod int64      `bun:"consensus_period"`
	ValueVotePeriod int64      `bun:"value_vote_period"`
	Deadline        *time.Time `bun:"deadline"`
	Outcome         string     `bun:"outcome"`
	CreatedAt       time.Time  `bun:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at"`
	ClosedAt        *time.Time `bun:"closed_at"`
}

// Proposals reads and writes proposals.
type Proposals struct{ tx Tx }

// Proposals returns the proposal repository.
func (t Tx) Proposals() Proposals { return Proposals{t} }

// Create inserts p.
func (r Proposals) Create(ctx context.Context, p *Proposal) error {
	_, err := r.tx.idb.NewInsert().Model(p).Exec(ctx)
	return wrapWrite(err, "create proposal")
}

// ByID returns the proposal id.
func (r Proposals) ByID(ctx context.Context, id uuid.UUID) (Proposal, error) {
	var p Proposal
	if err := r.tx.idb.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		return Proposal{}, notFound(err, "proposal "+id.String())
	}
	return p, nil
}

// ByIDForShare returns the proposal id and, on PostgreSQL, holds a shared
// lock on its row until the transaction ends: ballots take it, so that the
// scheduler (ClaimDue, an exclusive lock) never counts a phase while a
// ballot for it is being written, and ballots do not wait for each other.
// SQLite transactions are immediate and already serialised.
func (r Proposals) ByIDForShare(ctx context.Context, id uuid.UUID) (Proposal, error) {
	var p Proposal
	q := r.tx.idb.NewSelect().Model(&p).Where("id = ?", id)
	if r.tx.driver == Postgres {
		q = q.For("SHARE")
	}
	if err := q.Scan(ctx); err != nil {
		return Proposal{}, notFound(err, "proposal "+id.String())
	}
	return p, nil
}

// ByIDForUpdate returns the proposal id and locks its row until the
// transaction ends.
func (r Proposals) ByIDForUpdate(ctx context.Context, id uuid.UUID) (Proposal, error) {
	var p Proposal
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&p).Where("id = ?", id))
	if err := q.Scan(ctx); err != nil {
		return Proposal{}, notFound(err, "proposal "+id.String())
	}
	return p, nil
}

// ClaimDue returns one proposal whose phase ended at or before now, other
// than those of skip, and locks it until the transaction ends; ErrNotFound
// when none is due. On PostgreSQL the row is picked with SKIP LOCKED, so
// that several processes claim different proposals (and skip one whose
// ballots are still being written); the caller moves it on with Advance,
// whose condition makes the move happen once.
func (r Proposals) ClaimDue(ctx context.Context, now time.Time, skip []uuid.UUID) (Proposal, error) {
	var p Proposal
	q := r.tx.idb.NewSelect().Model(&p).Where("deadline IS NOT NULL").Where("deadline <= ?", now.UTC()).
		OrderExpr("deadline ASC").Limit(1)
	if len(skip) > 0 {
		q = q.Where("id NOT IN (?)", bun.In(skip))
	}
	if lock := r.tx.driver.claimLock(); lock != "" {
		q = q.For(lock)
	}
	if err := q.Scan(ctx); err != nil {
		return Proposal{}, notFound(err, "due proposal")
	}
	return p, nil
}

// NextDeadline returns the earliest deadline of an open proposal;
// ErrNotFound when none is open.
func (r Proposals) NextDeadline(ctx context.Context) (time.Time, error) {
	var p Proposal
	err := r.tx.idb.NewSelect().Model(&p).Column("deadline").Where("deadline IS NOT NULL").
		OrderExpr("deadline ASC").Limit(1).Scan(ctx)
	if err != nil {
		return time.Time{}, notFound(err, "next deadline")
	}
	return *p.Deadline, nil
}

// Advance writes p's phase, deadline, outcome and closing time if the
// proposal is still in phase from; it reports false, changing nothing,
// when it no longer is (someone else moved it).
func (r Proposals) Advance(ctx context.Context, p *Proposal, from string) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model(p).Column("phase", "deadline", "outcome", "updated_at", "closed_at").
		WherePK().Where("phase = ?", from).Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "advance proposal")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrapWrite(err, "advance proposal")
	}
	return n == 1, nil
}

// ProposalFilter narrows a list of proposals: a phase, a category; ""
// keeps all.
type ProposalFilter struct {
	Phase    string
	Category string
}

// OfAssociation lists at most limit proposals of association matching f,
// newest first, older than the cursor (uuid.Nil for the first page).
func (r Proposals) OfAssociation(ctx context.Context, association uuid.UUID, f ProposalFilter, before uuid.UUID, limit int) ([]Proposal, error) {
	var list []Proposal
	q := r.tx.idb.NewSelect().Model(&list).Where("association_id = ?", association)
	if f.Phase != "" {
		q = q.Where("phase = ?", f.Phase)
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if before != uuid.Nil {
		q = q.Where("id < ?", before)
	}
	if err := q.OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, notFound(err, "list proposals")
	}
	return list, nil
}

// ProposalPhase is one phase a proposal went through. Beneficiaries is a
// JSON array of voter numbers; Result, once the phase is closed, its count
// as core/governance writes it.
type ProposalPhase struct {
	bun.BaseModel `bun:"table:proposal_phases"`

	ProposalID    uuid.UUID  `bun:"proposal_id,pk,type:uuid"`
	Phase         string     `bun:"phase,pk"`
	StartedAt     time.Time  `bun:"started_at"`
	EndsAt        time.Time  `bun:"ends_at"`
	ClosedAt      *time.Time `bun:"closed_at"`
	Electorate    int        `bun:"electorate"`
	Beneficiaries string     `bun:"beneficiaries"`
	Result        *string    `bun:"result"`
	Roles         *string    `bun:"roles"`
	Suspended     *string    `bun:"suspended"`
}

// AddPhase records the opening of a phase.
func (r Proposals) AddPhase(ctx context.Context, ph *ProposalPhase) error {
	_, err := r.tx.idb.NewInsert().Model(ph).Exec(ctx)
	return wrapWrite(err, "open proposal phase")
}

// ClosePhase records the end of a phase, its count and what the count
// read besides the roll (JSON; nil for a phase without a count).
func (r Proposals) ClosePhase(ctx context.Context, proposal uuid.UUID, phase string, result, roles, suspended *string, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*ProposalPhase)(nil)).
		Set("closed_at = ?", at.UTC()).Set("result = ?", result).Set("roles = ?", roles).Set("suspended = ?", suspended).
		Where("proposal_id = ?", proposal).Where("phase = ?", phase).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "close proposal phase")
	}
	return expectOne(res, "close proposal phase")
}

// Phases lists the phases of proposal in the order they opened.
func (r Proposals) Phases(ctx context.Context, proposal uuid.UUID) ([]ProposalPhase, error) {
	var list []ProposalPhase
	err := r.tx.idb.NewSelect().Model(&list).Where("proposal_id = ?", proposal).OrderExpr("started_at, phase").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "phases of a proposal")
	}
	return list, nil
}

// Phase returns phase of proposal.
func (r Proposals) Phase(ctx context.Context, proposal uuid.UUID, phase string) (ProposalPhase, error) {
	var ph ProposalPhase
	err := r.tx.idb.NewSelect().Model(&ph).Where("proposal_id = ?", proposal).Where("phase = ?", phase).Scan(ctx)
	if err != nil {
		return ProposalPhase{}, notFound(err, "phase "+phase+" of a proposal")
	}
	return ph, nil
}
