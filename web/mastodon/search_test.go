package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// searchResult is Mastodon's Search entity, as far as the tests read it;
// raw keeps the three arrays' presence.
type searchResult struct {
	Accounts []struct {
		ID, Acct, Username string
	} `json:"accounts"`
	Statuses []struct {
		ID, URI          string
		MediaAttachments []map[string]any `json:"media_attachments"`
	} `json:"statuses"`
	Hashtags []struct {
		Name    string `json:"name"`
		URL     string `json:"url"`
		History []any  `json:"history"`
	} `json:"hashtags"`
}

func search(t *testing.T, in *webtest.Instance, token string, params url.Values) (int, searchResult, []byte) {
	t.Helper()
	status, b := send(t, in, token, http.MethodGet, "/api/v2/search?"+params.Encode(), "", nil)
	var out searchResult
	if status == http.StatusOK {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		for _, k := range []string{"accounts", "statuses", "hashtags"} {
			if v, ok := raw[k]; !ok || v[0] != '[' {
				t.Fatalf("%s missing or not an array: %s", k, b)
			}
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
	}
	return status, out, b
}

// Local search: accounts by name or display name prefix, hashtags by
// prefix, the three arrays always there; bounds and visitors' limits as
// Mastodon's.
func TestSearch_Local(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, tokenClient := person(t, in, "ada")
		token := tokenClient.token
		person(t, in, "adrian")
		person(t, in, "bob")
		if _, err := in.News.Post(ctx, ada, news.PostInput{Content: "Tips for #gardening and #gardens, not #cooking"}); err != nil {
			t.Fatal(err)
		}
		accts := func(r searchResult) []string {
			var out []string
			for _, a := range r.Accounts {
				out = append(out, a.Acct)
			}
			return out
		}
		tags := func(r searchResult) []string {
			var out []string
			for _, h := range r.Hashtags {
				out = append(out, h.Name)
			}
			return out
		}
		tests := []struct {
			name     string
			token    string
			params   url.Values
			status   int
			accounts []string
			hashtags []string
		}{
			{"name prefix", token, url.Values{"q": {"ad"}, "type": {"accounts"}}, http.StatusOK, []string{"ada", "adrian"}, nil},
			{"with @", token, url.Values{"q": {"@bo"}}, http.StatusOK, []string{"bob"}, nil},
			{"display name, any case", token, url.Values{"q": {"ADRI"}}, http.StatusOK, []string{"adrian"}, nil},
			{"limit", token, url.Values{"q": {"ad"}, "limit": {"1"}}, http.StatusOK, []string{"ada"}, nil},
			{"offset", token, url.Values{"q": {"ad"}, "offset": {"1"}, "type": {"accounts"}}, http.StatusOK, []string{"adrian"}, nil},
			{"hashtags", token, url.Values{"q": {"#garden"}, "type": {"hashtags"}}, http.StatusOK, nil, []string{"gardening", "gardens"}},
			{"everything", token, url.Values{"q": {"co"}}, http.StatusOK, nil, []string{"cooking"}},
			{"no wildcard", token, url.Values{"q": {"%"}}, http.StatusOK, nil, nil},
			{"unknown type", token, url.Values{"q": {"ad"}, "type": {"groups"}}, http.StatusOK, nil, nil},
			{"visitor", "", url.Values{"q": {"ad"}, "type": {"accounts"}}, http.StatusOK, []string{"ada", "adrian"}, nil},
			{"visitor resolving", "", url.Values{"q": {"ad"}, "resolve": {"true"}}, http.StatusUnauthorized, nil, nil},
			{"visitor paging", "", url.Values{"q": {"ad"}, "offset": {"0"}}, http.StatusUnauthorized, nil, nil},
			{"no query", token, url.Values{}, http.StatusBadRequest, nil, nil},
			{"query too long", token, url.Values{"q": {strings.Repeat("a", 1001)}}, http.StatusUnprocessableEntity, nil, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, got, b := search(t, in, tt.token, tt.params)
				if status != tt.status {
					t.Fatalf("%d %s", status, b)
				}
				if status != http.StatusOK {
					var e map[string]string
					if json.Unmarshal(b, &e) != nil || e["error"] == "" {
						t.Errorf("error %s", b)
					}
					return
				}
				if !slices.Equal(accts(got), tt.accounts) || !slices.Equal(tags(got), tt.hashtags) {
					t.Errorf("accounts %v, hashtags %v: %s", accts(got), tags(got), b)
				}
				for _, h := range got.Hashtags {
					if h.History == nil || !strings.HasSuffix(h.URL, "/tags/"+h.Name) {
						t.Errorf("hashtag %+v", h)
					}
				}
			})
		}
		// Mastodon 4 has no /api/v1/search.
		if status, _ := send(t, in, token, http.MethodGet, "/api/v1/search?q=ad", "", nil); status != http.StatusNotFound {
			t.Errorf("/api/v1/search: %d", status)
		}
		// A note another may not read is not found by its URL.
		private, err := in.News.Post(ctx, ada, news.PostInput{Content: "just for me", Visibility: news.Direct})
		if err != nil {
			t.Fatal(err)
		}
		_, bobTokenClient := person(t, in, "bobby")
		bobToken := bobTokenClient.token
		if _, got, b := search(t, in, bobToken, url.Values{"q": {private.URI}}); len(got.Statuses) != 0 {
			t.Errorf("a direct note found by another: %s", b)
		}
		if _, got, _ := search(t, in, token, url.Values{"q": {private.URI}}); len(got.Statuses) != 1 {
			t.Errorf("its author does not find it")
		}
	})
}

