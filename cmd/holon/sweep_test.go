package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// syncBuffer lets the sweeper write logs while the test reads them.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSweepPeriodically_RemovesExpiredSessionsUntilStopped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// A session opened 40 days ago has expired (sessions last 30).
		past := membership.New(db, fixedClock{time.Now().Add(-40 * 24 * time.Hour)}, membership.Policy{})
		acc, err := past.CreateAccount(t.Context(), membership.NewAccount{Username: "alice", Email: "alice@example.org", Password: goodPassword}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := past.StartSession(t.Context(), acc); err != nil {
			t.Fatal(err)
		}

		var logs syncBuffer
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			sweepPeriodically(ctx, membership.New(db, core.SystemClock{}, membership.Policy{}), zerolog.New(&logs), 10*time.Millisecond)
		}()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(logs.String(), `"sessions":1`) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("sweepPeriodically did not return after its context ended")
		}
		if got := logs.String(); strings.Count(got, "swept expired sessions") != 1 || !strings.Contains(got, `"sessions":1`) {
			t.Errorf("want one sweep of one session in the logs, got:\n%s", got)
		}
	})
}
