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
// A proposal made while it sleeps waits at most this long past its first
// deadline. Each proposal is claimed with its row locked and moved by a
// conditional update, so every process may run this loop.
const advanceEvery = 30 * time.Second

// advanceSoonest keeps the loop from spinning on a deadline that has
// passed but whose proposal another process (or an open ballot) holds.
const advanceSoonest = 200 * time.Millisecond

// advancePeriodically moves due proposals on at once, then at each known
// deadline or every interval, until ctx ends. On the same rounds it
// publishes the counts that ballots changed, once they are due (at most
// once per federation.poll_update_interval for each proposal).
func advancePeriodically(ctx context.Context, votes *governance.Service, log zerolog.Logger, every time.Duration) {
	for {
		wait := every
		n, err := votes.AdvanceDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn().Err(err).Msg("moving proposals past their deadline failed; will retry")
		case n > 0:
			log.Info().Int("proposals", n).Msg("moved proposals past their deadline to their next phase")
		}
		if err == nil {
			if next, ok, err := votes.NextDeadline(ctx); err == nil && ok {
				wait = min(wait, max(time.Until(next), advanceSoonest))
			}
		}
		published, perr := votes.PublishCounts(ctx)
		switch {
		case perr != nil && ctx.Err() == nil:
			log.Warn().Err(perr).Msg("publishing the counts of proposals failed; will retry")
		case published > 0:
			log.Debug().Int("proposals", published).Msg("published the counts ballots changed")
		}
		if perr == nil {
			if next, ok, err := votes.NextCountsDue(ctx); err == nil && ok {
				wait = min(wait, max(time.Until(next), advanceSoonest))
			}
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}
