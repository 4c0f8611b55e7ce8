package fetch_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/fetch"
)

const activityJSON = "application/activity+json"

// site is a remote server on a loopback address of its own.
type site struct {
	*httptest.Server
	mux  *http.ServeMux
	hits atomic.Int64
}

func newSite(t *testing.T, ip string) *site {
	t.Helper()
	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	s := &site{mux: http.NewServeMux()}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mux.ServeHTTP(w, r)
	}))
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *site) url(path string) string { return s.URL + path }

// object serves at path the document body(), as ActivityStreams.
func (s *site) object(path string, body func() []byte) {
	s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", activityJSON)
		_, _ = w.Write(body())
	})
}

// note serves at path a Note whose id is its own URL.
func (s *site) note(path string) {
	s.object(path, func() []byte { return note(s.url(path)) })
}

// redirect answers path with a redirect to the URL to() gives.
func (s *site) redirect(path string, code int, to func() string) {
	s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, to(), code)
	})
}

func note(id string) []byte {
	return object(map[string]any{"id": id, "type": "Note", "content": "Bonjour"})
}

func object(fields map[string]any) []byte {
	fields["@context"] = "https://www.w3.org/ns/activitystreams"
	b, err := json.Marshal(fields)
	if err != nil {
		panic(err)
	}
	return b
}

// client fetches from loopback, as the multi-instance tests do.
func client(t *testing.T, opts fetch.Options) *fetch.Client {
	t.Helper()
	opts.AllowPrivate = true
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	c := fetch.New(opts)
	t.Cleanup(c.CloseIdleConnections)
	return c
}
