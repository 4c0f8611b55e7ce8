package store

import (
	"context"
	"fmt"
	"time"
)

// Overview is what the admin dashboard counts, each figure aggregated in
// SQL.
type Overview struct {
	AccountsByStatus map[string]int // active, pending, suspended
	Associations     int
	LocalNotes       int // not deleted
	RemoteActors     int
	RemoteHosts      int
	OpenReports      int
	// The delivery queue: pending rows, the pending ones already tried
	// (retries), and the ones given up (failed: the schedule ran out).
	QueueDepth  int
	Retrying    int
	DeadLetters int
	// InboxFailed counts received activities whose processing kept failing.
	InboxFailed int
}

// FailingHost is a host whose deliveries recently failed or whose circuit
// is open.
type FailingHost struct {
	Host                string     `bun:"host"`
	ConsecutiveFailures int        `bun:"consecutive_failures"`
	OpenUntil           *time.Time `bun:"open_until"`
	LastFailureAt       time.Time  `bun:"updated_at"`
}

// KnownHost is another instance this one knows actors of.
type KnownHost struct {
	Host            string     `bun:"host"`
	Actors          int        `bun:"actors"`
	LastDeliveredAt *time.Time `bun:"last_delivered_at"`
}

// Overview counts what the admin dashboard shows.
func (t Tx) Overview(ctx context.Context) (Overview, error) {
	o := Overview{AccountsByStatus: map[string]int{}}
	var byStatus []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	if err := t.idb.NewSelect().Model((*Account)(nil)).ColumnExpr("status, count(*) AS n").GroupExpr("status").Scan(ctx, &byStatus); err != nil {
		return Overview{}, fmt.Errorf("count accounts: %w", err)
	}
	for _, row := range byStatus {
		o.AccountsByStatus[row.Status] = row.N
	}
	// One statement for the single figures: a scalar subquery each.
	var row struct {
		Associations int `bun:"associations"`
		LocalNotes   int `bun:"local_notes"`
		RemoteActors int `bun:"remote_actors"`
		RemoteHosts  int `bun:"remote_hosts"`
		OpenReports  int `bun:"open_reports"`
		QueueDepth   int `bun:"queue_depth"`
		Retrying     int `bun:"retrying"`
		DeadLetters  int `bun:"dead_letters"`
		InboxFailed  int `bun:"inbox_failed"`
	}
	err := t.idb.NewRaw(`SELECT
	(SELECT count(*) FROM associations) AS associations,
	(SELECT count(*) FROM notes WHERE local AND deleted_at IS NULL) AS local_notes,
	(SELECT count(*) FROM actors WHERE NOT local) AS remote_actors,
	(SELECT count(DISTINCT host) FROM actors WHERE NOT local) AS remote_hosts,
	(SELECT count(*) FROM reports WHERE state = 'open') AS open_reports,
	(SELECT count(*) FROM deliveries WHERE state = ?) AS queue_depth,
	(SELECT count(*) FROM deliveries WHERE state = ? AND attempts > 0) AS retrying,
	(SELECT count(*) FROM deliveries WHERE state = ?) AS dead_letters,
	(SELECT count(*) FROM inbox_activities WHERE state = ?) AS inbox_failed`,
		DeliveryPending, DeliveryPending, DeliveryFailed, InboxFailed).Scan(ctx, &row)
	if err != nil {
		return Overview{}, fmt.Errorf("count the dashboard figures: %w", err)
	}
	o.Associations, o.LocalNotes, o.RemoteActors, o.RemoteHosts, o.OpenReports = row.Associations, row.LocalNotes, row.RemoteActors, row.RemoteHosts, row.OpenReports
	o.QueueDepth, o.Retrying, o.DeadLetters, o.InboxFailed = row.QueueDepth, row.Retrying, row.DeadLetters, row.InboxFailed
	return o, nil
}

// FailingHosts returns up to limit hosts that failed since since or whose
// circuit is still open at now, the most recent failure first.
func (t Tx) FailingHosts(ctx context.Context, since, now time.Time, limit int) ([]FailingHost, error) {
	var list []FailingHost
	err := t.idb.NewSelect().Model((*DeliveryHost)(nil)).
		Column("host", "consecutive_failures", "open_until", "updated_at").
		Where("(consecutive_failures > 0 AND updated_at >= ?) OR open_until > ?", since.UTC(), now.UTC()).
		OrderExpr("updated_at DESC, host").Limit(int64(limit)).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("list failing hosts: %w", err)
	}
	return list, nil
}

// KnownHosts returns up to limit hosts of remote actors, those with the
// most actors first, with when a delivery there last succeeded.
func (t Tx) KnownHosts(ctx context.Context, limit int) ([]KnownHost, error) {
	var list []KnownHost
	err := t.idb.NewRaw(`SELECT a.host AS host, count(*) AS actors,
	(SELECT max(d.finished_at) FROM deliveries d WHERE d.state = ? AND d.host = a.host) AS last_delivered_at
FROM actors a WHERE NOT a.local GROUP BY a.host ORDER BY count(*) DESC, a.host LIMIT ?`, DeliveryDelivered, limit).Scan(ctx, &list)
	if err != nil {
		return nil, fmt.Errorf("list known hosts: %w", err)
	}
	return list, nil
}
