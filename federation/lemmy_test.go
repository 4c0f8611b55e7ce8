package federation_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// lemmySite stands for a Lemmy instance on a loopback address: it serves
// a community and a user from Lemmy's own fixtures (their ids moved to
// its address, their keys replaced by ones it holds) and posts, records
// what it is sent, and signs what it sends as Lemmy does.
type lemmySite struct {
	t    *testing.T
	base string
	keys map[string]*rsa.PrivateKey // actor path → its private key

	mu       sync.Mutex
	docs     map[string]lemmyDoc // path → what it answers
	received []map[string]any
	sent     int
}

type lemmyDoc struct {
	status int
	body   []byte
}

func startLemmy(t *testing.T, ip string) *lemmySite {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	l := &lemmySite{t: t, base: "http://" + ln.Addr().String(), keys: map[string]*rsa.PrivateKey{}, docs: map[string]lemmyDoc{}}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: l}}
	srv.Start()
	t.Cleanup(srv.Close)
	l.actor("/c/tenforward", "lemmy-group.json")
	l.actor("/u/picard", "lemmy-person.json")
	return l
}

// fixture reads a Lemmy fixture, its ids moved to the site's address.
func (l *lemmySite) fixture(name string) map[string]any {
	l.t.Helper()
	raw := fixtures.Read(l.t, name)
	raw = bytes.ReplaceAll(raw, []byte("https://enterprise.lemmy.ml"), []byte(l.base))
	raw = bytes.ReplaceAll(raw, []byte("http://enterprise.lemmy.ml"), []byte(l.base))
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		l.t.Fatal(err)
	}
	return doc
}

// actor serves the fixture at path with a fresh key.
func (l *lemmySite) actor(path, fixture string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		l.t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		l.t.Fatal(err)
	}
	doc := l.fixture(fixture)
	doc["publicKey"].(map[string]any)["publicKeyPem"] = string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	l.keys[path] = key
	l.serve(path, http.StatusOK, doc)
}

func (l *lemmySite) serve(path string, status int, doc map[string]any) {
	body, err := json.Marshal(doc)
	if err != nil {
		l.t.Fatal(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.docs[path] = lemmyDoc{status: status, body: body}
}

func (l *lemmySite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.Method == http.MethodPost {
		var doc map[string]any
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&doc); err != nil {
			http.Error(w, "bad activity", http.StatusBadRequest)
			return
		}
		l.received = append(l.received, doc)
		w.WriteHeader(http.StatusOK)
		return
	}
	d, ok := l.docs[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	w.WriteHeader(d.status)
	_, _ = w.Write(d.body)
}

// lastReceived is the last activity the site was sent.
func (l *lemmySite) lastReceived() map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.received) == 0 {
		l.t.Fatal("the Lemmy site received nothing")
	}
	return l.received[len(l.received)-1]
}

