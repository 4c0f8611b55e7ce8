package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/news"
)

// pollsEvery is the longest serve sleeps between two looks at the local
// polls that have ended; it wakes sooner for the next end it knows of.
const pollsEvery = 30 * time.Second

// endPollsPeriodically sends the final counts of the local polls that have
// ended, at once, then at each known end or every interval, until ctx
// ends.
func endPollsPeriodically(ctx context.Context, notes *news.Service, log zerolog.Logger, every time.Duration) {
	atDeadlines(ctx, dueWork{run: notes.PublishEndedPolls, next: notes.NextPollEnd, sooner: notes.PollEnds(), what: "polls",
		done:   "sent the final counts of ended polls",
		failed: "sending the final counts of ended polls failed; will retry"}, log, every)
}
