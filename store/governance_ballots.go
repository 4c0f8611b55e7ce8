package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// RollPage is the electorate and ballot box of a phase for 1024 voter
// numbers (see the migration for the layout).
type RollPage struct {
	bun.BaseModel `bun:"table:proposal_rolls"`

	ProposalID uuid.UUID `bun:"proposal_id,pk,type:uuid"`
	Phase      string    `bun:"phase,pk"`
	Page       int32     `bun:"page,pk"`
	Eligible   []byte    `bun:"eligible"`
	Choices    []byte    `bun:"choices"`
}

// Rolls reads and writes the electorates and ballot boxes of phases.
type Rolls struct{ tx Tx }

// Rolls returns the roll repository.
func (t Tx) Rolls() Rolls { return Rolls{t} }

// Add inserts pages, a batch at a time.
func (r Rolls) Add(ctx context.Context, pages []RollPage) error {
	for len(pages) > 0 {
		n := min(len(pages), 200)
		batch := pages[:n]
		if _, err := r.tx.idb.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return wrapWrite(err, "add roll pages")
		}
		pages = pages[n:]
	}
	return nil
}

// PageForUpdate returns page of the phase's roll and locks it until the
// transaction ends, so that two ballots on one page do not overwrite each
// other; ErrNotFound when the page holds nobody.
func (r Rolls) PageForUpdate(ctx context.Context, proposal uuid.UUID, phase string, page int32) (RollPage, error) {
	var p RollPage
	q := r.tx.driver.forUpdate(r.tx.idb.NewSelect().Model(&p).
		Where("proposal_id = ?", proposal).Where("phase = ?", phase).Where("page = ?", page))
	if err := q.Scan(ctx); err != nil {
		return RollPage{}, notFound(err, "roll page")
	}
	return p, nil
}

// SetChoices writes the ballot box of one page.
func (r Rolls) SetChoices(ctx context.Context, p *RollPage) error {
	res, err := r.tx.idb.NewUpdate().Model(p).Column("choices").WherePK().Exec(ctx)
	if err != nil {
		return wrapWrite(err, "write ballot box")
	}
	return expectOne(res, "write ballot box")
}

// Pages returns every page of the phase's roll, in order.
func (r Rolls) Pages(ctx context.Context, proposal uuid.UUID, phase string) ([]RollPage, error) {
	var list []RollPage
	err := r.tx.idb.NewSelect().Model(&list).Where("proposal_id = ?", proposal).Where("phase = ?", phase).
		OrderExpr("page").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "roll of a phase")
	}
	return list, nil
}

// Ballot is a voter's ballot in one phase: Position in the consensus
// round, Scores (a JSON array, one per option) in the value vote.
type Ballot struct {
	bun.BaseModel `bun:"table:ballots"`

	ID          uuid.UUID `bun:"id,pk,type:uuid"`
	ProposalID  uuid.UUID `bun:"proposal_id,type:uuid"`
	Phase       string    `bun:"phase"`
	Voter       string    `bun:"voter"`
	VoterNumber int32     `bun:"voter_number"`
	Position    string    `bun:"position"`
	Scores      string    `bun:"scores"`
	Reason      string    `bun:"reason"`
	CastAt      time.Time `bun:"cast_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// Ballots reads and writes ballots.
type Ballots struct{ tx Tx }

// Ballots returns the ballot repository.
func (t Tx) Ballots() Ballots { return Ballots{t} }

// Cast stores b, replacing the voter's earlier ballot in the phase (which
// keeps its id and first casting time): the unique index on proposal,
// phase and voter makes the last one stand under any concurrency. b's ID
// and CastAt are set to the stored ones.
func (r Ballots) Cast(ctx context.Context, b *Ballot) error {
	err := r.tx.idb.NewInsert().Model(b).
		On("CONFLICT (proposal_id, phase, voter) DO UPDATE").
		Set("position = EXCLUDED.position").Set("scores = EXCLUDED.scores").
		Set("reason = EXCLUDED.reason").Set("updated_at = EXCLUDED.updated_at").
		Returning("id, cast_at").Scan(ctx, &b.ID, &b.CastAt)
	return wrapWrite(err, "cast ballot")
}

// Of returns voter's ballot in the phase.
func (r Ballots) Of(ctx context.Context, proposal uuid.UUID, phase, voter string) (Ballot, error) {
	var b Ballot
	err := r.tx.idb.NewSelect().Model(&b).Where("proposal_id = ?", proposal).Where("phase = ?", phase).
		Where("voter = ?", voter).Scan(ctx)
	if err != nil {
		return Ballot{}, notFound(err, "ballot")
	}
	return b, nil
}

// OfPhase lists at most limit ballots of the phase in voter number order,
// after the number after (-1 for the first page).
func (r Ballots) OfPhase(ctx context.Context, proposal uuid.UUID, phase string, after int32, limit int) ([]Ballot, error) {
	var list []Ballot
	err := r.tx.idb.NewSelect().Model(&list).Where("proposal_id = ?", proposal).Where("phase = ?", phase).
		Where("voter_number > ?", after).OrderExpr("voter_number").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "ballots of a phase")
	}
	return list, nil
}
