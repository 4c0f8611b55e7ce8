package actors_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// peer is a remote server on loopback serving one actor, whose key can be
// rotated and whose documents can be rewritten by a test.
type peer struct {
	srv  *httptest.Server
	hits atomic.Int32

	mu   sync.Mutex
	docs map[string]string // path → document
}

func newPeer(t *testing.T) *peer {
	p := &peer{docs: map[string]string{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.hits.Add(1)
		p.mu.Lock()
		doc, ok := p.docs[r.URL.Path]
		p.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		_, _ = w.Write([]byte(doc))
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *peer) serve(path, doc string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.docs[path] = strings.ReplaceAll(doc, "{{BASE}}", p.srv.URL)
}

func publicPEM(t *testing.T) string {
	t.Helper()
	_, pub, err := membership.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func actorDoc(name, keyID, owner, pem string) string {
	return fmt.Sprintf(`{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1"],
"id":"{{BASE}}/users/%s","type":"Person","preferredUsername":%q,"name":"Ada L.",
"inbox":"{{BASE}}/users/%s/inbox","endpoints":{"sharedInbox":"{{BASE}}/inbox"},
"publicKey":{"id":%q,"owner":%q,"publicKeyPem":%q}}`, name, name, name, keyID, owner, pem)
}

type clock struct{ now atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

func newResolver(t *testing.T, db *store.DB) (*actors.Resolver, *clock) {
	c := &clock{}
	c.now.Store(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC).UnixNano())
	svc := membership.New(db, c, membership.Policy{BaseURL: "https://holon.example"})
	return actors.NewResolver(svc, fetch.New(fetch.Options{AllowPrivate: true, Timeout: 5 * time.Second}), c), c
}

func TestResolver_FetchesOnceThenServesFromTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPeer(t)
		r, _ := newResolver(t, db)
		keyPEM := publicPEM(t)
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", keyPEM))
		keyID := p.srv.URL + "/users/ada#main-key"

		owner, pub, err := r.PublicKey(ctx, keyID, false)
		if err != nil {
			t.Fatal(err)
		}
		if owner != p.srv.URL+"/users/ada" || pub.(*rsa.PublicKey) == nil {
			t.Fatalf("owner %q", owner)
		}
		hits := p.hits.Load()
		if _, _, err := r.PublicKey(ctx, keyID, false); err != nil {
			t.Fatal(err)
		}
		if p.hits.Load() != hits {
			t.Fatal("a known key was fetched again")
		}
	})
}

func TestResolver_RefreshPicksUpARotatedKeyAtMostOncePerInterval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPeer(t)
		r, c := newResolver(t, db)
		keyID := p.srv.URL + "/users/ada#main-key"
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", publicPEM(t)))
		_, first, err := r.PublicKey(ctx, keyID, false)
		if err != nil {
			t.Fatal(err)
		}
		rotated := publicPEM(t)
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", rotated))
		_, second, err := r.PublicKey(ctx, keyID, true)
		if err != nil {
			t.Fatal(err)
		}
		if first.(*rsa.PublicKey).Equal(second) {
			t.Fatal("the refresh kept the old key")
		}
		// A second refresh at once takes what the first stored.
		hits := p.hits.Load()
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", publicPEM(t)))
		if _, third, err := r.PublicKey(ctx, keyID, true); err != nil || !third.(*rsa.PublicKey).Equal(second) || p.hits.Load() != hits {
			t.Fatalf("second refresh at once: %v, fetched %d times", err, p.hits.Load()-hits)
		}
		c.Advance(actors.RefetchInterval)
		if _, _, err := r.PublicKey(ctx, keyID, true); err != nil {
			t.Fatalf("refresh after the interval: %v", err)
		}
	})
}

func TestResolver_RemembersKeysForTheTTLThenReadsTheStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPeer(t)
		r, c := newResolver(t, db)
		keyID := p.srv.URL + "/users/ada#main-key"
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", publicPEM(t)))
		_, first, err := r.PublicKey(ctx, keyID, false)
		if err != nil {
			t.Fatal(err)
		}
		// The key changes in the store by another way than this resolver
		// (a profile refetched): the remembered key serves until the TTL.
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", publicPEM(t)))
		p.mu.Lock()
		rotated, err := actors.ParseActor([]byte(p.docs["/users/ada"]))
		p.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		svc := membership.New(db, c, membership.Policy{BaseURL: "https://holon.example"})
		if _, err := svc.SaveRemoteActor(ctx, rotated); err != nil {
			t.Fatal(err)
		}
		fetches := p.hits.Load()
		key := func() *rsa.PublicKey {
			t.Helper()
			_, pub, err := r.PublicKey(ctx, keyID, false)
			if err != nil {
				t.Fatal(err)
			}
			return pub.(*rsa.PublicKey)
		}
		if !key().Equal(first) {
			t.Fatal("within the TTL the key was not the remembered one")
		}
		c.Advance(actors.KeyCacheTTL)
		second := key()
		if second.Equal(first) {
			t.Fatal("after the TTL the key was not read from the store again")
		}
		if p.hits.Load() != fetches {
			t.Fatal("a stored key was fetched")
		}
		// A refresh bypasses the memory.
		if _, _, err := r.PublicKey(ctx, keyID, true); err != nil || p.hits.Load() == fetches {
			t.Fatalf("a refresh did not fetch: %v", err)
		}
	})
}

