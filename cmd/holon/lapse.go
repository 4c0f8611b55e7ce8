package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/projects"
)

// lapseEvery is how often serve lapses the reservations whose deadline has
// passed: a reservation lapses at most this long after its deadline (a
// review after the deadline treats it as lapsed at once). Each reservation
// is claimed by a conditional UPDATE, so every process may run this loop.
const lapseEvery = 30 * time.Second

// lapsePeriodically lapses due reservations at once, then every interval,
// until ctx ends.
func lapsePeriodically(ctx context.Context, tasks *projects.Service, log zerolog.Logger, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := tasks.LapseDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn().Err(err).Msg("lapse of due reservations failed; will retry")
		case n > 0:
			log.Info().Int("reservations", n).Msg("lapsed reservations past their deadline; their tasks reopened")
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
