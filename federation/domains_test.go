package federation_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// Once home blocks the peer's domain, the follow between them is gone, the
// peer's activities are refused at home's inbox (before any key is
// fetched) and stored nowhere, home fetches nothing from the peer and
// drops what it had queued for it. Unblocking restores federation.
func TestDomainBlock_StopsFederationBothWays(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home, peer, homeAda, peerAda, follow := adaOnTwoInstances(t, driver)
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(1)); got != http.StatusAccepted {
				t.Fatalf("Follow before the block: %d", got)
			}
			settle(t, home, peer)
			if st, _ := home.Members.FollowState(ctx, peerAda, homeAda); st != membership.FollowAccepted {
				t.Fatalf("follow state %q", st)
			}
			// Something queued for the peer before the block.
			err := home.DB.InTx(ctx, func(tx store.Tx) error {
				return delivery.Enqueue(ctx, tx, home.Config.BaseURL()+"/activities/queued", homeAda,
					[]byte(`{"type":"Note"}`), []string{peer.Config.BaseURL() + "/inbox"}, time.Now())
			})
			if err != nil {
				t.Fatal(err)
			}

			_, severed, err := home.Domains.Block(ctx, domains.CommandLine, domains.NewBlock{Domain: "127.0.0.2", PrivateComment: "test"})
			if err != nil || severed != 1 {
				t.Fatalf("block: %d follows ended, %v", severed, err)
			}
			if st, _ := home.Members.FollowState(ctx, peerAda, homeAda); st != "" {
				t.Fatalf("follow still %q after the block", st)
			}
			before, _ := home.DB.Inbox().CountByState(ctx)
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(2)); got != http.StatusForbidden {
				t.Fatalf("Follow after the block: %d, want 403", got)
			}
			if got := signedPost(t, peer, "ada", home.URL+"/actors/ada/inbox", follow(3)); got != http.StatusForbidden {
				t.Fatalf("Follow to the personal inbox after the block: %d, want 403", got)
			}
			if after, _ := home.DB.Inbox().CountByState(ctx); !equalCounts(before, after) {
				t.Fatalf("inbox changed: %v → %v", before, after)
			}
			if _, err := home.Federation.Fetcher.Get(ctx, peerAda); !errors.Is(err, fetch.ErrHostRefused) {
				t.Fatalf("fetch from a blocked domain: %v", err)
			}
			if _, err := home.Federation.Fetcher.WebFinger(ctx, "ada@"+peer.Config.Server.Host); !errors.Is(err, fetch.ErrHostRefused) {
				t.Fatalf("webfinger on a blocked domain: %v", err)
			}
			peerInbox, _ := peer.DB.Inbox().CountByState(ctx)
			if n, err := home.Federation.Delivery.DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("delivered %d: %v", n, err)
			}
			counts, _ := home.DB.Deliveries().CountByState(ctx)
			if counts[store.DeliveryDropped] != 1 {
				t.Fatalf("deliveries %v, want the queued one dropped", counts)
			}
			if after, _ := peer.DB.Inbox().CountByState(ctx); !equalCounts(peerInbox, after) {
				t.Fatalf("the peer received something: %v → %v", peerInbox, after)
			}

			if err := home.Domains.Unblock(ctx, domains.CommandLine, "127.0.0.2"); err != nil {
				t.Fatal(err)
			}
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(4)); got != http.StatusAccepted {
				t.Fatalf("Follow after unblocking: %d", got)
			}
		})
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// adaOnTwoInstances starts home (127.0.0.1) and peer (127.0.0.2) on
// driver, each with an account ada, and returns both adas' ids and the
// n-th Follow of home's ada by peer's, as peer would send it.
func adaOnTwoInstances(t *testing.T, driver store.Driver) (home, peer *webtest.Instance, homeAda, peerAda string, follow func(n int) map[string]any) {
	t.Helper()
	home = webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
	peer = webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
	for _, in := range []*webtest.Instance{home, peer} {
		if _, err := in.Members.CreateAccount(context.Background(), membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
			t.Fatal(err)
		}
	}
	homeAda = home.Config.BaseURL() + "/actors/ada"
	peerAda = peer.Config.BaseURL() + "/actors/ada"
	follow = func(n int) map[string]any {
		return map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       peer.Config.BaseURL() + "/activities/follow-" + strconv.Itoa(n),
			"type":     "Follow", "actor": peerAda, "object": homeAda,
		}
	}
	return home, peer, homeAda, peerAda, follow
}
