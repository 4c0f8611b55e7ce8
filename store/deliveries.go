package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// States of a delivery.
const (
	DeliveryPending   = "pending"   // waiting for its first attempt or a retry
	DeliveryDelivered = "delivered" // the inbox answered 2xx
	DeliveryFailed    = "failed"    // retried until the schedule ran out
	DeliveryDropped   = "dropped"   // will not be retried: the peer refused it, or policy did
)

// ErrClaimLost is returned when a worker records the outcome of a delivery
// whose hold expired in the meantime: another worker may have taken it, so
// the outcome is not written.
var ErrClaimLost = errors.New("delivery claim expired before its outcome was recorded")

// Delivery is one activity to POST to one inbox.
type Delivery struct {
	bun.BaseModel `bun:"table:deliveries"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	ActivityID    string     `bun:"activity_id"`
	Sender        string     `bun:"sender"` // the local actor whose key signs
	Inbox         string     `bun:"inbox"`
	Host          string     `bun:"host"` // lower-case host[:port] of Inbox
	Body          string     `bun:"body"` // the exact bytes POSTed
	State         string     `bun:"state"`
	Attempts      int        `bun:"attempts"`
	LastStatus    int        `bun:"last_status"` // HTTP status of the last answer, 0 if none
	LastError     string     `bun:"last_error"`
	NextAttemptAt time.Time  `bun:"next_attempt_at"`
	LockedUntil   *time.Time `bun:"locked_until"` // the claim's hold
	CreatedAt     time.Time  `bun:"created_at"`
	FinishedAt    *time.Time `bun:"finished_at"`
}

// DeliveryHost is the circuit breaker's record of one host.
type DeliveryHost struct {
	bun.BaseModel `bun:"table:delivery_hosts"`

	Host                string     `bun:"host,pk"`
	ConsecutiveFailures int        `bun:"consecutive_failures"`
	OpenUntil           *time.Time `bun:"open_until"`
	UpdatedAt           time.Time  `bun:"updated_at"`
}

// Deliveries reads and writes the delivery queue and the hosts' circuit
// breakers. Policy (when to retry, when a circuit opens) belongs to the
// caller: these methods only record.
type Deliveries struct{ tx Tx }

// Deliveries returns the delivery repository.
func (t Tx) Deliveries() Deliveries { return Deliveries{t} }

// enqueueChunk bounds the rows of one INSERT, so that a fan-out to
// thousands of inboxes makes statements of reasonable size.
const enqueueChunk = 500

// Enqueue adds deliveries. A delivery of the same activity to the same
// inbox as an existing row is ignored, so enqueuing twice delivers once.
func (r Deliveries) Enqueue(ctx context.Context, ds []Delivery) error {
	for start := 0; start < len(ds); start += enqueueChunk {
		chunk := ds[start:min(start+enqueueChunk, len(ds))]
		_, err := r.tx.idb.NewInsert().Model(&chunk).
			On("CONFLICT (activity_id, inbox) DO NOTHING").Exec(ctx)
		if err != nil {
			return wrapWrite(err, fmt.Sprintf("enqueue %d deliveries", len(chunk)))
		}
	}
	return nil
}

// Claim takes up to limit pending deliveries due at now that no worker
// holds, holds them until now+hold and returns them, earliest due first.
// It is one UPDATE … RETURNING, so two processes never take the same
// delivery at once (on PostgreSQL the rows are picked with SKIP LOCKED);
// a crashed worker's hold simply expires. The hold is kept to the
// microsecond, the precision both engines store, because Finish compares it.
func (r Deliveries) Claim(ctx context.Context, now time.Time, hold time.Duration, limit int) ([]Delivery, error) {
	now = now.UTC()
	until := now.Add(hold).Truncate(time.Microsecond)
	due := r.tx.idb.NewSelect().Model((*Delivery)(nil)).Column("id").
		Where("state = ?", DeliveryPending).
		Where("next_attempt_at <= ?", now).
		Where("locked_until IS NULL OR locked_until < ?", now).
		OrderExpr("next_attempt_at ASC").Limit(int64(limit))
	if lock := r.tx.driver.claimLock(); lock != "" {
		due = due.For(lock)
	}
	var claimed []Delivery
	err := r.tx.idb.NewUpdate().Model(&claimed).
		Set("locked_until = ?", until).
		Where("id IN (?)", due).
		Returning("*").Scan(ctx)
	if err != nil {
		return nil, wrapWrite(err, "claim due deliveries")
	}
	// RETURNING keeps no order.
	slices.SortFunc(claimed, func(a, b Delivery) int { return a.NextAttemptAt.Compare(b.NextAttemptAt) })
	return claimed, nil
}

// Finish records what became of a claimed delivery: its state, attempts,
// last status and error, next attempt and finish time as d now holds them
// (a delivery put off without an attempt keeps its state and attempts).
// The hold is released. d.LockedUntil must be the hold Claim returned: if
// it is no longer the row's, ErrClaimLost and nothing is written.
func (r Deliveries) Finish(ctx context.Context, d *Delivery) error {
	if d.LockedUntil == nil {
		return fmt.Errorf("record delivery %s: not claimed", d.ID)
	}
	res, err := r.tx.idb.NewUpdate().Model((*Delivery)(nil)).
		Set("state = ?", d.State).
		Set("attempts = ?", d.Attempts).
		Set("last_status = ?", d.LastStatus).
		Set("last_error = ?", d.LastError).
		Set("next_attempt_at = ?", d.NextAttemptAt.UTC()).
		Set("finished_at = ?", d.FinishedAt).
		Set("locked_until = NULL").
		Where("id = ?", d.ID).
		Where("locked_until = ?", d.LockedUntil.UTC()).
		Exec(ctx)
	if err != nil {
		return wrapWrite(err, "record delivery of "+d.ActivityID+" to "+d.Inbox)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("record delivery of %s to %s: %w", d.ActivityID, d.Inbox, ErrClaimLost)
	}
	d.LockedUntil = nil
	return nil
}

// Release gives back claimed deliveries untouched, for a worker that stops
// before trying them. Deliveries whose hold is no longer the one claimed
// are left alone.
func (r Deliveries) Release(ctx context.Context, ds []Delivery) error {
	for _, d := range ds {
		if d.LockedUntil == nil {
			continue
		}
		_, err := r.tx.idb.NewUpdate().Model((*Delivery)(nil)).
			Set("locked_until = NULL").
			Where("id = ?", d.ID).
			Where("locked_until = ?", d.LockedUntil.UTC()).
			Exec(ctx)
		if err != nil {
			return wrapWrite(err, "release delivery "+d.ID.String())
		}
	}
	return nil
}

// ByID returns the delivery with the given id.
func (r Deliveries) ByID(ctx context.Context, id uuid.UUID) (Delivery, error) {
	var d Delivery
	if err := r.tx.idb.NewSelect().Model(&d).Where("id = ?", id).Scan(ctx); err != nil {
		return Delivery{}, notFound(err, "delivery "+id.String())
	}
	return d, nil
}

// ByActivity returns the deliveries of an activity, by inbox.
func (r Deliveries) ByActivity(ctx context.Context, activityID string) ([]Delivery, error) {
	var ds []Delivery
	err := r.tx.idb.NewSelect().Model(&ds).Where("activity_id = ?", activityID).OrderExpr("inbox").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "deliveries of "+activityID)
	}
	return ds, nil
}

// CountByState counts deliveries per state.
func (r Deliveries) CountByState(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		State string `bun:"state"`
		N     int    `bun:"n"`
	}
	err := r.tx.idb.NewSelect().Model((*Delivery)(nil)).
		ColumnExpr("state, count(*) AS n").GroupExpr("state").Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, "count deliveries")
	}
	out := map[string]int{}
	for _, row := range rows {
		out[row.State] = row.N
	}
	return out, nil
}

// NextDue returns when the earliest pending delivery is due, and false when
// none is pending. Held deliveries count: their hold may expire.
func (r Deliveries) NextDue(ctx context.Context) (time.Time, bool, error) {
	var ds []Delivery
	err := r.tx.idb.NewSelect().Model(&ds).Column("next_attempt_at").
		Where("state = ?", DeliveryPending).OrderExpr("next_attempt_at ASC").Limit(1).Scan(ctx)
	if err != nil {
		return time.Time{}, false, notFound(err, "next due delivery")
	}
	if len(ds) == 0 {
		return time.Time{}, false, nil
	}
	return ds[0].NextAttemptAt, true, nil
}

// DeleteFinished deletes the deliveries in state that finished before
// before, and returns how many.
func (r Deliveries) DeleteFinished(ctx context.Context, state string, before time.Time) (int, error) {
	res, err := r.tx.idb.NewDelete().Model((*Delivery)(nil)).
		Where("state = ?", state).
		Where("finished_at < ?", before.UTC()).
		Exec(ctx)
	if err != nil {
		return 0, wrapWrite(err, "delete finished deliveries")
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Hosts returns the circuit breaker records of the given hosts; a host
// without a record has none (it never failed).
func (r Deliveries) Hosts(ctx context.Context, hosts []string) (map[string]DeliveryHost, error) {
	out := make(map[string]DeliveryHost, len(hosts))
	if len(hosts) == 0 {
		return out, nil
	}
	var rows []DeliveryHost
	if err := r.tx.idb.NewSelect().Model(&rows).Where("host IN (?)", bun.In(hosts)).Scan(ctx); err != nil {
		return nil, notFound(err, "read delivery hosts")
	}
	for _, h := range rows {
		out[h.Host] = h
	}
	return out, nil
}

// Host returns the circuit breaker record of host; ErrNotFound if it has
// none.
func (r Deliveries) Host(ctx context.Context, host string) (DeliveryHost, error) {
	var h DeliveryHost
	if err := r.tx.idb.NewSelect().Model(&h).Where("host = ?", host).Scan(ctx); err != nil {
		return DeliveryHost{}, notFound(err, "delivery host "+host)
	}
	return h, nil
}

// HostFailed counts one more consecutive failure of host and returns the
// new count.
func (r Deliveries) HostFailed(ctx context.Context, host string, now time.Time) (int, error) {
	row := &DeliveryHost{Host: host, ConsecutiveFailures: 1, UpdatedAt: now.UTC()}
	var failures int
	err := r.tx.idb.NewInsert().Model(row).
		On("CONFLICT (host) DO UPDATE").
		Set("consecutive_failures = ?TableAlias.consecutive_failures + 1").
		Set("updated_at = EXCLUDED.updated_at").
		Returning("consecutive_failures").Scan(ctx, &failures)
	if err != nil {
		return 0, wrapWrite(err, "count a failure of "+host)
	}
	return failures, nil
}

// HoldHost makes host's deliveries wait until until, unless they already
// wait longer.
func (r Deliveries) HoldHost(ctx context.Context, host string, until, now time.Time) error {
	until = until.UTC()
	row := &DeliveryHost{Host: host, OpenUntil: &until, UpdatedAt: now.UTC()}
	_, err := r.tx.idb.NewInsert().Model(row).
		On("CONFLICT (host) DO UPDATE").
		Set("open_until = EXCLUDED.open_until").
		Set("updated_at = EXCLUDED.updated_at").
		Where("?TableAlias.open_until IS NULL OR ?TableAlias.open_until < EXCLUDED.open_until").
		Exec(ctx)
	return wrapWrite(err, "hold deliveries to "+host)
}

// TakeProbe lets one worker, among all processes, try host again once its
// circuit's open period has ended: it holds the host until until and
// reports true, or reports false when the host is still held (by its
// circuit or by another worker's probe).
func (r Deliveries) TakeProbe(ctx context.Context, host string, now, until time.Time) (bool, error) {
	res, err := r.tx.idb.NewUpdate().Model((*DeliveryHost)(nil)).
		Set("open_until = ?", until.UTC()).
		Set("updated_at = ?", now.UTC()).
		Where("host = ?", host).
		Where("open_until IS NULL OR open_until <= ?", now.UTC()).
		Exec(ctx)
	if err != nil {
		return false, wrapWrite(err, "take a probe of "+host)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// HostSucceeded closes host's circuit: no failures, no hold.
func (r Deliveries) HostSucceeded(ctx context.Context, host string, now time.Time) error {
	_, err := r.tx.idb.NewUpdate().Model((*DeliveryHost)(nil)).
		Set("consecutive_failures = 0").
		Set("open_until = NULL").
		Set("updated_at = ?", now.UTC()).
		Where("host = ?", host).
		Where("consecutive_failures > 0 OR open_until IS NOT NULL").
		Exec(ctx)
	return wrapWrite(err, "close the circuit of "+host)
}
