package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// account creates a person on in and returns it with a bearer token.
func account(t *testing.T, in *webtest.Instance, name string) (membership.Account, string) {
	t.Helper()
	ctx := context.Background()
	acc, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: name, Email: name + "@example.org", Password: "long enough pw"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := in.Members.CreateToken(ctx, acc, "test")
	if err != nil {
		t.Fatal(err)
	}
	return acc, token
}

// boostedBy tells whether in stores a boost of the note uri by the actor.
func boostedBy(t *testing.T, in *webtest.Instance, actor, uri string) (store.Reaction, bool) {
	t.Helper()
	ctx := context.Background()
	a, err := in.DB.Actors().ByURI(ctx, actor)
	if err != nil {
		return store.Reaction{}, false
	}
	n := noteAt(t, in, uri)
	r, err := in.DB.Reactions(string(news.Boost)).Of(ctx, a.ID, n.ID)
	return r, err == nil
}

// sent returns the one activity in queued for delivery under id.
func sent(t *testing.T, in *webtest.Instance, id string) map[string]any {
	t.Helper()
	ds, err := in.DB.Deliveries().ByActivity(context.Background(), id)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries of %s: %v %v", id, ds, err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(ds[0].Body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// An association passes its members' posts on to its followers on other
// instances (FEP-1b12): the follower's instance receives the Announce,
// fetches the note from its origin (not from the embedded copy, which it
// never trusts) and shows it boosted by the association. A non-member's
// post is not announced. The member's edit and deletion reach the
// follower's instance through the association's Announces of them.
func TestGroup_AnnouncesMembersPostsToOtherInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			ada, _ := account(t, home, "ada")
			bob, bobToken := account(t, home, "bob")
			_, carlToken := account(t, home, "carl")
			_, zoeToken := account(t, peer, "zoe")
			if _, err := home.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
				t.Fatal(err)
			}
			if _, err := home.Members.Join(ctx, bob, "commons"); err != nil {
				t.Fatal(err)
			}
			commons := home.Config.BaseURL() + "/actors/commons"
			if status, body := api(t, peer, zoeToken, "POST", "/follows", map[string]any{"target": "commons@" + home.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("follow: %d %v", status, body)
			}
			settle(t, home, peer)

			// bob, a member, posts to the association.
			status, body := api(t, home, bobToken, "POST", "/notes", map[string]any{"content": "@commons Assemblée **jeudi**"})
			if status != http.StatusCreated {
				t.Fatalf("post: %d %v", status, body)
			}
			noteURI, _ := body["uri"].(string)
			noteID, _ := body["id"].(string)
			content, _ := body["content"].(string)
			boost, ok := boostedBy(t, home, commons, noteURI)
			if !ok {
				t.Fatal("the association's boost is not recorded at home")
			}
			announce := sent(t, home, boost.ActivityID)
			obj, _ := announce["object"].(map[string]any)
			to, _ := announce["to"].([]any)
			cc, _ := announce["cc"].([]any)
			if announce["type"] != "Announce" || announce["actor"] != commons || obj["type"] != "Note" || obj["id"] != noteURI ||
				obj["content"] != content || len(to) != 1 || to[0] != news.PublicCollection || len(cc) != 1 || cc[0] != commons+"/followers" {
				t.Fatalf("the Announce: %v", announce)
			}
			settle(t, home, peer)
			there := noteAt(t, peer, noteURI)
			if there.Content != content || there.Author.URI != home.Config.BaseURL()+"/actors/bob" || there.Visibility != news.Public ||
				!strings.Contains(there.Raw, `"@context"`) {
				// The embedded Note has no @context: the one the note's
				// id serves has.
				t.Fatalf("the peer stored %+v", there)
			}
			if r, ok := boostedBy(t, peer, commons, noteURI); !ok || r.ActivityID != boost.ActivityID {
				t.Fatalf("the peer does not show the association's boost: %+v", r)
			}
			if _, boosts, _ := peer.News.Reactions(ctx, there.ID); boosts != 1 {
				t.Fatalf("the peer counts %d boosts", boosts)
			}

			// carl is no member: his post to the association goes nowhere.
			status, body = api(t, home, carlToken, "POST", "/notes", map[string]any{"content": "@commons me too"})
			if status != http.StatusCreated {
				t.Fatalf("carl posts: %d %v", status, body)
			}
			carlsURI, _ := body["uri"].(string)
			carlsContent, _ := body["content"].(string)
			delivered(t, home, 0)
			if _, ok := boostedBy(t, home, commons, carlsURI); ok {
				t.Fatal("a non-member's post was announced")
			}
			if _, err := peer.News.ByURI(ctx, carlsURI); err == nil {
				t.Fatal("a non-member's post reached the peer")
			}

			// An Announce whose embedded Note lies: the origin's version is
			// stored.
			lie := map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": home.Config.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String(), "type": "Announce", "actor": commons,
				"to": []string{news.PublicCollection}, "cc": []string{commons + "/followers"},
				"object": map[string]any{"id": carlsURI, "type": "Note", "attributedTo": home.Config.BaseURL() + "/actors/carl",
					"content": "<p>Free money at https://scam.example</p>", "to": []string{news.PublicCollection}}}
			if got := signedPost(t, home, "commons", peer.URL+"/inbox", lie); got != http.StatusAccepted {
				t.Fatalf("the Announce: %d", got)
			}
			processed(t, peer, 1)
			if n := noteAt(t, peer, carlsURI); n.Content != carlsContent || strings.Contains(n.Content, "scam") {
				t.Fatalf("the peer stored the embedded copy: %q", n.Content)
			}

			// bob edits, then deletes his note: the association passes both on.
			if status, body := api(t, home, bobToken, "PATCH", "/notes/"+noteID, map[string]any{"content": "@commons Assemblée **vendredi**"}); status != http.StatusOK {
				t.Fatalf("edit: %d %v", status, body)
			}
			settle(t, home, peer)
			if n := noteAt(t, peer, noteURI); !strings.Contains(n.Content, "vendredi") || n.Updated == nil {
				t.Fatalf("the peer has the note as %q", n.Content)
			}
			if status, _ := api(t, home, bobToken, "DELETE", "/notes/"+noteID, nil); status != http.StatusNoContent {
				t.Fatalf("delete: %d", status)
			}
			settle(t, home, peer)
			if n := noteAt(t, peer, noteURI); n.Deleted == nil || n.Content != "" {
				t.Fatalf("the peer kept the deleted note: %+v", n)
			}
			counts, _ := peer.DB.Inbox().CountByState(ctx)
			if counts[store.InboxDone] < 5 || counts[store.InboxFailed] != 0 || counts[store.InboxPending] != 0 {
				t.Fatalf("the peer's inbox: %v", counts)
			}
		})
	}
}
