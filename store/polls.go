package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// NotePoll is the poll a note carries. Options and Counts are JSON arrays
// (titles; a received poll's counts as its origin sent them).
type NotePoll struct {
	bun.BaseModel `bun:"table:note_polls"`

	NoteID      uuid.UUID  `bun:"note_id,pk,type:uuid"`
	Options     string     `bun:"options"`
	Counts      string     `bun:"counts"`
	Multiple    bool       `bun:"multiple"`
	HideTotals  bool       `bun:"hide_totals"`
	VotersCount *int       `bun:"voters_count"`
	ExpiresAt   *time.Time `bun:"expires_at"`
	// EndedPublished: the final counts of a local poll went out (always
	// true for a received poll).
	EndedPublished bool `bun:"ended_published"`
}

// PollVote is one option an actor (Voter, its id on the wire) chose.
// Slot is Choice in a multiple-choice poll, 0 in a single-choice one.
type PollVote struct {
	bun.BaseModel `bun:"table:poll_votes"`

	ID        uuid.UUID `bun:"id,pk,type:uuid"`
	NoteID    uuid.UUID `bun:"note_id,type:uuid"`
	Voter     string    `bun:"voter"`
	Choice    int       `bun:"choice"`
	Slot      int       `bun:"slot"`
	URI       string    `bun:"uri"`
	CreatedAt time.Time `bun:"created_at"`
}

// Polls reads and writes notes' polls and their votes.
type Polls struct{ tx Tx }

// Polls returns the poll repository.
func (t Tx) Polls() Polls { return Polls{t} }

// Create inserts p; ErrDuplicate when the note has a poll already.
func (r Polls) Create(ctx context.Context, p *NotePoll) error {
	_, err := r.tx.idb.NewInsert().Model(p).Exec(ctx)
	return wrapWrite(err, "create poll")
}

// Of returns the poll of note; ErrNotFound when it has none.
func (r Polls) Of(ctx context.Context, note uuid.UUID) (NotePoll, error) {
	var p NotePoll
	if err := r.tx.idb.NewSelect().Model(&p).Where("note_id = ?", note).Scan(ctx); err != nil {
		return NotePoll{}, notFound(err, "poll")
	}
	return p, nil
}

// OfNotes returns the polls of the notes ids that have one, by note, in
// one query (a page of a timeline).
func (r Polls) OfNotes(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]NotePoll, error) {
	out := make(map[uuid.UUID]NotePoll)
	if len(ids) == 0 {
		return out, nil
	}
	var rows []NotePoll
	if err := r.tx.idb.NewSelect().Model(&rows).Where("note_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("polls of notes: %w", err)
	}
	for _, p := range rows {
		out[p.NoteID] = p
	}
	return out, nil
}

// ForUpdate returns the poll of note and, on PostgreSQL, locks it until
// the transaction ends: votes and received counts are written one at a
// time.
func (r Polls) ForUpdate(ctx context.Context, note uuid.UUID) (NotePoll, error) {
	var p NotePoll
	q := r.tx.idb.NewSelect().Model(&p).Where("note_id = ?", note)
	if r.tx.driver == Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return NotePoll{}, notFound(err, "poll")
	}
	return p, nil
}

// SetCounts replaces the counts and voters count a received poll shows,
// with its options, multiplicity and end (an Update of the Question).
func (r Polls) SetCounts(ctx context.Context, p *NotePoll) error {
	_, err := r.tx.idb.NewUpdate().Model(p).Column("options", "counts", "multiple", "voters_count", "expires_at").
		WherePK().Exec(ctx)
	return wrapWrite(err, "set poll counts")
}

// AddVote records v; ErrDuplicate when the voter already has a vote in
// its slot.
func (r Polls) AddVote(ctx context.Context, v *PollVote) error {
	_, err := r.tx.idb.NewInsert().Model(v).Exec(ctx)
	return wrapWrite(err, "add poll vote")
}

// ClearVotes removes every vote on note: its options changed, and a vote
// for the old ones means nothing now (as Mastodon resets them).
func (r Polls) ClearVotes(ctx context.Context, note uuid.UUID) error {
	_, err := r.tx.idb.NewDelete().Model((*PollVote)(nil)).Where("note_id = ?", note).Exec(ctx)
	return wrapWrite(err, "clear poll votes")
}

