package delivery_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// TestDeliver_OutcomeOfEachAnswer sends one activity to a receiver that
// answers with the given statuses in turn, moving the clock to each retry.
func TestDeliver_OutcomeOfEachAnswer(t *testing.T) {
	ra := func(v string) map[string]string { return map[string]string{"Retry-After": v} }
	cases := []struct {
		name       string
		replies    []reply
		state      string
		attempts   int
		lastStatus int
		lastError  string        // a part of it
		firstWait  time.Duration // least wait before the first retry
	}{
		{name: "202 delivered once", replies: []reply{{status: 202}},
			state: store.DeliveryDelivered, attempts: 1, lastStatus: 202},
		{name: "500 then 202 retried and delivered", replies: []reply{{status: 500}, {status: 202}},
			state: store.DeliveryDelivered, attempts: 2, lastStatus: 202, firstWait: 20 * time.Second},
		{name: "502, 503 then 200", replies: []reply{{status: 502}, {status: 503}, {status: 200}},
			state: store.DeliveryDelivered, attempts: 3, lastStatus: 200},
		{name: "404 dropped", replies: []reply{{status: 404}},
			state: store.DeliveryDropped, attempts: 1, lastStatus: 404, lastError: "404 Not Found"},
		{name: "410 dropped", replies: []reply{{status: 410}},
			state: store.DeliveryDropped, attempts: 1, lastStatus: 410, lastError: "gone"},
		{name: "401 dropped", replies: []reply{{status: 401}},
			state: store.DeliveryDropped, attempts: 1, lastStatus: 401},
		{name: "408 retried", replies: []reply{{status: 408}, {status: 202}},
			state: store.DeliveryDelivered, attempts: 2, lastStatus: 202},
		{name: "429 with Retry-After 120 waits 120 s", replies: []reply{{status: 429, header: ra("120")}, {status: 202}},
			state: store.DeliveryDelivered, attempts: 2, lastStatus: 202, firstWait: 120 * time.Second},
		{name: "503 with a Retry-After date waits until then", replies: []reply{{status: 503, header: ra("DATE+10m")}, {status: 202}},
			state: store.DeliveryDelivered, attempts: 2, lastStatus: 202, firstWait: 10*time.Minute - time.Second},
		{name: "429 with a huge Retry-After is capped", replies: []reply{{status: 429, header: ra("9999999")}, {status: 202}},
			state: store.DeliveryDelivered, attempts: 2, lastStatus: 202, firstWait: delivery.MaxRetryAfter},
		{name: "redirect not followed", replies: []reply{{status: 308, header: map[string]string{"Location": "http://127.0.0.1:1/elsewhere"}}},
			state: store.DeliveryDropped, attempts: 1, lastStatus: 308, lastError: "redirects are not followed"},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := newClock()
		s := senderOn(t, db, clock)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t0 := clock.Now()
				rcv := startReceiver(t, "127.0.0.2", s, clock, func(n int) reply {
					r := tc.replies[min(n, len(tc.replies))-1]
					if v := r.header["Retry-After"]; strings.HasPrefix(v, "DATE+") {
						d, _ := time.ParseDuration(strings.TrimPrefix(v, "DATE+"))
						r.header = map[string]string{"Retry-After": t0.Add(d).Format(http.TimeFormat)}
					}
					return r
				})
				w := s.worker(clock, 2)
				id, body := s.activity(0)
				s.enqueue(t, id, body, []string{rcv.inbox}, t0)

				round(t, w)
				if d := the(t, db, id); tc.firstWait > 0 && d.State == store.DeliveryPending {
					if wait := d.NextAttemptAt.Sub(t0); wait < tc.firstWait {
						t.Fatalf("first retry after %s, want at least %s", wait, tc.firstWait)
					}
				}
				for range 10 {
					d := the(t, db, id)
					if d.State != store.DeliveryPending {
						break
					}
					// Not a moment early…
					posts := rcv.postsOf(id)
					clock.Set(d.NextAttemptAt.Add(-time.Second))
					round(t, w)
					if rcv.postsOf(id) != posts {
						t.Fatalf("retried before %s", d.NextAttemptAt)
					}
					// …then on time.
					clock.Set(d.NextAttemptAt)
					round(t, w)
				}
				// Nothing more comes, however long we wait.
				clock.Advance(3 * 24 * time.Hour)
				round(t, w)

				d := the(t, db, id)
				if d.State != tc.state || d.Attempts != tc.attempts || d.LastStatus != tc.lastStatus ||
					!strings.Contains(d.LastError, tc.lastError) {
					t.Fatalf("got %s after %d attempts, last %d %q; want %s after %d, last %d %q",
						d.State, d.Attempts, d.LastStatus, d.LastError, tc.state, tc.attempts, tc.lastStatus, tc.lastError)
				}
				if got := rcv.postsOf(id); got != tc.attempts {
					t.Fatalf("the receiver got %d POSTs, want %d", got, tc.attempts)
				}
				if rcv.bodyOf(id) != string(body) {
					t.Fatalf("the receiver got %q, want the enqueued bytes %q", rcv.bodyOf(id), body)
				}
				if d.State != store.DeliveryPending && d.FinishedAt == nil {
					t.Fatal("a finished delivery has no finish time")
				}
			})
		}
	})
}

