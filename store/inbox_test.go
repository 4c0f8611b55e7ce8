package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// Claims racing from many connections never hand one received activity to
// two of them, and take the oldest due first.
func TestInbox_ConcurrentClaimsNeverOverlap(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		const total = 300
		for i := range total {
			at := now.Add(-time.Duration(total-i) * time.Second) // the first is the oldest due
			a := store.InboxActivity{ID: uuid.Must(uuid.NewV7()), ActivityID: fmt.Sprintf("https://peer.example/a/%d", i),
				Type: "Like", Actor: "https://peer.example/users/ada", Raw: `{}`, State: store.InboxPending,
				ReceivedAt: at, NextAttemptAt: at}
			if err := db.Inbox().Add(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		first, err := db.Inbox().ClaimDue(ctx, now, time.Hour, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range first {
			if want := fmt.Sprintf("https://peer.example/a/%d", i); a.ActivityID != want || a.LockedUntil == nil || a.Raw != `{}` {
				t.Fatalf("claim %d: %+v, want %s, held, whole", i, a, want)
			}
		}
		var (
			mu    sync.Mutex
			seen  = map[uuid.UUID]int{}
			wg    sync.WaitGroup
			errCh = make(chan error, 8)
		)
		for _, a := range first {
			seen[a.ID]++
		}
		for range 8 {
			wg.Go(func() {
				for {
					got, err := db.Inbox().ClaimDue(ctx, now, time.Hour, 7)
					if err != nil {
						errCh <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, a := range got {
						seen[a.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errCh)
		for err := range errCh {
			t.Fatal(err)
		}
		if len(seen) != total {
			t.Fatalf("%d activities claimed, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("activity %s claimed %d times", id, n)
			}
		}
		// Held ones are not claimed again until the hold ends.
		if got, err := db.Inbox().ClaimDue(ctx, now.Add(time.Minute), time.Hour, 10); err != nil || len(got) != 0 {
			t.Fatalf("claim during the hold: %d, %v", len(got), err)
		}
		if got, err := db.Inbox().ClaimDue(ctx, now.Add(2*time.Hour), time.Hour, 10); err != nil || len(got) != 10 {
			t.Fatalf("claim after the hold: %d, %v", len(got), err)
		}
	})
}
