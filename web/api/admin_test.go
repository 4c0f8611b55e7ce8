package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// admin creates an instance admin and returns its token.
func (e env) admin(username string) string {
	e.t.Helper()
	ctx := context.Background()
	acc, err := e.Members.CreateAccount(ctx, membership.NewAccount{
		Username: username, Email: username + "@example.org", Password: "correct horse battery",
	}, membership.RoleAdmin)
	if err != nil {
		e.t.Fatal(err)
	}
	secret, _, err := e.Members.CreateToken(ctx, acc, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return secret
}

func TestDomainBlocks_AdminsBlockListAndUnblock(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		root := e.admin("root")
		_, user := e.person("ada")

		e.get("/admin/domain-blocks", user).problem(t, http.StatusForbidden, "admin-only")
		e.post("/admin/domain-blocks", user, `{"domain": "spam.example"}`).problem(t, http.StatusForbidden, "admin-only")
		e.get("/admin/domain-blocks", "").problem(t, http.StatusUnauthorized, "unauthenticated")

		var b struct {
			Domain       string `json:"domain"`
			FollowsEnded *int   `json:"follows_ended"`
		}
		r := e.post("/admin/domain-blocks", root, `{"domain": "Spam.Example", "public_comment": "spam", "private_comment": "reports 12, 14"}`)
		r.ok(t, http.StatusCreated, "DomainBlock", &b)
		if b.Domain != "spam.example" || b.FollowsEnded == nil || *b.FollowsEnded != 0 || r.header.Get("Location") != "/api/holon/v1/admin/domain-blocks/spam.example" {
			t.Fatalf("block %+v, headers %v", b, r.header)
		}
		e.post("/admin/domain-blocks", root, `{"domain": "spam.example"}`).problem(t, http.StatusConflict, "domain-already-blocked")
		p := e.post("/admin/domain-blocks", root, `{"domain": "https://x.example/"}`).problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"domain": "invalid-domain"})
		e.post("/admin/domain-blocks", root, `{"domain": "`+e.Config.Server.Host[:len("127.0.0.1")]+`"}`).problem(t, http.StatusBadRequest, "own-domain")

		var list struct {
			Items []map[string]any `json:"items"`
		}
		e.get("/admin/domain-blocks", root).ok(t, http.StatusOK, "DomainBlockList", &list)
		if len(list.Items) != 1 || list.Items[0]["private_comment"] != "reports 12, 14" || list.Items[0]["follows_ended"] != nil {
			t.Fatalf("blocks %+v", list.Items)
		}
		e.del("/admin/domain-blocks/spam.example", user).problem(t, http.StatusForbidden, "admin-only")
		e.del("/admin/domain-blocks/spam.example", root).ok(t, http.StatusNoContent, "", nil)
		e.del("/admin/domain-blocks/spam.example", root).problem(t, http.StatusNotFound, "domain-not-blocked")
	})
}

func TestFailedActivities_ListedToAdminsAndRetried(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		ctx := context.Background()
		root := e.admin("root")
		_, user := e.person("ada")
		now := time.Now().UTC()
		var ids []uuid.UUID
		for i, state := range []string{store.InboxFailed, store.InboxDone, store.InboxFailed, store.InboxFailed} {
			a := store.InboxActivity{ID: uuid.Must(uuid.NewV7()), ActivityID: "https://peer.example/a/" + uuid.NewString(),
				Type: "Create", Actor: "https://peer.example/u/bob", Raw: `{}`, State: state, Attempts: 10,
				LastError: "boom", ReceivedAt: now.Add(time.Duration(i) * time.Second), NextAttemptAt: now}
			if err := e.DB.Inbox().Add(ctx, &a); err != nil {
				t.Fatal(err)
			}
			if state == store.InboxFailed {
				ids = append(ids, a.ID)
			}
		}
		e.get("/admin/inbox/failed", user).problem(t, http.StatusForbidden, "admin-only")
		var page struct {
			Items []struct {
				ID        string `json:"id"`
				LastError string `json:"last_error"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		e.get("/admin/inbox/failed?limit=2", root).ok(t, http.StatusOK, "FailedActivityPage", &page)
		if len(page.Items) != 2 || page.Items[0].ID != ids[2].String() || page.Items[1].ID != ids[1].String() || page.Next == nil {
			t.Fatalf("first page %+v", page)
		}
		e.get("/admin/inbox/failed?limit=2&cursor="+*page.Next, root).ok(t, http.StatusOK, "FailedActivityPage", &page)
		if len(page.Items) != 1 || page.Items[0].ID != ids[0].String() || page.Next != nil {
			t.Fatalf("second page %+v", page)
		}
		e.get("/admin/inbox/failed?cursor=nope", root).problem(t, http.StatusBadRequest, "invalid-input")

		e.post("/admin/inbox/failed/"+ids[0].String()+"/retry", user, "").problem(t, http.StatusForbidden, "admin-only")
		e.post("/admin/inbox/failed/"+ids[0].String()+"/retry", root, "").ok(t, http.StatusAccepted, "", nil)
		e.post("/admin/inbox/failed/"+ids[0].String()+"/retry", root, "").problem(t, http.StatusNotFound, "activity-not-found")
		e.post("/admin/inbox/failed/nope/retry", root, "").problem(t, http.StatusNotFound, "activity-not-found")
		counts, _ := e.DB.Inbox().CountByState(ctx)
		if counts[store.InboxPending] != 1 || counts[store.InboxFailed] != 2 {
			t.Fatalf("states after retry %v", counts)
		}
	})
}
