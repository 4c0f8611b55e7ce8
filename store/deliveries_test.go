package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func newDelivery(activity, inbox string, due time.Time) store.Delivery {
	return store.Delivery{ID: uuid.Must(uuid.NewV7()), ActivityID: activity, Sender: "ada", Inbox: inbox,
		Host: "peer.example", Body: `{"id":"` + activity + `"}`, State: store.DeliveryPending,
		NextAttemptAt: due, CreatedAt: due}
}

func TestDeliveries_EnqueueTwiceKeepsOneRow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		for range 2 {
			ds := []store.Delivery{
				newDelivery("https://h/activities/1", "https://peer.example/inbox", now),
				newDelivery("https://h/activities/1", "https://other.example/inbox", now),
			}
			if err := db.InTx(ctx, func(tx store.Tx) error { return tx.Deliveries().Enqueue(ctx, ds) }); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Deliveries().ByActivity(ctx, "https://h/activities/1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("%d rows, want 2", len(got))
		}
		if got[1].Body != `{"id":"https://h/activities/1"}` {
			t.Fatalf("body %q", got[1].Body)
		}
	})
}

func TestDeliveries_ClaimTakesDueUnheldPendingOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		due := newDelivery("a/due", "https://p/inbox", now.Add(-time.Second))
		later := newDelivery("a/later", "https://p/inbox", now.Add(time.Minute))
		done := newDelivery("a/done", "https://p/inbox", now.Add(-time.Hour))
		done.State = store.DeliveryDelivered
		if err := db.Deliveries().Enqueue(ctx, []store.Delivery{due, later, done}); err != nil {
			t.Fatal(err)
		}
		claimed, err := db.Deliveries().Claim(ctx, now, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(claimed) != 1 || claimed[0].ActivityID != "a/due" || claimed[0].LockedUntil == nil {
			t.Fatalf("claimed %+v", claimed)
		}
		if again, _ := db.Deliveries().Claim(ctx, now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
			t.Fatalf("a held delivery was claimed again: %+v", again)
		}
		// The holder died: its hold expires and the delivery goes to another.
		again, err := db.Deliveries().Claim(ctx, now.Add(61*time.Second), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 2 || again[0].ActivityID != "a/due" || again[1].ActivityID != "a/later" {
			t.Fatalf("after the hold expired: %+v", again)
		}
	})
}

func TestDeliveries_FinishAfterLostClaimWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		if err := db.Deliveries().Enqueue(ctx, []store.Delivery{newDelivery("a/1", "https://p/inbox", now)}); err != nil {
			t.Fatal(err)
		}
		first, _ := db.Deliveries().Claim(ctx, now, time.Minute, 1)
		second, _ := db.Deliveries().Claim(ctx, now.Add(2*time.Minute), time.Minute, 1)
		if len(first) != 1 || len(second) != 1 {
			t.Fatalf("claims %d, %d", len(first), len(second))
		}
		second[0].State, second[0].Attempts = store.DeliveryDelivered, 1
		if err := db.Deliveries().Finish(ctx, &second[0]); err != nil {
			t.Fatal(err)
		}
		first[0].State, first[0].Attempts, first[0].LastError = store.DeliveryPending, 1, "late"
		if err := db.Deliveries().Finish(ctx, &first[0]); !errors.Is(err, store.ErrClaimLost) {
			t.Fatalf("stale finish: %v, want ErrClaimLost", err)
		}
		got, _ := db.Deliveries().ByID(ctx, first[0].ID)
		if got.State != store.DeliveryDelivered || got.LastError != "" || got.LockedUntil != nil {
			t.Fatalf("row after stale finish: %+v", got)
		}
	})
}

// Claims racing from many connections never hand one delivery to two of
// them: on PostgreSQL through SKIP LOCKED, on SQLite through its single
// writer.
func TestDeliveries_ConcurrentClaimsNeverOverlap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		const total = 300
		var ds []store.Delivery
		for i := range total {
			ds = append(ds, newDelivery(fmt.Sprintf("a/%d", i), "https://p/inbox", now))
		}
		if err := db.Deliveries().Enqueue(ctx, ds); err != nil {
			t.Fatal(err)
		}
		var (
			mu    sync.Mutex
			seen  = map[uuid.UUID]int{}
			wg    sync.WaitGroup
			errCh = make(chan error, 8)
		)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := db.Deliveries().Claim(ctx, now, time.Hour, 7)
					if err != nil {
						errCh <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, d := range got {
						seen[d.ID]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errCh)
		for err := range errCh {
			t.Fatal(err)
		}
		if len(seen) != total {
			t.Fatalf("%d deliveries claimed, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("delivery %s claimed %d times", id, n)
			}
		}
	})
}

func TestDeliveryHosts_FailuresHoldProbeAndSuccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		r := db.Deliveries()
		for want := 1; want <= 3; want++ {
			if n, err := r.HostFailed(ctx, "down.example", now); err != nil || n != want {
				t.Fatalf("failure %d: got %d, %v", want, n, err)
			}
		}
		if err := r.HoldHost(ctx, "down.example", now.Add(time.Hour), now); err != nil {
			t.Fatal(err)
		}
		if err := r.HoldHost(ctx, "down.example", now.Add(time.Minute), now); err != nil {
			t.Fatal(err)
		}
		h, err := r.Host(ctx, "down.example")
		if err != nil || h.ConsecutiveFailures != 3 || h.OpenUntil == nil || !h.OpenUntil.Equal(now.Add(time.Hour)) {
			t.Fatalf("a shorter hold replaced a longer one: %+v, %v", h, err)
		}
		if ok, err := r.TakeProbe(ctx, "down.example", now, now.Add(time.Minute)); err != nil || ok {
			t.Fatalf("probe taken while open: %t, %v", ok, err)
		}
		later := now.Add(time.Hour)
		if ok, err := r.TakeProbe(ctx, "down.example", later, later.Add(time.Minute)); err != nil || !ok {
			t.Fatalf("probe refused once the circuit's time is up: %t, %v", ok, err)
		}
		if ok, _ := r.TakeProbe(ctx, "down.example", later, later.Add(time.Minute)); ok {
			t.Fatal("a second worker took the same probe")
		}
		if err := r.HostSucceeded(ctx, "down.example", later); err != nil {
			t.Fatal(err)
		}
		hosts, err := r.Hosts(ctx, []string{"down.example", "never.example"})
		if err != nil {
			t.Fatal(err)
		}
		if h := hosts["down.example"]; h.ConsecutiveFailures != 0 || h.OpenUntil != nil {
			t.Fatalf("after a success: %+v", h)
		}
		if _, ok := hosts["never.example"]; ok {
			t.Fatal("a host that never failed has a record")
		}
	})
}
