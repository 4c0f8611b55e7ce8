package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

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

// Run processes due activities until ctx ends.
func (p *Processor) Run(ctx context.Context) {
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
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
	switch {
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
