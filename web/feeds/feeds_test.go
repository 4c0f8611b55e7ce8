package feeds_test

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/holon-network/holon/web/feeds"
	"github.com/holon-network/holon/web/feeds/feedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// hostile is HTML content with what XML must escape, a CDATA end and a
// script (content is sanitised before it reaches a feed; the feed must
// carry it as text all the same, never as markup of its own).
const hostile = `<p>Tom &amp; Jerry <b>share</b> a "café" ]]> <script>alert(1)</script></p>`

// fixture is a fixed feed: an HTML note, a plain-text event, an entry
// changed after it was published.
func fixture() feeds.Feed {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	paris, _ := time.LoadLocation("Europe/Paris")
	return feeds.Feed{
		ID: "https://holon.example/@commons/news.atom", Title: "Les communs <&>", Subtitle: "We share & care",
		Link: "https://holon.example/@commons", Self: "https://holon.example/@commons/news.atom",
		Author: "Les communs", Language: "fr", Updated: at.Add(-time.Hour),
		Entries: []feeds.Entry{
			{ID: "https://holon.example/notes/1", Title: "Tom & Jerry <share>", Link: "https://holon.example/@commons/notes/1",
				Author: "Alice <a@b>", Content: hostile, Published: at},
			{ID: "https://holon.example/events/2", Title: "Cancelled: Picnic", Link: "https://holon.example/events/2",
				Summary: "2026-06-14 12:00 – 15:00 <Prospect Park> & more", Content: "<p>2026-06-14</p>",
				Published: at.In(paris), Updated: at.Add(48 * time.Hour).In(paris)},
			{ID: "https://holon.example/events/3", Title: "Plain", Link: "https://holon.example/events/3",
				Summary: "a < b", Published: at.Add(time.Hour)},
		},
	}
}

func TestWrite_Golden(t *testing.T) {
	for _, c := range []struct {
		name   string
		format feeds.Format
	}{{"feed.atom", feeds.Atom}, {"feed.rss", feeds.RSS}} {
		t.Run(c.name, func(t *testing.T) {
			got, err := feeds.Marshal(fixture(), c.format)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", c.name)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("feed differs from %s (go test -update to rewrite it):\n%s", golden, got)
			}
		})
	}
}

// TestWrite_AtomParses reads the Atom feed with an independent parser
// (mmcdole/gofeed) and checks RFC 4287's required elements, the dates,
// the links and that texts and HTML come back as written.
func TestWrite_AtomParses(t *testing.T) {
	f := fixture()
	body, err := feeds.Marshal(f, feeds.Atom)
	if err != nil {
		t.Fatal(err)
	}
	got := feedtest.Atom(t, body)
	if got.ID != f.ID || got.Title != f.Title || got.Subtitle != f.Subtitle || got.Language != "fr" {
		t.Errorf("feed: id %q title %q subtitle %q language %q", got.ID, got.Title, got.Subtitle, got.Language)
	}
	if got.Updated != "2026-03-03T09:30:00Z" {
		t.Errorf("feed updated %q, want the latest entry's change", got.Updated)
	}
	if l := feedtest.Link(got.Links, "self"); l == nil || l.Href != f.Self || l.Type != feeds.AtomType {
		t.Errorf("self link %+v", l)
	}
	if l := feedtest.Link(got.Links, "alternate"); l == nil || l.Href != f.Link {
		t.Errorf("alternate link %+v", l)
	}
	if len(got.Authors) != 1 || got.Authors[0].Name != "Les communs" {
		t.Errorf("feed authors %+v", got.Authors)
	}
	if len(got.Entries) != len(f.Entries) {
		t.Fatalf("%d entries, want %d", len(got.Entries), len(f.Entries))
	}
	for i, want := range f.Entries {
		e := got.Entries[i]
		if e.ID != want.ID || e.Title != want.Title {
			t.Errorf("entry %d: id %q title %q", i, e.ID, e.Title)
		}
		if l := feedtest.Link(e.Links, "alternate"); l == nil || l.Href != want.Link {
			t.Errorf("entry %d: link %+v", i, e.Links)
		}
		if e.Summary != want.Summary {
			t.Errorf("entry %d: summary %q, want %q", i, e.Summary, want.Summary)
		}
		switch {
		case want.Content == "" && e.Content != nil:
			t.Errorf("entry %d: content %+v, want none", i, e.Content)
		case want.Content != "" && (e.Content == nil || e.Content.Type != "html" || e.Content.Value != want.Content):
			t.Errorf("entry %d: content %+v, want the HTML %q", i, e.Content, want.Content)
		}
		if !e.PublishedParsed.Equal(want.Published) {
			t.Errorf("entry %d: published %q, want %s", i, e.Published, want.Published)
		}
		wantUpdated := want.Updated
		if wantUpdated.IsZero() {
			wantUpdated = want.Published
		}
		if !e.UpdatedParsed.Equal(wantUpdated) {
			t.Errorf("entry %d: updated %q, want %s", i, e.Updated, wantUpdated)
		}
	}
	if a := got.Entries[0].Authors; len(a) != 1 || a[0].Name != "Alice <a@b>" {
		t.Errorf("entry author %+v", a)
	}
	if !bytes.Contains(body, []byte(`<summary type="text">`)) || bytes.Contains(body, []byte(`<script>`)) {
		t.Errorf("summaries are not text, or markup leaked:\n%s", body)
	}
}

