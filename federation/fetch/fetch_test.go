package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/fetch"
)

func TestGet_ReturnsTheDocumentServedAtItsID(t *testing.T) {
	s := newSite(t, "127.0.0.1")
	tests := []struct {
		name        string
		contentType string
		fragment    string
	}{
		{"activity+json", "application/activity+json", ""},
		{"activity+json with charset", "application/activity+json; charset=utf-8", ""},
		{"ld+json with the ActivityStreams profile", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, ""},
		{"ld+json with several profiles", `application/ld+json; profile="https://example.org/p https://www.w3.org/ns/activitystreams"`, ""},
		{"upper-case media type", "Application/Activity+JSON", ""},
		{"fragment of a key id is not sent", "application/activity+json", "#main-key"},
	}
	t.Run("URL is the id as the document writes it", func(t *testing.T) {
		id := strings.Replace(s.url("/upper"), "http://127.0.0.1", "HTTP://127.0.0.1", 1)
		s.object("/upper", func() []byte { return note(id) })
		doc, err := client(t, fetch.Options{}).Get(context.Background(), s.url("/upper"))
		if err != nil || doc.URL != id {
			t.Errorf("Get = %+v, %v; want URL %s", doc, err, id)
		}
	})
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fmt.Sprintf("/notes/%d", i)
			var got atomic.Pointer[http.Request]
			s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
				got.Store(r.Clone(context.Background()))
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = w.Write(note(s.url(path)))
			})
			c := client(t, fetch.Options{UserAgent: "Holon/test (+http://127.0.0.1/)"})
			doc, err := c.Get(context.Background(), s.url(path)+tt.fragment)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			want := fetch.Document{URL: s.url(path), Raw: note(s.url(path)), ContentType: tt.contentType}
			if doc.URL != want.URL || string(doc.Raw) != string(want.Raw) || doc.ContentType != want.ContentType {
				t.Errorf("Get = %+v\nwant %+v", doc, want)
			}
			r := got.Load()
			if a := r.Header.Get("Accept"); a != fetch.Accept {
				t.Errorf("Accept = %q, want %q", a, fetch.Accept)
			}
			if ua := r.Header.Get("User-Agent"); ua != "Holon/test (+http://127.0.0.1/)" {
				t.Errorf("User-Agent = %q", ua)
			}
		})
	}
}

func TestGet_FollowsAtMostThreeRedirects(t *testing.T) {
	a, b := newSite(t, "127.0.0.1"), newSite(t, "127.0.0.2")
	b.note("/final")
	// /hopN on alternating hosts leads, after N redirects, to b's /final.
	for n := 1; n <= 4; n++ {
		from, to := a, b
		if n%2 == 0 {
			from, to = b, a
		}
		next := fmt.Sprintf("/hop%d", n-1)
		if n == 1 {
			next = "/final"
			to = b
		}
		codes := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
		target := to
		from.redirect(fmt.Sprintf("/hop%d", n), codes[n%len(codes)], func() string { return target.url(next) })
	}
	a.redirect("/relative", http.StatusFound, func() string { return "/relative-target" })
	a.redirect("/relative-target", http.StatusFound, func() string { return b.url("/final") })

	tests := []struct {
		name    string
		start   string
		wantErr error
	}{
		{"no redirect", b.url("/final"), nil},
		{"one redirect", a.url("/hop1"), nil},
		{"two redirects", b.url("/hop2"), nil},
		{"three redirects", a.url("/hop3"), nil},
		{"four redirects", b.url("/hop4"), fetch.ErrTooManyRedirects},
		{"relative Location", a.url("/relative"), nil},
	}
	c := client(t, fetch.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := c.Get(context.Background(), tt.start)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%s) error = %v, want %v", tt.start, err, tt.wantErr)
			}
			if err == nil && doc.URL != b.url("/final") {
				t.Errorf("URL = %s, want %s", doc.URL, b.url("/final"))
			}
		})
	}
}

