package federation_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/internal/testkeys"
)

// testRelay is a Mastodon-style relay (FEP-ae0c), as yukimochi's
// Activity-Relay and pub-relay behave for activities without an LD
// signature: it answers a signed Follow of as:Public with a signed Accept
// (or Reject) embedding the Follow, forgets a subscriber on its Undo, and
// passes a subscriber's public Create on to the other subscribers as an
// Announce of the created object's id, signed by its own actor. Every
// request it receives must carry a valid HTTP signature by the activity's
// actor.
type testRelay struct {
	t      *testing.T
	srv    *httptest.Server
	URL    string
	key    *rsa.PrivateKey
	pubPEM string
	// reject makes it answer Follows with a Reject.
	reject bool

	mu          sync.Mutex
	subscribers map[string]string // actor id → inbox
	received    []map[string]any
	seq         int
}

func startTestRelay(t *testing.T, ip string, reject bool) *testRelay {
	t.Helper()
	privPEM, pubPEM, err := testkeys.Small()
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(privPEM))
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}
	r := &testRelay{t: t, key: k.(*rsa.PrivateKey), pubPEM: pubPEM, reject: reject, subscribers: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /actor", r.serveActor)
	mux.HandleFunc("POST /inbox", r.serveInbox)
	r.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux}}
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	r.URL = r.srv.URL
	return r
}

func (r *testRelay) actor() string { return r.URL + "/actor" }

func (r *testRelay) serveActor(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                r.actor(),
		"type":              "Application",
		"preferredUsername": "relay",
		"inbox":             r.URL + "/inbox",
		"endpoints":         map[string]any{"sharedInbox": r.URL + "/inbox"},
		"publicKey":         map[string]any{"id": r.actor() + "#main-key", "owner": r.actor(), "publicKeyPem": r.pubPEM},
	})
}

// keys fetches the signers' keys from their actor documents.
type relayKeys struct{}

func (relayKeys) PublicKey(ctx context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
	doc, err := relayGetJSON(ctx, strings.SplitN(keyID, "#", 2)[0])
	if err != nil {
		return "", nil, err
	}
	pk, _ := doc["publicKey"].(map[string]any)
	pemText, _ := pk["publicKeyPem"].(string)
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return "", nil, errors.New("no key")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return "", nil, err
	}
	owner, _ := pk["owner"].(string)
	return owner, pub, nil
}

func relayGetJSON(ctx context.Context, url string) (map[string]any, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	var doc map[string]any
	return doc, json.NewDecoder(resp.Body).Decode(&doc)
}

func (r *testRelay) serveInbox(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	signed, err := httpsig.Verify(req, body, time.Now(), relayKeys{})
	if err != nil {
		http.Error(w, "signature refused: "+err.Error(), http.StatusUnauthorized)
		return
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc["actor"] != signed.Owner {
		http.Error(w, "the signer is not the actor", http.StatusUnauthorized)
		return
	}
	actor, _ := doc["actor"].(string)
	r.mu.Lock()
	r.received = append(r.received, doc)
	r.mu.Unlock()
	switch doc["type"] {
	case "Follow":
		if doc["object"] != "https://www.w3.org/ns/activitystreams#Public" {
			http.Error(w, "follow as:Public to subscribe", http.StatusBadRequest)
			return
		}
		ad, err := relayGetJSON(req.Context(), actor)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		inbox, _ := ad["inbox"].(string)
		if ep, ok := ad["endpoints"].(map[string]any); ok && ep["sharedInbox"] != nil {
			inbox, _ = ep["sharedInbox"].(string)
		}
		answer := "Accept"
		if r.reject {
			answer = "Reject"
		} else {
			r.mu.Lock()
			r.subscribers[actor] = inbox
			r.mu.Unlock()
		}
		r.send(inbox, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.newID(),
			"type": answer, "actor": r.actor(), "object": doc})
	case "Undo":
		r.mu.Lock()
		delete(r.subscribers, actor)
		r.mu.Unlock()
	case "Create":
		obj, _ := doc["object"].(map[string]any)
		r.mu.Lock()
		var to []string
		subscribed := false
		for a, inbox := range r.subscribers {
			if sameHost(a, actor) {
				subscribed = true
				continue
			}
			to = append(to, inbox)
		}
		r.mu.Unlock()
		if !subscribed {
			http.Error(w, "only subscribers are relayed", http.StatusForbidden)
			return
		}
		for _, inbox := range to {
			r.announce(inbox, obj["id"].(string))
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// announce sends inbox the relay's Announce of the object id.
func (r *testRelay) announce(inbox, object string) int {
	return r.send(inbox, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.newID(),
		"type": "Announce", "actor": r.actor(), "object": object,
		"to": []any{r.URL + "/followers"}, "published": time.Now().UTC().Format(time.RFC3339)})
}

// announceEmbedded sends inbox the relay's Announce embedding obj whole, as
// some relays pass posts on; the receiver must not trust the copy.
func (r *testRelay) announceEmbedded(inbox string, obj map[string]any) int {
	return r.send(inbox, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.newID(),
		"type": "Announce", "actor": r.actor(), "object": obj, "to": []any{r.URL + "/followers"}})
}

func (r *testRelay) newID() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	return fmt.Sprintf("%s/activities/%d", r.URL, r.seq)
}

func (r *testRelay) send(inbox string, doc map[string]any) int {
	body, _ := json.Marshal(doc)
	req, _ := http.NewRequest("POST", inbox, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.SignPOST(req, body, r.actor()+"#main-key", r.key, time.Now()); err != nil {
		r.t.Error(err)
		return 0
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Errorf("relay POST %s: %v", inbox, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// receivedOf returns the activities of type kind the relay received.
func (r *testRelay) receivedOf(kind string) []map[string]any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []map[string]any
	for _, d := range r.received {
		if d["type"] == kind {
			out = append(out, d)
		}
	}
	return out
}

func sameHost(a, b string) bool {
	host := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		return strings.SplitN(s, "/", 2)[0]
	}
	return host(a) == host(b)
}
