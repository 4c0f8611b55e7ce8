package federation_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// What a remote actor does through the inbox — follow, like — notifies
// the local person it concerns, written as the activity is processed.
func TestInbox_NotifiesLocalPeople(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home, peer, homeAda, peerAda, follow := adaOnTwoInstances(t, driver)
			acc, err := home.Members.Account(ctx, "ada")
			if err != nil {
				t.Fatal(err)
			}
			note, err := home.News.Post(ctx, acc, news.PostInput{Content: "Open garden on Saturday"})
			if err != nil {
				t.Fatal(err)
			}
			if got := signedPost(t, peer, "ada", home.URL+"/inbox", follow(1)); got != http.StatusAccepted {
				t.Fatalf("Follow: %d", got)
			}
			like := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Like",
				"id": peer.Config.BaseURL() + "/activities/like-1", "actor": peerAda, "object": note.URI}
			if got := signedPost(t, peer, "ada", homeAda+"/inbox", like); got != http.StatusAccepted {
				t.Fatalf("Like: %d", got)
			}
			settle(t, home, peer)
			list, err := home.DB.Notifications().List(ctx, store.NotificationQuery{Account: acc.ID, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, n := range list {
				got = append(got, n.Type+" "+n.ActorURI)
			}
			slices.Sort(got) // the inbox processes the two in either order
			if want := []string{"favourite " + peerAda, "follow " + peerAda}; !slices.Equal(got, want) {
				t.Fatalf("notifications %v, want %v", got, want)
			}
		})
	}
}
