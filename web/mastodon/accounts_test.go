package mastodon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/webtest"
)

// client is a person using a Mastodon app against a test instance.
type client struct {
	t     *testing.T
	in    *webtest.Instance
	token string
}

// person creates an active account and a native API token for it (nil
// scopes: everything the account may do, as an OAuth token granted every
// scope).
func person(t *testing.T, in *webtest.Instance, name string) (membership.Account, client) {
	t.Helper()
	ctx := context.Background()
	acc, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:],
		Email: name + "@example.org", Password: "correct horse battery"}, membership.RoleUser)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	secret, _, err := in.Members.CreateToken(ctx, acc, "test")
	if err != nil {
		t.Fatal(err)
	}
	return acc, client{t: t, in: in, token: secret}
}

func mustActor(t *testing.T, in *webtest.Instance, name string) membership.Actor {
	t.Helper()
	a, err := in.Members.LocalActor(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// actorOf returns the actor id of the local actor name.
func actorOf(t *testing.T, in *webtest.Instance, name string) string {
	t.Helper()
	a, err := in.Members.LocalActor(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID.String()
}

// do sends a request; body is JSON unless contentType says otherwise.
func (c client) do(method, path, contentType string, body io.Reader) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.in.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

// ok sends a request that must succeed and decodes its answer into v.
func (c client) ok(method, path, contentType, body string, v any) http.Header {
	c.t.Helper()
	reset(v)
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	resp, b := c.do(method, path, contentType, rd)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			c.t.Fatalf("%s %s: %v\n%s", method, path, err, b)
		}
	}
	return resp.Header
}

// nullable are the keys Mastodon's examples fill that Holon may leave
// null, as Mastodon's documentation allows.
var nullable = map[string]bool{"last_status_at": true, "verified_at": true, "posting:default:language": true,
	"language": true, "application": true}

// sameShape checks that got has every key of Mastodon's example want, of
// the same JSON kind, down through objects and the first element of
// arrays. A key Mastodon documents as nullable may be null in got.
func sameShape(t *testing.T, where string, got, want any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s is %s, want object", where, jsonKind(got))
			return
		}
		for k, wv := range w {
			gv, present := g[k]
			switch {
			case !present:
				t.Errorf("%s.%s missing", where, k)
			case gv == nil && (wv == nil || nullable[k]):
			default:
				sameShape(t, where+"."+k, gv, wv)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			t.Errorf("%s is %s, want array", where, jsonKind(got))
			return
		}
		if len(w) > 0 && len(g) > 0 {
			sameShape(t, where+"[0]", g[0], w[0])
		}
	default:
		if want != nil && jsonKind(got) != jsonKind(want) {
			t.Errorf("%s is %s, want %s", where, jsonKind(got), jsonKind(want))
		}
	}
}

