package delivery_test

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/delivery"
	"github.com/holon-network/holon/federation/httpsig"
	"github.com/holon-network/holon/store"
)

// testClock is moved by the tests instead of sleeping.
type testClock struct{ now atomic.Int64 }

func newClock() *testClock {
	c := &testClock{}
	c.Set(time.Now().UTC().Truncate(time.Second))
	return c
}

func (c *testClock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *testClock) Set(t time.Time)         { c.now.Store(t.UnixNano()) }
func (c *testClock) Advance(d time.Duration) { c.now.Add(int64(d)) }

// sending is a local actor, ada, whose deliveries the tests make.
type sending struct {
	db      *store.DB
	members *membership.Service
	actor   string // ada's actor id
}

// senderOn creates ada on db; her key signs the deliveries.
func senderOn(t testing.TB, db *store.DB, clock core.Clock) sending {
	t.Helper()
	members := membership.New(db, clock, membership.Policy{BaseURL: "http://127.0.0.1:9", Host: "127.0.0.1:9"})
	_, err := members.CreateAccount(context.Background(),
		membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	return sending{db: db, members: members, actor: members.ActorURI("ada")}
}

// worker returns a delivery worker for ada's deliveries that may reach
// loopback receivers.
func (s sending) worker(clock core.Clock, workers int) *delivery.Worker {
	return delivery.New(s.db, s.members, clock, zerolog.Nop(), delivery.Options{AllowPrivate: true, Workers: workers})
}

// activity returns the id and the body of a new activity by ada.
func (s sending) activity(n int) (string, []byte) {
	id := fmt.Sprintf("%s/activities/%d-%d", s.actor, time.Now().UnixNano(), n)
	body, _ := json.Marshal(map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       id, "type": "Create", "actor": s.actor,
		"object": map[string]any{"type": "Note", "content": "Bonjour, é 🌱"},
	})
	return id, body
}

// enqueue publishes one activity to inboxes in a transaction of its own.
func (s sending) enqueue(t testing.TB, id string, body []byte, inboxes []string, now time.Time) {
	t.Helper()
	err := s.db.InTx(context.Background(), func(tx store.Tx) error {
		return delivery.Enqueue(context.Background(), tx, id, "ada", body, inboxes, now)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// enqueueIn publishes one activity to inboxes in the caller's transaction.
func (s sending) enqueueIn(t testing.TB, tx store.Tx, id string, body []byte, inboxes []string, now time.Time) {
	t.Helper()
	if err := delivery.Enqueue(context.Background(), tx, id, "ada", body, inboxes, now); err != nil {
		t.Fatal(err)
	}
}

// localKeys lets a receiver check signatures with the public key of a local
// actor of the sending instance, as a peer would after fetching it.
type localKeys struct{ members *membership.Service }

func (k localKeys) PublicKey(ctx context.Context, keyID string, _ bool) (string, crypto.PublicKey, error) {
	a, err := k.members.LocalActor(ctx, "ada")
	if err != nil {
		return "", nil, err
	}
	if a.KeyID != keyID {
		return "", nil, fmt.Errorf("unknown key %s", keyID)
	}
	pub, err := membership.ParsePublicKey(a.PublicKeyPEM)
	return a.URI, pub, err
}

// reply is one answer of a receiver.
type reply struct {
	status int
	header map[string]string
}

// receiver is a peer's inbox on a loopback address. It checks every
// request's signature and counts the POSTs per activity id.
type receiver struct {
	t      testing.TB
	inbox  string // URL of its inbox
	srv    *httptest.Server
	clock  core.Clock
	keys   httpsig.KeyFetcher // nil: signatures are not checked
	owner  string
	answer func(n int) reply // the answer to the n-th request (from 1)

	calls  atomic.Int32
	mu     sync.Mutex
	posts  map[string]int
	bodies map[string]string
}

// startReceiver listens on ip (a port of its choice) and answers with
// answer, or 202 when answer is nil.
func startReceiver(t testing.TB, ip string, s sending, clock core.Clock, answer func(n int) reply) *receiver {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	return serveReceiver(t, ln, s, clock, answer)
}

func serveReceiver(t testing.TB, ln net.Listener, s sending, clock core.Clock, answer func(n int) reply) *receiver {
	r := &receiver{t: t, clock: clock, owner: s.actor, answer: answer, posts: map[string]int{}, bodies: map[string]string{}}
	if s.members != nil {
		r.keys = localKeys{s.members}
	}
	r.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: r}}
	r.srv.Start()
	t.Cleanup(r.srv.Close)
	r.inbox = r.srv.URL + "/inbox"
	return r
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	n := int(r.calls.Add(1))
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil || req.Method != http.MethodPost || req.URL.Path != "/inbox" {
		r.t.Errorf("receiver: %s %s, read error %v", req.Method, req.URL.Path, err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if got := req.Header.Get("Content-Type"); got != delivery.ContentType {
		r.t.Errorf("receiver: Content-Type %q", got)
	}
	if r.keys != nil {
		res, err := httpsig.Verify(req, body, r.clock.Now(), r.keys)
		if err != nil || res.Owner != r.owner {
			r.t.Errorf("receiver: signature refused: owner %q, %v", res.Owner, err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.ID == "" {
		r.t.Errorf("receiver: body %q: %v", body, err)
	}
	r.mu.Lock()
	r.posts[doc.ID]++
	r.bodies[doc.ID] = string(body)
	r.mu.Unlock()
	rep := reply{status: http.StatusAccepted}
	if r.answer != nil {
		rep = r.answer(n)
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
}

// postsOf returns how many times the activity id was POSTed here.
func (r *receiver) postsOf(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.posts[id]
}

func (r *receiver) bodyOf(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[id]
}

// the returns the only delivery of activity id.
func the(t testing.TB, db *store.DB, id string) store.Delivery {
	t.Helper()
	ds, err := db.Deliveries().ByActivity(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 {
		t.Fatalf("%d deliveries of %s, want 1", len(ds), id)
	}
	return ds[0]
}

// round runs one DeliverDue and fails the test on a bookkeeping error.
func round(t testing.TB, w *delivery.Worker) int {
	t.Helper()
	n, err := w.DeliverDue(context.Background())
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return n
}

// nextDue returns when the earliest pending delivery is due.
func nextDue(t testing.TB, db *store.DB) (time.Time, bool) {
	t.Helper()
	at, ok, err := db.Deliveries().NextDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return at, ok
}
