package httpsig

import (
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	alice := testKey(t, 0)
	other := testKey(t, 1)
	sum512 := sha512.Sum512([]byte(activityBody))
	sha512Digest := "SHA-512=" + base64.StdEncoding.EncodeToString(sum512[:])
	wrong256 := sha256Digest("something else")

	tests := []struct {
		name      string
		req       func() signedReq
		sendBody  *string               // body given to Verify when it differs from the signed one
		after     func(r *http.Request) // tampering after signing
		keys      func(*fakeKeys)       // changes to the peer's keys
		wantErr   error
		wantOwner string
	}{
		{name: "valid POST", req: func() signedReq { return basePOST(t) }, wantOwner: aliceActor},
		{name: "valid GET", req: func() signedReq { return baseGET(t) }, wantOwner: aliceActor},
		{
			name: "headers in another order",
			req: func() signedReq {
				s := basePOST(t)
				s.covered = []string{"digest", "date", "content-type", "host", "(request-target)"}
				return s
			},
			wantOwner: aliceActor,
		},
		{
			name: "extra signed headers (Akkoma signs content-length)",
			req: func() signedReq {
				s := basePOST(t)
				s.header.Set("Content-Length", fmt.Sprint(len(activityBody)))
				s.header.Set("User-Agent", "Akkoma 3.13")
				s.covered = append(s.covered, "content-length", "user-agent")
				return s
			},
			wantOwner: aliceActor,
		},
		{
			name:    "wrong key",
			req:     func() signedReq { s := basePOST(t); s.key = other; return s },
			wantErr: ErrBadSignature,
		},
		{
			name:     "altered body",
			req:      func() signedReq { return basePOST(t) },
			sendBody: ptr(activityBody + " "),
			wantErr:  ErrDigestMismatch,
		},
		{
			name: "digest not signed on POST",
			req: func() signedReq {
				s := basePOST(t)
				s.covered = []string{"(request-target)", "host", "date", "content-type"}
				return s
			},
			wantErr: ErrRequiredHeaderNotSigned,
		},
		{
			name:    "digest signed but header removed",
			req:     func() signedReq { return basePOST(t) },
			after:   func(r *http.Request) { r.Header.Del("Digest") },
			wantErr: ErrSignedHeaderMissing,
		},
		{
			name: "digest header absent on PUT",
			req: func() signedReq {
				s := basePOST(t)
				s.method = http.MethodPut
				s.covered = []string{"(request-target)", "host", "date"}
				return s
			},
			wantErr: ErrRequiredHeaderNotSigned,
		},
		{
			name:      "date 59 minutes old",
			req:       func() signedReq { return withDate(basePOST(t), testNow.Add(-59*time.Minute)) },
			wantOwner: aliceActor,
		},
		{
			name:    "stale date, 61 minutes old",
			req:     func() signedReq { return withDate(basePOST(t), testNow.Add(-61*time.Minute)) },
			wantErr: ErrDateTooOld,
		},
		{
			name:    "future date, 61 minutes ahead",
			req:     func() signedReq { return withDate(basePOST(t), testNow.Add(61*time.Minute)) },
			wantErr: ErrDateInFuture,
		},
		{
			name:    "unparsable date",
			req:     func() signedReq { s := basePOST(t); s.header.Set("Date", "yesterday"); return s },
			wantErr: ErrInvalidDate,
		},
		{
			name:      "date in RFC 850 form",
			req:       func() signedReq { s := basePOST(t); s.header.Set("Date", testNow.Format(time.RFC850)); return s },
			wantOwner: aliceActor,
		},
		{
			name: "host not signed on GET",
			req: func() signedReq {
				s := baseGET(t)
				s.covered = []string{"(request-target)", "date", "accept"}
				return s
			},
			wantErr: ErrRequiredHeaderNotSigned,
		},
		{
			name: "request-target not signed",
			req: func() signedReq {
				s := basePOST(t)
				s.covered = []string{"host", "date", "digest"}
				return s
			},
			wantErr: ErrRequiredHeaderNotSigned,
		},
		{
			name: "neither date nor (created) signed",
			req: func() signedReq {
				s := basePOST(t)
				s.covered = []string{"(request-target)", "host", "digest"}
				return s
			},
			wantErr: ErrRequiredHeaderNotSigned,
		},
		{
			name:    "signed for another host",
			req:     func() signedReq { return basePOST(t) },
			after:   func(r *http.Request) { r.Host = "other.example" },
			wantErr: ErrBadSignature,
		},
		{
			name:      "hs2019 over date (GoToSocial)",
			req:       func() signedReq { s := basePOST(t); s.algorithm = "hs2019"; return s },
			wantOwner: aliceActor,
		},
		{
			name:      "algorithm in upper case",
			req:       func() signedReq { s := basePOST(t); s.algorithm = "RSA-SHA256"; return s },
			wantOwner: aliceActor,
		},
		{
			name:      "algorithm left out means hs2019",
			req:       func() signedReq { s := basePOST(t); s.algorithm = ""; return s },
			wantOwner: aliceActor,
		},
		{
			name:      "hs2019 over (created) without a Date header",
			req:       func() signedReq { return withCreated(basePOST(t), testNow.Add(-2*time.Minute), "hs2019") },
			wantOwner: aliceActor,
		},
		{
			name:    "hs2019 with a stale (created)",
			req:     func() signedReq { return withCreated(basePOST(t), testNow.Add(-2*time.Hour), "hs2019") },
			wantErr: ErrDateTooOld,
		},
		{
			name:    "(created) with rsa-sha256",
			req:     func() signedReq { return withCreated(basePOST(t), testNow, "rsa-sha256") },
			wantErr: ErrMalformedSignature,
		},
		{
			name: "(expires) passed",
			req: func() signedReq {
				s := withCreated(basePOST(t), testNow.Add(-20*time.Minute), "hs2019")
				s.expires = unix(testNow.Add(-15 * time.Minute))
				s.covered = append(s.covered, "(expires)")
				return s
			},
			wantErr: ErrExpired,
		},
		{
			name: "(expires) ahead",
			req: func() signedReq {
				s := withCreated(basePOST(t), testNow.Add(-time.Minute), "hs2019")
				s.expires = unix(testNow.Add(4 * time.Minute))
				s.covered = append(s.covered, "(expires)")
				return s
			},
			wantOwner: aliceActor,
		},
		{
			name:    "unknown algorithm rsa-sha512",
			req:     func() signedReq { s := basePOST(t); s.algorithm = "rsa-sha512"; return s },
			wantErr: ErrUnsupportedAlgorithm,
		},
		{
			name:    "unknown algorithm hmac-sha256",
			req:     func() signedReq { s := basePOST(t); s.algorithm = "hmac-sha256"; return s },
			wantErr: ErrUnsupportedAlgorithm,
		},
		{
			// Verify proves who signed; the inbox then sees Owner ≠ the activity's
			// actor (alice) and refuses. Owner must be mallory's, not alice's.
			name:      "keyId of another actor",
			req:       func() signedReq { s := basePOST(t); s.keyID = malloryKeyID; s.key = other; return s },
			wantOwner: malloryActor,
		},
		{
			name:      "Authorization: Signature form",
			req:       func() signedReq { s := basePOST(t); s.authHeader = true; return s },
			wantOwner: aliceActor,
		},
		{
			name: "digest algorithm in lower case",
			req: func() signedReq {
				return withDigest(basePOST(t), "sha-256="+strings.TrimPrefix(sha256Digest(activityBody), "SHA-256="))
			},
			wantOwner: aliceActor,
		},
		{
			name:      "several digests, SHA-256 matches",
			req:       func() signedReq { return withDigest(basePOST(t), sha512Digest+", "+sha256Digest(activityBody)) },
			wantOwner: aliceActor,
		},
		{
			name:    "several digests, SHA-256 does not match",
			req:     func() signedReq { return withDigest(basePOST(t), sha512Digest+","+wrong256) },
			wantErr: ErrDigestMismatch,
		},
		{
			name:      "only SHA-512",
			req:       func() signedReq { return withDigest(basePOST(t), sha512Digest) },
			wantOwner: aliceActor,
		},
		{
			name:     "only SHA-512, body altered",
			req:      func() signedReq { return withDigest(basePOST(t), sha512Digest) },
			sendBody: ptr("{}"),
			wantErr:  ErrDigestMismatch,
		},
		{
			name:    "only MD5",
			req:     func() signedReq { return withDigest(basePOST(t), "MD5=HUXZLQLMuI/KZ5KDcJPcOA==") },
			wantErr: ErrUnsupportedDigest,
		},
		{
			name:    "digest not base64",
			req:     func() signedReq { return withDigest(basePOST(t), "SHA-256=not base64!") },
			wantErr: ErrMalformedDigest,
		},
		{
			name:      "query signed",
			req:       func() signedReq { s := baseGET(t); s.target = "/users/bob/outbox?page=2"; return s },
			wantOwner: aliceActor,
		},
		{
			name: "query left out of the signature (Mastodon before 4.x, older GoToSocial)",
			req: func() signedReq {
				s := baseGET(t)
				s.target, s.signTarget = "/users/bob/outbox?page=2", "/users/bob/outbox"
				return s
			},
			wantOwner: aliceActor,
		},
		{
			name: "query differs from the one signed",
			req: func() signedReq {
				s := baseGET(t)
				s.target, s.signTarget = "/users/bob/outbox?page=2", "/users/bob/outbox?page=3"
				return s
			},
			wantErr: ErrBadSignature,
		},
		{
			name:    "RFC 9421 Signature-Input",
			req:     func() signedReq { return basePOST(t) },
			after:   func(r *http.Request) { r.Header.Set("Signature-Input", `sig1=("@method");created=1`) },
			wantErr: ErrMessageSignature,
		},
		{
			name:    "unsigned",
			req:     func() signedReq { return basePOST(t) },
			after:   func(r *http.Request) { r.Header.Del("Signature") },
			wantErr: ErrNotSigned,
		},
		{
			name:    "two Signature headers",
			req:     func() signedReq { return basePOST(t) },
			after:   func(r *http.Request) { r.Header.Add("Signature", r.Header.Get("Signature")) },
			wantErr: ErrMalformedSignature,
		},
		{
			name:    "signature header over 8 KiB",
			req:     func() signedReq { s := basePOST(t); s.keyID = aliceKeyID + "?" + strings.Repeat("a", 8<<10); return s },
			wantErr: ErrSignatureTooLarge,
		},
		{
			name: "too many signed headers",
			req: func() signedReq {
				s := basePOST(t)
				for i := range MaxSignedHeaders {
					name := fmt.Sprintf("x-h%d", i)
					s.header.Set(name, "v")
					s.covered = append(s.covered, name)
				}
				return s
			},
			wantErr: ErrTooManySignedHeaders,
		},
		{
			name:    "key fetch fails",
			req:     func() signedReq { s := basePOST(t); s.keyID = "https://gone.example/users/x#main-key"; return s },
			wantErr: ErrKeyFetch,
		},
		{
			name: "Ed25519 key",
			req:  func() signedReq { return basePOST(t) },
			keys: func(f *fakeKeys) {
				pub, _, _ := ed25519.GenerateKey(nil)
				f.add(aliceKeyID, aliceActor, pub)
			},
			wantErr: ErrUnsupportedKey,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.req()
			r := s.build(t)
			if tt.after != nil {
				tt.after(r)
			}
			body := []byte(s.body)
			if tt.sendBody != nil {
				body = []byte(*tt.sendBody)
			}
			keys := newFakeKeys().add(aliceKeyID, aliceActor, &alice.PublicKey).add(malloryKeyID, malloryActor, &other.PublicKey)
			if tt.keys != nil {
				tt.keys(keys)
			}
			res, err := Verify(r, body, testNow, keys)
			if tt.wantErr == nil && err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify: %v, want %v", err, tt.wantErr)
			}
			if res.Owner != tt.wantOwner {
				t.Errorf("Owner = %q, want %q", res.Owner, tt.wantOwner)
			}
			if err != nil {
				t.Logf("refused: %v", err)
			}
		})
	}
}