func example(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// The answers against Mastodon's own examples (its documentation's
// entities, kept under testdata/mastodon_*.json).
func TestAccounts_MastodonShapes(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, c := person(t, in, "ada")
		bob, _ := person(t, in, "bob")
		if _, err := in.News.Post(ctx, bob, news.PostInput{Content: "Hello"}); err != nil {
			t.Fatal(err)
		}
		fields := []membership.ProfileField{{Name: "Website", Value: "https://ada.example"}}
		note := "Gardener.\n\nLikes <bees>."
		if _, err := in.Members.UpdateProfile(ctx, ada, membership.ProfileChange{Fields: &fields, Note: &note}); err != nil {
			t.Fatal(err)
		}
		bobID := actorOf(t, in, "bob")

		var cred map[string]any
		c.ok(http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", &cred)
		sameShape(t, "verify_credentials", cred, example(t, "mastodon_credential_account.json"))
		src := cred["source"].(map[string]any)
		if src["note"] != note || cred["note"] != "<p>Gardener.</p><p>Likes &lt;bees&gt;.</p>" {
			t.Errorf("note %q, source %q", cred["note"], src["note"])
		}
		if f := src["fields"].([]any)[0].(map[string]any); f["value"] != "https://ada.example" {
			t.Errorf("source field %v", f)
		}
		if f := cred["fields"].([]any)[0].(map[string]any); !strings.HasPrefix(f["value"].(string), "<a href=") {
			t.Errorf("field %v", f)
		}

		var acc map[string]any
		c.ok(http.MethodGet, "/api/v1/accounts/"+bobID, "", "", &acc)
		sameShape(t, "account", acc, example(t, "mastodon_account.json"))
		if acc["statuses_count"] != 1.0 || acc["last_status_at"] != time.Now().UTC().Format(time.DateOnly) ||
			acc["display_name"] != "Bob" || acc["acct"] != "bob" {
			t.Errorf("bob = %v", acc)
		}
		if _, ok := acc["source"]; ok {
			t.Error("another's account shows its source")
		}

		var rels []any
		c.ok(http.MethodGet, "/api/v1/accounts/relationships?id[]="+bobID, "", "", &rels)
		if len(rels) != 1 {
			t.Fatalf("relationships = %v", rels)
		}
		sameShape(t, "relationship", rels[0], example(t, "mastodon_relationship.json"))

		var markers map[string]any
		c.ok(http.MethodPost, "/api/v1/markers", "application/x-www-form-urlencoded", "home[last_read_id]=103194548672408537", &markers)
		sameShape(t, "marker", markers["home"], example(t, "mastodon_marker.json"))

		var prefs map[string]any
		c.ok(http.MethodGet, "/api/v1/preferences", "", "", &prefs)
		sameShape(t, "preferences", prefs, example(t, "mastodon_preferences.json"))
	})
}

func TestAccounts_UpdateCredentials(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		_, c := person(t, in, "ada")
		var got map[string]any
		c.ok(http.MethodPatch, "/api/v1/accounts/update_credentials", "application/x-www-form-urlencoded",
			"display_name=Ada+L.&note=Hi&locked=true&fields_attributes[1][name]=B&fields_attributes[1][value]=2&fields_attributes[0][name]=A&fields_attributes[0][value]=1", &got)
		fields := got["source"].(map[string]any)["fields"].([]any)
		if got["display_name"] != "Ada L." || got["source"].(map[string]any)["note"] != "Hi" || len(fields) != 2 ||
			fields[0].(map[string]any)["name"] != "A" || fields[1].(map[string]any)["value"] != "2" {
			t.Errorf("after the form: %v", got)
		}
		c.ok(http.MethodPatch, "/api/v1/accounts/update_credentials", "application/json",
			`{"display_name":"Ada","fields_attributes":{"0":{"name":"Only","value":"one"}}}`, &got)
		fields = got["source"].(map[string]any)["fields"].([]any)
		if got["display_name"] != "Ada" || len(fields) != 1 || got["source"].(map[string]any)["note"] != "Hi" {
			t.Errorf("after JSON: %v", got)
		}
		// An avatar, as a multipart form.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("avatar", "a.png")
		_, _ = fw.Write(pngBytes(t, 8, 8))
		_ = mw.WriteField("display_name", "Ada")
		_ = mw.Close()
		resp, b := c.do(http.MethodPatch, "/api/v1/accounts/update_credentials", mw.FormDataContentType(), &body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"avatar":"`+in.URL+"/media/") {
			t.Errorf("avatar: %d %s", resp.StatusCode, b)
		}
		// Too many fields: refused as Mastodon refuses, 422.
		resp, b = c.do(http.MethodPatch, "/api/v1/accounts/update_credentials", "application/json",
			strings.NewReader(`{"fields_attributes":[{"name":"1","value":"1"},{"name":"2","value":"2"},{"name":"3","value":"3"},{"name":"4","value":"4"},{"name":"5","value":"5"}]}`))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"error":"Validation failed`) {
			t.Errorf("five fields: %d %s", resp.StatusCode, b)
		}
		resp, b = c.do(http.MethodPatch, "/api/v1/accounts/update_credentials", "application/x-www-form-urlencoded",
			strings.NewReader("note="+strings.Repeat("x", membership.MaxNote+1)))
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("over-long note: %d %s", resp.StatusCode, b)
		}
	})
}