func TestGet_RefusesURLsOtherThanHTTPS(t *testing.T) {
	s := newSite(t, "127.0.0.1")
	s.note("/note")
	s.redirect("/to-ftp", http.StatusFound, func() string { return "ftp://127.0.0.1/note" })
	s.redirect("/to-file", http.StatusFound, func() string { return "file:///etc/passwd" })
	s.redirect("/to-userinfo", http.StatusFound, func() string {
		return strings.Replace(s.url("/note"), "http://", "http://user:secret@", 1)
	})
	tests := []struct {
		name    string
		url     string
		private bool // AllowPrivate
	}{
		{"plain http without private addresses allowed", "http://holon.example/users/a", false},
		{"ftp", "ftp://holon.example/users/a", true},
		{"file", "file:///etc/passwd", true},
		{"javascript", "javascript:alert(1)", true},
		{"relative", "/users/a", true},
		{"no host", "https:///users/a", true},
		{"user information", strings.Replace(s.url("/note"), "http://", "http://user:secret@", 1), true},
		{"unparseable", "https://holon.example/%zz", true},
		{"redirect to ftp", s.url("/to-ftp"), true},
		{"redirect to a file", s.url("/to-file"), true},
		{"redirect to user information", s.url("/to-userinfo"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fetch.New(fetch.Options{AllowPrivate: tt.private, Timeout: 2 * time.Second})
			defer c.CloseIdleConnections()
			_, err := c.Get(context.Background(), tt.url)
			if !errors.Is(err, fetch.ErrURLRefused) {
				t.Fatalf("Get(%s) error = %v, want ErrURLRefused", tt.url, err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestGet_LimitsTheBodySize(t *testing.T) {
	const limit = 16 << 10
	s := newSite(t, "127.0.0.1")
	// sized returns a Note with its own id, padded to n bytes.
	sized := func(path string, n int) []byte {
		base := len(object(map[string]any{"id": s.url(path), "pad": ""}))
		return object(map[string]any{"id": s.url(path), "pad": strings.Repeat("x", n-base)})
	}
	for _, chunked := range []bool{false, true} {
		for _, n := range []int{limit, limit + 1} {
			path := fmt.Sprintf("/%d-%t", n, chunked)
			s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", activityJSON)
				body := sized(path, n)
				if chunked { // no Content-Length: the limit must hold while reading
					_, _ = w.Write(body[:100])
					w.(http.Flusher).Flush()
					body = body[100:]
				}
				_, _ = w.Write(body)
			})
		}
	}
	tests := []struct {
		name    string
		path    string
		wantErr error
	}{
		{"exactly the limit", fmt.Sprintf("/%d-false", limit), nil},
		{"one byte more", fmt.Sprintf("/%d-false", limit+1), fetch.ErrTooLarge},
		{"exactly the limit, chunked", fmt.Sprintf("/%d-true", limit), nil},
		{"one byte more, chunked", fmt.Sprintf("/%d-true", limit+1), fetch.ErrTooLarge},
	}
	c := client(t, fetch.Options{MaxBytes: limit})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := c.Get(context.Background(), s.url(tt.path))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && len(doc.Raw) != limit {
				t.Errorf("got %d bytes, want %d", len(doc.Raw), limit)
			}
		})
	}
}

func TestGet_RefusesOtherContentTypes(t *testing.T) {
	s := newSite(t, "127.0.0.1")
	tests := []string{
		"application/json",
		"application/json; charset=utf-8",
		"application/ld+json",
		`application/ld+json; profile="https://example.org/other"`,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams-not"`,
		"text/html; charset=utf-8",
		"application/activity+json-ish",
		"",
		"garbage;;;",
	}
	c := client(t, fetch.Options{})
	for i, contentType := range tests {
		t.Run(contentType, func(t *testing.T) {
			path := fmt.Sprintf("/%d", i)
			s.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["Content-Type"] = []string{contentType} // even when empty
				_, _ = w.Write(note(s.url(path)))
			})
			_, err := c.Get(context.Background(), s.url(path))
			if !errors.Is(err, fetch.ErrContentType) {
				t.Fatalf("Get error = %v, want ErrContentType", err)
			}
		})
	}
}

