package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Defaults used for the zero values of Options.
const (
	DefaultWorkers   = 8
	DefaultTimeout   = 15 * time.Second
	DefaultUserAgent = "Holon"
)

// How long finished deliveries are kept: delivered ones briefly, as a
// trace; dropped and failed ones long enough for admins to look into them.
const (
	KeepDelivered   = 24 * time.Hour
	KeepUndelivered = 30 * 24 * time.Hour
)

const (
	pollEvery  = 2 * time.Second // how often Run looks for due deliveries unless woken
	purgeEvery = time.Hour
	// holdMargin is kept between the end of a POST and the end of its
	// claim's hold, for the clocks of processes sharing the database.
	holdMargin = time.Minute
)

// Options configure a Worker. Zero values take the defaults above.
type Options struct {
	// AllowPrivate lets deliveries reach private, loopback and link-local
	// addresses, and plain http inboxes: for tests and closed networks only
	// (federation.allow_private_addresses).
	AllowPrivate bool
	// Workers is how many POSTs run at once in this process.
	Workers int
	// Timeout bounds one POST, from dialling to the end of the answer.
	Timeout time.Duration
	// UserAgent identifies the instance, e.g. "Holon/1.2 (+https://host/)".
	UserAgent string
	// Hosts refuses the hosts the instance does not federate with (domain
	// blocks): their deliveries are dropped. nil refuses none.
	Hosts HostPolicy
}

// HostPolicy tells which hosts may not be delivered to.
type HostPolicy interface {
	RefuseHost(ctx context.Context, host string) error
}

// Worker delivers the queued activities. Several processes may run one on
// the same database; each delivery is POSTed by one of them at a time.
type Worker struct {
	db      *store.DB
	keys    Keys
	clock   core.Clock
	log     zerolog.Logger
	poster  *poster
	breaker *breaker
	hosts   HostPolicy
	workers int
	timeout time.Duration
	// hold is how long a claim lasts: long enough for a batch to wait for a
	// free worker and be POSTed, short enough that a crashed worker's
	// deliveries are soon taken by another.
	hold time.Duration
	wake chan struct{}
}

