package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// signedPost sends doc to url, signed by the local actor name of from.
func signedPost(t *testing.T, from *webtest.Instance, name, url string, doc map[string]any) int {
	t.Helper()
	keyID, key, err := from.Members.SigningKey(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(doc)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.SignPOST(req, body, keyID, key, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// An actor on one instance follows an association on another: the Follow
// is received, processed, answered by an Accept that is delivered, signed,
// to the follower's server, which verifies and stores it. Then the Undo.
func TestFollowAcceptUndo_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			ada, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := home.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"}); err != nil {
				t.Fatal(err)
			}
			if _, err := peer.Members.CreateAccount(ctx, membership.NewAccount{Username: "zoe", Email: "zoe@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
				t.Fatal(err)
			}
			zoe := peer.Config.BaseURL() + "/actors/zoe"
			commons := home.Config.BaseURL() + "/actors/commons"
			follow := map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams",
				"id":       peer.Config.BaseURL() + "/activities/follow-1",
				"type":     "Follow", "actor": zoe, "object": commons,
			}
			if got := signedPost(t, peer, "zoe", home.URL+"/actors/commons/inbox", follow); got != http.StatusAccepted {
				t.Fatalf("Follow: %d", got)
			}
			if n, err := home.Federation.Processor.ProcessDue(ctx); err != nil || n != 1 {
				t.Fatalf("processed %d: %v", n, err)
			}
			if st, _ := home.Members.FollowState(ctx, zoe, commons); st != membership.FollowAccepted {
				t.Fatalf("follow state %q", st)
			}
			if n, err := home.Federation.Delivery.DeliverDue(ctx); err != nil || n != 1 {
				t.Fatalf("delivered %d: %v", n, err)
			}
			// The peer verified the Accept's signature (by fetching the
			// association's key from home) before storing it.
			counts, _ := peer.DB.Inbox().CountByState(ctx)
			if counts[store.InboxPending] != 1 {
				t.Fatalf("peer received %v", counts)
			}
			due, err := peer.DB.Inbox().ClaimDue(ctx, time.Now().Add(time.Second), time.Minute, 10)
			if err != nil || len(due) != 1 {
				t.Fatalf("peer inbox: %v %v", due, err)
			}
			var accept map[string]any
			if err := json.Unmarshal([]byte(due[0].Raw), &accept); err != nil {
				t.Fatal(err)
			}
			obj, _ := accept["object"].(map[string]any)
			if accept["type"] != "Accept" || accept["actor"] != commons || obj["id"] != follow["id"] || due[0].Actor != commons {
				t.Fatalf("peer got %s", due[0].Raw)
			}

			undo := map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams",
				"id":       peer.Config.BaseURL() + "/activities/undo-1",
				"type":     "Undo", "actor": zoe, "object": follow,
			}
			if got := signedPost(t, peer, "zoe", home.URL+"/inbox", undo); got != http.StatusAccepted {
				t.Fatalf("Undo: %d", got)
			}
			if _, err := home.Federation.Processor.ProcessDue(ctx); err != nil {
				t.Fatal(err)
			}
			if st, _ := home.Members.FollowState(ctx, zoe, commons); st != "" {
				t.Fatalf("still following after Undo: %q", st)
			}
		})
	}
}

// api calls the native API of in as the bearer of token.
func api(t *testing.T, in *webtest.Instance, token, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, in.URL+"/api/holon/v1"+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// settle runs both instances' processors and delivery workers until
// nothing is left to do.
func settle(t *testing.T, instances ...*webtest.Instance) {
	t.Helper()
	ctx := context.Background()
	for range 10 {
		busy := 0
		for _, in := range instances {
			n, err := in.Federation.Delivery.DeliverDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m, err := in.Federation.Processor.ProcessDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			busy += n + m
		}
		if busy == 0 {
			return
		}
	}
	t.Fatal("the instances never settled")
}

// A person follows someone on another instance through the API, by
// name@host: WebFinger, the actor fetched, Follow delivered, Accept back,
// the follow accepted; then unfollowed, and the Undo reaches the peer.
func TestFollowRemoteThroughTheAPI(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			bob, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "bob", Email: "bob@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			token, _, _ := home.Members.CreateToken(ctx, bob, "t")
			if _, err := peer.Members.CreateAccount(ctx, membership.NewAccount{Username: "zoe", Email: "zoe@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
				t.Fatal(err)
			}
			zoe := peer.Config.BaseURL() + "/actors/zoe"
			bobURI := home.Config.BaseURL() + "/actors/bob"

			status, body := api(t, home, token, "GET", "/resolve?q=%40zoe%40"+peer.Config.Server.Host, nil)
			if status != 200 || body["id"] != zoe || body["local"] != false {
				t.Fatalf("resolve: %d %v", status, body)
			}
			status, body = api(t, home, token, "POST", "/follows", map[string]any{"target": "zoe@" + peer.Config.Server.Host})
			if status != http.StatusAccepted || body["state"] != "pending" || body["target"] != zoe {
				t.Fatalf("follow: %d %v", status, body)
			}
			followID, _ := body["id"].(string)
			settle(t, home, peer)
			if st, _ := peer.Members.FollowState(ctx, bobURI, zoe); st != membership.FollowAccepted {
				t.Fatalf("the peer has the follow as %q", st)
			}
			status, body = api(t, home, token, "GET", "/follows", nil)
			items, _ := body["items"].([]any)
			if status != 200 || len(items) != 1 || items[0].(map[string]any)["state"] != "accepted" {
				t.Fatalf("follows after the Accept: %d %v", status, body)
			}

			// Bad targets get a clear answer and change nothing.
			for _, target := range []string{"", "not an account", "nobody@" + peer.Config.Server.Host, "bob@" + home.Config.Server.Host} {
				status, body := api(t, home, token, "POST", "/follows", map[string]any{"target": target})
				if status < 400 || body["detail"] == "" {
					t.Errorf("target %q: %d %v", target, status, body)
				}
			}

			if status, _ := api(t, home, token, "DELETE", "/follows/"+followID, nil); status != http.StatusNoContent {
				t.Fatalf("unfollow: %d", status)
			}
			settle(t, home, peer)
			if st, _ := peer.Members.FollowState(ctx, bobURI, zoe); st != "" {
				t.Fatalf("the peer still has the follow as %q", st)
			}
		})
	}
}

