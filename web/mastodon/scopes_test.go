package mastodon_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/auth"
	"github.com/holon-network/holon/web/mastodon"
	"github.com/holon-network/holon/web/webtest"
)

// A token is refused, 403 as Mastodon, the routes its scopes do not
// cover, and served those they do.
func TestAccounts_Scopes(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		acc, _ := person(t, in, "ada")
		id := actorOf(t, in, "ada")
		h := mastodon.New(mastodon.Deps{Config: in.Config, Members: in.Members, Instance: in.Settings, News: in.News})
		for _, tt := range []struct {
			method, path string
			scopes       []string
			want         int
		}{
			{http.MethodGet, "/accounts/verify_credentials", []string{"profile"}, http.StatusOK},
			{http.MethodGet, "/accounts/verify_credentials", []string{"read:accounts"}, http.StatusOK},
			{http.MethodGet, "/accounts/verify_credentials", []string{"read:statuses"}, http.StatusForbidden},
			{http.MethodPatch, "/accounts/update_credentials", []string{"read"}, http.StatusForbidden},
			{http.MethodGet, "/accounts/relationships?id[]=" + id, []string{"follow"}, http.StatusOK},
			{http.MethodGet, "/accounts/relationships?id[]=" + id, []string{"read:accounts"}, http.StatusForbidden},
			{http.MethodPost, "/accounts/" + id + "/follow", []string{"read"}, http.StatusForbidden},
			{http.MethodGet, "/preferences", []string{"read:statuses"}, http.StatusForbidden},
			{http.MethodGet, "/preferences", []string{"read"}, http.StatusOK},
			{http.MethodGet, "/markers?timeline[]=home", []string{"read:statuses"}, http.StatusOK},
			{http.MethodPost, "/markers", []string{"read"}, http.StatusForbidden},
			{http.MethodGet, "/lists", []string{"read:statuses"}, http.StatusForbidden},
			{http.MethodGet, "/followed_tags", []string{"read:follows"}, http.StatusOK},
			{http.MethodGet, "/accounts/" + id + "/followers", []string{"write"}, http.StatusForbidden},
			{http.MethodGet, "/accounts/" + id + "/followers", []string{"read:accounts"}, http.StatusOK},
			{http.MethodGet, "/accounts/" + id, []string{"write"}, http.StatusOK}, // public
		} {
			req := httptest.NewRequest(tt.method, tt.path, nil) // the router is mounted at /api/v1 in the server
			req = req.WithContext(auth.NewContext(req.Context(), auth.Identity{Account: acc, ByToken: true, Scopes: tt.scopes}))
			rec := httptest.NewRecorder()
			h.V1.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Errorf("%s %s with %v: %d %s", tt.method, tt.path, tt.scopes, rec.Code, rec.Body)
			}
			if tt.want == http.StatusForbidden && !strings.Contains(rec.Body.String(), `"This action is outside the authorized scopes"`) {
				t.Errorf("%s %s: %s", tt.method, tt.path, rec.Body)
			}
		}
	})
}
