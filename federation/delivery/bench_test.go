package delivery_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// BenchmarkDeliver measures deliveries per second from the queue to a local
// receiver: claim, RSA signature, POST over loopback, outcome recorded. The
// receiver answers 202 without checking signatures, so that the CPU it would
// spend is not counted against the sender. One op is one delivery.
//
//	go test -run '^$' -bench Deliver -benchtime 5000x ./federation/delivery
func BenchmarkDeliver(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, driver)
			clock := core.SystemClock{}
			s := senderOn(b, db, clock)
			rcv := startReceiver(b, "127.0.0.2", sending{actor: s.actor}, clock, nil)
			const chunk = 500
			for start := 0; start < b.N; start += chunk {
				err := db.InTx(ctx, func(tx store.Tx) error {
					for i := start; i < min(start+chunk, b.N); i++ {
						id, body := s.activity(i)
						s.enqueueIn(b, tx, id, body, []string{rcv.inbox}, clock.Now())
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			w := s.worker(clock, 8)
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan struct{})

			b.ResetTimer()
			began := time.Now()
			go func() {
				w.Run(runCtx)
				close(done)
			}()
			// Wait on the receiver first: polling the table would cost the
			// database more than the deliveries do.
			for int(rcv.calls.Load()) < b.N {
				time.Sleep(time.Millisecond)
			}
			for {
				counts, err := db.Deliveries().CountByState(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if counts[store.DeliveryDelivered] == b.N {
					break
				}
				if counts[store.DeliveryPending] == 0 {
					b.Fatalf("deliveries not delivered: %v", counts)
				}
				time.Sleep(2 * time.Millisecond)
			}
			elapsed := time.Since(began)
			b.StopTimer()
			stop()
			<-done
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkEnqueueFanOut measures the cost, inside the publishing
// transaction, of enqueuing one activity (about 1 KiB) to 1,000 inboxes:
// what a post to 10,000 followers over 1,000 shared inboxes adds to it.
//
//	go test -run '^$' -bench EnqueueFanOut ./federation/delivery
func BenchmarkEnqueueFanOut(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, driver)
			s := sending{db: db, actor: "https://holon.example/actors/ada"}
			inboxes := make([]string, 1000)
			for i := range inboxes {
				inboxes[i] = fmt.Sprintf("https://peer%d.example/inbox", i)
			}
			_, body := s.activity(0)
			body = append(body[:len(body)-1], []byte(`,"padding":"`+strings.Repeat("x", 800)+`"}`)...)
			b.ResetTimer()
			for i := range b.N {
				err := db.InTx(ctx, func(tx store.Tx) error {
					return delivery.Enqueue(ctx, tx, fmt.Sprintf("%s/activities/%d", s.actor, i), "ada", body, inboxes, time.Now())
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
