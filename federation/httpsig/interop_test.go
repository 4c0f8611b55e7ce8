package httpsig

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	gofed "github.com/go-fed/httpsig"
)

// go-fed/httpsig is what GoToSocial (through its fork) and other Go peers sign and
// verify with: an independent implementation to check ours against, both ways.

func TestVerify_AcceptsGoFedSigner(t *testing.T) {
	key := testKey(t, 0)
	keys := newFakeKeys().add(aliceKeyID, aliceActor, &key.PublicKey)
	tests := []struct {
		name      string
		headers   []string
		scheme    gofed.SignatureScheme
		expiresIn int64
		now       func() time.Time
	}{
		{
			name:    "GoToSocial's POST: hs2019 over (request-target) host date digest",
			headers: []string{gofed.RequestTarget, "host", "date", "digest"},
			scheme:  gofed.Signature,
			now:     func() time.Time { return testNow },
		},
		{
			name:    "Authorization: Signature",
			headers: []string{gofed.RequestTarget, "host", "date", "digest"},
			scheme:  gofed.Authorization,
			now:     func() time.Time { return testNow },
		},
		{
			name:      "(created) and (expires) instead of Date",
			headers:   []string{gofed.RequestTarget, "host", "(created)", "(expires)", "digest"},
			scheme:    gofed.Signature,
			expiresIn: 300,
			now:       time.Now, // go-fed takes created from the wall clock
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := inboxAt(t, keys, tt.now)
			signer, _, err := gofed.NewSigner([]gofed.Algorithm{gofed.RSA_SHA256}, gofed.DigestSha256, tt.headers, tt.scheme, tt.expiresIn)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := http.NewRequest(http.MethodPost, srv.URL+"/inbox", strings.NewReader(activityBody))
			r.Header.Set("Content-Type", "application/activity+json")
			r.Header.Set("Date", testNow.Format(http.TimeFormat))
			r.Header.Set("Host", r.URL.Host) // go-fed reads Host from the header map
			if err := signer.SignRequest(key, aliceKeyID, r, []byte(activityBody)); err != nil {
				t.Fatal(err)
			}
			if status, msg := send(t, r); status != http.StatusAccepted || msg != aliceActor {
				t.Fatalf("inbox answered %d %s", status, msg)
			}
		})
	}
}

func TestGoFedVerifier_AcceptsOurSignatures(t *testing.T) {
	key := testKey(t, 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := gofed.NewVerifier(r)
		if err == nil {
			err = v.Verify(&key.PublicKey, gofed.RSA_SHA256)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)

	post, _ := http.NewRequest(http.MethodPost, srv.URL+"/inbox", nil)
	post.Header.Set("Content-Type", "application/activity+json")
	if err := SignPOST(post, []byte(activityBody), aliceKeyID, key, time.Now()); err != nil {
		t.Fatal(err)
	}
	get, _ := http.NewRequest(http.MethodGet, srv.URL+"/users/bob/outbox?page=2", nil)
	get.Header.Set("Accept", "application/activity+json")
	if err := SignGET(get, aliceKeyID, key, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*http.Request{post, get} {
		if status, msg := send(t, r); status != http.StatusAccepted {
			t.Errorf("%s %s: go-fed answered %d %s", r.Method, r.URL.Path, status, msg)
		}
	}
}
