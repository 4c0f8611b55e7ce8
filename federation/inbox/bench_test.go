package inbox_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/federation/fetch"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// receiving is an inbox in process, on a real database, with the remote
// actor ada already known (her key fetched): what the shared inbox does
// for each activity once its sender is warm.
type receiving struct {
	handler http.Handler
	db      *store.DB
	ada     string // actor id
	keyID   string
	key     *rsa.PrivateKey
	bob     string // the local actor mentioned
}

const benchBase = "http://127.0.0.1:9" // the receiving instance

func newReceiving(b *testing.B, driver store.Driver) receiving {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, driver)
	clock := core.SystemClock{}
	members := membership.New(db, clock, membership.Policy{BaseURL: benchBase, Host: "127.0.0.1:9"})
	if _, err := members.CreateAccount(ctx, membership.NewAccount{Username: "bob", Email: "bob@example.org", Password: "long enough pw"}, membership.RoleUser); err != nil {
		b.Fatal(err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	ada := "http://peer.example/users/ada"
	doc, _ := json.Marshal(map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       ada, "type": "Person", "preferredUsername": "ada", "name": "Ada",
		"summary": "<p>Gardener, beekeeper, treasurer of the neighbourhood association.</p>",
		"inbox":   ada + "/inbox", "outbox": ada + "/outbox", "followers": ada + "/followers", "following": ada + "/following",
		"url":       "http://peer.example/@ada",
		"endpoints": map[string]any{"sharedInbox": "http://peer.example/inbox"},
		"publicKey": map[string]any{"id": ada + "#main-key", "owner": ada, "publicKeyPem": pemKey},
		"icon":      map[string]any{"type": "Image", "mediaType": "image/png", "url": "http://peer.example/avatars/ada.png"},
	})
	parsed, err := actors.ParseActor(doc)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := members.SaveRemoteActor(ctx, parsed); err != nil {
		b.Fatal(err)
	}
	resolver := actors.NewResolver(members, fetch.New(fetch.Options{}), clock)
	resolver.LocalHost = "127.0.0.1:9"
	r := chi.NewRouter()
	inbox.NewReceiver(db, resolver, members, clock, nil).Register(r)
	return receiving{handler: r, db: db, ada: ada, keyID: ada + "#main-key", key: key, bob: members.ActorURI("bob")}
}

var benchRun atomic.Int64

// signed returns n requests to the shared inbox, each a distinct Create of
// a public note mentioning bob (about 1.9 KiB, Mastodon's shape), signed
// now: signing costs a millisecond each, so it is done before the timer.
func (rc receiving) signed(b *testing.B, n int) []*http.Request {
	b.Helper()
	run := benchRun.Add(1)
	reqs := make([]*http.Request, n)
	now := time.Now()
	published := now.UTC().Format(time.RFC3339)
	public := "https://www.w3.org/ns/activitystreams#Public"
	for i := range reqs {
		status := fmt.Sprintf("%s/statuses/%d%09d", rc.ada, run, i)
		content := `<p><span class="h-card"><a href="` + rc.bob + `" class="u-url mention">@<span>bob</span></a></span> ` +
			`The garden opens on Saturday at 10: bring seeds and tools. Message ` + status + `.</p>`
		body, err := json.Marshal(map[string]any{
			"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]any{"ostatus": "http://ostatus.org#", "atomUri": "ostatus:atomUri"}},
			"id":       status + "/activity", "type": "Create", "actor": rc.ada, "published": published,
			"to": []string{public}, "cc": []string{rc.ada + "/followers", rc.bob},
			"object": map[string]any{
				"id": status, "type": "Note", "summary": nil, "inReplyTo": nil, "published": published,
				"url": "http://peer.example/@ada/" + fmt.Sprint(i), "attributedTo": rc.ada,
				"to": []string{public}, "cc": []string{rc.ada + "/followers", rc.bob}, "sensitive": false, "atomUri": status,
				"content": content, "contentMap": map[string]any{"en": content}, "attachment": []any{},
				"tag": []any{map[string]any{"type": "Mention", "href": rc.bob, "name": "@bob@127.0.0.1:9"}},
				"replies": map[string]any{"id": status + "/replies", "type": "Collection",
					"first": map[string]any{"type": "CollectionPage", "next": status + "/replies?page=true", "partOf": status + "/replies", "items": []any{}}},
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, benchBase+"/inbox", nil)
		req.Header.Set("Content-Type", "application/activity+json")
		if err := httpsig.SignPOST(req, body, rc.keyID, rc.key, now); err != nil {
			b.Fatal(err)
		}
		reqs[i] = req
	}
	return reqs
}

// receive hands req to the inbox; it may run on RunParallel's goroutines,
// where b.Fatal may not be called.
func (rc receiving) receive(b *testing.B, req *http.Request) bool {
	rec := httptest.NewRecorder()
	rc.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		b.Errorf("status %d: %s", rec.Code, rec.Body)
		return false
	}
	return true
}

// cpuTime is the CPU time this process has used (user and system): on a
// shared machine it varies much less than wall time. PostgreSQL's own work
// happens in its processes and is not in it.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report adds activities/s (wall) and this process's CPU µs per activity.
func report(b *testing.B, cpu0 time.Duration) {
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "activities/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
}

// BenchmarkReceive measures receiving one activity from a known sender, one
// at a time: signature verification (with the key read from the store),
// parsing, the checks and the insert, one commit each. Processing is not
// included. Besides the wall-clock rate it reports the CPU time this process
// spent per activity, steadier on a shared machine. Profile it with
// -cpuprofile (and -o to keep the binary).
//
//	go test -run '^$' -bench Receive -benchtime 3000x ./federation/inbox
func BenchmarkReceive(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			rc := newReceiving(b, driver)
			reqs := rc.signed(b, b.N)
			b.ResetTimer()
			cpu0 := cpuTime(b)
			for i := range b.N {
				if !rc.receive(b, reqs[i]) {
					b.FailNow()
				}
			}
			b.StopTimer()
			report(b, cpu0)
		})
	}
}

// BenchmarkReceiveParallel is BenchmarkReceive with as many activities in
// flight as GOMAXPROCS×4, as a busy shared inbox sees them: the commits
// then contend for the database.
func BenchmarkReceiveParallel(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			rc := newReceiving(b, driver)
			reqs := rc.signed(b, b.N)
			var next atomic.Int64
			b.SetParallelism(4)
			b.ResetTimer()
			cpu0 := cpuTime(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if !rc.receive(b, reqs[next.Add(1)-1]) {
						return
					}
				}
			})
			b.StopTimer()
			report(b, cpu0)
		})
	}
}