func TestVerify_RefetchesRotatedKeyOnce(t *testing.T) {
	old, rotated := testKey(t, 0), testKey(t, 1)
	s := basePOST(t)
	s.key = rotated
	keys := newFakeKeys()
	keys.keys[aliceKeyID] = fakeKey{owner: aliceActor, cached: &old.PublicKey, fresh: &rotated.PublicKey}

	res, err := Verify(s.build(t), []byte(s.body), testNow, keys)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Owner != aliceActor || res.KeyID != aliceKeyID {
		t.Errorf("Result = %+v", res)
	}
	if keys.calls != 2 || keys.refreshes != 1 {
		t.Errorf("fetches = %d (refreshes %d), want 2 (1)", keys.calls, keys.refreshes)
	}
}

func TestVerify_ForgedSignatureRefetchesAtMostOnce(t *testing.T) {
	s := basePOST(t)
	s.key = testKey(t, 1)
	keys := newFakeKeys().add(aliceKeyID, aliceActor, &testKey(t, 0).PublicKey)

	res, err := Verify(s.build(t), []byte(s.body), testNow, keys)
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Verify: %v, want ErrBadSignature", err)
	}
	if res.KeyID != aliceKeyID || res.Owner != "" {
		t.Errorf("Result = %+v, want the keyId and no owner", res)
	}
	if keys.calls != 2 || keys.refreshes != 1 {
		t.Errorf("fetches = %d (refreshes %d), want 2 (1)", keys.calls, keys.refreshes)
	}
}

