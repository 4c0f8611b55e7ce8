package inbox_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// pair is a receiving instance and a peer instance on another loopback
// address, each with one person.
type pair struct {
	in, peer *webtest.Instance
	keyID    string
	key      *rsa.PrivateKey
	ada, bob string // actor ids: ada on the peer, bob on the receiving instance
}

func eachPair(t *testing.T, fn func(t *testing.T, p pair)) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			in := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			for _, side := range []struct {
				inst *webtest.Instance
				name string
			}{{in, "bob"}, {peer, "ada"}} {
				if _, err := side.inst.Members.CreateAccount(ctx, membership.NewAccount{Username: side.name, Email: side.name + "@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
					t.Fatal(err)
				}
			}
			keyID, key, err := peer.Members.SigningKey(ctx, "ada")
			if err != nil {
				t.Fatal(err)
			}
			fn(t, pair{in: in, peer: peer, keyID: keyID, key: key,
				ada: peer.Config.BaseURL() + "/actors/ada", bob: in.Config.BaseURL() + "/actors/bob"})
		})
	}
}

var seq atomic.Int64

func (p pair) follow() map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       fmt.Sprintf("%s/activities/%d", p.peer.Config.BaseURL(), seq.Add(1)),
		"type":     "Follow",
		"actor":    p.ada,
		"object":   p.bob,
	}
}