func TestGet_TakesADocumentOnlyFromTheHostOfItsID(t *testing.T) {
	a, b := newSite(t, "127.0.0.1"), newSite(t, "127.0.0.2")
	b.note("/notes/1")
	b.object("/users/ann", func() []byte { return object(map[string]any{"id": b.url("/users/ann"), "type": "Person"}) })
	// A key id served as a stub naming its actor, as some servers do.
	b.object("/users/ann/main-key", func() []byte { return object(map[string]any{"id": b.url("/users/ann"), "type": "Person"}) })
	a.object("/copy", func() []byte { return note(b.url("/notes/1")) })
	a.object("/claims-b", func() []byte { return note(b.url("/elsewhere")) })
	b.object("/elsewhere", func() []byte { return note(b.url("/somewhere-else")) })
	a.object("/claims-gone", func() []byte { return note(b.url("/gone")) })
	b.mux.HandleFunc("GET /gone", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
	a.object("/no-id", func() []byte { return object(map[string]any{"type": "Note"}) })
	a.object("/numeric-id", func() []byte { return object(map[string]any{"id": 7, "type": "Note"}) })
	a.object("/urn-id", func() []byte { return note("urn:uuid:8c1f9b1e-5d3a-4a51-9b0a-1d2c3e4f5a6b") })
	a.object("/userinfo-id", func() []byte { return note(strings.Replace(a.url("/userinfo-id"), "http://", "http://x@", 1)) })
	a.object("/two-ids", func() []byte {
		return []byte(`{"id":"` + a.url("/two-ids") + `","type":"Note","id":"` + b.url("/notes/1") + `"}`)
	})
	a.object("/at-id", func() []byte { return []byte(`{"@id":"` + a.url("/at-id") + `","type":"Note"}`) })
	a.object("/id-and-at-id", func() []byte {
		return []byte(`{"id":"` + a.url("/id-and-at-id") + `","@id":"` + b.url("/notes/1") + `"}`)
	})
	a.object("/upper-id", func() []byte { return []byte(`{"ID":"` + a.url("/upper-id") + `"}`) })
	a.object("/not-json", func() []byte { return []byte(`<html>`) })
	a.object("/array", func() []byte { return []byte(`[{"id":"` + a.url("/array") + `"}]`) })
	a.object("/trailing", func() []byte { return []byte(`{"id":"` + a.url("/trailing") + `"} {}`) })
	a.object("/truncated", func() []byte { return []byte(`{"id":"` + a.url("/truncated") + `","type":`) })
	// An open redirect on a: its target on b claims to be the redirect URL.
	a.redirect("/out", http.StatusFound, func() string { return b.url("/claims-out") })
	b.object("/claims-out", func() []byte { return note(a.url("/out")) })

	tests := []struct {
		name    string
		url     string
		wantURL string
		wantErr error
	}{
		{"id is the URL", b.url("/notes/1"), b.url("/notes/1"), nil},
		{"copy elsewhere is refetched from its id", a.url("/copy"), b.url("/notes/1"), nil},
		{"key stub leads to its actor", b.url("/users/ann/main-key"), b.url("/users/ann"), nil},
		{"id whose own document has another id", a.url("/claims-b"), "", fetch.ErrIDMismatch},
		{"id that is gone", a.url("/claims-gone"), "", fetch.ErrGone},
		{"no id", a.url("/no-id"), "", fetch.ErrIDMismatch},
		{"numeric id", a.url("/numeric-id"), "", fetch.ErrIDMismatch},
		{"id that cannot be fetched", a.url("/urn-id"), "", fetch.ErrIDMismatch},
		{"id with user information", a.url("/userinfo-id"), "", fetch.ErrIDMismatch},
		{"open redirect does not lend its host", a.url("/out"), "", fetch.ErrIDMismatch},
		{"@id alone", a.url("/at-id"), a.url("/at-id"), nil},
		{"two ids", a.url("/two-ids"), "", fetch.ErrMalformed},
		{"id and @id", a.url("/id-and-at-id"), "", fetch.ErrMalformed},
		{"ID in upper case", a.url("/upper-id"), "", fetch.ErrMalformed},
		{"not JSON", a.url("/not-json"), "", fetch.ErrMalformed},
		{"an array", a.url("/array"), "", fetch.ErrMalformed},
		{"data after the object", a.url("/trailing"), "", fetch.ErrMalformed},
		{"truncated", a.url("/truncated"), "", fetch.ErrMalformed},
	}
	c := client(t, fetch.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := c.Get(context.Background(), tt.url)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Get(%s) error = %v, want %v", tt.url, err, tt.wantErr)
			}
			if doc.URL != tt.wantURL {
				t.Errorf("URL = %q, want %q", doc.URL, tt.wantURL)
			}
		})
	}
}