// Following a person here is at once; following an association that
// approves its followers waits for its board, which answers through
// follow_requests.
func TestAccounts_FollowPersonAndAssociation(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		_, ada := person(t, in, "ada")
		bob, bobc := person(t, in, "bob")
		if _, err := in.Members.CreateAssociation(ctx, bob, membership.NewAssociation{Name: "jardin", DisplayName: "Le jardin",
			Summary: "Shared gardens"}); err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := in.Members.UpdateAssociation(ctx, bob, "jardin", membership.AssociationChange{
			Settings: membership.SettingsChange{FollowApproval: &yes}}); err != nil {
			t.Fatal(err)
		}
		adaID, bobID, jardinID := actorOf(t, in, "ada"), actorOf(t, in, "bob"), actorOf(t, in, "jardin")

		var rel map[string]any
		ada.ok(http.MethodPost, "/api/v1/accounts/"+bobID+"/follow", "", "", &rel)
		if rel["following"] != true || rel["requested"] != false || rel["id"] != bobID {
			t.Errorf("follow bob: %v", rel)
		}
		ada.ok(http.MethodPost, "/api/v1/accounts/"+jardinID+"/follow", "", "", &rel)
		if rel["following"] != false || rel["requested"] != true {
			t.Errorf("follow jardin: %v", rel)
		}
		var group map[string]any
		ada.ok(http.MethodGet, "/api/v1/accounts/"+jardinID, "", "", &group)
		if group["group"] != true || group["locked"] != true || group["display_name"] != "Le jardin" || group["note"] != "<p>Shared gardens</p>" {
			t.Errorf("jardin = %v", group)
		}

		// The board sees the request, and its count on its credentials.
		var reqs []map[string]any
		bobc.ok(http.MethodGet, "/api/v1/follow_requests", "", "", &reqs)
		if len(reqs) != 1 || reqs[0]["id"] != adaID {
			t.Fatalf("follow requests = %v", reqs)
		}
		var cred map[string]any
		bobc.ok(http.MethodGet, "/api/v1/accounts/verify_credentials", "", "", &cred)
		if cred["source"].(map[string]any)["follow_requests_count"] != 1.0 {
			t.Errorf("follow_requests_count = %v", cred["source"])
		}
		// Ada is no board member: she has nothing to answer.
		resp, _ := ada.do(http.MethodPost, "/api/v1/follow_requests/"+adaID+"/authorize", "", nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("ada authorizes: %d", resp.StatusCode)
		}
		bobc.ok(http.MethodPost, "/api/v1/follow_requests/"+adaID+"/authorize", "", "", &rel)
		if rel["id"] != adaID || rel["followed_by"] != true { // bob follows back nothing, but ada follows bob
			t.Errorf("authorize: %v", rel)
		}

		var rels []map[string]any
		ada.ok(http.MethodGet, "/api/v1/accounts/relationships?id[]="+bobID+"&id[]="+jardinID+"&id[]="+uuid.NewString()+"&id[]=bad", "", "", &rels)
		if len(rels) != 2 || rels[0]["id"] != bobID || rels[0]["following"] != true || rels[1]["following"] != true || rels[1]["requested"] != false {
			t.Errorf("relationships = %v", rels)
		}
		var me map[string]any
		ada.ok(http.MethodGet, "/api/v1/accounts/"+adaID, "", "", &me)
		if me["following_count"] != 2.0 || me["followers_count"] != 0.0 {
			t.Errorf("ada counts = %v %v", me["following_count"], me["followers_count"])
		}
		var followers []map[string]any
		anon := client{t: t, in: in}
		anon.ok(http.MethodGet, "/api/v1/accounts/"+bobID+"/followers", "", "", &followers)
		if len(followers) != 1 || followers[0]["id"] != adaID {
			t.Errorf("followers of bob = %v", followers)
		}
		var following []map[string]any
		h := anon.ok(http.MethodGet, "/api/v1/accounts/"+adaID+"/following?limit=1", "", "", &following)
		if len(following) != 1 || following[0]["id"] != jardinID || !strings.Contains(h.Get("Link"), `rel="next"`) {
			t.Errorf("following of ada, page 1 = %v (%s)", following, h.Get("Link"))
		}
		next := strings.TrimPrefix(strings.Split(h.Get("Link"), ">")[0], "<"+in.URL)
		anon.ok(http.MethodGet, next, "", "", &following)
		if len(following) != 1 || following[0]["id"] != bobID {
			t.Errorf("following of ada, page 2 = %v", following)
		}

		// Carol follows bob, ada follows carol: carol is a familiar follower
		// of bob for ada.
		carol, _ := person(t, in, "carol")
		if _, err := in.Members.Follow(ctx, carol, mustActor(t, in, "bob")); err != nil {
			t.Fatal(err)
		}
		carolID := actorOf(t, in, "carol")
		ada.ok(http.MethodPost, "/api/v1/accounts/"+carolID+"/follow", "", "", &rel)
		var fam []map[string]any
		ada.ok(http.MethodGet, "/api/v1/accounts/familiar_followers?id[]="+bobID+"&id[]="+jardinID, "", "", &fam)
		if len(fam) != 2 || fam[0]["id"] != bobID || len(fam[0]["accounts"].([]any)) != 1 ||
			fam[0]["accounts"].([]any)[0].(map[string]any)["id"] != carolID || len(fam[1]["accounts"].([]any)) != 0 {
			t.Errorf("familiar followers = %v", fam)
		}

		ada.ok(http.MethodPost, "/api/v1/accounts/"+bobID+"/unfollow", "", "", &rel)
		if rel["following"] != false {
			t.Errorf("unfollow: %v", rel)
		}
		ada.ok(http.MethodPost, "/api/v1/accounts/"+bobID+"/unfollow", "", "", &rel) // not following: no error

		// A block shows in the relationships of both and in the list of blocks.
		if _, _, err := in.Members.Block(ctx, bob, mustActor(t, in, "ada")); err != nil {
			t.Fatal(err)
		}
		ada.ok(http.MethodGet, "/api/v1/accounts/relationships?id="+bobID, "", "", &rels)
		if len(rels) != 1 || rels[0]["blocked_by"] != true || rels[0]["blocking"] != false {
			t.Errorf("blocked by bob: %v", rels)
		}
		var blocks []map[string]any
		bobc.ok(http.MethodGet, "/api/v1/blocks", "", "", &blocks)
		if len(blocks) != 1 || blocks[0]["id"] != adaID {
			t.Errorf("bob's blocks = %v", blocks)
		}
	})
}