func TestEnqueue_DuplicatesDeliverOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := newClock()
		s := senderOn(t, db, clock)
		rcv := startReceiver(t, "127.0.0.2", s, clock, nil)
		id, body := s.activity(0)
		shouting := strings.Replace(rcv.inbox, "http://", "HTTP://", 1)
		s.enqueue(t, id, body, []string{rcv.inbox, rcv.inbox, shouting, rcv.inbox + "#frag", "not a url", "ftp://x/inbox"}, clock.Now())
		s.enqueue(t, id, body, []string{rcv.inbox}, clock.Now()) // the caller ran twice

		// A transaction that rolls back publishes nothing.
		ghost, ghostBody := s.activity(1)
		rollback := errors.New("the change was refused")
		err := db.InTx(ctx, func(tx store.Tx) error {
			if err := delivery.Enqueue(ctx, tx, ghost, "ada", ghostBody, []string{rcv.inbox}, clock.Now()); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}

		w := s.worker(clock, 4)
		for round(t, w) > 0 {
		}
		ds, err := db.Deliveries().ByActivity(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		for _, d := range ds {
			states[d.State]++
			if d.State == store.DeliveryDropped && d.LastError == "" {
				t.Errorf("dropped without a reason: %+v", d)
			}
		}
		if states[store.DeliveryDelivered] != 1 || states[store.DeliveryDropped] != 2 || len(ds) != 3 {
			t.Fatalf("deliveries: %v", states)
		}
		if got := rcv.postsOf(id); got != 1 {
			t.Fatalf("POSTed %d times", got)
		}
		if rcv.postsOf(ghost) != 0 {
			t.Fatal("a rolled-back activity was delivered")
		}
		if n, _ := db.Deliveries().ByActivity(ctx, ghost); len(n) != 0 {
			t.Fatal("a rolled-back activity was enqueued")
		}
	})
}

