package federation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// receivedCount counts the activities in's inboxes ever stored.
func receivedCount(t *testing.T, in *webtest.Instance) int {
	t.Helper()
	counts, err := in.DB.Inbox().CountByState(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// fixture reads a shared real-world payload.
func fixture(t *testing.T, name string) map[string]any {
	t.Helper()
	doc := fixtures.JSON(t, name)
	return doc
}

// People on another instance follow an association whose board approves
// its followers: the follows wait, the board accepts one (the Accept of
// its Follow reaches the follower's server, where the follow becomes
// accepted) and refuses the other (the Reject removes it there).
func TestFollowRequests_BoardAnswersAcrossInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			adaToken := person(t, home, "ada")
			if status, body := api(t, home, adaToken, "POST", "/associations", map[string]any{"name": "closed"}); status != http.StatusCreated {
				t.Fatalf("create: %d %v", status, body)
			}
			if status, body := api(t, home, adaToken, "PATCH", "/associations/closed", map[string]any{"follow_approval": true}); status != http.StatusOK {
				t.Fatalf("settings: %d %v", status, body)
			}
			closed := home.Config.BaseURL() + "/actors/closed"
			followers := map[string]string{}
			for _, name := range []string{"zoe", "max"} {
				token := person(t, peer, name)
				if status, body := api(t, peer, token, "POST", "/follows", map[string]any{"target": "closed@" + home.Config.Server.Host}); status != http.StatusAccepted {
					t.Fatalf("%s follows: %d %v", name, status, body)
				}
				followers[name] = peer.Config.BaseURL() + "/actors/" + name
			}
			settle(t, home, peer)
			for name, uri := range followers {
				for _, in := range []*webtest.Instance{home, peer} {
					if st, _ := in.Members.FollowState(ctx, uri, closed); st != membership.FollowPending {
						t.Fatalf("%s's follow on %s: %q", name, in.URL, st)
					}
				}
			}

			status, body := api(t, home, adaToken, "GET", "/associations/closed/follow-requests", nil)
			items, _ := body["items"].([]any)
			if status != http.StatusOK || len(items) != 2 {
				t.Fatalf("requests: %d %v", status, body)
			}
			ids := map[string]string{}
			for _, it := range items {
				m := it.(map[string]any)
				ids[m["actor"].(string)] = m["id"].(string)
			}
			if status, body := api(t, home, adaToken, "POST", "/associations/closed/follow-requests/"+ids[followers["zoe"]]+"/accept", nil); status != http.StatusOK || body["state"] != "accepted" {
				t.Fatalf("accept: %d %v", status, body)
			}
			if status, body := api(t, home, adaToken, "POST", "/associations/closed/follow-requests/"+ids[followers["max"]]+"/reject", nil); status != http.StatusOK || body["state"] != "rejected" {
				t.Fatalf("reject: %d %v", status, body)
			}
			settle(t, home, peer)
			tests := []struct {
				name, want string
			}{{"zoe", membership.FollowAccepted}, {"max", ""}}
			for _, tt := range tests {
				for _, in := range []*webtest.Instance{home, peer} {
					if st, _ := in.Members.FollowState(ctx, followers[tt.name], closed); st != tt.want {
						t.Errorf("%s's follow on %s: %q, want %q", tt.name, in.URL, st, tt.want)
					}
				}
			}
			// An accepted follower receives the association's posts.
			note, err := home.News.Post(ctx, mustAccount(t, home, "ada"), news.PostInput{Author: "closed", Content: "welcome"})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, home, peer)
			noteAt(t, peer, note.URI)
		})
	}
}

