package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/holon-network/holon/store"
)

// breaker is this process's view of the hosts' circuits. The database is
// the truth, shared by every process; the view is read for the hosts of
// each claimed batch and updated with each outcome, so that the rest of a
// batch sees a circuit that just opened. Only hosts with failures or a hold
// are kept.
type breaker struct {
	db    *store.DB
	probe time.Duration // how long a probe holds its host
	mu    sync.Mutex
	hosts map[string]store.DeliveryHost
}

func newBreaker(db *store.DB, probe time.Duration) *breaker {
	return &breaker{db: db, probe: probe, hosts: map[string]store.DeliveryHost{}}
}

// load refreshes the view of the hosts of ds.
func (b *breaker) load(ctx context.Context, ds []store.Delivery) error {
	names := make([]string, 0, len(ds))
	seen := map[string]bool{}
	for _, d := range ds {
		if !seen[d.Host] {
			seen[d.Host] = true
			names = append(names, d.Host)
		}
	}
	rows, err := b.db.Deliveries().Hosts(ctx, names)
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, h := range names {
		if row, ok := rows[h]; ok && (row.ConsecutiveFailures > 0 || row.OpenUntil != nil) {
			b.hosts[h] = row
		} else {
			delete(b.hosts, h)
		}
	}
	return nil
}

func (b *breaker) get(host string) (store.DeliveryHost, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	h, ok := b.hosts[host]
	return h, ok
}

func (b *breaker) set(h store.DeliveryHost) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hosts[h.Host] = h
}

// admit says whether a delivery to host may be tried at now. When not, it
// returns when to look again. A host whose open period has passed is
// half-open: the first worker to take the probe, in any process, tries it;
// the others wait for the probe's outcome.
func (b *breaker) admit(ctx context.Context, host string, now time.Time) (bool, time.Time, error) {
	h, ok := b.get(host)
	if !ok {
		return true, time.Time{}, nil
	}
	if h.OpenUntil != nil && h.OpenUntil.After(now) {
		return false, *h.OpenUntil, nil
	}
	if h.ConsecutiveFailures < CircuitThreshold {
		return true, time.Time{}, nil
	}
	until := now.Add(b.probe)
	took, err := b.db.Deliveries().TakeProbe(ctx, host, now, until)
	if err != nil {
		return false, time.Time{}, err
	}
	// Whoever holds the probe, the host's other deliveries wait for it.
	h.OpenUntil = &until
	b.set(h)
	return took, until, nil
}

// failed counts a failure of host at now, opens its circuit once the
// failures reach the threshold, and holds it at least until wait has
// passed (a Retry-After).
func (b *breaker) failed(ctx context.Context, host string, now time.Time, wait time.Duration) error {
	failures, err := b.db.Deliveries().HostFailed(ctx, host, now)
	if err != nil {
		return err
	}
	h := store.DeliveryHost{Host: host, ConsecutiveFailures: failures, UpdatedAt: now}
	var open time.Duration
	if failures >= CircuitThreshold {
		open = circuitOpenFor(failures)
	}
	open = max(open, wait)
	if open > 0 {
		until := now.Add(open)
		if err := b.db.Deliveries().HoldHost(ctx, host, until, now); err != nil {
			return err
		}
		h.OpenUntil = &until
	}
	b.set(h)
	return nil
}

// hold makes host's deliveries wait for wait, without counting a failure
// (a 429: the host is well and asks us to slow down).
func (b *breaker) hold(ctx context.Context, host string, now time.Time, wait time.Duration) error {
	until := now.Add(wait)
	if err := b.db.Deliveries().HoldHost(ctx, host, until, now); err != nil {
		return err
	}
	h, _ := b.get(host)
	h.Host = host
	if h.OpenUntil == nil || h.OpenUntil.Before(until) {
		h.OpenUntil = &until
	}
	b.set(h)
	return nil
}

// succeeded closes host's circuit if this process knows of failures or a
// hold; a host it knows nothing about costs no write.
func (b *breaker) succeeded(ctx context.Context, host string, now time.Time) error {
	if _, ok := b.get(host); !ok {
		return nil
	}
	if err := b.db.Deliveries().HostSucceeded(ctx, host, now); err != nil {
		return err
	}
	b.mu.Lock()
	delete(b.hosts, host)
	b.mu.Unlock()
	return nil
}
