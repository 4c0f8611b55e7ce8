// Package feedtest reads feeds in tests with an independent parser
// (mmcdole/gofeed's Atom and RSS parsers) and checks what the formats
// require: the elements a reader needs, absolute links, dates in the
// format's own form (RFC 3339 in Atom, RFC 1123 with a numeric zone in
// RSS), unique ids. Only tests import it.
package feedtest

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

// Atom parses body as an Atom feed and checks RFC 4287's rules; it stops
// the test when body is no feed.
func Atom(t testing.TB, body []byte) *atom.Feed {
	t.Helper()
	f, err := (&atom.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse Atom: %v\n%s", err, body)
	}
	if f.ID == "" || f.Title == "" {
		t.Errorf("feed: id %q, title %q: both are required", f.ID, f.Title)
	}
	absolute(t, "feed id", f.ID)
	rfc3339(t, "feed updated", f.Updated)
	if self := Link(f.Links, "self"); self == nil {
		t.Error("feed: no rel=self link")
	} else {
		absolute(t, "self link", self.Href)
	}
	if alt := Link(f.Links, "alternate"); alt == nil {
		t.Error("feed: no rel=alternate link")
	} else {
		absolute(t, "alternate link", alt.Href)
	}
	ids := map[string]bool{}
	for i, e := range f.Entries {
		if e.ID == "" || e.Title == "" {
			t.Errorf("entry %d: id %q, title %q: both are required", i, e.ID, e.Title)
		}
		if ids[e.ID] {
			t.Errorf("entry %d: id %s twice", i, e.ID)
		}
		ids[e.ID] = true
		absolute(t, "entry id", e.ID)
		rfc3339(t, "entry updated", e.Updated)
		if e.Published != "" {
			rfc3339(t, "entry published", e.Published)
		}
		if alt := Link(e.Links, "alternate"); alt == nil {
			t.Errorf("entry %d: no link", i)
		} else {
			absolute(t, "entry link", alt.Href)
		}
		if len(e.Authors) == 0 && len(f.Authors) == 0 {
			t.Errorf("entry %d: no author, and the feed has none", i)
		}
		if e.Content == nil && e.Summary == "" {
			t.Errorf("entry %d: neither content nor summary", i)
		}
	}
	return f
}

// RSS parses body as an RSS 2.0 feed and checks its rules; it stops the
// test when body is no feed.
func RSS(t testing.TB, body []byte) *rss.Feed {
	t.Helper()
	f, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse RSS: %v\n%s", err, body)
	}
	if f.Version != "2.0" {
		t.Errorf("RSS version %q", f.Version)
	}
	if f.Title == "" || f.Link == "" || f.Description == "" {
		t.Errorf("channel: title %q, link %q, description %q: all are required", f.Title, f.Link, f.Description)
	}
	absolute(t, "channel link", f.Link)
	if self := RSSSelf(f); self == "" {
		t.Error("channel: no atom:link rel=self")
	} else {
		absolute(t, "channel's self link", self)
	}
	if f.LastBuildDate != "" {
		rfc1123(t, "lastBuildDate", f.LastBuildDate)
	}
	guids := map[string]bool{}
	for i, it := range f.Items {
		if it.Title == "" && it.Description == "" {
			t.Errorf("item %d: neither title nor description", i)
		}
		if it.GUID == nil || it.GUID.Value == "" {
			t.Errorf("item %d: no guid", i)
			continue
		}
		if guids[it.GUID.Value] {
			t.Errorf("item %d: guid %s twice", i, it.GUID.Value)
		}
		guids[it.GUID.Value] = true
		absolute(t, "item link", it.Link)
		rfc1123(t, "item pubDate", it.PubDate)
	}
	return f
}

// Link returns the first of links with rel (alternate when rel is
// empty), or nil.
func Link(links []*atom.Link, rel string) *atom.Link {
	for _, l := range links {
		r := l.Rel
		if r == "" {
			r = "alternate"
		}
		if r == rel {
			return l
		}
	}
	return nil
}

// RSSSelf is the address an RSS channel gives itself (atom:link
// rel=self), or "".
func RSSSelf(f *rss.Feed) string {
	for _, l := range f.Extensions["atom"]["link"] {
		if l.Attrs["rel"] == "self" {
			return l.Attrs["href"]
		}
	}
	return ""
}

func absolute(t testing.TB, what, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		t.Errorf("%s %q is no absolute address", what, s)
	}
}

func rfc3339(t testing.TB, what, s string) {
	t.Helper()
	if _, err := time.Parse(time.RFC3339, s); err != nil {
		t.Errorf("%s %q is no RFC 3339 date: %v", what, s, err)
	}
}

func rfc1123(t testing.TB, what, s string) {
	t.Helper()
	if _, err := time.Parse(time.RFC1123Z, s); err != nil {
		t.Errorf("%s %q is no RFC 1123 date with a numeric zone: %v", what, s, err)
	}
}
