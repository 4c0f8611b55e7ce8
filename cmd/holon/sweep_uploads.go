package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/news"
)

// sweepUploadsPeriodically removes, at once and then every interval until
// ctx ends, the images uploaded for a status that no status carried
// within news.UploadTTL: a client that uploads and never posts leaves
// nothing behind for long. Idempotent, as the other sweeps.
func sweepUploadsPeriodically(ctx context.Context, notes *news.Service, log zerolog.Logger, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		n, err := notes.SweepUploads(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn().Err(err).Msg("sweep of unattached uploads failed; will retry")
		case n > 0:
			log.Info().Int64("uploads", n).Msg("swept uploads no status carried")
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