func TestDeliver_HostDownOpensCircuitThenRecovers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := newClock()
		s := senderOn(t, db, clock)
		// A port that refuses connections, for now.
		ln, err := net.Listen("tcp", "127.0.0.3:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		host, inbox := addr, "http://"+addr+"/inbox"

		const activities, workers = 12, 2
		var ids []string
		for i := range activities {
			id, body := s.activity(i)
			s.enqueue(t, id, body, []string{inbox}, clock.Now())
			ids = append(ids, id)
		}
		attempts := func() (total int) {
			for _, id := range ids {
				total += the(t, db, id).Attempts
			}
			return total
		}
		w := s.worker(clock, workers)
		for round(t, w) > 0 {
		}
		h, err := db.Deliveries().Host(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		if h.ConsecutiveFailures < delivery.CircuitThreshold || h.OpenUntil == nil || !h.OpenUntil.After(clock.Now()) {
			t.Fatalf("circuit not open after the host failed: %+v", h)
		}
		tried := attempts()
		if tried > delivery.CircuitThreshold+workers-1 {
			t.Fatalf("%d attempts on a failing host: the circuit did not stop them", tried)
		}
		for _, id := range ids {
			if d := the(t, db, id); d.State != store.DeliveryPending || d.LastError == "" && d.Attempts > 0 {
				t.Fatalf("after a refused connection: %+v", d)
			}
		}

		// The first retries fall due while the circuit is open: they wait.
		clock.Advance(40 * time.Second)
		for round(t, w) > 0 {
		}
		if got := attempts(); got != tried {
			t.Fatalf("%d attempts while the circuit was open, want %d", got, tried)
		}

		// The host comes back on the same address.
		ln, err = net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s again: %v", addr, err)
		}
		rcv := serveReceiver(t, ln, s, clock, nil)
		for i := 0; ; i++ {
			at, ok := nextDue(t, db)
			if !ok {
				break
			}
			if i > 20 {
				t.Fatal("deliveries still pending after 20 rounds")
			}
			clock.Set(at)
			for round(t, w) > 0 {
			}
		}
		for _, id := range ids {
			if d := the(t, db, id); d.State != store.DeliveryDelivered || rcv.postsOf(id) != 1 {
				t.Fatalf("%s: %s, POSTed %d times", id, d.State, rcv.postsOf(id))
			}
		}
		h, err = db.Deliveries().Host(ctx, host)
		if err != nil || h.ConsecutiveFailures != 0 || h.OpenUntil != nil {
			t.Fatalf("circuit not closed after a success: %+v, %v", h, err)
		}
	})
}

func TestDeliver_FailsAfterMaxAttempts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := newClock()
		t0 := clock.Now()
		s := senderOn(t, db, clock)
		rcv := startReceiver(t, "127.0.0.2", s, clock, func(int) reply { return reply{status: 500} })
		id, body := s.activity(0)
		s.enqueue(t, id, body, []string{rcv.inbox}, t0)
		w := s.worker(clock, 1)
		var first time.Duration
		for i := 0; ; i++ {
			round(t, w)
			d := the(t, db, id)
			if i == 0 {
				first = d.NextAttemptAt.Sub(t0)
			}
			if d.State != store.DeliveryPending {
				break
			}
			if i > 3*delivery.MaxAttempts {
				t.Fatalf("still pending after %d rounds: %+v", i, d)
			}
			clock.Set(d.NextAttemptAt)
		}
		d := the(t, db, id)
		if d.State != store.DeliveryFailed || d.Attempts != delivery.MaxAttempts || d.LastStatus != 500 {
			t.Fatalf("got %s after %d attempts (last %d), want failed after %d", d.State, d.Attempts, d.LastStatus, delivery.MaxAttempts)
		}
		if got := rcv.postsOf(id); got != delivery.MaxAttempts {
			t.Fatalf("%d POSTs, want %d", got, delivery.MaxAttempts)
		}
		if first <= 0 || first > time.Minute {
			t.Fatalf("first retry after %s, want within a minute", first)
		}
		if span := d.FinishedAt.Sub(t0); span < 36*time.Hour || span > 60*time.Hour {
			t.Fatalf("gave up after %s, want about two days", span)
		}
	})
}