func TestAccounts_NotFound(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		_, ada := person(t, in, "ada")
		person(t, in, "bob")
		for _, path := range []string{"/api/v1/accounts/" + uuid.NewString(), "/api/v1/accounts/123", "/api/v1/accounts/%27%3B--",
			"/api/v1/accounts/" + uuid.NewString() + "/followers", "/api/v1/accounts/lookup?acct=nobody",
			"/api/v1/accounts/lookup?acct=nobody@" + strings.TrimPrefix(in.URL, "http://"), "/api/v1/accounts/lookup?acct="} {
			resp, b := ada.do(http.MethodGet, path, "", nil)
			if resp.StatusCode != http.StatusNotFound || strings.TrimSpace(string(b)) != `{"error":"Record not found"}` {
				t.Errorf("%s: %d %s", path, resp.StatusCode, b)
			}
		}
		resp, _ := ada.do(http.MethodPost, "/api/v1/accounts/"+uuid.NewString()+"/follow", "", nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("follow of nobody: %d", resp.StatusCode)
		}
		resp, b := ada.do(http.MethodPost, "/api/v1/accounts/"+actorOf(t, in, "ada")+"/follow", "", nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), `"error"`) {
			t.Errorf("follow of oneself: %d %s", resp.StatusCode, b)
		}
		for _, q := range []string{"bob", "@bob", "BOB@" + strings.TrimPrefix(in.URL, "http://")} {
			var acc map[string]any
			ada.ok(http.MethodGet, "/api/v1/accounts/lookup?acct="+q, "", "", &acc)
			if acc["acct"] != "bob" {
				t.Errorf("lookup %s = %v", q, acc)
			}
		}
	})
}