// TestWrite_RSSParses reads the RSS feed with mmcdole/gofeed and checks
// RSS 2.0's required elements, RFC 1123 dates, guids and descriptions.
func TestWrite_RSSParses(t *testing.T) {
	f := fixture()
	body, err := feeds.Marshal(f, feeds.RSS)
	if err != nil {
		t.Fatal(err)
	}
	got := feedtest.RSS(t, body)
	if got.Title != f.Title || got.Link != f.Link || got.Description != f.Subtitle || got.Language != "fr" {
		t.Errorf("channel: title %q link %q description %q language %q", got.Title, got.Link, got.Description, got.Language)
	}
	if self := feedtest.RSSSelf(got); self != f.Self {
		t.Errorf("self link %q, want %q", self, f.Self)
	}
	wantDescriptions := []string{hostile, "<p>2026-06-14</p>", "a &lt; b"}
	for i, want := range f.Entries {
		it := got.Items[i]
		if it.Title != want.Title || it.Link != want.Link || it.GUID.Value != want.ID || it.GUID.IsPermalink != "false" {
			t.Errorf("item %d: title %q link %q guid %+v", i, it.Title, it.Link, it.GUID)
		}
		if it.Description != wantDescriptions[i] {
			t.Errorf("item %d: description %q, want %q", i, it.Description, wantDescriptions[i])
		}
		if !it.PubDateParsed.Equal(want.Published) {
			t.Errorf("item %d: pubDate %q, want %s", i, it.PubDate, want.Published)
		}
		if it.Author != "" {
			t.Errorf("item %d: author %q: RSS wants an e-mail address there", i, it.Author)
		}
	}
}

func TestWrite_Refuses(t *testing.T) {
	for name, f := range map[string]feeds.Feed{
		"no id":    {Title: "t", Link: "https://h/", Updated: time.Now()},
		"no title": {ID: "https://h/f", Link: "https://h/", Updated: time.Now()},
		"no date":  {ID: "https://h/f", Title: "t", Link: "https://h/"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := feeds.Marshal(f, feeds.Atom); err == nil {
				t.Fatal("written")
			}
		})
	}
}

// TestServe_Conditional: the validators come with the feed, and a reader
// that sends them back gets 304 without a body.
func TestServe_Conditional(t *testing.T) {
	f := fixture()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := feeds.Serve(w, r, f, feeds.Atom); err != nil {
			t.Error(err)
		}
	})
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, "/@commons/news.atom", nil))
	etag, modified := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if first.Code != http.StatusOK || etag == "" || modified != "Tue, 03 Mar 2026 09:30:00 GMT" ||
		first.Header().Get("Content-Type") != "application/atom+xml; charset=utf-8" ||
		first.Header().Get("Cache-Control") != feeds.CacheControl {
		t.Fatalf("first answer %d %v", first.Code, first.Header())
	}
	for _, c := range []struct {
		name   string
		header string
		value  string
		want   int
	}{
		{"same etag", "If-None-Match", etag, http.StatusNotModified},
		{"other etag", "If-None-Match", `"other"`, http.StatusOK},
		{"not modified since", "If-Modified-Since", modified, http.StatusNotModified},
		{"modified since", "If-Modified-Since", "Mon, 02 Mar 2026 09:30:00 GMT", http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/@commons/news.atom", nil)
			r.Header.Set(c.header, c.value)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != c.want {
				t.Fatalf("status %d, want %d", w.Code, c.want)
			}
			if c.want == http.StatusNotModified && w.Body.Len() != 0 {
				t.Fatalf("a 304 with a body: %q", w.Body)
			}
		})
	}
}