// post sends doc to path on the receiving instance, signed by ada unless
// edit changes the request after signing.
func (p pair) post(t *testing.T, path string, doc any, signedAt time.Time, edit func(*http.Request, *[]byte)) int {
	t.Helper()
	body, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", p.in.URL+path, nil)
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.SignPOST(req, body, p.keyID, p.key, signedAt); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(req, &body)
		req.Body = http.NoBody
		if body != nil {
			req.Body = nopCloser{bytes.NewReader(body)}
			req.ContentLength = int64(len(body))
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func stored(t *testing.T, db *store.DB, activityID string) bool {
	t.Helper()
	_, err := db.Inbox().ByActivityID(context.Background(), activityID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestReceive_SignedActivityIsStoredOnce(t *testing.T) {
	eachPair(t, func(t *testing.T, p pair) {
		doc := p.follow()
		for _, path := range []string{"/actors/bob/inbox", "/inbox", "/actors/bob/inbox"} {
			if got := p.post(t, path, doc, time.Now(), nil); got != http.StatusAccepted {
				t.Fatalf("POST %s: %d", path, got)
			}
		}
		a, err := p.in.DB.Inbox().ByActivityID(context.Background(), doc["id"].(string))
		if err != nil {
			t.Fatal(err)
		}
		if a.Actor != p.ada || a.Type != "Follow" || a.Recipient != p.bob || a.State != store.InboxPending {
			t.Fatalf("stored %+v", a)
		}
		counts, _ := p.in.DB.Inbox().CountByState(context.Background())
		if counts[store.InboxPending] != 1 {
			t.Fatalf("stored %v, want one activity", counts)
		}
	})
}

func TestReceive_RefusalsStoreNothing(t *testing.T) {
	eachPair(t, func(t *testing.T, p pair) {
		base := p.peer.Config.BaseURL()
		tests := []struct {
			name   string
			path   string
			doc    func() map[string]any
			at     time.Time
			edit   func(*http.Request, *[]byte)
			status int
		}{
			{"no signature", "/inbox", p.follow, time.Now(), func(r *http.Request, _ *[]byte) { r.Header.Del("Signature") }, 401},
			{"body changed after signing", "/inbox", p.follow, time.Now(), func(_ *http.Request, b *[]byte) {
				*b = bytes.Replace(*b, []byte("Follow"), []byte("Block"), 1)
			}, 401},
			{"stale date", "/inbox", p.follow, time.Now().Add(-2 * time.Hour), nil, 401},
			{"signer is not the actor", "/inbox", func() map[string]any {
				d := p.follow()
				d["actor"] = base + "/actors/cyd"
				return d
			}, time.Now(), nil, 401},
			{"activity id on another host", "/inbox", func() map[string]any {
				d := p.follow()
				d["id"] = "https://elsewhere.example/activities/1"
				return d
			}, time.Now(), nil, 403},
			{"create of an object on another host", "/inbox", func() map[string]any {
				d := p.follow()
				d["type"] = "Create"
				d["object"] = map[string]any{"id": p.in.Config.BaseURL() + "/notes/forged", "type": "Note", "content": "forged"}
				return d
			}, time.Now(), nil, 403},
			{"delete of a foreign object", "/inbox", func() map[string]any {
				d := p.follow()
				d["type"] = "Delete"
				d["object"] = "https://elsewhere.example/notes/1"
				return d
			}, time.Now(), nil, 403},
			{"wrong content type", "/inbox", p.follow, time.Now(), func(r *http.Request, _ *[]byte) {
				r.Header.Set("Content-Type", "text/plain")
			}, 415},
			{"unknown inbox", "/actors/nobody/inbox", p.follow, time.Now(), nil, 404},
			{"no actor", "/inbox", func() map[string]any {
				d := p.follow()
				delete(d, "actor")
				return d
			}, time.Now(), nil, 400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				doc := tt.doc()
				if got := p.post(t, tt.path, doc, tt.at, tt.edit); got != tt.status {
					t.Fatalf("status %d, want %d", got, tt.status)
				}
				if id, _ := doc["id"].(string); stored(t, p.in.DB, id) {
					t.Fatal("a refused activity was stored")
				}
			})
		}
		t.Run("over 1 MiB", func(t *testing.T) {
			doc := p.follow()
			doc["padding"] = strings.Repeat("x", inbox.MaxBody)
			if got := p.post(t, "/inbox", doc, time.Now(), nil); got != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d", got)
			}
		})
	})
}

type testClock struct{ now atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *testClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

func TestProcess_IgnoredRetriedFailedDone(t *testing.T) {
	eachPair(t, func(t *testing.T, p pair) {
		ctx := context.Background()
		docs := map[string]map[string]any{}
		for _, kind := range []string{"Follow", "Like", "Announce", "Block"} {
			d := p.follow()
			d["type"] = kind
			docs[kind] = d
			if got := p.post(t, "/inbox", d, time.Now(), nil); got != http.StatusAccepted {
				t.Fatalf("%s: %d", kind, got)
			}
		}
		clock := &testClock{}
		clock.now.Store(time.Now().Add(time.Second).UnixNano())
		proc := inbox.NewProcessor(p.in.DB, clock, zerolog.Nop(), 2, nil)
		var likes atomic.Int32
		proc.Handle("Follow", func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
			if doc["actor"] != p.ada {
				return fmt.Errorf("handler got %v", doc["actor"])
			}
			return nil
		})
		proc.Handle("Like", func(context.Context, store.InboxActivity, map[string]any) error {
			likes.Add(1)
			return errors.New("the liked note is not there yet")
		})
		proc.Handle("Announce", func(context.Context, store.InboxActivity, map[string]any) error { panic("bad payload") })

		if n, err := proc.ProcessDue(ctx); err != nil || n != 4 {
			t.Fatalf("processed %d, %v", n, err)
		}
		state := func(kind string) store.InboxActivity {
			a, err := p.in.DB.Inbox().ByActivityID(ctx, docs[kind]["id"].(string))
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		if s := state("Follow").State; s != store.InboxDone {
			t.Fatalf("Follow: %s (%s)", s, state("Follow").LastError)
		}
		if s := state("Block").State; s != store.InboxIgnored {
			t.Fatalf("Block without a handler: %s", s)
		}
		like := state("Like")
		if like.State != store.InboxPending || like.Attempts != 1 || !like.NextAttemptAt.After(clock.Now()) || like.LastError == "" {
			t.Fatalf("Like after one failure: %+v", like)
		}
		if a := state("Announce"); a.State != store.InboxPending || !strings.Contains(a.LastError, "panicked") {
			t.Fatalf("Announce after a panic: %+v", a)
		}
		// Nothing is due before the retry time.
		if n, _ := proc.ProcessDue(ctx); n != 0 {
			t.Fatalf("retried %d too early", n)
		}
		for range inbox.MaxAttempts {
			clock.Advance(inbox.MaxRetryDelay * 2)
			if _, err := proc.ProcessDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if like := state("Like"); like.State != store.InboxFailed || like.Attempts != inbox.MaxAttempts || likes.Load() != inbox.MaxAttempts {
			t.Fatalf("Like after %d failures: %+v (%d calls)", inbox.MaxAttempts, like, likes.Load())
		}
		counts, _ := p.in.DB.Inbox().CountByState(ctx)
		if counts[store.InboxFailed] != 2 || counts[store.InboxDone] != 1 || counts[store.InboxIgnored] != 1 {
			t.Fatalf("counts %v", counts)
		}
	})
}
