package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// pngImage returns a w×h PNG.
func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// follows makes the person follower on from follow name@host of to, through
// the API, and lets both instances settle.
func follows(t *testing.T, from *webtest.Instance, token string, to *webtest.Instance, name string) {
	t.Helper()
	if status, body := api(t, from, token, "POST", "/follows", map[string]any{"target": name + "@" + to.Config.Server.Host}); status != http.StatusAccepted {
		t.Fatalf("follow %s: %d %v", name, status, body)
	}
	settle(t, from, to)
}

func existing(t *testing.T, in *webtest.Instance, name string) membership.Account {
	t.Helper()
	a, err := in.Members.Account(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A person changes their profile (name, fields, avatar): the followers'
// server receives the Update, and keeps the new profile; its icon is
// served by the person's instance.
func TestProfileUpdate_ReachesFollowers(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			person(t, home, "ada")
			zoeToken := person(t, peer, "zoe")
			follows(t, peer, zoeToken, home, "ada")
			ada := existing(t, home, "ada")
			adaURI := home.Config.BaseURL() + "/actors/ada"

			name := "Ada Lovelace"
			fields := []membership.ProfileField{{Name: "Website", Value: "https://ada.example/notes"}, {Name: "Pronouns", Value: "she/her <3"}}
			if _, err := home.Members.UpdateProfile(ctx, ada, membership.ProfileChange{DisplayName: &name, Fields: &fields}); err != nil {
				t.Fatal(err)
			}
			me, err := home.Members.SetAvatar(ctx, ada, "ada", pngImage(t, 64, 48))
			if err != nil {
				t.Fatal(err)
			}
			settle(t, home, peer)

			there, err := peer.Members.ActorByURI(ctx, adaURI)
			if err != nil {
				t.Fatal(err)
			}
			if there.DisplayName != name || there.IconURL != me.IconURL || there.IconMediaType != "image/png" || len(there.Fields) != 2 {
				t.Fatalf("the follower's server has %+v", there)
			}
			if f := there.Fields[0]; f.Name != "Website" || !strings.Contains(f.HTML, `href="https://ada.example/notes"`) {
				t.Fatalf("field %+v", f)
			}
			if f := there.Fields[1]; f.HTML != "she/her &lt;3" {
				t.Fatalf("field %+v", f)
			}
			resp, err := http.Get(strings.Replace(me.IconURL, home.Config.BaseURL(), home.URL, 1))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
				t.Fatalf("icon: %d %v", resp.StatusCode, resp.Header)
			}
		})
	}
}

// An instance rotates a person's key. A follower's server gets the
// Update; a server that only knew the old key (the person follows
// someone there) refetches it when a signature fails. Both accept the next
// note, signed with the new key.
func TestKeyRotation_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			follower := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			followed := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			adaToken := person(t, home, "ada")
			zoeToken := person(t, follower, "zoe")
			person(t, followed, "yan")
			follows(t, follower, zoeToken, home, "ada")
			follows(t, home, adaToken, followed, "yan")
			adaURI := home.Config.BaseURL() + "/actors/ada"
			old, _ := home.Members.LocalActor(ctx, "ada")

			if _, err := home.Members.RotateKey(ctx, existing(t, home, "ada"), "ada"); !errors.Is(err, membership.ErrNotAllowed) {
				t.Fatalf("a person rotated their key themselves: %v", err)
			}
			rotated, err := home.Members.RotateKey(ctx, membership.Operator, "ada")
			if err != nil {
				t.Fatal(err)
			}
			if rotated.KeyID != old.KeyID || rotated.PublicKeyPEM == old.PublicKeyPEM {
				t.Fatalf("key id %s → %s, key changed: %v", old.KeyID, rotated.KeyID, rotated.PublicKeyPEM != old.PublicKeyPEM)
			}
			note, err := home.News.Post(ctx, existing(t, home, "ada"), news.PostInput{Content: "New key, same me. @yan@" + followed.Config.Server.Host})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, home, follower, followed)
			for _, in := range []*webtest.Instance{follower, followed} {
				noteAt(t, in, note.URI)
				there, err := in.Members.ActorByURI(ctx, adaURI)
				if err != nil || there.PublicKeyPEM != rotated.PublicKeyPEM {
					t.Fatalf("%s holds an old key for ada (%v)", in.URL, err)
				}
			}
		})
	}
}

