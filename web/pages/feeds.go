package pages

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"golang.org/x/net/html"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/feeds"
)

// Bounds of a feed: the newest notes, the nearest events (from
// agenda.FeedSince ago on, by start); a title cut from a note's text.
const (
	maxFeedEntries = 50
	maxFeedTitle   = 80
)

// feedKeys are the messages the feeds' Go code says.
var feedKeys = map[string]string{"news": "feeds.news_title", "events": "feeds.events_title", "note_by": "feeds.note_by",
	"cancelled": "feeds.cancelled", "cancelled_notice": "event.cancelled", "when": "feeds.event_when",
	"where": "feeds.event_where", "online": "feeds.event_online"}

// feedRoutes are the Atom and RSS feeds of an association's news and
// agenda (issue 7, item 5). A feed is what anyone may read, whoever asks:
// readers subscribe without a session, and shared caches may keep it.
func (s *server) feedRoutes(r chi.Router) {
	if s.news != nil {
		r.Get("/@{name}/news.atom", s.newsFeed(feeds.Atom))
		r.Get("/@{name}/news.rss", s.newsFeed(feeds.RSS))
	}
	if s.events != nil {
		r.Get("/@{name}/events.atom", s.eventsFeed(feeds.Atom))
		r.Get("/@{name}/events.rss", s.eventsFeed(feeds.RSS))
	}
}

// feedPath is the address of an association's feed of kind ("news",
// "events") in format.
func feedPath(association, kind string, format feeds.Format) string {
	ext := ".atom"
	if format == feeds.RSS {
		ext = ".rss"
	}
	return "/@" + association + "/" + kind + ext
}

// feedLinks are the addresses of an association's feeds of one kind, as
// its pages show them.
type feedLinks struct {
	Kind string // "news" or "events"
	Name string // the association's display name
	Atom string
	RSS  string
	ICS  string // the iCalendar feed of the agenda; "" for news
}

func feedLinksOf(a membership.Association, kind string) feedLinks {
	l := feedLinks{Kind: kind, Name: a.DisplayName, Atom: feedPath(a.Name, kind, feeds.Atom), RSS: feedPath(a.Name, kind, feeds.RSS)}
	if l.Name == "" {
		l.Name = a.Name
	}
	if kind == "events" {
		l.ICS = "/associations/" + a.Name + "/events.ics"
	}
	return l
}

// feedSpeaker is the language of the feeds: the instance's, as a feed
// reader asks without a language and a shared cache keeps one copy.
func (s *server) feedSpeaker() speaker { return s.cat.speakers[s.cat.fallback] }

// feedOf is the frame of association a's feed of kind: its title, its
// links, its language.
func (s *server) feedOf(sp speaker, a membership.Association, kind string, format feeds.Format) (feeds.Feed, error) {
	name := a.DisplayName
	if name == "" {
		name = a.Name
	}
	title, err := sp.td(feedKeys[kind], "Name", name)
	if err != nil {
		return feeds.Feed{}, err
	}
	base := s.cfg.BaseURL()
	page := "/@" + a.Name
	if kind == "events" {
		page += "/events"
	}
	self := base + feedPath(a.Name, kind, format)
	return feeds.Feed{ID: self, Title: title, Subtitle: a.Summary, Link: base + page, Self: self,
		Author: name, Language: sp.lang, Updated: a.CreatedAt}, nil
}

// newsFeed is the association's news as its page shows it to a visitor:
// its public and unlisted notes and its boosts of its members' posts,
// newest first. Followers-only and direct notes never appear.
func (s *server) newsFeed(format feeds.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sp := s.feedSpeaker()
		f, err := s.feedOf(sp, a, "news", format)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		list, err := s.publicNews(ctx, a.Name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		seen := map[string]bool{}
		for _, e := range list {
			if seen[e.Note.URI] { // a note and its boost: one entry
				continue
			}
			seen[e.Note.URI] = true
			entry, err := s.noteEntry(sp, e)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			f.Entries = append(f.Entries, entry)
		}
		if err := feeds.Serve(w, r, f, format); err != nil {
			s.fail(w, r, err)
		}
	}
}

