package federation_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// In allowlist mode, a peer not allowed is refused at the inbox (and what
// it sent before the switch is ignored when processed), nothing is fetched
// from it and what was queued for it is dropped. Allowing its domain
// restores federation; a silence then lets it go on, and a suspension
// stops what was received before it.
func TestAllowlist_StopsFederation(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home, peer, homeAda, peerAda, follow := adaOnTwoInstances(t, driver)
			// Received while open, processed once in allowlist mode.
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(1)); got != http.StatusAccepted {
				t.Fatalf("Follow while open: %d", got)
			}
			if err := home.Domains.SetMode(ctx, domains.CommandLine, domains.Allowlist, false); err != nil {
				t.Fatal(err)
			}
			err := home.DB.InTx(ctx, func(tx store.Tx) error {
				return delivery.Enqueue(ctx, tx, home.Config.BaseURL()+"/activities/queued", homeAda,
					[]byte(`{"type":"Note"}`), []string{peer.Config.BaseURL() + "/inbox"}, time.Now())
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := home.Federation.Processor.ProcessDue(ctx); err != nil {
				t.Fatal(err)
			}
			if st, _ := home.Members.FollowState(ctx, peerAda, homeAda); st != "" {
				t.Fatalf("the follow of a peer not allowed was processed: %q", st)
			}
			if counts, _ := home.DB.Inbox().CountByState(ctx); counts[store.InboxIgnored] != 1 {
				t.Fatalf("inbox %v, want the Follow ignored", counts)
			}
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(2)); got != http.StatusForbidden {
				t.Fatalf("Follow in allowlist mode: %d, want 403", got)
			}
			if _, err := home.Federation.Fetcher.Get(ctx, peerAda); !errors.Is(err, fetch.ErrHostRefused) {
				t.Fatalf("fetch from a domain not allowed: %v", err)
			}
			if n, err := home.Federation.Delivery.DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("delivered %d: %v", n, err)
			}
			if counts, _ := home.DB.Deliveries().CountByState(ctx); counts[store.DeliveryDropped] != 1 {
				t.Fatalf("deliveries %v, want the queued one dropped", counts)
			}

			if _, err := home.Domains.Allow(ctx, domains.CommandLine, domains.NewAllow{Domain: "127.0.0.2"}); err != nil {
				t.Fatal(err)
			}
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(3)); got != http.StatusAccepted {
				t.Fatalf("Follow once allowed: %d", got)
			}
			settle(t, home, peer)
			if st, _ := home.Members.FollowState(ctx, peerAda, homeAda); st != membership.FollowAccepted {
				t.Fatalf("follow state %q once allowed", st)
			}
			if _, err := home.Federation.Fetcher.Get(ctx, peerAda); err != nil {
				t.Fatalf("fetch once allowed: %v", err)
			}
			// A silence federates still.
			if _, _, err := home.Domains.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "127.0.0.2", Severity: domains.Silence}); err != nil {
				t.Fatal(err)
			}
			if st, _ := home.Members.FollowState(ctx, peerAda, homeAda); st != membership.FollowAccepted {
				t.Fatalf("a silence ended the follow: %q", st)
			}
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(4)); got != http.StatusAccepted {
				t.Fatalf("Follow from a silenced domain: %d", got)
			}
			if _, err := home.Federation.Fetcher.Get(ctx, peerAda); err != nil {
				t.Fatalf("fetch from a silenced domain: %v", err)
			}
			// Received while silenced, processed once suspended: ignored.
			suspend := domains.Suspend
			if _, err := home.Domains.UpdateBlock(ctx, domains.CommandLine, "127.0.0.2", domains.BlockChange{Severity: &suspend}); err != nil {
				t.Fatal(err)
			}
			if _, err := home.Federation.Processor.ProcessDue(ctx); err != nil {
				t.Fatal(err)
			}
			if counts, _ := home.DB.Inbox().CountByState(ctx); counts[store.InboxIgnored] != 2 {
				t.Fatalf("inbox %v, want the Follow received while silenced ignored", counts)
			}
			if st, _ := home.Members.FollowState(ctx, peerAda, homeAda); st != "" {
				t.Fatalf("follow %q after the suspension", st)
			}
		})
	}
}