func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// The followers and following collections list accepted follows, on both
// sides, and page through them.
func TestCollections_FollowersAndFollowing(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			bob, _ := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "bob", Email: "bob@example.org", Password: "long enough pw"}, membership.RoleUser)
			token, _, _ := home.Members.CreateToken(ctx, bob, "t")
			if _, err := peer.Members.CreateAccount(ctx, membership.NewAccount{Username: "zoe", Email: "zoe@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
				t.Fatal(err)
			}
			if status, _ := api(t, home, token, "POST", "/follows", map[string]any{"target": "zoe@" + peer.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("follow: %d", status)
			}
			settle(t, home, peer)
			tests := []struct {
				in         *webtest.Instance
				path, want string
			}{
				{peer, "/actors/zoe/followers", home.Config.BaseURL() + "/actors/bob"},
				{home, "/actors/bob/following", peer.Config.BaseURL() + "/actors/zoe"},
			}
			for _, tt := range tests {
				status, coll := getJSON(t, tt.in.URL+tt.path)
				if status != 200 || coll["type"] != "OrderedCollection" || coll["totalItems"] != float64(1) {
					t.Fatalf("%s: %d %v", tt.path, status, coll)
				}
				first, _ := coll["first"].(string)
				status, page := getJSON(t, strings.Replace(first, tt.in.Config.BaseURL(), tt.in.URL, 1))
				items, _ := page["orderedItems"].([]any)
				if status != 200 || page["type"] != "OrderedCollectionPage" || len(items) != 1 || items[0] != tt.want || page["next"] != nil {
					t.Fatalf("%s first page: %d %v", tt.path, status, page)
				}
			}
			if status, _ := getJSON(t, home.URL+"/actors/bob/followers?page=nonsense"); status != http.StatusBadRequest {
				t.Fatalf("bad cursor: %d", status)
			}
			if status, _ := getJSON(t, home.URL+"/actors/nobody/followers"); status != http.StatusNotFound {
				t.Fatalf("unknown actor: %d", status)
			}
			if status, coll := getJSON(t, home.URL+"/actors/bob/featured"); status != 200 || coll["totalItems"] != float64(0) {
				t.Fatalf("featured: %d %v", status, coll)
			}
		})
	}
}

// The outbox lists the Creates of an actor's public and unlisted notes,
// newest first; followers-only, direct and deleted notes stay out.
func TestOutbox_ListsPublicNotes(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			ada, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			var public []string
			for _, v := range []string{"public", "followers", "unlisted", "direct", "public"} {
				n, err := home.News.Post(ctx, ada, news.PostInput{Content: "a " + v + " note", Visibility: v})
				if err != nil {
					t.Fatalf("post %s: %v", v, err)
				}
				if v == "public" || v == "unlisted" {
					public = append([]string{n.URI}, public...)
				}
			}
			gone, _ := home.News.Post(ctx, ada, news.PostInput{Content: "soon deleted"})
			if err := home.News.Delete(ctx, ada, gone.ID); err != nil {
				t.Fatal(err)
			}
			status, coll := getJSON(t, home.URL+"/actors/ada/outbox")
			if status != 200 || coll["type"] != "OrderedCollection" || coll["totalItems"] != float64(3) {
				t.Fatalf("outbox: %d %v", status, coll)
			}
			status, page := getJSON(t, home.URL+"/actors/ada/outbox?page=true")
			items, _ := page["orderedItems"].([]any)
			if status != 200 || len(items) != 3 {
				t.Fatalf("first page: %d %v", status, page)
			}
			for i, item := range items {
				create := item.(map[string]any)
				obj, _ := create["object"].(map[string]any)
				if create["type"] != "Create" || obj["id"] != public[i] {
					t.Fatalf("item %d: %v, want the Create of %s", i, create, public[i])
				}
			}
			if status, _ := getJSON(t, home.URL+"/actors/nobody/outbox"); status != http.StatusNotFound {
				t.Fatalf("unknown actor: %d", status)
			}
			first, err := home.News.Outbox(ctx, "ada", uuid.Nil, 2)
			if err != nil || len(first.Notes) != 2 || first.Next == uuid.Nil {
				t.Fatalf("a page of two: %+v %v", first, err)
			}
			second, err := home.News.Outbox(ctx, "ada", first.Next, 2)
			if err != nil || len(second.Notes) != 1 || second.Next != uuid.Nil || second.Notes[0].URI != public[2] {
				t.Fatalf("the last page: %+v %v", second, err)
			}
		})
	}
}