func TestMarkers_PerAccount(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		_, ada := person(t, in, "ada")
		_, bob := person(t, in, "bob")
		var got map[string]map[string]any
		ada.ok(http.MethodGet, "/api/v1/markers?timeline[]=home&timeline[]=notifications", "", "", &got)
		if len(got) != 0 {
			t.Errorf("before any save: %v", got)
		}
		ada.ok(http.MethodPost, "/api/v1/markers", "application/x-www-form-urlencoded", "home[last_read_id]=a1&notifications[last_read_id]=n1", &got)
		if got["home"]["last_read_id"] != "a1" || got["home"]["version"] != 1.0 || got["notifications"]["version"] != 1.0 {
			t.Errorf("first save: %v", got)
		}
		ada.ok(http.MethodPost, "/api/v1/markers", "application/json", `{"home":{"last_read_id":"a2"}}`, &got)
		if got["home"]["last_read_id"] != "a2" || got["home"]["version"] != 2.0 || len(got) != 1 {
			t.Errorf("second save: %v", got)
		}
		ada.ok(http.MethodGet, "/api/v1/markers?timeline[]=home&timeline[]=notifications", "", "", &got)
		if got["home"]["last_read_id"] != "a2" || got["notifications"]["last_read_id"] != "n1" {
			t.Errorf("read back: %v", got)
		}
		// Another person's markers are theirs alone.
		bob.ok(http.MethodGet, "/api/v1/markers?timeline[]=home&timeline[]=notifications", "", "", &got)
		if len(got) != 0 {
			t.Errorf("bob reads %v", got)
		}
		// A timeline Mastodon does not know is ignored, as Mastodon ignores it.
		ada.ok(http.MethodPost, "/api/v1/markers", "application/x-www-form-urlencoded", "elsewhere[last_read_id]=1", &got)
		if len(got) != 0 {
			t.Errorf("unknown timeline: %v", got)
		}
		for _, body := range []string{"home[last_read_id]=", "home[last_read_id]=" + strings.Repeat("x", 101)} {
			resp, b := ada.do(http.MethodPost, "/api/v1/markers", "application/x-www-form-urlencoded", strings.NewReader(body))
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", body, resp.StatusCode, b)
			}
		}
	})
}

// At most 40 accounts are answered, however many are asked about.
func TestRelationships_Bounded(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		_, ada := person(t, in, "ada")
		var q []string
		for i := range 50 {
			a := store.Actor{ID: uuid.Must(uuid.NewV7()), URI: fmt.Sprintf("https://far.example/users/u%d", i), Kind: "Person",
				Username: fmt.Sprintf("u%d", i), Host: "far.example", Inbox: "https://far.example/inbox",
				KeyID: fmt.Sprintf("https://far.example/users/u%d#key", i), CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if err := in.DB.Actors().SaveRemote(ctx, &a); err != nil {
				t.Fatal(err)
			}
			q = append(q, "id[]="+a.ID.String())
		}
		var rels []any
		ada.ok(http.MethodGet, "/api/v1/accounts/relationships?"+strings.Join(q, "&"), "", "", &rels)
		if len(rels) != 40 {
			t.Errorf("%d relationships", len(rels))
		}
		var fam []map[string]any
		ada.ok(http.MethodGet, "/api/v1/accounts/familiar_followers?"+strings.Join(q[:2], "&"), "", "", &fam)
		if len(fam) != 2 || fam[0]["accounts"] == nil {
			t.Errorf("familiar followers = %v", fam)
		}
		var peers []string
		ada.ok(http.MethodGet, "/api/v1/instance/peers", "", "", &peers)
		if len(peers) != 1 || peers[0] != "far.example" {
			t.Errorf("peers = %v", peers)
		}
	})
}