func TestResolver_RefusesKeysTheActorDoesNotOwn(t *testing.T) {
	tests := []struct {
		name  string
		setup func(p *peer, pem string) (keyID string)
	}{
		{"key owned by someone else", func(p *peer, pem string) string {
			p.serve("/users/eve", actorDoc("eve", "{{BASE}}/users/eve#main-key", "{{BASE}}/users/ada", pem))
			return p.srv.URL + "/users/eve#main-key"
		}},
		{"key id on another host", func(p *peer, pem string) string {
			p.serve("/users/eve", actorDoc("eve", "https://elsewhere.example/keys/1", "{{BASE}}/users/eve", pem))
			return p.srv.URL + "/users/eve#main-key"
		}},
		{"actor names another key", func(p *peer, pem string) string {
			p.serve("/users/eve", actorDoc("eve", "{{BASE}}/users/eve#other-key", "{{BASE}}/users/eve", pem))
			return p.srv.URL + "/users/eve#main-key"
		}},
		{"bare key whose owner is on another host", func(p *peer, pem string) string {
			p.serve("/keys/1", fmt.Sprintf(`{"@context":"https://w3id.org/security/v1","id":"{{BASE}}/keys/1","owner":"https://elsewhere.example/users/eve","publicKeyPem":%q}`, pem))
			return p.srv.URL + "/keys/1"
		}},
		{"not an actor", func(p *peer, pem string) string {
			p.serve("/notes/1", `{"@context":"https://www.w3.org/ns/activitystreams","id":"{{BASE}}/notes/1","type":"Note","content":"hi"}`)
			return p.srv.URL + "/notes/1"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				p := newPeer(t)
				r, _ := newResolver(t, db)
				keyID := tt.setup(p, publicPEM(t))
				if owner, _, err := r.PublicKey(context.Background(), keyID, false); err == nil {
					t.Fatalf("accepted, owner %s", owner)
				}
				if _, err := db.Actors().ByKeyID(context.Background(), keyID); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("something was stored: %v", err)
				}
			})
		})
	}
}

// GoToSocial's key ids have no fragment and serve the key (or a stub)
// apart from the actor.
func TestResolver_BareKeyDocumentLeadsToItsOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		p := newPeer(t)
		r, _ := newResolver(t, db)
		pem := publicPEM(t)
		p.serve("/users/ada/main-key", fmt.Sprintf(`{"@context":"https://w3id.org/security/v1","id":"{{BASE}}/users/ada/main-key","owner":"{{BASE}}/users/ada","publicKeyPem":%q}`, pem))
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada/main-key", "{{BASE}}/users/ada", pem))
		owner, _, err := r.PublicKey(context.Background(), p.srv.URL+"/users/ada/main-key", false)
		if err != nil || owner != p.srv.URL+"/users/ada" {
			t.Fatalf("owner %q, %v", owner, err)
		}
	})
}

func TestResolver_LocalKeysNeedNoFetch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := membership.New(db, core.SystemClock{}, membership.Policy{BaseURL: "https://holon.example"})
		inst, err := svc.EnsureInstanceActor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := actors.NewResolver(svc, fetch.New(fetch.Options{}), core.SystemClock{})
		owner, _, err := r.PublicKey(ctx, inst.KeyID, true)
		if err != nil || owner != inst.URI {
			t.Fatalf("owner %q, %v", owner, err)
		}
	})
}

// Real peers' actor documents parse to what Holon needs of them.
func TestParseActor_RealPayloads(t *testing.T) {
	dir := fixtures.Dir(t)
	tests := []struct {
		file, kind, inbox, sharedInbox, keyID string
	}{
		{"mastodon-person.json", "Person", "https://masto.qa.urbanwildlife.biz/users/mastodon/inbox", "https://masto.qa.urbanwildlife.biz/inbox", "https://masto.qa.urbanwildlife.biz/users/mastodon#main-key"},
		{"gotosocial-person.json", "Person", "http://example.org/users/1happyturtle/inbox", "", "http://example.org/users/1happyturtle#main-key"},
		{"pleroma-person.json", "Person", "https://queer.hacktivis.me/users/lanodan/inbox", "https://queer.hacktivis.me/inbox", "https://queer.hacktivis.me/users/lanodan#main-key"},
		{"lemmy-group.json", "Group", "https://enterprise.lemmy.ml/c/tenforward/inbox", "https://enterprise.lemmy.ml/inbox", "https://enterprise.lemmy.ml/c/tenforward#main-key"},
		{"mobilizon-group.json", "Group", "https://mobilizon.fr/@contribateliers/inbox", "https://mobilizon.fr/inbox", "https://mobilizon.fr/@contribateliers#main-key"},
		{"peertube-channel-group.json", "Group", "https://tilvids.com/video-channels/thelinuxexperiment_channel/inbox", "https://tilvids.com/inbox", "https://tilvids.com/video-channels/thelinuxexperiment_channel#main-key"},
		{"friendica-person.json", "Person", "https://soc.schuerz.at/inbox/jakob", "https://soc.schuerz.at/inbox", "https://soc.schuerz.at/profile/jakob#main-key"},
		{"wordpress-group.json", "Group", "https://dbzer0.com/wp-json/activitypub/1.0/actors/0/inbox", "https://dbzer0.com/wp-json/activitypub/1.0/inbox", "https://dbzer0.com/?author=0#main-key"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := actors.ParseActor(raw)
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != tt.kind || a.Inbox != tt.inbox || a.SharedInbox != tt.sharedInbox || a.KeyID != tt.keyID || a.Username == "" {
				t.Fatalf("got kind %q inbox %q shared %q key %q user %q", a.Kind, a.Inbox, a.SharedInbox, a.KeyID, a.Username)
			}
		})
	}
}
