package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/membership"
)

// sweepEvery is how often serve removes expired sessions and log-in
// failures past the rate limit's window. Sweeping is idempotent, so every
// process sharing a database may do it on its own schedule.
const sweepEvery = time.Hour

// sweepPeriodically sweeps at once, then every interval, until ctx ends.
func sweepPeriodically(ctx context.Context, members *membership.Service, log zerolog.Logger, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		swept, err := members.Sweep(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn().Err(err).Msg("sweep of expired sessions and old log-in failures failed; will retry")
		case swept.Sessions > 0 || swept.LoginFailures > 0 || swept.DeletedKeys > 0:
			log.Info().Int64("sessions", swept.Sessions).Int64("login_failures", swept.LoginFailures).
				Int64("deleted_keys", swept.DeletedKeys).Msg("swept expired sessions, old log-in failures and keys of deleted actors")
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
