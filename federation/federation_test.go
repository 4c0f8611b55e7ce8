package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
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
