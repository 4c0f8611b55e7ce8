package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"
)

// dueWork is work that falls due at deadlines the store knows: reservations
// that lapse, proposals whose phase ends.
type dueWork struct {
	// run does what is due now and says how many things it moved.
	run func(context.Context) (int, error)
	// next is the earliest deadline still ahead; ok is false when none is.
	next func(context.Context) (t time.Time, ok bool, err error)
	// sooner rings when this process sets a deadline next may not have
	// given.
	sooner <-chan struct{}
	// done and failed are the log messages after a run that moved
	// something, and after one that failed; what names the count's field.
	what, done, failed string
}

// soonest keeps the loop from spinning on a deadline that has passed but
// whose row another process (or an open transaction) still holds.
const soonest = 200 * time.Millisecond

// atDeadlines runs w at once, then at each deadline it knows of, when this
// process sets a new one, and at least every interval (for deadlines set
// by another process while it sleeps), until ctx ends. Each row is claimed by a conditional update, so
// every process may run this loop.
func atDeadlines(ctx context.Context, w dueWork, log zerolog.Logger, every time.Duration) {
	for {
		wait := every
		n, err := w.run(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn().Err(err).Msg(w.failed)
		case n > 0:
			log.Info().Int(w.what, n).Msg(w.done)
		}
		if err == nil {
			if next, ok, err := w.next(ctx); err == nil && ok {
				wait = min(wait, max(time.Until(next), soonest))
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		case <-w.sooner:
			timer.Stop()
		}
	}
}
