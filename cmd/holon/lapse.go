package main

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/projects"
)

// lapseEvery is the longest serve sleeps between two looks at the
// reservations whose deadline has passed; it wakes sooner for the next
// deadline it knows of, so a reservation lapses at its deadline (a review
// after the deadline treats it as lapsed at once).
const lapseEvery = 30 * time.Second

// lapsePeriodically lapses due reservations at once, then at each known
// deadline or every interval, until ctx ends.
func lapsePeriodically(ctx context.Context, tasks *projects.Service, log zerolog.Logger, every time.Duration) {
	atDeadlines(ctx, dueWork{run: tasks.LapseDue, next: tasks.NextLapse, sooner: tasks.Lapses(), what: "reservations",
		done:   "lapsed reservations past their deadline; their tasks reopened",
		failed: "lapse of due reservations failed; will retry"}, log, every)
}
