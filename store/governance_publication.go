package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// CountChange says that ballots changed a proposal's counts since its
// Question was last published, from ChangedAt on.
type CountChange struct {
	bun.BaseModel `bun:"table:proposal_count_changes"`

	ProposalID uuid.UUID `bun:"proposal_id,pk,type:uuid"`
	ChangedAt  time.Time `bun:"changed_at"`
}

// CountChanges are the proposals whose counts wait to be published.
type CountChanges struct{ tx Tx }

// CountChanges returns the repository of changed counts.
func (t Tx) CountChanges() CountChanges { return CountChanges{t} }

// Mark records that proposal's counts changed at at, unless an earlier
// change waits already. It locks nothing that ballots share: a change
// already marked is left alone without a write.
func (r CountChanges) Mark(ctx context.Context, proposal uuid.UUID, at time.Time) error {
	c := CountChange{ProposalID: proposal, ChangedAt: at.UTC()}
	_, err := r.tx.idb.NewInsert().Model(&c).On("CONFLICT (proposal_id) DO NOTHING").Exec(ctx)
	return wrapWrite(err, "mark changed counts")
}

// Clear forgets the change of proposal's counts: they are being
// published. The caller holds the proposal's row (Proposals.ByIDForUpdate),
// so that no ballot is being written meanwhile.
func (r CountChanges) Clear(ctx context.Context, proposal uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*CountChange)(nil)).Where("proposal_id = ?", proposal).Exec(ctx)
	return wrapWrite(err, "clear changed counts")
}

// ClaimDue returns one change made at or before by, other than those of
// skip, and locks it until the transaction ends (SKIP LOCKED on
// PostgreSQL, so that several processes take different ones); ErrNotFound
// when none is due.
func (r CountChanges) ClaimDue(ctx context.Context, by time.Time, skip []uuid.UUID) (CountChange, error) {
	var c CountChange
	q := r.tx.idb.NewSelect().Model(&c).Where("changed_at <= ?", by.UTC()).OrderExpr("changed_at ASC").Limit(1)
	if len(skip) > 0 {
		q = q.Where("proposal_id NOT IN (?)", bun.In(skip))
	}
	if lock := r.tx.driver.claimLock(); lock != "" {
		q = q.For(lock)
	}
	if err := q.Scan(ctx); err != nil {
		return CountChange{}, notFound(err, "changed counts")
	}
	return c, nil
}

// Oldest returns the earliest change waiting; ErrNotFound when none is.
func (r CountChanges) Oldest(ctx context.Context) (time.Time, error) {
	var c CountChange
	if err := r.tx.idb.NewSelect().Model(&c).OrderExpr("changed_at ASC").Limit(1).Scan(ctx); err != nil {
		return time.Time{}, notFound(err, "changed counts")
	}
	return c.ChangedAt, nil
}

// OutsideVote is a vote in a proposal's poll by someone outside its
// electorate: kept apart, never counted.
type OutsideVote struct {
	bun.BaseModel `bun:"table:outside_votes"`

	ProposalID uuid.UUID `bun:"proposal_id,pk,type:uuid"`
	Actor      string    `bun:"actor,pk"`
	Option     string    `bun:"option"`
	ReceivedAt time.Time `bun:"received_at"`
}

// OutsideVotes reads and writes outside votes.
type OutsideVotes struct{ tx Tx }

// OutsideVotes returns the outside votes' repository.
func (t Tx) OutsideVotes() OutsideVotes { return OutsideVotes{t} }

// Record stores v, replacing the actor's earlier vote on the proposal.
func (r OutsideVotes) Record(ctx context.Context, v *OutsideVote) error {
	v.ReceivedAt = v.ReceivedAt.UTC()
	_, err := r.tx.idb.NewInsert().Model(v).On("CONFLICT (proposal_id, actor) DO UPDATE").
		Set("option = EXCLUDED.option").Set("received_at = EXCLUDED.received_at").Exec(ctx)
	return wrapWrite(err, "record outside vote")
}

// Counts returns how many outside votes each option of proposal has.
func (r OutsideVotes) Counts(ctx context.Context, proposal uuid.UUID) (map[string]int, error) {
	var rows []struct {
		Option string `bun:"option"`
		N      int    `bun:"n"`
	}
	err := r.tx.idb.NewSelect().Model((*OutsideVote)(nil)).Column("option").ColumnExpr("count(*) AS n").
		Where("proposal_id = ?", proposal).Group("option").Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, "outside votes")
	}
	out := make(map[string]int, len(rows))
	for _, row := range rows {
		out[row.Option] = row.N
	}
	return out, nil
}
