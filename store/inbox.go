package store

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// States of a received activity.
const (
	InboxPending = "pending" // waiting to be processed (or retried)
	InboxDone    = "done"
	InboxIgnored = "ignored" // a type Holon does not handle
	InboxFailed  = "failed"  // kept failing: shown to admins
)

// InboxActivity is one activity received by an inbox, kept raw.
type InboxActivity struct {
	bun.BaseModel `bun:"table:inbox_activities"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	ActivityID    string     `bun:"activity_id"`
	Type          string     `bun:"type"`
	Actor         string     `bun:"actor"`
	Recipient     string     `bun:"recipient"`
	Raw           string     `bun:"raw"`
	State         string     `bun:"state"`
	Attempts      int        `bun:"attempts"`
	LastError     string     `bun:"last_error"`
	ReceivedAt    time.Time  `bun:"received_at"`
	NextAttemptAt time.Time  `bun:"next_attempt_at"`
	LockedUntil   *time.Time `bun:"locked_until"`
	ProcessedAt   *time.Time `bun:"processed_at"`
}

// Inbox reads and writes received activities.
type Inbox struct{ tx Tx }

// Inbox returns the inbox repository.
func (t Tx) Inbox() Inbox { return Inbox{t} }

// Add stores a received activity; ErrDuplicate if one with its activity id
// was already received.
func (r Inbox) Add(ctx context.Context, a *InboxActivity) error {
	_, err := r.tx.idb.NewInsert().Model(a).Exec(ctx)
	return wrapWrite(err, "store received activity "+a.ActivityID)
}

// ClaimDue takes up to limit pending activities that are due at now and not
// held by another worker, and holds them until now+hold, oldest due first.
// The claim is one UPDATE of the picked rows, as Deliveries.Claim makes it,
// so two processes never take the same activity at once (on PostgreSQL the
// rows are picked with SKIP LOCKED); a crashed worker's hold simply
// expires. One statement, not an UPDATE and a SELECT per row: with a
// backlog, claiming was a fifth of the processing's CPU time.
func (r Inbox) ClaimDue(ctx context.Context, now time.Time, hold time.Duration, limit int) ([]InboxActivity, error) {
	due := r.tx.idb.NewSelect().Model((*InboxActivity)(nil)).Column("id").
		Where("state = ?", InboxPending).
		Where("next_attempt_at <= ?", now).
		Where("locked_until IS NULL OR locked_until < ?", now).
		OrderExpr("next_attempt_at ASC").Limit(int64(limit))
	if lock := r.tx.driver.claimLock(); lock != "" {
		due = due.For(lock)
	}
	var claimed []InboxActivity
	err := r.tx.idb.NewUpdate().Model(&claimed).
		Set("locked_until = ?", now.Add(hold)).
		Where("id IN (?)", due).
		Returning("*").Scan(ctx)
	if err != nil {
		return nil, wrapWrite(err, "claim due activities")
	}
	// RETURNING keeps no order.
	slices.SortFunc(claimed, func(a, b InboxActivity) int { return a.NextAttemptAt.Compare(b.NextAttemptAt) })
	return claimed, nil
}

// Finish records the outcome of processing a: its new state, attempts,
// error and next attempt; the hold is released.
func (r Inbox) Finish(ctx context.Context, a *InboxActivity) error {
	_, err := r.tx.idb.NewUpdate().Model(a).
		Column("state", "attempts", "last_error", "next_attempt_at", "processed_at", "locked_until").
		WherePK().Exec(ctx)
	return wrapWrite(err, "record processing of "+a.ActivityID)
}

// CountByState counts received activities per state.
func (r Inbox) CountByState(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		State string `bun:"state"`
		N     int    `bun:"n"`
	}
	err := r.tx.idb.NewSelect().Model((*InboxActivity)(nil)).
		ColumnExpr("state, count(*) AS n").GroupExpr("state").Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, "count received activities")
	}
	out := map[string]int{}
	for _, row := range rows {
		out[row.State] = row.N
	}
	return out, nil
}

// ByActivityID returns the received activity with the given activity id.
func (r Inbox) ByActivityID(ctx context.Context, id string) (InboxActivity, error) {
	var a InboxActivity
	if err := r.tx.idb.NewSelect().Model(&a).Where("activity_id = ?", id).Scan(ctx); err != nil {
		return InboxActivity{}, notFound(err, "received activity "+id)
	}
	return a, nil
}

// ListByState returns up to limit received activities in state, newest
// first, received before the one whose id is before (uuid.Nil: from the
// newest).
func (r Inbox) ListByState(ctx context.Context, state string, before uuid.UUID, limit int) ([]InboxActivity, error) {
	var list []InboxActivity
	q := r.tx.idb.NewSelect().Model(&list).
		ExcludeColumn("raw").
		Where("state = ?", state).OrderExpr("id DESC").Limit(int64(limit))
	if before != uuid.Nil {
		q = q.Where("id < ?", before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "list received activities")
	}
	return list, nil
}

// Requeue puts the failed activity id back in the queue, due at now, with
// its attempts counted afresh; ErrNotFound if there is no such failed
// activity.
func (r Inbox) Requeue(ctx context.Context, id uuid.UUID, now time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*InboxActivity)(nil)).
		Set("state = ?", InboxPending).Set("attempts = 0").Set("next_attempt_at = ?", now).
		Set("processed_at = NULL").Set("locked_until = NULL").
		Where("id = ?", id).Where("state = ?", InboxFailed).Exec(ctx)
	if err != nil {
		return wrapWrite(err, "requeue received activity")
	}
	return expectOne(res, "requeue received activity")
}

// DeleteProcessed deletes the activities done or ignored before before,
// and returns how many.
func (r Inbox) DeleteProcessed(ctx context.Context, before time.Time) (int, error) {
	res, err := r.tx.idb.NewDelete().Model((*InboxActivity)(nil)).
		Where("state IN (?)", bun.In([]string{InboxDone, InboxIgnored})).
		Where("processed_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "purge received activities")
	}
	n, err := res.RowsAffected()
	return int(n), err
}