// resolve=true finds an account of another instance by name@host and a
// note by its URL, fetched there and kept, with its image shown by its
// remote URL; a visitor may not make the instance fetch.
func TestSearch_ResolvesOnAnotherInstance(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			_, tokenClient := person(t, home, "ada")
			token := tokenClient.token
			bob, _ := person(t, peer, "bob")
			person(t, peer, "carl")
			up, err := peer.News.Upload(ctx, bob, news.Upload{Data: pngImage(t, 5, 5), Description: "A seedling"})
			if err != nil {
				t.Fatal(err)
			}
			n, err := peer.News.Post(ctx, bob, news.PostInput{Content: "Spring", MediaIDs: []uuid.UUID{up.ID}})
			if err != nil {
				t.Fatal(err)
			}
			peerHost := peer.Config.Server.Host
			carlURI := peer.Config.BaseURL() + "/actors/carl"

			// A visitor is refused before anything is fetched.
			if status, _, b := search(t, home, "", url.Values{"q": {"carl@" + peerHost}, "resolve": {"true"}}); status != http.StatusUnauthorized {
				t.Fatalf("visitor: %d %s", status, b)
			}
			if _, got, _ := search(t, home, "", url.Values{"q": {"carl@" + peerHost}}); len(got.Accounts) != 0 {
				t.Fatalf("a visitor's search found %v", got.Accounts)
			}
			if _, err := home.Members.ActorByURI(ctx, carlURI); err == nil {
				t.Fatal("a visitor's search fetched carl")
			}
			// Without resolve, nothing is fetched either.
			if _, got, _ := search(t, home, token, url.Values{"q": {"@carl@" + peerHost}}); len(got.Accounts) != 0 {
				t.Fatalf("found %v without resolving", got.Accounts)
			}

			status, got, b := search(t, home, token, url.Values{"q": {"@bob@" + peerHost}, "resolve": {"true"}})
			if status != http.StatusOK || len(got.Accounts) != 1 || got.Accounts[0].Acct != "bob@"+peerHost {
				t.Fatalf("resolve bob: %d %s", status, b)
			}
			// Known now: found by prefix without resolving.
			if _, got, b := search(t, home, token, url.Values{"q": {"bo"}, "type": {"accounts"}}); len(got.Accounts) != 1 {
				t.Fatalf("bob by prefix: %s", b)
			}

			status, got, b = search(t, home, token, url.Values{"q": {n.URI}, "resolve": {"true"}, "type": {"statuses"}})
			if status != http.StatusOK || len(got.Statuses) != 1 || got.Statuses[0].URI != n.URI {
				t.Fatalf("resolve the note: %d %s", status, b)
			}
			atts := got.Statuses[0].MediaAttachments
			if len(atts) != 1 || atts[0]["remote_url"] != up.URL || atts[0]["url"] != up.URL || atts[0]["description"] != "A seedling" ||
				atts[0]["type"] != "image" {
				t.Fatalf("remote attachment %v", atts)
			}
			kept, err := home.News.ByURI(ctx, n.URI)
			if err != nil || len(kept.Attachments) != 1 || kept.Attachments[0].Local || kept.Attachments[0].Width != 5 {
				t.Fatalf("kept %+v %v", kept.Attachments, err)
			}
			// An unknown account resolves to nothing, not to an error.
			if status, got, b := search(t, home, token, url.Values{"q": {"nobody@" + peerHost}, "resolve": {"true"}}); status != http.StatusOK || len(got.Accounts) != 0 {
				t.Fatalf("nobody: %d %s", status, b)
			}
		})
	}
}
