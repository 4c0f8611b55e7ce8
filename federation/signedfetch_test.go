package federation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// In allowlist mode the actor documents answer only fetches signed from an
// allowed domain: an unsigned fetch is asked to sign (401), a server off
// the list is refused (403), an allowed one reads them. The instance actor
// stays open, for the keys; pages stay open; in open mode nothing changes.
func TestAllowlist_GuardsFetches(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			partner := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			stranger := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			if _, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
				t.Fatal(err)
			}
			ada := home.Config.BaseURL() + "/actors/ada"
			instanceActor := home.Config.BaseURL() + "/actors/" + home.Config.Server.Host
			if _, err := home.Members.EnsureInstanceActor(ctx); err != nil {
				t.Fatal(err)
			}
			get := func(url, accept string) int {
				t.Helper()
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Accept", accept)
				client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			const ap = "application/activity+json"
			if got := get(ada, ap); got != http.StatusOK {
				t.Fatalf("unsigned fetch in open mode: %d", got)
			}
			if _, err := home.Domains.Allow(ctx, domains.CommandLine, domains.NewAllow{Domain: "127.0.0.2"}); err != nil {
				t.Fatal(err)
			}
			if err := home.Domains.SetMode(ctx, domains.CommandLine, domains.Allowlist, false); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				what, url, accept string
				want              int
			}{
				{"an unsigned fetch of an actor", ada, ap, http.StatusUnauthorized},
				{"an unsigned fetch of the instance actor", instanceActor, ap, http.StatusOK},
				{"a page", ada, "text/html", http.StatusSeeOther},
			} {
				if got := get(c.url, c.accept); got != c.want {
					t.Errorf("%s in allowlist mode: %d, want %d", c.what, got, c.want)
				}
			}
			if _, err := partner.Federation.Fetcher.Get(ctx, ada); err != nil {
				t.Errorf("a signed fetch from an allowed domain: %v", err)
			}
			if _, err := stranger.Federation.Fetcher.Get(ctx, ada); err == nil || !strings.Contains(err.Error(), "403") {
				t.Errorf("a signed fetch from a domain off the list: %v, want a 403", err)
			}
		})
	}
}