// A worker that claims deliveries and dies holds them only until its hold
// expires; then another delivers them, once, and the dead worker's late
// outcome is refused.
func TestDeliver_ClaimOfADeadWorkerExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := newClock()
		s := senderOn(t, db, clock)
		rcv := startReceiver(t, "127.0.0.2", s, clock, nil)
		id, body := s.activity(0)
		s.enqueue(t, id, body, []string{rcv.inbox}, clock.Now())

		const deadHold = 5 * time.Minute
		dead, err := db.Deliveries().Claim(ctx, clock.Now(), deadHold, 10)
		if err != nil || len(dead) != 1 {
			t.Fatalf("dead worker's claim: %d, %v", len(dead), err)
		}
		w := s.worker(clock, 2)
		if n := round(t, w); n != 0 || rcv.postsOf(id) != 0 {
			t.Fatalf("a held delivery was taken: %d handled, %d POSTs", n, rcv.postsOf(id))
		}
		clock.Advance(deadHold + time.Second)
		if n := round(t, w); n != 1 {
			t.Fatalf("%d handled after the hold expired", n)
		}
		if d := the(t, db, id); d.State != store.DeliveryDelivered || rcv.postsOf(id) != 1 {
			t.Fatalf("%s, %d POSTs", d.State, rcv.postsOf(id))
		}
		dead[0].State, dead[0].Attempts, dead[0].LastError = store.DeliveryPending, 1, "connection reset"
		if err := db.Deliveries().Finish(ctx, &dead[0]); !errors.Is(err, store.ErrClaimLost) {
			t.Fatalf("late outcome of the dead worker: %v, want ErrClaimLost", err)
		}
		if d := the(t, db, id); d.State != store.DeliveryDelivered {
			t.Fatalf("the dead worker's outcome overwrote the delivery: %+v", d)
		}
	})
}

func TestDeliver_PrivateAddressesRefused(t *testing.T) {
	hits := atomic.Int32{}
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer tlsSrv.Close()
	_, port, _ := net.SplitHostPort(tlsSrv.Listener.Addr().String())
	cases := []struct {
		name, inbox, reason string
	}{
		{"loopback address", "https://127.0.0.1:" + port + "/inbox", "address is not public"},
		{"name of a loopback address", "https://localhost:" + port + "/inbox", "address is not public"},
		{"private address", "https://10.0.0.1:" + port + "/inbox", "address is not public"},
		{"link-local (cloud metadata)", "https://169.254.169.254/inbox", "address is not public"},
		{"plain http", "http://127.0.0.1:" + port + "/inbox", "the scheme must be https"},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := newClock()
		s := senderOn(t, db, clock)
		w := delivery.New(db, s.members, clock, zerolog.Nop(), delivery.Options{Workers: 2, Timeout: 2 * time.Second})
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				id, body := s.activity(0)
				s.enqueue(t, id, body, []string{tc.inbox}, clock.Now())
				round(t, w)
				d := the(t, db, id)
				if d.State != store.DeliveryDropped || !strings.Contains(d.LastError, tc.reason) {
					t.Fatalf("got %s %q, want dropped for %q", d.State, d.LastError, tc.reason)
				}
			})
		}
		if hits.Load() != 0 {
			t.Fatalf("%d requests reached the private server", hits.Load())
		}
	})
}

// Two workers, as two processes would, each with its own connections to
// one database, deliver every job exactly once.
func TestDeliver_TwoWorkersOnOneDatabaseDeliverOnce(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			driver, dsn := storetest.DSN(t, driver)
			var dbs []*store.DB
			for range 2 {
				db, err := store.Open(ctx, driver, dsn, 0)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				dbs = append(dbs, db)
			}
			if _, err := dbs[0].Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			clock := newClock()
			s := senderOn(t, dbs[0], clock)
			rcvs := []*receiver{
				startReceiver(t, "127.0.0.2", s, clock, nil),
				startReceiver(t, "127.0.0.3", s, clock, nil),
			}
			const activities = 100 // × 2 inboxes = 200 jobs
			var ids []string
			for i := range activities {
				id, body := s.activity(i)
				s.enqueue(t, id, body, []string{rcvs[0].inbox, rcvs[1].inbox}, clock.Now())
				ids = append(ids, id)
			}
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			for _, db := range dbs {
				w := sending{db: db, members: s.members}.worker(clock, 4)
				go func() {
					w.Run(runCtx)
					done <- struct{}{}
				}()
				w.Wake()
			}
			deadline := time.Now().Add(60 * time.Second)
			for {
				counts, err := dbs[1].Deliveries().CountByState(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if counts[store.DeliveryDelivered] == 2*activities {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("not all delivered in time: %v", counts)
				}
				time.Sleep(20 * time.Millisecond)
			}
			stop()
			<-done
			<-done
			for _, id := range ids {
				for _, r := range rcvs {
					if n := r.postsOf(id); n != 1 {
						t.Fatalf("%s POSTed %d times to %s", id, n, r.inbox)
					}
				}
			}
		})
	}
}

