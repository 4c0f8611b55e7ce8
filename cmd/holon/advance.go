package main

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/governance"
)

// advanceEvery is the longest serve sleeps between two looks at the
// proposals whose phase has ended; it wakes sooner for the next deadline
// it knows of, so that a phase of a few seconds (in tests) closes on time.
// A proposal made by another process while it sleeps waits at most this
// long past its first deadline.
const advanceEvery = 30 * time.Second

// advancePeriodically moves due proposals on at once, then at each known
// deadline or every interval, until ctx ends. On the same rounds it
// publishes the counts that ballots changed, once they are due (at most
// once per federation.poll_update_interval for each proposal).
func advancePeriodically(ctx context.Context, votes *governance.Service, log zerolog.Logger, every time.Duration) {
	run := func(ctx context.Context) (int, error) {
		n, err := votes.AdvanceDue(ctx)
		if err != nil {
			return n, err
		}
		published, err := votes.PublishCounts(ctx)
		if err != nil {
			return n, fmt.Errorf("publish the counts ballots changed: %w", err)
		}
		if published > 0 {
			log.Debug().Int("proposals", published).Msg("published the counts ballots changed")
		}
		return n, nil
	}
	next := func(ctx context.Context) (time.Time, bool, error) {
		deadline, ok, err := votes.NextDeadline(ctx)
		if err != nil {
			return deadline, ok, err
		}
		counts, due, err := votes.NextCountsDue(ctx)
		if err != nil || !due || (ok && deadline.Before(counts)) {
			return deadline, ok, err
		}
		return counts, true, nil
	}
	atDeadlines(ctx, dueWork{run: run, next: next, sooner: votes.Deadlines(), what: "proposals",
		done:   "moved proposals past their deadline to their next phase",
		failed: "moving proposals or publishing their counts failed; will retry"}, log, every)
}
