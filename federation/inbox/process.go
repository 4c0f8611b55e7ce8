package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Handler processes one received activity, whose JSON is doc. An error
// means "try again later"; the activity is kept and retried.
type Handler func(ctx context.Context, a store.InboxActivity, doc map[string]any) error

// Retry policy: exponential from FirstRetry, capped at MaxRetryDelay, until
// MaxAttempts; then the activity is marked failed for admins to see.
const (
	FirstRetry    = 30 * time.Second
	MaxRetryDelay = 6 * time.Hour
	MaxAttempts   = 10
	holdFor       = 2 * time.Minute // a worker's claim; expires if it dies
	// KeepProcessed is how long a done or ignored activity is kept, so that
	// a peer retrying a delivery within its own retry window (about two
	// days for Mastodon and Holon) is recognised as a duplicate.
	KeepProcessed = 7 * 24 * time.Hour
	purgeEvery    = time.Hour
)

// Processor runs the handlers of received activities with a bounded number
// of workers. Several processes may run one on the same database.
type Processor struct {
	db       *store.DB
	clock    core.Clock
	log      zerolog.Logger
	workers  int
	wake     chan struct{}
	handlers map[string]Handler
	hosts    HostPolicy
}

// NewProcessor returns a processor with workers concurrent workers, woken by
// wake (the channel given to the Receiver) or every few seconds.
func NewProcessor(db *store.DB, clock core.Clock, log zerolog.Logger, workers int, wake chan struct{}) *Processor {
	if workers < 1 {
		workers = 1
	}
	return &Processor{db: db, clock: clock, log: log, workers: workers, wake: wake, handlers: map[string]Handler{}}
}

// Handle sets the handler of activities of type kind. Types without a
// handler are marked ignored (and counted) when processed. Call before Run.
func (p *Processor) Handle(kind string, h Handler) { p.handlers[kind] = h }

// Handler returns the handler of activities of type kind, nil when there
// is none: a handler registered later may pass on what is not its own.
func (p *Processor) Handler(kind string) Handler { return p.handlers[kind] }

// RefuseHosts makes the processor ignore activities whose actor is on a
// host p refuses: those stored before the host was blocked. Call before Run.
func (p *Processor) RefuseHosts(hp HostPolicy) { p.hosts = hp }

// Run processes due activities until ctx ends, and purges those processed
// more than KeepProcessed ago.
func (p *Processor) Run(ctx context.Context) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	var purged time.Time
	for {
		if now := p.clock.Now(); now.Sub(purged) >= purgeEvery {
			purged = now
			if n, err := p.db.Inbox().DeleteProcessed(ctx, now.Add(-KeepProcessed)); err != nil && ctx.Err() == nil {
				p.log.Warn().Err(err).Msg("purge processed activities")
			} else if n > 0 {
				p.log.Debug().Int("deleted", n).Msg("purged processed activities")
			}
		}
		n, err := p.ProcessDue(ctx)
		if err != nil && ctx.Err() == nil {
			p.log.Error().Err(err).Msg("process received activities")
		}
		if n > 0 {
			continue // there may be more
		}
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		case <-tick.C:
		}
	}
}

// ProcessDue claims the activities due now (up to a few per worker) and
// processes them; it returns how many it processed.
func (p *Processor) ProcessDue(ctx context.Context) (int, error) {
	due, err := p.db.Inbox().ClaimDue(ctx, p.clock.Now(), holdFor, p.workers*4)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	work := make(chan store.InboxActivity)
	var wg sync.WaitGroup
	errs := make(chan error, len(due))
	for range min(p.workers, len(due)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				if err := p.process(ctx, a); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, a := range due {
		work <- a
	}
	close(work)
	wg.Wait()
	close(errs)
	return len(due), <-errs // the first bookkeeping error, if any
}

// process runs a's handler and records the outcome. Only a failure to
// record is returned: a handler's failure is the activity's state.
func (p *Processor) process(ctx context.Context, a store.InboxActivity) error {
	now := p.clock.Now()
	h, ok := p.handlers[a.Type]
	a.LockedUntil = nil
	refused, err := p.refused(ctx, a.Actor)
	if err != nil {
		return err
	}
	switch {
	case refused != "":
		a.State, a.LastError, a.ProcessedAt = store.InboxIgnored, refused, &now
	case !ok:
		a.State = store.InboxIgnored
		a.ProcessedAt = &now
	default:
		err := p.run(ctx, h, a)
		a.Attempts++
		switch {
		case err == nil:
			a.State, a.LastError, a.ProcessedAt = store.InboxDone, "", &now
		case a.Attempts >= MaxAttempts:
			a.State, a.LastError, a.ProcessedAt = store.InboxFailed, err.Error(), &now
			p.log.Warn().Err(err).Str("activity", a.ActivityID).Str("type", a.Type).Msg("received activity failed for good")
		default:
			a.LastError = err.Error()
			a.NextAttemptAt = now.Add(retryDelay(a.Attempts))
			p.log.Info().Err(err).Str("activity", a.ActivityID).Int("attempts", a.Attempts).Msg("received activity will be retried")
		}
	}
	if err := p.db.Inbox().Finish(context.WithoutCancel(ctx), &a); err != nil {
		return fmt.Errorf("record outcome of %s: %w", a.ActivityID, err)
	}
	return nil
}

// refused tells why the actor's host is refused, or "" when it is not.
func (p *Processor) refused(ctx context.Context, actor string) (string, error) {
	if p.hosts == nil {
		return "", nil
	}
	u, err := url.Parse(actor)
	if err != nil {
		return "", nil
	}
	err = p.hosts.RefuseHost(ctx, u.Host)
	switch {
	case err == nil:
		return "", nil
	case core.KindOf(err) == core.KindForbidden:
		return err.Error(), nil
	default:
		return "", fmt.Errorf("check the host of %s: %w", actor, err)
	}
}

// Failed lists up to limit activities that kept failing, newest first,
// received before the one whose id is before (uuid.Nil: from the newest).
// Their raw JSON is left out.
func (p *Processor) Failed(ctx context.Context, before uuid.UUID, limit int) ([]store.InboxActivity, error) {
	return p.db.Inbox().ListByState(ctx, store.InboxFailed, before, limit)
}

// Retry puts the failed activity id back in the queue, with a fresh count
// of attempts, and wakes the workers; store.ErrNotFound if no failed
// activity has that id.
func (p *Processor) Retry(ctx context.Context, id uuid.UUID) error {
	if err := p.db.Inbox().Requeue(ctx, id, p.clock.Now()); err != nil {
		return err
	}
	if p.wake != nil {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// run calls h, turning a panic into an error so that one bad payload
// cannot stop the workers.
func (p *Processor) run(ctx context.Context, h Handler, a store.InboxActivity) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v", v)
		}
	}()
	var doc map[string]any
	if err := json.Unmarshal([]byte(a.Raw), &doc); err != nil {
		return fmt.Errorf("decode stored activity: %w", err)
	}
	return h(ctx, a, doc)
}

// retryDelay is FirstRetry doubled per attempt, capped, with ±20% jitter
// so that a peer's burst of failures does not retry in lockstep.
func retryDelay(attempts int) time.Duration {
	d := FirstRetry << min(attempts-1, 20)
	if d > MaxRetryDelay || d <= 0 {
		d = MaxRetryDelay
	}
	jitter := time.Duration(rand.Int64N(int64(d)/5*2+1)) - d/5
	return d + jitter
}
