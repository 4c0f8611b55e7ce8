// Package feeds writes a list of entries as an Atom 1.0 feed (RFC 4287)
// or an RSS 2.0 feed, and serves it with validators that feed readers
// revalidate with. It writes with gorilla/feeds, which escapes the text
// and dates the entries (RFC 3339 in Atom, RFC 1123 with a numeric zone
// in RSS), and adds what that library leaves out: the feed's own address
// (rel="self"), its language, the entries' publication dates, and plain
// text summaries that readers must not read as HTML.
//
// The package knows nothing of notes or events: callers make the entries,
// in the words and language they choose. It never reads the database.
package feeds

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"time"

	gorilla "github.com/gorilla/feeds"
)

// Feed is what a feed holds. Links are absolute.
type Feed struct {
	// ID names the feed for ever: its address (Self) unless it moves.
	ID       string
	Title    string
	Subtitle string // plain text; may be empty
	Link     string // the HTML page the feed follows
	Self     string // the feed's own address
	Author   string // who publishes it: the association's name
	Language string // "en", "fr"
	// Updated is the feed's last change: the latest of its entries', or
	// this when it has none.
	Updated time.Time
	Entries []Entry
}

// Entry is one item of a feed.
type Entry struct {
	ID        string // stable and unique: the object's id on the wire
	Title     string // plain text
	Link      string // the page of the object
	Author    string // plain text; "" for the feed's author
	Summary   string // plain text; may be empty
	Content   string // HTML, already safe to show; may be empty
	Published time.Time
	Updated   time.Time // the last change; Published when zero
}

// updated is f's last change.
func (f Feed) updated() time.Time {
	u := f.Updated
	for _, e := range f.Entries {
		if t := e.updated(); t.After(u) {
			u = t
		}
	}
	return u.UTC()
}

func (e Entry) updated() time.Time {
	if e.Updated.IsZero() {
		return e.Published
	}
	return e.Updated
}

// Format is a kind of feed.
type Format int

// The formats of a feed.
const (
	Atom Format = iota
	RSS
)

// Media types of the formats.
const (
	AtomType = "application/atom+xml"
	RSSType  = "application/rss+xml"
)

// ContentType is the Content-Type of a feed in format.
func (format Format) ContentType() string {
	if format == RSS {
		return RSSType + "; charset=utf-8"
	}
	return AtomType + "; charset=utf-8"
}

// Write writes f in format to w.
func Write(w io.Writer, f Feed, format Format) error {
	if f.ID == "" || f.Title == "" || f.Link == "" || f.updated().IsZero() {
		return errors.New("write feed: it needs an id, a title, a link and a date")
	}
	var doc any
	if format == RSS {
		doc = rss(f)
	} else {
		doc = atom(f)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write feed %s: %w", f.ID, err)
	}
	e := xml.NewEncoder(w)
	e.Indent("", "  ")
	if err := e.Encode(doc); err != nil {
		return fmt.Errorf("write feed %s: %w", f.ID, err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write feed %s: %w", f.ID, err)
	}
	return nil
}

// Marshal returns f in format.
func Marshal(f Feed, format Format) ([]byte, error) {
	var b bytes.Buffer
	if err := Write(&b, f, format); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// generic is f as gorilla/feeds takes it; summary gives each entry's
// description.
func generic(f Feed, summary func(Entry) string) *gorilla.Feed {
	g := &gorilla.Feed{Title: f.Title, Link: &gorilla.Link{Href: f.Link, Rel: "alternate", Type: "text/html"},
		Description: f.Subtitle, Updated: f.updated(), Id: f.ID}
	for _, e := range f.Entries {
		it := &gorilla.Item{Id: e.ID, Title: e.Title, Link: &gorilla.Link{Href: e.Link, Type: "text/html"},
			Description: summary(e), Content: e.Content, Created: e.Published.UTC(), Updated: e.updated().UTC()}
		if e.Author != "" {
			it.Author = &gorilla.Author{Name: e.Author}
		}
		g.Items = append(g.Items, it)
	}
	return g
}

// atomFeed is gorilla's Atom document with what it cannot say: the
// feed's language, and its links, the page's and its own address (gorilla
// has one link only: Links replaces it).
type atomFeed struct {
	XMLName xml.Name `xml:"feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	*gorilla.AtomFeed
	Links []gorilla.AtomLink
}

func atom(f Feed) atomFeed {
	g := generic(f, func(e Entry) string { return e.Summary })
	if f.Author != "" {
		g.Author = &gorilla.Author{Name: f.Author}
	}
	a := (&gorilla.Atom{Feed: g}).AtomFeed()
	a.Id = f.ID // gorilla takes the page's address, which the HTML page and every feed of it share
	a.Subtitle = f.Subtitle
	a.Link = nil // in Links
	for i, e := range a.Entries {
		// gorilla takes a summary for HTML: ours is plain text, which
		// readers must show as written.
		if e.Summary != nil {
			e.Summary.Type = "text"
		}
		if p := f.Entries[i].Published; !p.IsZero() {
			e.Published = p.UTC().Format(time.RFC3339)
		}
	}
	doc := atomFeed{Lang: f.Language, AtomFeed: a, Links: []gorilla.AtomLink{{Href: f.Link, Rel: "alternate", Type: "text/html"}}}
	if f.Self != "" {
		doc.Links = append(doc.Links, gorilla.AtomLink{Href: f.Self, Rel: "self", Type: AtomType})
	}
	return doc
}

// rssDescription is an entry's description: HTML, as RSS readers take it.
func rssDescription(e Entry) string {
	if e.Content != "" {
		return e.Content
	}
	return html.EscapeString(e.Summary)
}

// rssFeed is gorilla's RSS document with the feed's own address, which
// RSS says with Atom's link (gorilla has no place for it).
type rssFeed struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Atom    string   `xml:"xmlns:atom,attr"`
	Channel rssChannel
}

type rssChannel struct {
	XMLName xml.Name `xml:"channel"`
	*gorilla.RssFeed
	Self *rssSelf
}

type rssSelf struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

func rss(f Feed) rssFeed {
	g := generic(f, rssDescription)
	for _, it := range g.Items {
		it.Content = "" // the description holds it already
		it.Author = nil // RSS's author is an e-mail address, which we never publish
		it.Created = it.Created.UTC()
		it.IsPermaLink = "false" // the guid is the object's id, not its page
	}
	r := (&gorilla.Rss{Feed: g}).RssFeed()
	r.Language = f.Language
	r.PubDate = "" // gorilla writes the last change there too: lastBuildDate says it
	r.Generator = "Holon"
	if r.Description == "" {
		r.Description = f.Title // required
	}
	doc := rssFeed{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{RssFeed: r}}
	if f.Self != "" {
		doc.Channel.Self = &rssSelf{Href: f.Self, Rel: "self", Type: RSSType}
	}
	return doc
}
