package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/holon-network/holon/store"
)

// processing watches the activities received by the server, in its
// database (Holon has no metrics endpoint): how many wait to be processed
// and how fast its Processor takes them.
type processing struct {
	db     *store.DB
	before map[string]int
	began  time.Time

	mu   sync.Mutex
	peak int // most activities seen pending at once
	err  error
	stop context.CancelFunc
	done chan struct{}
}

// pollEvery is how often the database is asked; each ask is one indexed
// count, light next to the load.
const pollEvery = 250 * time.Millisecond

// watchProcessing starts counting; stop it with drain.
func watchProcessing(ctx context.Context, db *store.DB) (*processing, error) {
	before, err := db.Inbox().CountByState(ctx)
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(ctx)
	p := &processing{db: db, before: before, began: time.Now(), stop: stop, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(pollEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			counts, err := db.Inbox().CountByState(ctx)
			p.mu.Lock()
			if err != nil && ctx.Err() == nil {
				p.err = err
			}
			p.peak = max(p.peak, counts[store.InboxPending])
			p.mu.Unlock()
		}
	}()
	return p, nil
}

func finished(counts map[string]int) int {
	return counts[store.InboxDone] + counts[store.InboxIgnored] + counts[store.InboxFailed]
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// drain waits, up to timeout, until no received activity is pending, and
// says how long the Processor took. loadEnd is when the last answer came.
func (p *processing) drain(ctx context.Context, loadEnd time.Time, timeout time.Duration) string {
	deadline := time.Now().Add(timeout)
	var counts map[string]int
	var err error
	for {
		counts, err = p.db.Inbox().CountByState(ctx)
		if err != nil || counts[store.InboxPending] == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	drained := time.Now()
	p.stop()
	<-p.done
	if err == nil {
		err = p.err
	}
	if err != nil {
		return "processing: cannot count received activities: " + err.Error()
	}
	received := total(counts) - total(p.before)
	processed := finished(counts) - finished(p.before)
	var states []string
	for _, s := range slices.Sorted(maps.Keys(counts)) {
		states = append(states, fmt.Sprintf("%s %d", s, counts[s]))
	}
	elapsed := drained.Sub(p.began)
	status := fmt.Sprintf("all processed %.2f s after the run began (%.0f activities/s), %.2f s after the last answer",
		elapsed.Seconds(), float64(processed)/elapsed.Seconds(), drained.Sub(loadEnd).Seconds())
	if counts[store.InboxPending] > 0 {
		status = fmt.Sprintf("NOT drained after waiting %s: %d still pending", timeout, counts[store.InboxPending])
	}
	return fmt.Sprintf("processing: %d activities stored by the run, %d processed; %s; backlog peak %d (polled every %s); states now: %s",
		received, processed, status, p.peak, pollEvery, strings.Join(states, ", "))
}