// A person likes, then boosts, a note of someone on another instance: the
// Like and the Announce travel to the author's server, which counts them;
// their Undos withdraw them.
func TestLikeAndBoost_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			ada, _ := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
			bob, _ := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "bob", Email: "bob@example.org", Password: "long enough pw"}, membership.RoleUser)
			zoe, err := peer.Members.CreateAccount(ctx, membership.NewAccount{Username: "zoe", Email: "zoe@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			zoeToken, _, _ := peer.Members.CreateToken(ctx, zoe, "t")
			bobToken, _, _ := home.Members.CreateToken(ctx, bob, "t")
			if status, _ := api(t, peer, zoeToken, "POST", "/follows", map[string]any{"target": "ada@" + home.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("follow: %d", status)
			}
			settle(t, home, peer)
			note, err := home.News.Post(ctx, ada, news.PostInput{Content: "Seeds to share on Saturday"})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, home, peer)
			there, err := peer.News.ByURI(ctx, note.URI)
			if err != nil {
				t.Fatalf("the note did not reach the follower's instance: %v", err)
			}
			likes := func() int {
				n, _, err := home.News.Reactions(ctx, note.ID)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			boosts := func() int {
				_, n, err := home.News.Reactions(ctx, note.ID)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			for range 2 { // liking twice changes nothing
				if status, body := api(t, peer, zoeToken, "POST", "/notes/"+there.ID.String()+"/like", nil); status != 200 || body["likes"] != float64(1) {
					t.Fatalf("like on the peer: %d %v", status, body)
				}
				settle(t, home, peer)
			}
			if got := likes(); got != 1 {
				t.Fatalf("home counts %d likes, want 1", got)
			}
			if status, body := api(t, home, bobToken, "POST", "/notes/"+note.ID.String()+"/like", nil); status != 200 || body["likes"] != float64(2) {
				t.Fatalf("local like: %d %v", status, body)
			}
			if status, _ := api(t, peer, zoeToken, "DELETE", "/notes/"+there.ID.String()+"/like", nil); status != 200 {
				t.Fatalf("unlike: %d", status)
			}
			settle(t, home, peer)
			if got := likes(); got != 1 {
				t.Fatalf("after the Undo home counts %d likes, want 1 (bob's)", got)
			}
			if status, _ := api(t, home, bobToken, "POST", "/notes/"+uuid.Must(uuid.NewV7()).String()+"/like", nil); status != http.StatusNotFound {
				t.Fatalf("like of no note: %d", status)
			}

			// A boost travels the same way, and is withdrawn the same way.
			if status, body := api(t, peer, zoeToken, "POST", "/notes/"+there.ID.String()+"/boost", nil); status != 200 || body["boosts"] != float64(1) {
				t.Fatalf("boost on the peer: %d %v", status, body)
			}
			settle(t, home, peer)
			if got := boosts(); got != 1 {
				t.Fatalf("home counts %d boosts, want 1", got)
			}
			if status, _ := api(t, peer, zoeToken, "DELETE", "/notes/"+there.ID.String()+"/boost", nil); status != 200 {
				t.Fatalf("unboost: %d", status)
			}
			settle(t, home, peer)
			if got := boosts(); got != 0 {
				t.Fatalf("after the Undo home counts %d boosts", got)
			}
			private, err := home.News.Post(ctx, ada, news.PostInput{Content: "for my followers", Visibility: "followers"})
			if err != nil {
				t.Fatal(err)
			}
			adaToken, _, _ := home.Members.CreateToken(ctx, ada, "t")
			if status, body := api(t, home, adaToken, "POST", "/notes/"+private.ID.String()+"/boost", nil); status != http.StatusForbidden || body["code"] != "not-boostable" {
				t.Fatalf("boost of a followers-only note: %d %v", status, body)
			}
		})
	}
}