// send posts doc to inbox, signed by the site's actor at path.
func (l *lemmySite) send(from, inbox string, doc map[string]any) int {
	l.t.Helper()
	body, _ := json.Marshal(doc)
	req, _ := http.NewRequest("POST", inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.SignPOST(req, body, l.base+from+"#main-key", l.keys[from], time.Now()); err != nil {
		l.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// announce wraps activity in the community's Announce, as Lemmy sends it.
func (l *lemmySite) announce(activity map[string]any) map[string]any {
	l.sent++
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
		"id": l.base + "/activities/announce/" + strconv.Itoa(l.sent), "type": "Announce",
		"actor": l.base + "/c/tenforward", "to": []string{"https://www.w3.org/ns/activitystreams#Public"},
		"cc": []string{l.base + "/c/tenforward/followers"}, "object": activity}
}

// A person follows a Lemmy community. The community's Announce{Create{Page}}
// brings the post, fetched from the Lemmy site whatever the embedded copy
// says, stored with its title, and boosted by the community. Its
// Announce{Update} refetches the post; its Announce{Delete} deletes it only
// once the site serves a Tombstone. Announce{Like} and an Announce of an
// Announce change nothing. A Create carrying only an Article's id is
// fetched.
func TestLemmyCommunity_AnnouncedPostsAreFetchedFromTheirOrigin(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			lemmy := startLemmy(t, "127.0.0.3")
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			_, zoeToken := account(t, peer, "zoe")
			zoe := peer.Config.BaseURL() + "/actors/zoe"
			community, picard := lemmy.base+"/c/tenforward", lemmy.base+"/u/picard"
			post := lemmy.base + "/post/55143"
			lemmy.serve("/post/55143", http.StatusOK, lemmy.fixture("lemmy-page.json"))

			// zoe follows the community, which accepts as Lemmy does.
			if status, body := api(t, peer, zoeToken, "POST", "/follows", map[string]any{"target": community}); status != http.StatusAccepted {
				t.Fatalf("follow: %d %v", status, body)
			}
			delivered(t, peer, 1)
			follow := lemmy.lastReceived()
			accept := lemmy.fixture("lemmy-accept-follow.json")
			accept["id"], accept["actor"], accept["to"], accept["object"] = lemmy.base+"/activities/accept/1", community, []string{zoe}, follow
			if follow["type"] != "Follow" || follow["object"] != community {
				t.Fatalf("the site received %v", follow)
			}
			if got := lemmy.send("/c/tenforward", peer.URL+"/inbox", accept); got != http.StatusAccepted {
				t.Fatalf("Accept: %d", got)
			}
			processed(t, peer, 1)
			if st, _ := peer.Members.FollowState(ctx, zoe, community); st != membership.FollowAccepted {
				t.Fatalf("follow state %q", st)
			}

			// Announce{Create{Page}}, whose embedded Page lies.
			create := lemmy.fixture("lemmy-create-page.json")
			forged := lemmy.fixture("lemmy-page.json")
			forged["name"], forged["content"] = "Free money", "<p>forged</p>"
			create["id"], create["actor"], create["object"] = lemmy.base+"/activities/create/1", picard, forged
			announced := func(activity map[string]any) {
				t.Helper()
				if got := lemmy.send("/c/tenforward", peer.URL+"/inbox", lemmy.announce(activity)); got != http.StatusAccepted {
					t.Fatalf("Announce{%v}: %d", activity["type"], got)
				}
				processed(t, peer, 1)
			}
			announced(create)
			n := noteAt(t, peer, post)
			if n.Title != "Post title" || !strings.Contains(n.Content, "This is a post in the /c/tenforward community") ||
				strings.Contains(n.Content, "forged") || n.Author.URI != picard || n.Visibility != news.Public {
				t.Fatalf("the peer stored %+v", n)
			}
			if _, ok := boostedBy(t, peer, community, post); !ok {
				t.Fatal("no boost by the community")
			}
			status, body := api(t, peer, zoeToken, "GET", "/notes/"+n.ID.String(), nil)
			if status != http.StatusOK || body["title"] != "Post title" {
				t.Fatalf("the API shows %d %v", status, body)
			}

			// A Like passed on, and an Announce of an Announce, change nothing.
			announced(map[string]any{"id": lemmy.base + "/activities/like/1", "type": "Like", "actor": picard, "object": post})
			second := lemmy.base + "/post/2"
			page := lemmy.fixture("lemmy-page.json")
			page["id"], page["cc"] = second, []string{zoe}
			lemmy.serve("/post/2", http.StatusOK, page)
			announced(lemmy.announce(map[string]any{"id": lemmy.base + "/activities/create/2", "type": "Create", "actor": picard, "object": page}))
			if likes, boosts, _ := peer.News.Reactions(ctx, n.ID); likes != 0 || boosts != 1 {
				t.Fatalf("%d likes, %d boosts", likes, boosts)
			}
			if _, err := peer.News.ByURI(ctx, second); err == nil {
				t.Fatal("an Announce nested two deep was followed")
			}

			// The post is edited at the origin: Announce{Update} refetches it.
			edited := lemmy.fixture("lemmy-page.json")
			edited["name"], edited["content"], edited["updated"] = "Post title, edited", "<p>edited</p>", time.Now().UTC().Format(time.RFC3339)
			lemmy.serve("/post/55143", http.StatusOK, edited)
			announced(map[string]any{"id": lemmy.base + "/activities/update/1", "type": "Update", "actor": picard, "object": forged})
			if n := noteAt(t, peer, post); n.Title != "Post title, edited" || n.Content != "<p>edited</p>" {
				t.Fatalf("after the Update: %q %q", n.Title, n.Content)
			}

			// A Delete the origin does not confirm changes nothing; once it
			// serves a Tombstone, the post is deleted.
			del := map[string]any{"id": lemmy.base + "/activities/delete/1", "type": "Delete", "actor": picard, "object": post}
			announced(del)
			if n := noteAt(t, peer, post); n.Deleted != nil {
				t.Fatal("deleted while the origin still serves it")
			}
			lemmy.serve("/post/55143", http.StatusGone, map[string]any{"id": post, "type": "Tombstone"})
			announced(del)
			if n := noteAt(t, peer, post); n.Deleted == nil || n.Title != "" {
				t.Fatalf("not deleted once the origin serves a Tombstone: %+v", n)
			}

			// A Create with only the id of an Article addressed to zoe.
			article := lemmy.fixture("lemmy-page.json")
			article["id"], article["type"], article["name"], article["cc"] = lemmy.base+"/post/3", "Article", "An article", []string{zoe}
			lemmy.serve("/post/3", http.StatusOK, article)
			if got := lemmy.send("/u/picard", peer.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": lemmy.base + "/activities/create/3", "type": "Create", "actor": picard, "object": lemmy.base + "/post/3"}); got != http.StatusAccepted {
				t.Fatalf("Create by id: %d", got)
			}
			processed(t, peer, 1)
			if a := noteAt(t, peer, lemmy.base+"/post/3"); a.Title != "An article" || a.Author.URI != picard {
				t.Fatalf("the article: %+v", a)
			}
			// A Tombstone served with 200 is as good as a 410.
			lemmy.serve("/post/3", http.StatusOK, map[string]any{"id": lemmy.base + "/post/3", "type": "Tombstone"})
			announced(map[string]any{"id": lemmy.base + "/activities/delete/3", "type": "Delete", "actor": picard, "object": lemmy.base + "/post/3"})
			if a := noteAt(t, peer, lemmy.base+"/post/3"); a.Deleted == nil {
				t.Fatal("the article was not deleted")
			}
			counts, _ := peer.DB.Inbox().CountByState(ctx)
			if counts[store.InboxFailed] != 0 || counts[store.InboxPending] != 0 {
				t.Fatalf("the peer's inbox: %v", counts)
			}
		})
	}
}