// A person deletes their account: their followers' server removes their
// notes and the follow, and refuses what is later signed with their key;
// their instance answers 410 Gone for them, refuses their tokens, keeps
// their name taken, and drops their key once the Delete is delivered.
func TestAccountDeletion_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			adaToken := person(t, home, "ada")
			zoeToken := person(t, peer, "zoe")
			follows(t, peer, zoeToken, home, "ada")
			follows(t, home, adaToken, peer, "zoe")
			adaURI := home.Config.BaseURL() + "/actors/ada"
			zoeURI := peer.Config.BaseURL() + "/actors/zoe"
			note, err := home.News.Post(ctx, existing(t, home, "ada"), news.PostInput{Content: "Soon gone"})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, home, peer)
			noteAt(t, peer, note.URI)
			keyID, oldKey, err := home.Members.SigningKey(ctx, "ada")
			if err != nil {
				t.Fatal(err)
			}

			if status, body := api(t, home, adaToken, "DELETE", "/accounts/me", map[string]any{"password": "wrong password"}); status != http.StatusBadRequest {
				t.Fatalf("deleted with a wrong password: %d %v", status, body)
			}
			if status, body := api(t, home, adaToken, "DELETE", "/accounts/me", map[string]any{"password": "long enough pw"}); status != http.StatusNoContent {
				t.Fatalf("delete: %d %v", status, body)
			}
			settle(t, home, peer)

			// The peer.
			if n := noteAt(t, peer, note.URI); n.Deleted == nil || n.Content != "" {
				t.Fatalf("the peer still shows the note: %+v", n)
			}
			for _, pair := range [][2]string{{zoeURI, adaURI}, {adaURI, zoeURI}} {
				if st, _ := peer.Members.FollowState(ctx, pair[0], pair[1]); st != "" {
					t.Fatalf("the peer keeps the follow %s → %s (%s)", pair[0], pair[1], st)
				}
			}
			if there, _ := peer.Members.ActorByURI(ctx, adaURI); there.DeletedAt == nil {
				t.Fatalf("the peer has ada as %+v", there)
			}
			late := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": home.Config.BaseURL() + "/activities/late",
				"type": "Create", "actor": adaURI, "object": map[string]any{"id": home.Config.BaseURL() + "/notes/late", "type": "Note",
					"attributedTo": adaURI, "content": "still here?", "to": []string{zoeURI}}}
			if got := postSignedWith(t, keyID, oldKey, peer.URL+"/inbox", late); got != http.StatusUnauthorized {
				t.Fatalf("an activity signed by the deleted actor: %d", got)
			}

			// Home.
			if status, _ := getJSON(t, home.URL+"/.well-known/webfinger?resource=acct:ada@"+home.Config.Server.Host); status != http.StatusGone {
				t.Fatalf("webfinger: %d", status)
			}
			status, doc := getJSON(t, home.URL+"/actors/ada")
			if status != http.StatusGone || doc["type"] != "Tombstone" || doc["formerType"] != "Person" || doc["id"] != adaURI {
				t.Fatalf("actor: %d %v", status, doc)
			}
			follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": peer.Config.BaseURL() + "/activities/f2",
				"type": "Follow", "actor": zoeURI, "object": adaURI}
			if got := signedPost(t, peer, "zoe", home.URL+"/actors/ada/inbox", follow); got != http.StatusGone {
				t.Fatalf("inbox: %d", got)
			}
			if status, _ := api(t, home, adaToken, "GET", "/accounts/me", nil); status != http.StatusUnauthorized {
				t.Fatalf("the token still works: %d", status)
			}
			if _, err := home.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser); !errors.Is(err, membership.ErrNameTaken) {
				t.Fatalf("the name was given again: %v", err)
			}
			if n := noteAt(t, home, note.URI); n.Deleted == nil {
				t.Fatalf("the note stays at home: %+v", n)
			}
			swept, err := home.Members.Sweep(ctx)
			if err != nil || swept.DeletedKeys != 1 {
				t.Fatalf("sweep: %+v %v", swept, err)
			}
			if _, _, err := home.Members.SigningKey(ctx, "ada"); !errors.Is(err, membership.ErrNoSuchActor) {
				t.Fatalf("the key of the deleted actor stays: %v", err)
			}
		})
	}
}

// postSignedWith posts doc to url, signed with key.
func postSignedWith(t *testing.T, keyID string, key *rsa.PrivateKey, url string, doc map[string]any) int {
	t.Helper()
	body, _ := json.Marshal(doc)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.SignPOST(req, body, keyID, key, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