func mustAccount(t *testing.T, in *webtest.Instance, name string) membership.Account {
	t.Helper()
	acc, err := in.Members.Account(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

// zoe, on another instance, and ada follow each other; zoe blocks ada:
// her server sends the Block, ada's server ends both follows, and ada's
// next post (which mentions zoe) is not delivered to zoe's server at all.
// The Undo of the Block lifts it. A Block read from Mastodon's payload
// does the same.
func TestBlock_AcrossInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			adaToken := person(t, home, "ada")
			zoeToken := person(t, peer, "zoe")
			ada := home.Config.BaseURL() + "/actors/ada"
			zoe := peer.Config.BaseURL() + "/actors/zoe"
			if status, body := api(t, peer, zoeToken, "POST", "/follows", map[string]any{"target": "ada@" + home.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("zoe follows: %d %v", status, body)
			}
			if status, body := api(t, home, adaToken, "POST", "/follows", map[string]any{"target": "zoe@" + peer.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("ada follows: %d %v", status, body)
			}
			settle(t, home, peer)
			post := func(content string) string {
				t.Helper()
				status, body := api(t, home, adaToken, "POST", "/notes", map[string]any{"content": content})
				if status != http.StatusCreated {
					t.Fatalf("post: %d %v", status, body)
				}
				settle(t, home, peer)
				return body["uri"].(string)
			}
			noteAt(t, peer, post("before the block, @zoe@"+peer.Config.Server.Host))

			status, body := api(t, peer, zoeToken, "POST", "/blocks", map[string]any{"target": "ada@" + home.Config.Server.Host})
			if status != http.StatusCreated {
				t.Fatalf("block: %d %v", status, body)
			}
			blockID, _ := body["id"].(string)
			settle(t, home, peer)
			for _, in := range []*webtest.Instance{home, peer} {
				for _, pair := range [][2]string{{zoe, ada}, {ada, zoe}} {
					if st, _ := in.Members.FollowState(ctx, pair[0], pair[1]); st != "" {
						t.Fatalf("on %s, %s still follows %s (%s)", in.URL, pair[0], pair[1], st)
					}
				}
			}
			before := receivedCount(t, peer)
			uri := post("after the block, @zoe@" + peer.Config.Server.Host)
			if got := receivedCount(t, peer); got != before {
				t.Fatalf("zoe's server received %d activities after the block", got-before)
			}
			if _, err := peer.News.ByURI(ctx, uri); err == nil {
				t.Fatal("the post reached the blocker")
			}
			// ada may not follow zoe again while the block stands.
			if status, body := api(t, home, adaToken, "POST", "/follows", map[string]any{"target": "zoe@" + peer.Config.Server.Host}); status != http.StatusForbidden || body["code"] != "blocked" {
				t.Fatalf("ada follows again: %d %v", status, body)
			}

			if status, _ := api(t, peer, zoeToken, "DELETE", "/blocks/"+blockID, nil); status != http.StatusNoContent {
				t.Fatalf("unblock: %d", status)
			}
			settle(t, home, peer)
			if status, body := api(t, home, adaToken, "POST", "/follows", map[string]any{"target": "zoe@" + peer.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("ada follows after the unblock: %d %v", status, body)
			}
			settle(t, home, peer)
			if st, _ := home.Members.FollowState(ctx, ada, zoe); st != membership.FollowAccepted {
				t.Fatalf("ada's follow after the unblock: %q", st)
			}

			// Mastodon's Block, signed by zoe, as Mastodon sends it.
			block := fixture(t, "mastodon-block.json")
			delete(block, "signature")
			block["id"], block["actor"], block["object"] = zoe+"#blocks/2", zoe, ada
			if got := signedPost(t, peer, "zoe", home.URL+"/actors/ada/inbox", block); got != http.StatusAccepted {
				t.Fatalf("Block: %d", got)
			}
			processed(t, home, 1)
			if st, _ := home.Members.FollowState(ctx, ada, zoe); st != "" {
				t.Fatalf("ada still follows zoe after Mastodon's Block: %q", st)
			}
			undo := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": zoe + "#blocks/2/undo",
				"type": "Undo", "actor": zoe, "object": block}
			if got := signedPost(t, peer, "zoe", home.URL+"/inbox", undo); got != http.StatusAccepted {
				t.Fatalf("Undo: %d", got)
			}
			processed(t, home, 1)
			if status, _ := api(t, home, adaToken, "POST", "/follows", map[string]any{"target": "zoe@" + peer.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatalf("follow after Mastodon's Undo: %d", status)
			}
		})
	}
}

// zoe, on another instance, reports a note of ada's and forwards the
// report: a Flag from her server's instance actor reaches ada's server,
// whose admin sees the report (and not zoe's name). Mastodon's Flag does
// the same.
func TestFlag_ReachesTheAdminsOfTheReportedActor(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			ada, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			root, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org", Password: "long enough pw"}, membership.RoleAdmin)
			if err != nil {
				t.Fatal(err)
			}
			rootToken, _, _ := home.Members.CreateToken(ctx, root, "t")
			zoeToken := person(t, peer, "zoe")
			if status, _ := api(t, peer, zoeToken, "POST", "/follows", map[string]any{"target": "ada@" + home.Config.Server.Host}); status != http.StatusAccepted {
				t.Fatal("zoe follows")
			}
			settle(t, home, peer)
			note, err := home.News.Post(ctx, ada, news.PostInput{Content: "something awful"})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, home, peer)
			there := noteAt(t, peer, note.URI)

			status, body := api(t, peer, zoeToken, "POST", "/reports", map[string]any{"target": "ada@" + home.Config.Server.Host,
				"notes": []string{there.ID.String()}, "comment": "please look", "forward": true})
			if status != http.StatusCreated || body["forwarded"] != true {
				t.Fatalf("report: %d %v", status, body)
			}
			settle(t, home, peer)
			status, body = api(t, home, rootToken, "GET", "/reports", nil)
			items, _ := body["items"].([]any)
			if status != http.StatusOK || len(items) != 1 {
				t.Fatalf("home's reports: %d %v", status, body)
			}
			rp := items[0].(map[string]any)
			notes, _ := rp["notes"].([]any)
			instanceActor := peer.Config.BaseURL() + "/actors/" + peer.Config.Server.Host
			if rp["target"] != home.Config.BaseURL()+"/actors/ada" || rp["comment"] != "please look" || rp["local"] != false ||
				rp["reporter"] != instanceActor || len(notes) != 1 || notes[0].(map[string]any)["id"] != note.URI {
				t.Fatalf("report on home: %v", rp)
			}

			// Mastodon's Flag, sent by the peer's instance actor.
			flag := fixture(t, "mastodon-flag.json")
			flag["id"], flag["actor"] = peer.Config.BaseURL()+"/flags/1", instanceActor
			flag["object"] = []any{home.Config.BaseURL() + "/actors/ada", note.URI, peer.Config.BaseURL() + "/notes/not-here"}
			flag["to"] = home.Config.BaseURL() + "/actors/ada"
			if got := signedPost(t, peer, peer.Config.Server.Host, home.URL+"/inbox", flag); got != http.StatusAccepted {
				t.Fatalf("Flag: %d", got)
			}
			processed(t, home, 1)
			status, body = api(t, home, rootToken, "GET", "/reports?state=open", nil)
			items, _ = body["items"].([]any)
			if status != http.StatusOK || len(items) != 2 {
				t.Fatalf("home's reports: %d %v", status, body)
			}
			if rp := items[0].(map[string]any); rp["comment"] != flag["content"] || len(rp["notes"].([]any)) != 1 {
				t.Fatalf("Mastodon's report: %v", rp)
			}
			// zoe made a report, but sees none: reports are for moderators.
			status, body = api(t, peer, zoeToken, "GET", "/reports", nil)
			if items, _ := body["items"].([]any); status != http.StatusOK || len(items) != 0 {
				t.Fatalf("zoe's view of the reports: %d %v", status, body)
			}
		})
	}
}