// New returns a Worker delivering from db, signing with keys.
func New(db *store.DB, keys Keys, clock core.Clock, log zerolog.Logger, opts Options) *Worker {
	if opts.Workers <= 0 {
		opts.Workers = DefaultWorkers
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	return &Worker{
		db:      db,
		keys:    keys,
		clock:   clock,
		log:     log,
		poster:  newPoster(opts),
		breaker: newBreaker(db, opts.Timeout+holdMargin),
		hosts:   opts.Hosts,
		workers: opts.Workers,
		timeout: opts.Timeout,
		hold:    4*opts.Timeout + 2*holdMargin,
		wake:    make(chan struct{}, 1),
	}
}

// Wake makes Run look for due deliveries now rather than at its next poll:
// call it after committing a transaction that enqueued some. It never
// blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends. Claimed deliveries flow to Options.Workers
// goroutines, so a slow host holds up one of them, not a batch; when ctx
// ends, deliveries not yet started are given back at once and those in
// flight are abandoned without counting an attempt.
func (w *Worker) Run(ctx context.Context) {
	jobs := make(chan store.Delivery)
	var wg sync.WaitGroup
	for range w.workers {
		wg.Go(func() {
			for d := range jobs {
				w.logBookkeeping(w.deliver(ctx, d), d)
			}
		})
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var purged time.Time
	limit := 2 * w.workers
	for {
		if now := w.clock.Now(); now.Sub(purged) >= purgeEvery {
			purged = now
			w.purge(ctx, now)
		}
		batch, err := w.claim(ctx, limit)
		if err != nil && ctx.Err() == nil {
			w.log.Error().Err(err).Msg("claim deliveries")
		}
		for i, d := range batch {
			select {
			case jobs <- d:
			case <-ctx.Done():
				if err := w.db.Deliveries().Release(context.WithoutCancel(ctx), batch[i:]); err != nil {
					w.log.Warn().Err(err).Msg("give back claimed deliveries")
				}
				return
			}
		}
		if len(batch) == limit {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-tick.C:
		}
	}
}

// DeliverDue runs one round: it claims the deliveries due now (a few per
// worker), delivers them and returns how many it handled. The error is the
// first failure to read or record state, not a failed delivery: that is the
// delivery's state.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	batch, err := w.claim(ctx, 4*w.workers)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	jobs := make(chan store.Delivery)
	errs := make(chan error, len(batch))
	var wg sync.WaitGroup
	for range min(w.workers, len(batch)) {
		wg.Go(func() {
			for d := range jobs {
				if err := w.deliver(ctx, d); err != nil {
					errs <- err
				}
			}
		})
	}
	for _, d := range batch {
		jobs <- d
	}
	close(jobs)
	wg.Wait()
	close(errs)
	return len(batch), <-errs
}

// claim takes up to limit due deliveries and reads their hosts' circuits.
func (w *Worker) claim(ctx context.Context, limit int) ([]store.Delivery, error) {
	batch, err := w.db.Deliveries().Claim(ctx, w.clock.Now(), w.hold, limit)
	if err != nil || len(batch) == 0 {
		return nil, err
	}
	if err := w.breaker.load(ctx, batch); err != nil {
		// Without the circuits the batch could hammer a failing host:
		// give it back and try again later.
		_ = w.db.Deliveries().Release(context.WithoutCancel(ctx), batch)
		return nil, fmt.Errorf("read the circuits of claimed deliveries: %w", err)
	}
	return batch, nil
}

// deliver makes one attempt at d, or puts it off, and records the outcome.
// Only a failure to read or record state is returned.
func (w *Worker) deliver(ctx context.Context, d store.Delivery) error {
	now := w.clock.Now()
	book := context.WithoutCancel(ctx) // the outcome is recorded even when stopping
	if ctx.Err() != nil || d.LockedUntil == nil || now.Add(w.timeout+holdMargin).After(*d.LockedUntil) {
		// Stopping, or the hold would run out during the POST (the delivery
		// waited too long for a worker): give it back untried.
		return w.db.Deliveries().Release(book, []store.Delivery{d})
	}
	ok, until, err := w.breaker.admit(ctx, d.Host, now)
	if err != nil {
		_ = w.db.Deliveries().Release(book, []store.Delivery{d})
		return fmt.Errorf("check the circuit of %s: %w", d.Host, err)
	}
	if !ok {
		return w.putOff(book, d, now, until)
	}
	o := w.attempt(ctx, d, now)
	if o.verdict == verdictAborted {
		return w.db.Deliveries().Release(book, []store.Delivery{d})
	}
	return w.record(book, d, now, o)
}

// attempt signs and POSTs d.
func (w *Worker) attempt(ctx context.Context, d store.Delivery, now time.Time) outcome {
	if w.hosts != nil {
		switch err := w.hosts.RefuseHost(ctx, d.Host); {
		case err != nil && core.KindOf(err) == core.KindForbidden:
			return outcome{verdict: verdictDrop, reason: fmt.Sprintf("%v: %v", errRefused, err)}
		case err != nil && ctx.Err() != nil:
			return outcome{verdict: verdictAborted}
		case err != nil:
			return outcome{verdict: verdictRetry, reason: fmt.Sprintf("check the policy for %s: %v", d.Host, err)}
		}
	}
	keyID, key, err := w.keys.SigningKey(ctx, d.Sender)
	switch {
	case core.KindOf(err) == core.KindNotFound:
		return outcome{verdict: verdictDrop, reason: fmt.Sprintf("sender %s has no signing key: %v", d.Sender, err)}
	case err != nil && ctx.Err() != nil:
		return outcome{verdict: verdictAborted}
	case err != nil:
		return outcome{verdict: verdictRetry, reason: fmt.Sprintf("signing key of %s: %v", d.Sender, err)}
	}
	o := w.poster.post(ctx, d, keyID, key, now)
	if o.verdict != verdictDelivered && ctx.Err() != nil {
		return outcome{verdict: verdictAborted}
	}
	return o
}

// record writes the outcome of an attempt at d made at now, and feeds the
// host's circuit.
func (w *Worker) record(ctx context.Context, d store.Delivery, now time.Time, o outcome) error {
	d.Attempts++
	d.LastStatus = o.status
	d.LastError = o.reason
	finished := func(state string) {
		d.State, d.FinishedAt = state, &now
	}
	var hostErr error
	switch o.verdict {
	case verdictDelivered:
		finished(store.DeliveryDelivered)
		hostErr = w.breaker.succeeded(ctx, d.Host, now)
	case verdictDrop:
		finished(store.DeliveryDropped)
		if o.status != 0 {
			// The host answered: it is up, whatever it thinks of this
			// delivery.
			hostErr = w.breaker.succeeded(ctx, d.Host, now)
		}
		w.log.Info().Str("activity", d.ActivityID).Str("inbox", d.Inbox).Int("status", o.status).
			Str("reason", o.reason).Msg("delivery dropped")
	case verdictRetry:
		switch {
		case o.hostFault:
			hostErr = w.breaker.failed(ctx, d.Host, now, o.wait)
		case o.wait > 0:
			hostErr = w.breaker.hold(ctx, d.Host, now, o.wait)
		}
		if d.Attempts >= MaxAttempts {
			finished(store.DeliveryFailed)
			w.log.Warn().Str("activity", d.ActivityID).Str("inbox", d.Inbox).Int("attempts", d.Attempts).
				Str("reason", o.reason).Msg("delivery failed for good")
			break
		}
		d.NextAttemptAt = now.Add(max(retryDelay(d.Attempts), o.wait))
		w.log.Debug().Str("activity", d.ActivityID).Str("inbox", d.Inbox).Int("attempts", d.Attempts).
			Str("reason", o.reason).Time("next", d.NextAttemptAt).Msg("delivery will be retried")
	}
	if err := w.db.Deliveries().Finish(ctx, &d); err != nil {
		return errors.Join(err, hostErr)
	}
	if hostErr != nil {
		return fmt.Errorf("record the circuit of %s: %w", d.Host, hostErr)
	}
	return nil
}

// putOff makes d wait, untried, until its host's circuit lets it through;
// a delivery that has waited past GiveUpAfter fails.
func (w *Worker) putOff(ctx context.Context, d store.Delivery, now, until time.Time) error {
	if now.Sub(d.CreatedAt) >= GiveUpAfter {
		reason := fmt.Sprintf("gave up after %s: %s kept failing", GiveUpAfter, d.Host)
		if d.LastError != "" {
			reason += "; last error: " + d.LastError
		}
		d.State, d.LastError, d.FinishedAt = store.DeliveryFailed, reason, &now
		w.log.Warn().Str("activity", d.ActivityID).Str("inbox", d.Inbox).Msg("delivery failed for good: host unreachable")
	} else {
		d.NextAttemptAt = until
	}
	return w.db.Deliveries().Finish(ctx, &d)
}

// purge deletes the deliveries kept long enough.
func (w *Worker) purge(ctx context.Context, now time.Time) {
	for state, keep := range map[string]time.Duration{
		store.DeliveryDelivered: KeepDelivered,
		store.DeliveryDropped:   KeepUndelivered,
		store.DeliveryFailed:    KeepUndelivered,
	} {
		if _, err := w.db.Deliveries().DeleteFinished(ctx, state, now.Add(-keep)); err != nil && ctx.Err() == nil {
			w.log.Warn().Err(err).Str("state", state).Msg("purge finished deliveries")
		}
	}
}

// logBookkeeping logs, for Run, a failure to read or record a delivery's
// state; Run has no caller to return it to.
func (w *Worker) logBookkeeping(err error, d store.Delivery) {
	switch {
	case err == nil:
	case errors.Is(err, store.ErrClaimLost):
		w.log.Warn().Err(err).Str("activity", d.ActivityID).Str("inbox", d.Inbox).
			Msg("delivery outcome not recorded: its claim expired; it will be tried again")
	default:
		w.log.Error().Err(err).Str("activity", d.ActivityID).Str("inbox", d.Inbox).Msg("record delivery")
	}
}
