package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/holon-network/holon/federation/httpsig"
)

// activityJSON is the Content-Type of what peers serve and send.
const activityJSON = "application/activity+json"

// peer is a remote server played by holon-load on an address of its own:
// it serves its actors' documents, in Mastodon's shape, and answers POSTs
// to its inboxes with what onPost says (202 without one).
type peer struct {
	base   string // http://ip:port
	host   string // ip:port
	actors []*remoteActor
	byPath map[string]*remoteActor
	// fetches counts the actor documents served: a server fetches one per
	// key it does not know yet.
	fetches atomic.Int64
	onPost  func(r *http.Request, body []byte) int
	srv     *http.Server
}

// quietLog drops net/http's messages about connections the server under
// test closed.
var quietLog = log.New(io.Discard, "", 0)

// remoteActor is an account on a peer, with the key it signs with.
type remoteActor struct {
	id, keyID, name string
	key             *rsa.PrivateKey
	doc             []byte
}

// startPeer listens on ip (a port of the system's choice) and serves the
// accounts names, which sign with keys[first], keys[first+1]… in turn.
func startPeer(ip string, names []string, keys []*rsa.PrivateKey, first int, onPost func(*http.Request, []byte) int) (*peer, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return nil, fmt.Errorf("listen on %s (any 127.x.y.z address is loopback on Linux): %w", ip, err)
	}
	p := &peer{host: ln.Addr().String(), byPath: map[string]*remoteActor{}, onPost: onPost}
	p.base = "http://" + p.host
	for i, name := range names {
		key := keys[(first+i)%len(keys)]
		a := &remoteActor{id: p.base + "/users/" + name, name: name, key: key}
		a.keyID = a.id + "#main-key"
		if a.doc, err = actorDocument(p.base, a); err != nil {
			_ = ln.Close()
			return nil, err
		}
		p.actors = append(p.actors, a)
		p.byPath["/users/"+name] = a
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

func (p *peer) close() { _ = p.srv.Close() }

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet:
		a, ok := p.byPath[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		p.fetches.Add(1)
		w.Header().Set("Content-Type", activityJSON)
		_, _ = w.Write(a.doc)
	case r.Method == http.MethodPost && (r.URL.Path == "/inbox" || strings.HasSuffix(r.URL.Path, "/inbox")):
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "could not read the body", http.StatusBadRequest)
			return
		}
		status := http.StatusAccepted
		if p.onPost != nil {
			status = p.onPost(r, body)
		}
		w.WriteHeader(status)
	default:
		http.Error(w, "not here", http.StatusNotFound)
	}
}

// actorDocument is a's document as Mastodon serves it: a Person with its
// inboxes, collections and public key.
func actorDocument(base string, a *remoteActor) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(&a.key.PublicKey)
	if err != nil {
		return nil, err
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	return marshal(map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
			map[string]any{"manuallyApprovesFollowers": "as:manuallyApprovesFollowers", "toot": "http://joinmastodon.org/ns#",
				"discoverable": "toot:discoverable"}},
		"id": a.id, "type": "Person",
		"following": a.id + "/following", "followers": a.id + "/followers",
		"inbox": a.id + "/inbox", "outbox": a.id + "/outbox",
		"featured":          a.id + "/collections/featured",
		"preferredUsername": a.name, "name": "Load " + a.name,
		"summary":                   "<p>A remote account played by holon-load.</p>",
		"url":                       base + "/@" + a.name,
		"manuallyApprovesFollowers": false, "discoverable": true, "published": "2024-01-01T00:00:00Z",
		"publicKey": map[string]any{"id": a.keyID, "owner": a.id, "publicKeyPem": pemKey},
		"tag":       []any{}, "attachment": []any{},
		"endpoints": map[string]any{"sharedInbox": base + "/inbox"},
		"icon":      map[string]any{"type": "Image", "mediaType": "image/png", "url": base + "/avatars/" + a.name + ".png"},
	})
}

// generateKeys makes n RSA-2048 keys on every CPU.
func generateKeys(n int) ([]*rsa.PrivateKey, error) {
	keys := make([]*rsa.PrivateKey, n)
	errs := make([]error, n)
	parallel(n, func(i int) { keys[i], errs[i] = rsa.GenerateKey(rand.Reader, 2048) })
	return keys, errors.Join(errs...)
}

// parallel runs fn(0)…fn(n-1) on every CPU.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// signed is an activity POST signed in advance: signing costs about a
// millisecond, which must not count in a measured run.
type signed struct {
	url    string
	body   []byte
	header http.Header
}

// signPOST signs body as a's POST to url at now.
func signPOST(url string, a *remoteActor, body []byte, now time.Time) (signed, error) {
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		return signed{}, err
	}
	req.Header.Set("Content-Type", activityJSON)
	if err := httpsig.SignPOST(req, body, a.keyID, a.key, now); err != nil {
		return signed{}, err
	}
	return signed{url: url, body: body, header: req.Header}, nil
}

// post sends s once and returns "" on a 202.
func (s signed) post(ctx context.Context, client *http.Client) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(s.body))
	if err != nil {
		return err.Error()
	}
	req.Header = s.header
	resp, err := client.Do(req)
	return statusOf(resp, err, http.StatusAccepted)
}

// marshal writes JSON as Mastodon does: HTML left unescaped.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
