package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/webtest"
)

// addRemoteMember makes zoe@127.0.0.9:4000 an active member of the
// association name.
func addRemoteMember(t *testing.T, in *webtest.Instance, name string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	group, err := in.DB.Actors().ByURI(ctx, in.Config.BaseURL()+"/actors/"+name)
	if err != nil || group.AssociationID == nil {
		t.Fatalf("association %s: %v", name, err)
	}
	a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: "https://127.0.0.9:4000/u/zoe", Kind: "Person", Username: "zoe", Host: "127.0.0.9:4000",
		KeyID: "https://127.0.0.9:4000/u/zoe#key", PublicKey: "pem", CreatedAt: now, UpdatedAt: now}
	if err := in.DB.Actors().Create(ctx, &a); err != nil {
		t.Fatal(err)
	}
	m := store.Membership{ID: uuid.Must(uuid.NewV7()), AssociationID: *group.AssociationID, ActorID: a.ID, Role: "member",
		Status: "active", RequestedAt: now, JoinedAt: &now, UpdatedAt: now}
	if err := in.DB.Associations().AddMembership(ctx, &m); err != nil {
		t.Fatal(err)
	}
}

const goodList = domains.CSVHeader + "\nspam.example,suspend,false,false,spam,false\nmedia.example,noop,true,false,,false\n"

// visitFederationPages walks the page /admin/federation through its
// states, as the admin alice and the person bob.
func visitFederationPages(t *testing.T, in *webtest.Instance, alice, bob *browser, pages map[string]*page) {
	t.Helper()
	pages["federation, forbidden"] = bob.get("/admin/federation")
	pages["federation, empty"] = alice.get("/admin/federation")
	alice.createAssociation("orchard")
	addRemoteMember(t, in, "orchard")
	alice.post("/admin/federation/blocks", url.Values{"domain": {"loud.example"}, "severity": {"silence"}, "public_comment": {"noise"}}).
		redirectsTo(t, "/admin/federation?done=block")
	alice.post("/admin/federation/allows", url.Values{"domain": {"friends.example"}, "comment": {"partners"}}).
		redirectsTo(t, "/admin/federation?done=allow")
	pages["federation, block errors"] = alice.post("/admin/federation/blocks", url.Values{"domain": {"https://x.example/"}, "severity": {"limit"}})
	pages["federation, cuts members"] = alice.post("/admin/federation/mode", url.Values{"mode": {"allowlist"}})
	pages["federation, import errors"] = alice.upload("/admin/federation/import", "list", []byte(domains.CSVHeader+"\nx.example,limit,false,false,,false\n\"y\n"))
	pages["federation, imported"] = alice.upload("/admin/federation/import", "list", []byte(goodList))
	pages["federation"] = alice.get("/admin/federation?done=block")
}

func TestFederationPage(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		pages := map[string]*page{}
		alice := newBrowser(t, in)
		alice.makeAdmin("alice")
		bob := newBrowser(t, in)
		bob.signUp("bob")
		visitor := newBrowser(t, in)
		visitor.get("/admin/federation").redirectsTo(t, "/login?next=%2Fadmin%2Ffederation")
		visitFederationPages(t, in, alice, bob, pages)

		pages["federation, forbidden"].want(t, http.StatusForbidden)
		bob.post("/admin/federation/blocks", url.Values{"domain": {"x.example"}}).want(t, http.StatusForbidden)
		pages["federation, empty"].want(t, http.StatusOK).contains(t, "No domain is blocked.", "Open: this instance federates")
		if n := pages["federation, empty"].byID("admin-nav"); n == nil {
			t.Error("no admin navigation")
		}
		pages["federation, block errors"].want(t, http.StatusUnprocessableEntity)
		cut := pages["federation, cuts members"].want(t, http.StatusConflict)
		cut.contains(t, "@zoe@127.0.0.9:4000", "member of orchard", "Go on anyway")
		if mode, _, _ := in.Domains.Mode(ctx); mode != domains.Open {
			t.Fatalf("the refused switch was applied: %s", mode)
		}
		if cut.byID("confirm-form") == nil {
			t.Fatal("no confirm form")
		}
		// The confirm form posts the same fields with confirm.
		alice.post("/admin/federation/mode", url.Values{"mode": {"allowlist"}, "confirm": {"on"}}).redirectsTo(t, "/admin/federation?done=mode")
		if mode, _, _ := in.Domains.Mode(ctx); mode != domains.Allowlist {
			t.Fatalf("mode %s after confirming", mode)
		}
		pages["federation, import errors"].want(t, http.StatusUnprocessableEntity).contains(t, "Line 3: This is not valid CSV.", "nothing was imported")
		pages["federation, imported"].want(t, http.StatusOK).contains(t, "1 added, 0 already blocked (unchanged), 1 skipped")
		p := pages["federation"].want(t, http.StatusOK)
		p.contains(t, "loud.example", "spam.example", "friends.example", "The domain is blocked.")
		if p.byID("export-link") == nil || p.byID("import-form") == nil {
			t.Error("no CSV export link or import form")
		}

		alice.post("/admin/federation/blocks/loud.example", url.Values{"action": {"update"}, "severity": {"suspend"}}).
			redirectsTo(t, "/admin/federation?done=update")
		alice.post("/admin/federation/blocks/loud.example", url.Values{"action": {"unblock"}}).redirectsTo(t, "/admin/federation?done=unblock")
		alice.post("/admin/federation/blocks/loud.example", url.Values{"action": {"unblock"}}).want(t, http.StatusNotFound)
		alice.post("/admin/federation/blocks", url.Values{"domain": {"127.0.0.1"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "cannot block its own domain")
		alice.post("/admin/federation/allows/friends.example", url.Values{"action": {"disallow"}}).redirectsTo(t, "/admin/federation?done=disallow")
		list, _ := in.Domains.Blocks(ctx, domains.CommandLine)
		if len(list) != 1 || list[0].Domain != "spam.example" {
			t.Fatalf("blocks %+v", list)
		}
	})
}