// Choices returns voter's choices on note, in the order of the options.
func (r Polls) Choices(ctx context.Context, note uuid.UUID, voter string) ([]int, error) {
	var out []int
	err := r.tx.idb.NewSelect().Model((*PollVote)(nil)).Column("choice").
		Where("note_id = ?", note).Where("voter = ?", voter).OrderExpr("choice").Scan(ctx, &out)
	if err != nil {
		return nil, notFound(err, "poll choices")
	}
	return out, nil
}

// Tally counts the votes on note per choice, and the distinct voters.
func (r Polls) Tally(ctx context.Context, note uuid.UUID) (perChoice map[int]int, voters int, err error) {
	var rows []struct {
		Choice int `bun:"choice"`
		N      int `bun:"n"`
	}
	if err := r.tx.idb.NewSelect().Model((*PollVote)(nil)).ColumnExpr("choice, count(*) AS n").
		Where("note_id = ?", note).GroupExpr("choice").Scan(ctx, &rows); err != nil {
		return nil, 0, notFound(err, "poll tally")
	}
	perChoice = make(map[int]int, len(rows))
	for _, row := range rows {
		perChoice[row.Choice] = row.N
	}
	var n int
	if err := r.tx.idb.NewSelect().Model((*PollVote)(nil)).ColumnExpr("count(DISTINCT voter)").
		Where("note_id = ?", note).Scan(ctx, &n); err != nil {
		return nil, 0, notFound(err, "poll voters")
	}
	return perChoice, n, nil
}

// Of returns actor's outside vote on proposal (the poll answer of someone
// outside the electorate); ErrNotFound when there is none.
func (r OutsideVotes) Of(ctx context.Context, proposal uuid.UUID, actor string) (OutsideVote, error) {
	var v OutsideVote
	err := r.tx.idb.NewSelect().Model(&v).Where("proposal_id = ?", proposal).Where("actor = ?", actor).Scan(ctx)
	if err != nil {
		return OutsideVote{}, notFound(err, "outside vote")
	}
	return v, nil
}

// Ended returns the notes whose local polls ended at or before now and
// whose final counts have not gone out, earliest end first, at most limit.
func (r Polls) Ended(ctx context.Context, now time.Time, limit int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := r.tx.idb.NewSelect().Model((*NotePoll)(nil)).Column("note_id").
		Where("NOT ended_published").Where("expires_at <= ?", now.UTC()).
		OrderExpr("expires_at").Limit(int64(limit)).Scan(ctx, &ids)
	if err != nil {
		return nil, notFound(err, "ended polls")
	}
	return ids, nil
}

// NextEnd returns the earliest end of a local poll whose final counts
// have not gone out; ok is false when there is none.
func (r Polls) NextEnd(ctx context.Context) (t time.Time, ok bool, err error) {
	var at []time.Time
	err = r.tx.idb.NewSelect().Model((*NotePoll)(nil)).Column("expires_at").
		Where("NOT ended_published").Where("expires_at IS NOT NULL").
		OrderExpr("expires_at").Limit(1).Scan(ctx, &at)
	if err != nil {
		return time.Time{}, false, notFound(err, "next poll end")
	}
	if len(at) == 0 {
		return time.Time{}, false, nil
	}
	return at[0].UTC(), true, nil
}

// ClaimEnded marks the final counts of note's poll as gone out; false
// when they already had (another process claimed them): they go out
// exactly once.
func (r Polls) ClaimEnded(ctx context.Context, note uuid.UUID) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*NotePoll)(nil)).Set("ended_published = ?", true).
		Where("note_id = ?", note).Where("NOT ended_published").Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "claim ended poll")
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Voters returns the distinct actors who voted on note.
func (r Polls) Voters(ctx context.Context, note uuid.UUID) ([]string, error) {
	var out []string
	err := r.tx.idb.NewSelect().Model((*PollVote)(nil)).ColumnExpr("DISTINCT voter").
		Where("note_id = ?", note).OrderExpr("voter").Scan(ctx, &out)
	if err != nil {
		return nil, notFound(err, "poll voters")
	}
	return out, nil
}
