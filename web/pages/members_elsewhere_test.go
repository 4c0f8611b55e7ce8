package pages_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// A person joins an association on another instance: their own page
// lists it, waiting for the answer, then as a member; the association's
// board finds them among its members by name@host; nobody else sees the
// person's memberships elsewhere.
func TestFederation_JoinAnAssociationElsewhere(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			aHost, bHost := a.Config.Server.Host, b.Config.Server.Host
			alice := newBrowser(t, a)
			alice.signUp("alice")
			alice.createAssociation("jardin")
			bob := newBrowser(t, b)
			bob.signUp("bob")

			group, err := b.Federation.Resolver.Lookup(ctx, "jardin@"+aHost)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Members.JoinElsewhere(ctx, mustAccount(t, b, "bob"), group); err != nil {
				t.Fatal(err)
			}
			page := bob.get("/@bob").want(t, http.StatusOK)
			if text := page.text(t, "memberships-elsewhere"); !strings.Contains(text, "@jardin@"+aHost) ||
				!strings.Contains(text, "waiting for the association’s answer") {
				t.Fatalf("bob's page lists %q", text)
			}
			settle(t, a, b)
			if text := bob.get("/@bob").text(t, "memberships-elsewhere"); !strings.Contains(text, "member") || strings.Contains(text, "waiting") {
				t.Fatalf("after the Accept bob's page lists %q", text)
			}
			if newBrowser(t, b).get("/@bob").byID("memberships-elsewhere") != nil {
				t.Fatal("someone else sees bob's memberships elsewhere")
			}
			if text := alice.get("/@jardin/members").want(t, http.StatusOK).text(t, "members"); !strings.Contains(text, "@bob@"+bHost) {
				t.Fatalf("jardin's members: %q", text)
			}
		})
	}
}
