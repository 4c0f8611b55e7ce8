package fedtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Front is a reverse proxy in front of an instance, on its own port of the
// instance's loopback address: the instance's public host, so every request
// of its peers goes through it. It records each POST to an inbox, so that
// a test can count what was delivered, duplicates included (the instance
// itself stores an activity once, whatever it receives). While the
// instance is down it answers 502, as a proxy would.
type Front struct {
	// Addr is the front's host:port, the instance's public host.
	Addr string

	delay    time.Duration
	inFlight atomic.Int32
	srv      *httptest.Server
	mu       sync.Mutex
	received []Received
}

// Received is one POST to an inbox, as the front saw it.
type Received struct {
	Path     string
	Activity string // the activity's id
	Type     string
	Object   string // the id of its object
	Status   int    // the instance's answer (502 if it was down), 0 while in flight
	// From is the name of the cluster's instance whose process sent the
	// POST, when the front could tell (on Linux); "" otherwise.
	From string
}

// senderKey keys the name of the sending instance in a connection's
// context.
type senderKey struct{}

func startFront(t testing.TB, c *Cluster, ip, target string, delay time.Duration) *Front {
	t.Helper()
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s for a front: %v", ip, err)
	}
	to := &url.URL{Scheme: "http", Host: target}
	f := &Front{Addr: ln.Addr().String(), delay: delay}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(to)
			// The signature covers Host: keep the one the peer signed.
			r.Out.Host = r.In.Host
		},
		ErrorLog: log.New(io.Discard, "", 0),
	}
	f.srv = &httptest.Server{Listener: ln, Config: &http.Server{
		Handler: f.handler(proxy),
		ConnContext: func(ctx context.Context, conn net.Conn) context.Context {
			return context.WithValue(ctx, senderKey{}, c.processOf(conn.RemoteAddr().String()))
		},
	}}
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *Front) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/inbox") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
		if err != nil {
			http.Error(w, "front: read the body", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := readActivity(body)
		rec.Path = r.URL.Path
		rec.From, _ = r.Context().Value(senderKey{}).(string)
		// Recorded on arrival, so that a POST counts even if the sender
		// sees the answer before the front has written it down.
		f.mu.Lock()
		i := len(f.received)
		f.received = append(f.received, rec)
		f.mu.Unlock()
		f.inFlight.Add(1)
		defer f.inFlight.Add(-1)
		if f.delay > 0 {
			select {
			case <-time.After(f.delay):
			case <-r.Context().Done(): // the sender is gone
			}
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		f.mu.Lock()
		f.received[i].Status = sw.status
		f.mu.Unlock()
	})
}

// readActivity reads the id, type and object id of an activity; what it
// cannot read stays empty.
func readActivity(body []byte) Received {
	var doc struct {
		ID     string          `json:"id"`
		Type   any             `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	_ = json.Unmarshal(body, &doc)
	rec := Received{Activity: doc.ID}
	switch v := doc.Type.(type) {
	case string:
		rec.Type = v
	case []any:
		if len(v) > 0 {
			rec.Type, _ = v[0].(string)
		}
	}
	var id string
	if json.Unmarshal(doc.Object, &id) == nil {
		rec.Object = id
	} else {
		var obj struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(doc.Object, &obj) == nil {
			rec.Object = obj.ID
		}
	}
	return rec
}

// InFlight is how many inbox POSTs the front is handling now: received,
// not yet answered.
func (f *Front) InFlight() int { return int(f.inFlight.Load()) }

// Received returns the inbox POSTs received so far, in order.
func (f *Front) Received() []Received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Received(nil), f.received...)
}

// Count returns how many inbox POSTs carried an activity of type kind on
// the object id.
func (f *Front) Count(kind, object string) int {
	n := 0
	for _, r := range f.Received() {
		if r.Type == kind && r.Object == object {
			n++
		}
	}
	return n
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