// Requests that fail a local check must not cost a key fetch: a flood of stale or
// tampered requests must not become a flood of requests to the key's host.
func TestVerify_LocalRefusalsFetchNoKey(t *testing.T) {
	for name, s := range map[string]signedReq{
		"stale":           withDate(basePOST(t), testNow.Add(-2*time.Hour)),
		"digest":          withDigest(basePOST(t), sha256Digest("other")),
		"digest unsigned": func() signedReq { s := basePOST(t); s.covered = s.covered[:3]; return s }(),
	} {
		t.Run(name, func(t *testing.T) {
			keys := newFakeKeys().add(aliceKeyID, aliceActor, &testKey(t, 0).PublicKey)
			if _, err := Verify(s.build(t), []byte(s.body), testNow, keys); err == nil {
				t.Fatal("Verify accepted")
			}
			if keys.calls != 0 {
				t.Errorf("fetched the key %d times", keys.calls)
			}
		})
	}
}

func TestVerify_KeyFetchErrorIsWrapped(t *testing.T) {
	s := basePOST(t)
	_, err := Verify(s.build(t), []byte(s.body), testNow, newFakeKeys())
	if !errors.Is(err, ErrKeyFetch) || !errors.Is(err, errNoSuchKey) {
		t.Fatalf("Verify: %v, want ErrKeyFetch wrapping the fetcher's error", err)
	}
}

func withDate(s signedReq, at time.Time) signedReq {
	s.header.Set("Date", at.Format(http.TimeFormat))
	return s
}

func withDigest(s signedReq, digest string) signedReq {
	s.header.Set("Digest", digest)
	return s
}

// withCreated signs (created) instead of date and sends no Date header.
func withCreated(s signedReq, at time.Time, algorithm string) signedReq {
	s.header.Del("Date")
	s.algorithm = algorithm
	s.created = unix(at)
	s.covered = []string{"(request-target)", "(created)", "host", "digest"}
	return s
}

func ptr[T any](v T) *T { return &v }
