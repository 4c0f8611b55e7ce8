package federation_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/relays"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// settle delivers what each instance queued and processes what each
// received, until nothing moves: relayed posts take a few hops (author's
// server → relay → subscriber, who fetches the note from its origin).
func settleAll(t *testing.T, ins ...*webtest.Instance) {
	t.Helper()
	ctx := context.Background()
	for range 6 {
		moved := 0
		for _, in := range ins {
			d, err := in.Federation.Delivery.DeliverDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			p, err := in.Federation.Processor.ProcessDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			moved += d + p
		}
		if moved == 0 {
			return
		}
	}
}

func networkHas(t *testing.T, in *webtest.Instance, uri string) bool {
	t.Helper()
	page, err := in.News.Network(context.Background(), nil, "", 40)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range page.Entries {
		if e.Note.URI == uri {
			return true
		}
	}
	return false
}

func relayState(t *testing.T, in *webtest.Instance) map[string]string {
	t.Helper()
	list, err := in.Relays.List(context.Background(), relays.CommandLine)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range list {
		out[r.Inbox] = r.State
	}
	return out
}

// Two instances that do not follow each other subscribe to one relay: a
// public post on one reaches the other's network timeline through it; an
// unlisted one does not; once unsubscribed, nothing comes any more. A
// relay that rejects the subscription stays rejected, and its Announces
// are refused, as are those of a relay nobody subscribed to.
func TestRelay_PostsCrossThroughTheRelay(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			relay := startTestRelay(t, "127.0.0.3", false)
			refuser := startTestRelay(t, "127.0.0.4", true)
			ada, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			zoe, err := peer.Members.CreateAccount(ctx, membership.NewAccount{Username: "zoe", Email: "zoe@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}

			// Posted before home subscribes: never sent to the relay.
			early, err := home.News.Post(ctx, ada, news.PostInput{Content: "The real words"})
			if err != nil {
				t.Fatal(err)
			}
			// Subscribing: by inbox on home, by actor on peer.
			if r, err := home.Relays.Subscribe(ctx, relays.CommandLine, relay.URL+"/inbox"); err != nil || r.State != relays.Pending {
				t.Fatalf("home subscribes: %+v %v", r, err)
			}
			if r, err := peer.Relays.Subscribe(ctx, relays.CommandLine, relay.actor()); err != nil || r.Inbox != relay.URL+"/inbox" || r.Actor != relay.actor() {
				t.Fatalf("peer subscribes by actor: %+v %v", r, err)
			}
			if _, err := home.Relays.Subscribe(ctx, relays.CommandLine, refuser.URL+"/inbox"); err != nil {
				t.Fatal(err)
			}
			settleAll(t, home, peer)
			follows := relay.receivedOf("Follow")
			if len(follows) != 2 || follows[0]["object"] != "https://www.w3.org/ns/activitystreams#Public" ||
				!strings.HasPrefix(follows[0]["actor"].(string), home.Config.BaseURL()+"/actors/") {
				t.Fatalf("relay got follows %v", follows)
			}
			if got := relayState(t, home); got[relay.URL+"/inbox"] != relays.Accepted || got[refuser.URL+"/inbox"] != relays.Rejected {
				t.Fatalf("home relays %v", got)
			}
			if got := relayState(t, peer); got[relay.URL+"/inbox"] != relays.Accepted {
				t.Fatalf("peer relays %v", got)
			}
			if _, err := home.Relays.Subscribe(ctx, relays.CommandLine, relay.URL+"/inbox"); !errors.Is(err, relays.ErrAlreadySubscribed) {
				t.Fatalf("twice: %v", err)
			}

			// An embedded copy is never trusted: the post is fetched from
			// its origin.
			forged := map[string]any{"id": early.URI, "type": "Note", "attributedTo": home.Config.BaseURL() + "/actors/ada",
				"content": "<p>forged words</p>", "to": []any{"https://www.w3.org/ns/activitystreams#Public"}}
			if got := relay.announceEmbedded(peer.URL+"/inbox", forged); got != 202 {
				t.Fatalf("embedded announce: %d", got)
			}
			settleAll(t, home, peer)
			if got, err := peer.News.ByURI(ctx, early.URI); err != nil || !strings.Contains(got.Content, "The real words") {
				t.Fatalf("embedded announce stored %+v, %v", got.Content, err)
			}

			// A public post crosses; an unlisted one is never sent to the relay.
			public, err := home.News.Post(ctx, ada, news.PostInput{Content: "Seed swap on Saturday"})
			if err != nil {
				t.Fatal(err)
			}
			unlisted, err := home.News.Post(ctx, ada, news.PostInput{Content: "just between us", Visibility: news.Unlisted})
			if err != nil {
				t.Fatal(err)
			}
			settleAll(t, home, peer)
			if !networkHas(t, peer, public.URI) {
				t.Fatalf("peer's network timeline lacks the relayed post %s", public.URI)
			}
			if networkHas(t, peer, unlisted.URI) {
				t.Fatal("the unlisted post was relayed")
			}
			for _, c := range relay.receivedOf("Create") {
				if obj, _ := c["object"].(map[string]any); obj["id"] == unlisted.URI {
					t.Fatal("the unlisted post was sent to the relay")
				}
			}
			// And the other way; home's own post does not come back to it.
			back, err := peer.News.Post(ctx, zoe, news.PostInput{Content: "Bonjour du pair"})
			if err != nil {
				t.Fatal(err)
			}
			settleAll(t, home, peer)
			if !networkHas(t, home, back.URI) {
				t.Fatal("home's network timeline lacks peer's relayed post")
			}

			// Peer unsubscribes: the Undo reaches the relay, and home's posts
			// stop reaching peer.
			list, _ := peer.Relays.List(ctx, relays.CommandLine)
			if err := peer.Relays.Unsubscribe(ctx, relays.CommandLine, list[0].ID); err != nil {
				t.Fatal(err)
			}
			settleAll(t, home, peer)
			if len(relay.receivedOf("Undo")) != 1 || len(relayState(t, peer)) != 0 {
				t.Fatalf("undo: %v, peer relays %v", relay.receivedOf("Undo"), relayState(t, peer))
			}
			after, err := home.News.Post(ctx, ada, news.PostInput{Content: "after the unsubscription"})
			if err != nil {
				t.Fatal(err)
			}
			settleAll(t, home, peer)
			if networkHas(t, peer, after.URI) {
				t.Fatal("a post came through the relay after unsubscribing")
			}
			// Peer's post, announced to home by the relay that rejected
			// home's subscription, is refused.
			fresh, err := peer.News.Post(ctx, zoe, news.PostInput{Content: "never relayed"})
			if err != nil {
				t.Fatal(err)
			}
			if got := refuser.announce(home.URL+"/inbox", fresh.URI); got != 202 {
				t.Fatalf("announce to home: %d", got)
			}
			// Announces from relays peer does not (or no longer) subscribe to.
			for _, r := range []*testRelay{relay, refuser} {
				if got := r.announce(peer.URL+"/inbox", after.URI); got != 202 {
					t.Fatalf("announce to peer: %d", got)
				}
			}
			settleAll(t, home, peer)
			if networkHas(t, home, fresh.URI) {
				t.Fatal("home took an Announce from a relay that rejected it")
			}
			if networkHas(t, peer, after.URI) {
				t.Fatal("peer took an Announce from a relay it does not subscribe to")
			}
			if _, err := home.DB.Notes().ByURI(ctx, fresh.URI); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("home stored the refused note: %v", err)
			}
			if _, err := peer.DB.Notes().ByURI(ctx, after.URI); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("peer stored the refused note: %v", err)
			}
		})
	}
}