// Without a token, the routes of a person's own things answer as Mastodon:
// 401 and its message; the probes answer empty arrays.
func TestAccounts_TokenRequired(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		_, ada := person(t, in, "ada")
		anon := client{t: t, in: in}
		id := actorOf(t, in, "ada")
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/accounts/verify_credentials"}, {http.MethodPatch, "/api/v1/accounts/update_credentials"},
			{http.MethodGet, "/api/v1/accounts/relationships?id[]=" + id}, {http.MethodPost, "/api/v1/accounts/" + id + "/follow"},
			{http.MethodPost, "/api/v1/accounts/" + id + "/unfollow"}, {http.MethodGet, "/api/v1/follow_requests"},
			{http.MethodGet, "/api/v1/preferences"}, {http.MethodGet, "/api/v1/markers?timeline[]=home"},
			{http.MethodPost, "/api/v1/markers"}, {http.MethodGet, "/api/v2/filters"}, {http.MethodGet, "/api/v1/lists"},
			{http.MethodGet, "/api/v1/blocks"}, {http.MethodGet, "/api/v1/mutes"}, {http.MethodGet, "/api/v1/followed_tags"},
			{http.MethodGet, "/api/v1/push/subscription"}, {http.MethodGet, "/api/v1/accounts/familiar_followers?id[]=" + id},
		} {
			resp, b := anon.do(r.method, r.path, "", nil)
			if resp.StatusCode != http.StatusUnauthorized || strings.TrimSpace(string(b)) != `{"error":"The access token is invalid"}` {
				t.Errorf("%s %s: %d %s", r.method, r.path, resp.StatusCode, b)
			}
		}
		for _, path := range []string{"/api/v1/custom_emojis", "/api/v2/filters", "/api/v1/filters", "/api/v1/lists", "/api/v1/blocks",
			"/api/v1/mutes", "/api/v1/domain_blocks", "/api/v1/announcements", "/api/v1/conversations", "/api/v1/followed_tags",
			"/api/v1/featured_tags", "/api/v1/accounts/" + id + "/featured_tags", "/api/v1/accounts/" + id + "/lists",
			"/api/v1/endorsements", "/api/v1/trends", "/api/v1/trends/tags", "/api/v1/trends/statuses", "/api/v1/trends/links",
			"/api/v2/suggestions", "/api/v1/suggestions", "/api/v1/directory", "/api/v1/instance/activity", "/api/v1/instance/peers", "/api/v1/follow_requests"} {
			resp, b := ada.do(http.MethodGet, path, "", nil)
			if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(b)) != "[]" {
				t.Errorf("%s: %d %s", path, resp.StatusCode, b)
			}
		}
		resp, b := ada.do(http.MethodGet, "/api/v1/push/subscription", "", nil)
		if resp.StatusCode != http.StatusNotFound || strings.TrimSpace(string(b)) != `{"error":"Record not found"}` {
			t.Errorf("push subscription: %d %s", resp.StatusCode, b)
		}
		if _, b := anon.do(http.MethodGet, "/api/v1/instance/translation_languages", "", nil); strings.TrimSpace(string(b)) != "{}" {
			t.Errorf("translation languages: %s", b)
		}
		var langs []map[string]string
		anon.ok(http.MethodGet, "/api/v1/instance/languages", "", "", &langs)
		if len(langs) == 0 || langs[0]["code"] == "" || langs[0]["name"] == "" {
			t.Errorf("languages = %v", langs)
		}
	})
}

// reset empties the map or slice v points to, so that decoding into it
// does not merge with what a previous answer left.
func reset(v any) {
	switch p := v.(type) {
	case *map[string]any:
		*p = nil
	case *map[string]map[string]any:
		*p = nil
	case *[]any:
		*p = nil
	case *[]map[string]any:
		*p = nil
	}
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), 90, uint8(y), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
