package main

import (
	"context"
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
// deadline or every interval, until ctx ends.
func advancePeriodically(ctx context.Context, votes *governance.Service, log zerolog.Logger, every time.Duration) {
	atDeadlines(ctx, dueWork{run: votes.AdvanceDue, next: votes.NextDeadline, sooner: votes.Deadlines(), what: "proposals",
		done:   "moved proposals past their deadline to their next phase",
		failed: "moving proposals past their deadline failed; will retry"}, log, every)
}