// A worker that stops (a graceful shutdown) gives back what it had not
// finished, without counting an attempt: the next worker delivers it all.
func TestRun_StopGivesBackUnfinishedDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := newClock()
		s := senderOn(t, db, clock)
		release := make(chan struct{})
		arrived := make(chan struct{}, 1)
		rcv := startReceiver(t, "127.0.0.2", s, clock, func(n int) reply {
			if n == 1 {
				arrived <- struct{}{}
				<-release // the first POST hangs until the worker has stopped
			}
			return reply{status: http.StatusAccepted}
		})
		defer func() {
			select {
			case <-release:
			default:
				close(release)
			}
		}()
		var ids []string
		for i := range 6 {
			id, body := s.activity(i)
			s.enqueue(t, id, body, []string{rcv.inbox}, clock.Now())
			ids = append(ids, id)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		w := s.worker(clock, 1)
		go func() {
			w.Run(runCtx)
			close(done)
		}()
		<-arrived
		stop()
		<-done
		close(release)
		for _, id := range ids {
			d := the(t, db, id)
			if d.State != store.DeliveryPending || d.Attempts != 0 || d.LockedUntil != nil {
				t.Fatalf("after the stop: %s, %d attempts, held %v", d.State, d.Attempts, d.LockedUntil)
			}
		}
		next := s.worker(clock, 2)
		for round(t, next) > 0 {
		}
		for _, id := range ids {
			if d := the(t, db, id); d.State != store.DeliveryDelivered || rcv.postsOf(id) == 0 {
				t.Fatalf("%s: %s, %d POSTs", id, d.State, rcv.postsOf(id))
			}
		}
	})
}

// Options.FirstRetry starts the retry schedule, and Options.ClockSkew with
// Options.Timeout sizes the claim's hold: what makes a crashed process's
// deliveries come back soon in tests, and stay safely held in production.
func TestOptions_FirstRetryAndHoldFollowTheOptions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := newClock()
		t0 := clock.Now()
		s := senderOn(t, db, clock)
		id, body := s.activity(0)
		var lockedFor time.Duration
		rcv := startReceiver(t, "127.0.0.2", s, clock, func(int) reply {
			// Read while the worker holds its claim.
			if d := the(t, db, id); d.LockedUntil != nil {
				lockedFor = d.LockedUntil.Sub(t0)
			}
			return reply{status: 500}
		})
		s.enqueue(t, id, body, []string{rcv.inbox}, t0)
		w := delivery.New(db, s.members, clock, zerolog.Nop(), delivery.Options{
			AllowPrivate: true, Workers: 1, Timeout: 2 * time.Second, FirstRetry: 3 * time.Second, ClockSkew: time.Second})
		round(t, w)
		if want := 4*2*time.Second + 2*time.Second; lockedFor != want {
			t.Fatalf("claim held for %s, want 4·timeout + 2·skew = %s", lockedFor, want)
		}
		d := the(t, db, id)
		if wait := d.NextAttemptAt.Sub(t0); d.State != store.DeliveryPending || wait < 2400*time.Millisecond || wait > 3600*time.Millisecond {
			t.Fatalf("%s, first retry after %s, want 3s ±20%%", d.State, wait)
		}
		clock.Set(d.NextAttemptAt)
		round(t, w)
		if wait := the(t, db, id).NextAttemptAt.Sub(d.NextAttemptAt); wait < 4800*time.Millisecond || wait > 7200*time.Millisecond {
			t.Fatalf("second retry after %s, want 6s ±20%%", wait)
		}
	})
}
