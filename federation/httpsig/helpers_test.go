package httpsig

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Generated keys, one pair per test binary: RSA key generation takes a while.
var generated struct {
	once sync.Once
	keys [2]*rsa.PrivateKey
}

// testKey returns generated RSA-2048 key i (0 or 1).
func testKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	generated.once.Do(func() {
		for n := range generated.keys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			generated.keys[n] = k
		}
	})
	return generated.keys[i]
}

var errNoSuchKey = errors.New("no such key (404)")

// fakeKeys stands in for the remote actors: a key fetcher is outside this package.
type fakeKeys struct {
	mu        sync.Mutex
	keys      map[string]fakeKey
	calls     int
	refreshes int
}

type fakeKey struct {
	owner  string
	cached crypto.PublicKey // answered when refresh is false
	fresh  crypto.PublicKey // answered when refresh is true; cached when nil
}

func newFakeKeys() *fakeKeys { return &fakeKeys{keys: map[string]fakeKey{}} }

func (f *fakeKeys) add(keyID, owner string, pub crypto.PublicKey) *fakeKeys {
	f.keys[keyID] = fakeKey{owner: owner, cached: pub}
	return f
}

func (f *fakeKeys) PublicKey(_ context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if refresh {
		f.refreshes++
	}
	k, ok := f.keys[keyID]
	if !ok {
		return "", nil, errNoSuchKey
	}
	if refresh && k.fresh != nil {
		return k.owner, k.fresh, nil
	}
	return k.owner, k.cached, nil
}

const (
	aliceActor   = "https://peer.example/users/alice"
	aliceKeyID   = aliceActor + "#main-key"
	malloryActor = "https://peer.example/users/mallory"
	malloryKeyID = malloryActor + "#main-key"
	localHost    = "holon.example"
)

var testNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

const activityBody = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://peer.example/users/alice/statuses/1/activity","type":"Create","actor":"https://peer.example/users/alice","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{"id":"https://peer.example/users/alice/statuses/1","type":"Note","attributedTo":"https://peer.example/users/alice","content":"<p>Assemblée générale jeudi à 19 h.</p>"}}`

// signedReq describes a request as a peer would sign and send it. Its signing string
// is built here, independently of the package's, so that the two can disagree.
type signedReq struct {
	method     string
	target     string // request-target sent: path and query
	signTarget string // request-target signed, when it differs
	host       string
	header     http.Header
	body       string // body signed (through Digest) and sent
	covered    []string
	algorithm  string // "" leaves the parameter out
	created    string
	expires    string
	keyID      string
	key        *rsa.PrivateKey
	authHeader bool // send as "Authorization: Signature …"
}

func basePOST(t testing.TB) signedReq {
	return signedReq{
		method: http.MethodPost,
		target: "/inbox",
		host:   localHost,
		header: http.Header{
			"Date":         {testNow.Format(http.TimeFormat)},
			"Digest":       {sha256Digest(activityBody)},
			"Content-Type": {"application/activity+json"},
		},
		body:      activityBody,
		covered:   []string{"(request-target)", "host", "date", "digest", "content-type"},
		algorithm: "rsa-sha256",
		keyID:     aliceKeyID,
		key:       testKey(t, 0),
	}
}

func baseGET(t testing.TB) signedReq {
	return signedReq{
		method: http.MethodGet,
		target: "/users/bob",
		host:   localHost,
		header: http.Header{
			"Date":   {testNow.Format(http.TimeFormat)},
			"Accept": {"application/activity+json"},
		},
		covered:   []string{"(request-target)", "host", "date", "accept"},
		algorithm: "rsa-sha256",
		keyID:     aliceKeyID,
		key:       testKey(t, 0),
	}
}

func (s signedReq) build(t testing.TB) *http.Request {
	t.Helper()
	r := httptest.NewRequest(s.method, s.target, strings.NewReader(s.body))
	r.Host = s.host
	for k, v := range s.header {
		r.Header[k] = v
	}
	lines := make([]string, 0, len(s.covered))
	for _, h := range s.covered {
		var v string
		switch h {
		case "(request-target)":
			target := s.target
			if s.signTarget != "" {
				target = s.signTarget
			}
			v = strings.ToLower(s.method) + " " + target
		case "(created)":
			v = s.created
		case "(expires)":
			v = s.expires
		case "host":
			v = s.host
		default:
			v = s.header.Get(h)
		}
		lines = append(lines, h+": "+v)
	}
	hashed := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, hashed[:])
	if err != nil {
		t.Fatal(err)
	}
	parts := []string{`keyId="` + s.keyID + `"`}
	if s.algorithm != "" {
		parts = append(parts, `algorithm="`+s.algorithm+`"`)
	}
	if s.created != "" {
		parts = append(parts, "created="+s.created)
	}
	if s.expires != "" {
		parts = append(parts, "expires="+s.expires)
	}
	parts = append(parts, `headers="`+strings.Join(s.covered, " ")+`"`,
		`signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	value := strings.Join(parts, ",")
	if s.authHeader {
		r.Header.Set("Authorization", "Signature "+value)
	} else {
		r.Header.Set("Signature", value)
	}
	return r
}

func sha256Digest(body string) string {
	sum := sha256.Sum256([]byte(body))
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