// publicNews is at most maxFeedEntries of association's news as a visitor
// reads it, newest first.
func (s *server) publicNews(ctx context.Context, association string) ([]news.Entry, error) {
	actor, err := s.members.LocalActor(ctx, association)
	if err != nil {
		return nil, err
	}
	var out []news.Entry
	cursor := ""
	for len(out) < maxFeedEntries {
		page, err := s.news.ActorNews(ctx, nil, actor.ID, cursor, min(maxFeedEntries-len(out), news.MaxTimelineLimit))
		if err != nil {
			return nil, err
		}
		out = append(out, page.Entries...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	return out, nil
}

// noteEntry is the feed entry of a timeline entry: the note, its author's
// name, its page here.
func (s *server) noteEntry(sp speaker, e news.Entry) (feeds.Entry, error) {
	n := e.Note
	author := e.AuthorName
	if author == "" {
		author = acctOf(n.Author)
	}
	title := n.Title
	if title == "" {
		title = n.Summary // the content warning says what the note is about without showing it
	}
	if title == "" {
		title = excerpt(n.Content, maxFeedTitle)
	}
	if title == "" {
		var err error
		if title, err = sp.td(feedKeys["note_by"], "Name", author); err != nil {
			return feeds.Entry{}, err
		}
	}
	entry := feeds.Entry{ID: n.URI, Title: title, Link: s.cfg.BaseURL() + s.notePath(n), Author: author,
		Content: n.Content, Published: n.Published}
	if n.Updated != nil {
		entry.Updated = *n.Updated
	}
	return entry, nil
}

// excerpt is the text of the HTML h on one line, cut at max characters.
func excerpt(h string, max int) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		switch z.Next() {
		case html.ErrorToken:
			text := strings.Join(strings.Fields(b.String()), " ")
			if utf8.RuneCountInString(text) <= max {
				return text
			}
			runes := []rune(text)
			return strings.TrimSpace(string(runes[:max-1])) + "…"
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			b.WriteByte(' ') // between paragraphs, and after a <br>
		}
	}
}

// eventsFeed is the association's agenda as anyone may read it: its
// events from agenda.FeedSince ago on, by start, cancelled ones marked. A
// members-only association's agenda has no public feed (403, as its
// iCalendar feed).
func (s *server) eventsFeed(format feeds.Format) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		a, err := s.members.Association(ctx, chi.URLParam(r, "name"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		agendaFeed, err := s.events.AssociationFeed(ctx, nil, a.Name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sp := s.feedSpeaker()
		f, err := s.feedOf(sp, a, "events", format)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for i, e := range agendaFeed.Events {
			if i == maxFeedEntries {
				break
			}
			entry, err := s.eventEntry(sp, e)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			f.Entries = append(f.Entries, entry)
		}
		if err := feeds.Serve(w, r, f, format); err != nil {
			s.fail(w, r, err)
		}
	}
}

// eventEntry is the feed entry of an event: its name ("Cancelled: …"
// when it is), when and where it happens in the instance's language, its
// summary and description.
func (s *server) eventEntry(sp speaker, e agenda.Event) (feeds.Entry, error) {
	var err error
	msg := func(key string, pairs ...any) string { // the first error is kept, and returned below
		if err != nil {
			return ""
		}
		var text string
		text, err = sp.td(key, pairs...)
		return text
	}
	var lines, content []string // plain text; paragraphs of HTML
	add := func(text string) {
		lines = append(lines, text)
		content = append(content, "<p>"+template.HTMLEscapeString(text)+"</p>")
	}
	title := e.Name
	if e.Status == agenda.StatusCancelled {
		title = msg(feedKeys["cancelled"], "Name", e.Name)
		add(msg(feedKeys["cancelled_notice"]))
	}
	when := timesOf(e)
	add(msg(feedKeys["when"], "Start", when.Start, "End", when.End, "Zone", when.Zone))
	if place := placeText(e.Place); place != "" {
		add(msg(feedKeys["where"], "Place", place))
	}
	if link := e.OnlineLink; strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "http://") {
		label := msg(feedKeys["online"])
		lines = append(lines, label+" "+link)
		content = append(content, "<p>"+template.HTMLEscapeString(label)+` <a href="`+template.HTMLEscapeString(link)+`">`+
			template.HTMLEscapeString(link)+"</a></p>")
	}
	if err != nil {
		return feeds.Entry{}, err
	}
	if e.Summary != "" {
		add(e.Summary)
	}
	for _, p := range paragraphs(e.Description) {
		content = append(content, "<p>"+template.HTMLEscapeString(p)+"</p>")
	}
	return feeds.Entry{ID: e.URI, Title: title, Link: s.cfg.BaseURL() + "/events/" + e.ID.String(),
		Summary: strings.Join(lines, "\n"), Content: strings.Join(content, ""),
		Published: e.CreatedAt, Updated: e.UpdatedAt}, nil
}

// placeText is a place on one line ("" for none).
func placeText(p *agenda.Place) string {
	if p == nil {
		return ""
	}
	return p.OneLine()
}
