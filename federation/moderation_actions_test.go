package federation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// Moderation between two instances: a report forwarded later by a
// moderator reaches the target's server as a Flag; a forwarded report is
// resolved with a warning; a suspended remote actor's activities are
// refused at the inbox; a local account deleted by an administrator is
// deleted on the other server too.
func TestModeration_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			adaToken := person(t, home, "ada")
			zoeToken := person(t, peer, "zoe")
			staff := func(in *webtest.Instance) string {
				root, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "root", Email: "root@example.org", Password: "long enough pw"}, membership.RoleAdmin)
				if err != nil {
					t.Fatal(err)
				}
				token, _, _ := in.Members.CreateToken(ctx, root, "t")
				return token
			}
			homeRoot, peerRoot := staff(home), staff(peer)
			follows(t, peer, zoeToken, home, "ada")
			settle(t, home, peer)
			zoeAt := "zoe@" + peer.Config.Server.Host
			adaAt := "ada@" + home.Config.Server.Host

			// ada reports zoe without forwarding it; home's admin forwards it.
			status, body := api(t, home, adaToken, "POST", "/reports", map[string]any{"target": zoeAt, "comment": "spam"})
			if status != http.StatusCreated || body["forwarded"] != false {
				t.Fatalf("report: %d %v", status, body)
			}
			id, _ := body["id"].(string)
			if status, body := api(t, home, homeRoot, "POST", "/reports/"+id+"/forward", nil); status != http.StatusOK || body["forwarded"] != true {
				t.Fatalf("forward: %d %v", status, body)
			}
			if status, _ := api(t, home, homeRoot, "POST", "/reports/"+id+"/forward", nil); status != http.StatusConflict {
				t.Fatalf("forwarded twice: %d", status)
			}
			settle(t, home, peer)
			status, body = api(t, peer, peerRoot, "GET", "/reports?state=open", nil)
			items, _ := body["items"].([]any)
			if status != http.StatusOK || len(items) != 1 {
				t.Fatalf("peer's reports: %d %v", status, body)
			}
			if rp := items[0].(map[string]any); rp["comment"] != "spam" || rp["reporter"] != home.Config.BaseURL()+"/actors/"+home.Config.Server.Host {
				t.Fatalf("the forwarded report: %v", rp)
			}

			// zoe reports ada with forward; home's admin warns ada.
			if status, body := api(t, peer, zoeToken, "POST", "/reports", map[string]any{"target": adaAt, "comment": "rude", "forward": true}); status != http.StatusCreated {
				t.Fatalf("zoe's report: %d %v", status, body)
			}
			settle(t, home, peer)
			_, body = api(t, home, homeRoot, "GET", "/reports?state=open", nil)
			items, _ = body["items"].([]any)
			// The newest is zoe's; ada's own report about zoe is there too.
			if len(items) != 2 || items[0].(map[string]any)["comment"] != "rude" {
				t.Fatalf("home's open reports: %v", body)
			}
			received := items[0].(map[string]any)["id"].(string)
			if status, body := api(t, home, homeRoot, "POST", "/reports/"+received+"/resolve", map[string]any{"action": "warn", "comment": "be civil"}); status != http.StatusOK || body["resolution"] != "warn" {
				t.Fatalf("resolve: %d %v", status, body)
			}
			_, body = api(t, home, adaToken, "GET", "/accounts/me/warnings", nil)
			if w, _ := body["items"].([]any); len(w) != 1 || w[0].(map[string]any)["text"] != "be civil" {
				t.Fatalf("ada's warnings: %v", body)
			}

			// home suspends zoe: her activities are refused, her follow ends.
			if status, body := api(t, home, homeRoot, "POST", "/admin/accounts/"+zoeAt+"/actions", map[string]any{"type": "suspend"}); status != http.StatusCreated {
				t.Fatalf("suspend zoe: %d %v", status, body)
			}
			zoeURI, adaURI := peer.Config.BaseURL()+"/actors/zoe", home.Config.BaseURL()+"/actors/ada"
			if st, _ := home.Members.FollowState(ctx, zoeURI, adaURI); st != "" {
				t.Fatalf("zoe still follows ada: %s", st)
			}
			follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": peer.Config.BaseURL() + "/activities/f9",
				"type": "Follow", "actor": zoeURI, "object": adaURI}
			if got := signedPost(t, peer, "zoe", home.URL+"/inbox", follow); got != http.StatusForbidden {
				t.Fatalf("a suspended actor's Follow: %d", got)
			}
			if status, _ := api(t, home, homeRoot, "POST", "/admin/accounts/"+zoeAt+"/actions", map[string]any{"type": "unsuspend"}); status != http.StatusCreated {
				t.Fatal("unsuspend zoe")
			}
			follow["id"] = peer.Config.BaseURL() + "/activities/f10"
			if got := signedPost(t, peer, "zoe", home.URL+"/inbox", follow); got != http.StatusAccepted {
				t.Fatalf("zoe's Follow once unsuspended: %d", got)
			}
			processed(t, home, 1)

			// home's admin deletes ada: the peer hears the Delete.
			if status, body := api(t, home, homeRoot, "POST", "/admin/accounts/ada/actions", map[string]any{"type": "delete", "text": "gone"}); status != http.StatusCreated {
				t.Fatalf("delete ada: %d %v", status, body)
			}
			settle(t, home, peer)
			if there, _ := peer.Members.ActorByURI(ctx, adaURI); there.DeletedAt == nil {
				t.Fatalf("the peer has ada as %+v", there)
			}
			list, err := home.DB.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i := len(list) - 1; i >= 0; i-- {
				got = append(got, list[i].Action)
			}
			want := []string{"report.forward", "account.warn", "report.resolve", "account.suspend", "account.unsuspend", "account.delete"}
			if len(got) != len(want) {
				t.Fatalf("audit log %v, want %v", got, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("audit log %v, want %v", got, want)
				}
			}
		})
	}
}
