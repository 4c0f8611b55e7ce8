package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/store"
)

func TestRelays_AdminsSubscribeListAndUnsubscribe(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		root := e.admin("root")
		_, user := e.person("ada")

		e.get("/admin/relays", user).problem(t, http.StatusForbidden, "admin-only")
		e.post("/admin/relays", user, `{"inbox": "https://relay.example/inbox"}`).problem(t, http.StatusForbidden, "admin-only")
		e.get("/admin/relays", "").problem(t, http.StatusUnauthorized, "unauthenticated")

		var rl struct {
			ID, Inbox, Actor, State string
			CreatedAt               string `json:"created_at"`
		}
		r := e.post("/admin/relays", root, `{"inbox": "https://relay.example/inbox"}`)
		r.ok(t, http.StatusCreated, "Relay", &rl)
		if rl.Inbox != "https://relay.example/inbox" || rl.State != "pending" || rl.Actor != "" || rl.CreatedAt == "" ||
			r.header.Get("Location") != "/api/holon/v1/admin/relays/"+rl.ID {
			t.Fatalf("relay %+v, headers %v", rl, r.header)
		}
		e.post("/admin/relays", root, `{"inbox": "https://relay.example/inbox"}`).problem(t, http.StatusConflict, "relay-already-subscribed")
		for _, c := range []struct{ body, field, code string }{
			{`{"inbox": ""}`, "inbox", "required"},
			{`{"inbox": "ftp://relay.example/inbox"}`, "inbox", "not-a-url"},
			{`{"inbox": "relay.example/inbox"}`, "inbox", "not-a-url"},
			{`{"inbox": "https://user:pw@relay.example/inbox"}`, "inbox", "not-a-url"},
			{`{"inbox": "` + e.Config.BaseURL() + `/inbox"}`, "inbox", "own-instance"},
		} {
			p := e.post("/admin/relays", root, c.body).problem(t, http.StatusBadRequest, "invalid-input")
			sameFields(t, p, map[string]string{c.field: c.code})
		}
		e.post("/admin/domain-blocks", root, `{"domain": "bad.example"}`).ok(t, http.StatusCreated, "", nil)
		e.post("/admin/relays", root, `{"inbox": "https://relay.bad.example/inbox"}`).problem(t, http.StatusForbidden, "domain-blocked")

		var list struct {
			Items []map[string]any `json:"items"`
		}
		e.get("/admin/relays", root).ok(t, http.StatusOK, "RelayList", &list)
		if len(list.Items) != 1 || list.Items[0]["id"] != rl.ID {
			t.Fatalf("relays %+v", list.Items)
		}
		// The Follow of as:Public is queued, from the instance actor.
		ctx := context.Background()
		if n, _ := e.DB.Deliveries().CountByState(ctx); n[store.DeliveryPending] != 1 {
			t.Fatalf("deliveries %v", n)
		}

		e.del("/admin/relays/"+rl.ID, user).problem(t, http.StatusForbidden, "admin-only")
		e.del("/admin/relays/"+rl.ID, root).ok(t, http.StatusNoContent, "", nil)
		e.del("/admin/relays/"+rl.ID, root).problem(t, http.StatusNotFound, "relay-not-found")
		e.del("/admin/relays/not-an-id", root).problem(t, http.StatusNotFound, "relay-not-found")
		// Follow and Undo.
		if n, _ := e.DB.Deliveries().CountByState(ctx); n[store.DeliveryPending] != 2 {
			t.Fatalf("deliveries %v", n)
		}
		entries, err := e.DB.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Action: "relay.", Limit: 10})
		if err != nil || len(entries) != 2 || entries[0].Action != "relay.unsubscribe" || entries[1].Action != "relay.subscribe" ||
			entries[1].AccountName != "root" || entries[1].Target != "https://relay.example/inbox" {
			t.Fatalf("audit %+v %v", entries, err)
		}

		// At most 20.
		for i := range 20 {
			e.post("/admin/relays", root, fmt.Sprintf(`{"inbox": "https://r%d.example/inbox"}`, i)).ok(t, http.StatusCreated, "", nil)
		}
		e.post("/admin/relays", root, `{"inbox": "https://r20.example/inbox"}`).problem(t, http.StatusConflict, "too-many-relays")
	})
}

func TestRelays_PrivateAddressesRefused(t *testing.T) {
	each(t, func(c *config.Config) { c.Federation.AllowPrivateAddresses = false }, func(t *testing.T, e env) {
		root := e.admin("root")
		for _, inbox := range []string{"http://10.1.2.3/inbox", "http://localhost:9000/inbox", "http://[::1]/inbox", "http://192.168.1.4/inbox"} {
			p := e.post("/admin/relays", root, `{"inbox": "`+inbox+`"}`).problem(t, http.StatusBadRequest, "invalid-input")
			sameFields(t, p, map[string]string{"inbox": "private-address"})
		}
	})
}
