package httpsig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// inbox is a loopback server that verifies every request it receives, as of testNow.
func inbox(t *testing.T, keys KeyFetcher) *httptest.Server {
	t.Helper()
	return inboxAt(t, keys, func() time.Time { return testNow })
}

// inboxAt is inbox with its own clock.
func inboxAt(t *testing.T, keys KeyFetcher, now func() time.Time) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res, err := Verify(r, body, now(), keys)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprint(w, res.Owner)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func send(t *testing.T, r *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestSignPOST_VerifiesOverLoopback(t *testing.T) {
	key := testKey(t, 0)
	srv := inbox(t, newFakeKeys().add(aliceKeyID, aliceActor, &key.PublicKey))
	for _, path := range []string{
		"/inbox",
		"/users/a%40b/inbox",          // kept escaped on the wire: r.URL.Path would say "@"
		"/tags/a%2Fb/inbox?x=1&y=%20", // an escaped slash and a query
	} {
		t.Run(path, func(t *testing.T) {
			r, err := http.NewRequest(http.MethodPost, srv.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/activity+json")
			if err := SignPOST(r, []byte(activityBody), aliceKeyID, key, testNow); err != nil {
				t.Fatal(err)
			}
			if status, msg := send(t, r); status != http.StatusAccepted || msg != aliceActor {
				t.Fatalf("inbox answered %d %s", status, msg)
			}
		})
	}
}

func TestSignPOST_SetsHeaders(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPost, "https://peer.example:8443/inbox", strings.NewReader("stale"))
	r.Header.Set("Content-Type", "application/activity+json")
	r.Header.Set("Host", "ignored.example") // Go's client never sends this one
	if err := SignPOST(r, []byte(activityBody), aliceKeyID, testKey(t, 0), testNow.In(time.FixedZone("CET", 3600))); err != nil {
		t.Fatal(err)
	}
	if r.Host != "peer.example:8443" {
		t.Errorf("Host = %q", r.Host)
	}
	if got, want := r.Header.Get("Date"), "Sat, 14 Mar 2026 15:09:26 GMT"; got != want {
		t.Errorf("Date = %q, want %q (UTC)", got, want)
	}
	if got, want := r.Header.Get("Digest"), sha256Digest(activityBody); got != want {
		t.Errorf("Digest = %q, want %q", got, want)
	}
	p, err := parseParams(r.Header.Get("Signature"))
	if err != nil {
		t.Fatal(err)
	}
	if p.keyID != aliceKeyID || p.algorithm != "rsa-sha256" ||
		strings.Join(p.headers, " ") != "(request-target) host date digest content-type" {
		t.Errorf("Signature = %s", r.Header.Get("Signature"))
	}
	body, _ := io.ReadAll(r.Body)
	if !bytes.Equal(body, []byte(activityBody)) || r.ContentLength != int64(len(activityBody)) {
		t.Errorf("body = %q (length %d), want the signed one", body, r.ContentLength)
	}
}

func TestSignPOST_RetryReplacesSignature(t *testing.T) {
	r, _ := http.NewRequest(http.MethodPost, "https://peer.example/inbox", nil)
	r.Header.Set("Content-Type", "application/activity+json")
	key := testKey(t, 0)
	for _, at := range []time.Time{testNow, testNow.Add(time.Minute)} {
		if err := SignPOST(r, []byte(activityBody), aliceKeyID, key, at); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.Header.Values("Signature")); n != 1 {
		t.Errorf("%d Signature headers after a retry", n)
	}
	if n := len(r.Header.Values("Digest")); n != 1 {
		t.Errorf("%d Digest headers after a retry", n)
	}
	if got, want := r.Header.Get("Date"), testNow.Add(time.Minute).Format(http.TimeFormat); got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
}

func TestSignGET_VerifiesOverLoopback(t *testing.T) {
	key := testKey(t, 0)
	srv := inbox(t, newFakeKeys().add(aliceKeyID, aliceActor, &key.PublicKey))
	r, _ := http.NewRequest(http.MethodGet, srv.URL+"/users/bob/outbox?page=true&min_id=0", nil)
	r.Header.Set("Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if err := SignGET(r, aliceKeyID, key, testNow); err != nil {
		t.Fatal(err)
	}
	p, _ := parseParams(r.Header.Get("Signature"))
	if strings.Join(p.headers, " ") != "(request-target) host date accept" {
		t.Errorf("signed headers %q", p.headers)
	}
	if status, msg := send(t, r); status != http.StatusAccepted || msg != aliceActor {
		t.Fatalf("server answered %d %s", status, msg)
	}
}

func TestSign_RefusesIncompleteRequests(t *testing.T) {
	key := testKey(t, 0)
	post := func(mod func(r *http.Request)) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "https://peer.example/inbox", nil)
		r.Header.Set("Content-Type", "application/activity+json")
		mod(r)
		return r
	}
	get := func(mod func(r *http.Request)) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, "https://peer.example/users/bob", nil)
		r.Header.Set("Accept", "application/activity+json")
		mod(r)
		return r
	}
	tests := []struct {
		name string
		sign func() error
	}{
		{"POST without Content-Type", func() error {
			return SignPOST(post(func(r *http.Request) { r.Header.Del("Content-Type") }), nil, aliceKeyID, key, testNow)
		}},
		{"POST with another method", func() error {
			return SignPOST(post(func(r *http.Request) { r.Method = http.MethodPut }), nil, aliceKeyID, key, testNow)
		}},
		{"POST to a URL without host", func() error {
			return SignPOST(post(func(r *http.Request) { r.URL = &url.URL{Path: "/inbox"} }), nil, aliceKeyID, key, testNow)
		}},
		{"keyId with a quote", func() error {
			return SignPOST(post(func(*http.Request) {}), nil, `https://a.example/"`, key, testNow)
		}},
		{"no key", func() error {
			return SignPOST(post(func(*http.Request) {}), nil, aliceKeyID, nil, testNow)
		}},
		{"GET without Accept", func() error {
			return SignGET(get(func(r *http.Request) { r.Header.Del("Accept") }), aliceKeyID, key, testNow)
		}},
		{"GET with another method", func() error {
			return SignGET(get(func(r *http.Request) { r.Method = http.MethodHead }), aliceKeyID, key, testNow)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.sign()
			if err == nil {
				t.Fatal("signed anyway")
			}
			if errors.Is(err, ErrBadSignature) {
				t.Errorf("a signing error must not look like a verification one: %v", err)
			}
		})
	}
}