func TestGet_ReportsStatuses(t *testing.T) {
	s := newSite(t, "127.0.0.1")
	for _, code := range []int{201, 204, 302, 304, 401, 403, 404, 410, 429, 500, 503} {
		s.mux.HandleFunc(fmt.Sprintf("GET /%d", code), func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", activityJSON)
			w.WriteHeader(code) // a 302 without Location is not followed
		})
	}
	tests := []struct {
		code     int
		notFound bool
		gone     bool
	}{
		{201, false, false}, {204, false, false}, {302, false, false}, {304, false, false},
		{401, false, false}, {403, false, false}, {404, true, false}, {410, false, true},
		{429, false, false}, {500, false, false}, {503, false, false},
	}
	c := client(t, fetch.Options{})
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			_, err := c.Get(context.Background(), s.url(fmt.Sprintf("/%d", tt.code)))
			var status *fetch.StatusError
			if !errors.As(err, &status) || status.Code != tt.code {
				t.Fatalf("Get error = %v, want a *StatusError with code %d", err, tt.code)
			}
			if errors.Is(err, fetch.ErrNotFound) != tt.notFound {
				t.Errorf("errors.Is(%v, ErrNotFound) = %t", err, !tt.notFound)
			}
			if errors.Is(err, fetch.ErrGone) != tt.gone {
				t.Errorf("errors.Is(%v, ErrGone) = %t", err, !tt.gone)
			}
		})
	}
}

func TestGet_GivesUpOnSlowServers(t *testing.T) {
	s := newSite(t, "127.0.0.1")
	s.mux.HandleFunc("GET /slow-headers", func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	s.mux.HandleFunc("GET /slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", activityJSON)
		_, _ = w.Write([]byte(`{"id":`))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	s.mux.HandleFunc("GET /slow-redirect", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond)
		http.Redirect(w, r, "/slow-redirect", http.StatusFound)
	})
	tests := []struct {
		name     string
		path     string
		timeout  time.Duration // Options.Timeout
		ctxLimit time.Duration // 0: context.Background()
	}{
		{"headers late, Options.Timeout", "/slow-headers", 200 * time.Millisecond, 0},
		{"body late, Options.Timeout", "/slow-body", 200 * time.Millisecond, 0},
		{"headers late, context deadline", "/slow-headers", 5 * time.Second, 200 * time.Millisecond},
		{"redirects together exceed Options.Timeout", "/slow-redirect", 400 * time.Millisecond, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, fetch.Options{Timeout: tt.timeout})
			ctx := context.Background()
			if tt.ctxLimit > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctxLimit)
				defer cancel()
			}
			start := time.Now()
			_, err := c.Get(ctx, s.url(tt.path))
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Get error = %v, want context.DeadlineExceeded", err)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("Get took %s", elapsed)
			}
		})
	}
}

// recordingSigner stands for the instance actor's signer: it signs for the
// request's own target and remembers what it signed.
type recordingSigner struct {
	mu     sync.Mutex
	signed []string
	err    error
}

func (s *recordingSigner) SignGET(r *http.Request) error {
	if s.err != nil {
		return s.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.signed = append(s.signed, r.Host+" "+r.URL.RequestURI()+" accept="+r.Header.Get("Accept"))
	r.Header.Set("Signature", "for "+r.Host+r.URL.RequestURI())
	return nil
}

func TestGet_SignsEachRequestForItsOwnTarget(t *testing.T) {
	a, b := newSite(t, "127.0.0.1"), newSite(t, "127.0.0.2")
	var finalSignature atomic.Value
	b.mux.HandleFunc("GET /note", func(w http.ResponseWriter, r *http.Request) {
		finalSignature.Store(r.Header.Get("Signature"))
		w.Header().Set("Content-Type", activityJSON)
		_, _ = w.Write(note(b.url("/note")))
	})
	a.redirect("/start", http.StatusFound, func() string { return b.url("/note") })

	signer := &recordingSigner{}
	c := client(t, fetch.Options{Signer: signer})
	if _, err := c.Get(context.Background(), a.url("/start")); err != nil {
		t.Fatalf("Get: %v", err)
	}
	aHost, bHost := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
	want := []string{
		aHost + " /start accept=" + fetch.Accept,
		bHost + " /note accept=" + fetch.Accept,
	}
	if fmt.Sprint(signer.signed) != fmt.Sprint(want) {
		t.Errorf("signed %q\nwant %q", signer.signed, want)
	}
	if finalSignature.Load() != "for "+bHost+"/note" {
		t.Errorf("the final request carried Signature %q, want one for itself", finalSignature)
	}

	t.Run("a signing failure sends nothing", func(t *testing.T) {
		failing := &recordingSigner{err: errors.New("no key")}
		before := a.hits.Load()
		_, err := client(t, fetch.Options{Signer: failing}).Get(context.Background(), a.url("/start"))
		if !errors.Is(err, failing.err) {
			t.Errorf("Get error = %v, want the signer's", err)
		}
		if a.hits.Load() != before {
			t.Errorf("a request was sent unsigned")
		}
	})
}
