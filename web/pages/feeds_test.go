package pages_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/feeds/feedtest"
	"github.com/holon-network/holon/web/webtest"
)

// fetch gets path from in with the headers given as pairs, without a
// session: as a feed reader does.
func fetch(t *testing.T, in *webtest.Instance, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, in.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := webtest.Browser().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// feedScene is a public association, commons, with notes of every
// visibility and two events, one cancelled; and a members-only one,
// closed, with a public note and an event.
type feedScene struct {
	in                *webtest.Instance
	alice             *browser
	planting, picnic  string // events of commons
	public, followers string // contents of commons' notes
}

func newFeedScene(t *testing.T, in *webtest.Instance) feedScene {
	t.Helper()
	alice := newBrowser(t, in)
	alice.signUp("alice")
	alice.createAssociation("commons")
	sc := feedScene{in: in, alice: alice, public: "Planting **soon** & <b>more</b> in the garden",
		followers: "Members only: the gate code is 1234"}
	for _, n := range []struct{ content, visibility string }{
		{sc.public, "public"},
		{"Quietly listed news", "unlisted"},
		{sc.followers, "followers"},
		{"@alice a direct word", "direct"},
	} {
		alice.compose(url.Values{"author": {"commons"}, "content": {n.content}, "visibility": {n.visibility}, "back": {"/@commons"}}).
			redirectsTo(t, "/@commons?done=posted")
	}
	sc.planting = createEvent(t, alice, "commons", eventForm("Planting day"))
	picnic := eventForm("Picnic")
	picnic.Set("event_start", "2030-06-14T12:00")
	picnic.Set("event_end", "2030-06-14T15:00")
	sc.picnic = createEvent(t, alice, "commons", picnic)
	alice.post("/events/"+sc.picnic+"/cancel", url.Values{"confirm": {"on"}}).redirectsTo(t, "/events/"+sc.picnic+"?done=cancelled")

	alice.createAssociation("closed")
	settings := settingsForm()
	settings.Set("visibility", "members")
	alice.post("/@closed/settings", settings).redirectsTo(t, "/@closed/settings?saved=1")
	alice.compose(url.Values{"author": {"closed"}, "content": {"Open day announced"}, "visibility": {"public"}, "back": {"/@closed"}}).
		redirectsTo(t, "/@closed?done=posted")
	createEvent(t, alice, "closed", eventForm("Board meeting"))
	return sc
}

// TestFeeds_Answers: each feed's status and media type, for a visitor and
// for a member with a session (a feed is the same for both).
func TestFeeds_Answers(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		sc := newFeedScene(t, in)
		for _, c := range []struct {
			path   string
			status int
			ctype  string
		}{
			{"/@commons/news.atom", http.StatusOK, "application/atom+xml; charset=utf-8"},
			{"/@commons/news.rss", http.StatusOK, "application/rss+xml; charset=utf-8"},
			{"/@commons/events.atom", http.StatusOK, "application/atom+xml; charset=utf-8"},
			{"/@commons/events.rss", http.StatusOK, "application/rss+xml; charset=utf-8"},
			{"/@closed/news.atom", http.StatusOK, "application/atom+xml; charset=utf-8"},
			{"/@closed/events.atom", http.StatusForbidden, "text/html; charset=utf-8"},
			{"/@closed/events.rss", http.StatusForbidden, "text/html; charset=utf-8"},
			{"/@nobody/news.atom", http.StatusNotFound, "text/html; charset=utf-8"},
			{"/@nobody/events.rss", http.StatusNotFound, "text/html; charset=utf-8"},
			{"/@alice/news.atom", http.StatusNotFound, "text/html; charset=utf-8"}, // a person, not an association
			{"/@alice@elsewhere.example/news.atom", http.StatusNotFound, "text/html; charset=utf-8"},
		} {
			t.Run(c.path, func(t *testing.T) {
				resp, body := fetch(t, in, c.path)
				if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != c.ctype {
					t.Fatalf("%d %s, want %d %s:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), c.status, c.ctype, body)
				}
				// The founder, signed in, gets the same: a feed never
				// depends on who asks.
				member := sc.alice.get(c.path)
				if member.Status != c.status {
					t.Fatalf("a member gets %d, a visitor %d", member.Status, c.status)
				}
				if c.status == http.StatusOK && member.Body != string(body) {
					t.Fatal("a member reads another feed than a visitor")
				}
				// HEAD, as readers check a feed: the same answer, no body.
				head, err := http.NewRequestWithContext(context.Background(), http.MethodHead, in.URL+c.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				hr, err := webtest.Browser().Do(head)
				if err != nil {
					t.Fatal(err)
				}
				hb, _ := io.ReadAll(hr.Body)
				hr.Body.Close()
				if hr.StatusCode != c.status || hr.Header.Get("Content-Type") != c.ctype || len(hb) != 0 {
					t.Fatalf("HEAD: %d %s with %d bytes", hr.StatusCode, hr.Header.Get("Content-Type"), len(hb))
				}
			})
		}
	})
}

// TestFeeds_News: the news feeds hold what the association's page shows a
// visitor (public and unlisted notes), never followers-only or direct
// ones, with stable ids, absolute links and escaped HTML.
func TestFeeds_News(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		newFeedScene(t, in)
		out, err := in.News.Outbox(context.Background(), "commons", uuid.Nil, news.MaxOutboxPage)
		if err != nil {
			t.Fatal(err)
		}
		var want []string // the outbox: public and unlisted notes, newest first
		for _, n := range out.Notes {
			want = append(want, n.URI)
		}
		if len(want) != 2 {
			t.Fatalf("the outbox holds %d notes, want 2", len(want))
		}
		_, atomBody := fetch(t, in, "/@commons/news.atom")
		_, rssBody := fetch(t, in, "/@commons/news.rss")
		for _, leak := range []string{"gate code", "direct word", "<script", "<b>"} {
			if strings.Contains(string(atomBody), leak) || strings.Contains(string(rssBody), leak) {
				t.Errorf("a feed holds %q", leak)
			}
		}

		a := feedtest.Atom(t, atomBody)
		base := in.Config.BaseURL()
		if a.ID != base+"/@commons/news.atom" || a.Title != "News of The commons" || a.Language != "en" {
			t.Errorf("feed id %q title %q language %q", a.ID, a.Title, a.Language)
		}
		if l := feedtest.Link(a.Links, "alternate"); l == nil || l.Href != base+"/@commons" {
			t.Errorf("alternate link %+v", l)
		}
		var ids []string
		for _, e := range a.Entries {
			ids = append(ids, e.ID)
		}
		if !slices.Equal(ids, want) {
			t.Fatalf("entries %v, want the outbox's %v", ids, want)
		}
		first := a.Entries[1] // the oldest: the public note
		if first.Title != "Planting soon & more in the garden" {
			t.Errorf("title %q, want the note's text", first.Title)
		}
		if first.Content == nil || first.Content.Type != "html" || !strings.Contains(first.Content.Value, "<strong>soon</strong> &amp; more") {
			t.Errorf("content %+v, want the note's HTML", first.Content)
		}
		if id := out.Notes[1].ID.String(); feedtest.Link(first.Links, "alternate").Href != base+"/@commons/notes/"+id {
			t.Errorf("entry link %+v, want the note's page", first.Links)
		}
		if len(first.Authors) != 1 || first.Authors[0].Name != "The commons" {
			t.Errorf("entry authors %+v", first.Authors)
		}
		if !first.PublishedParsed.Equal(out.Notes[1].Published.Truncate(1e9)) {
			t.Errorf("published %s, want %s", first.Published, out.Notes[1].Published)
		}

		r := feedtest.RSS(t, rssBody)
		var guids []string
		for _, it := range r.Items {
			guids = append(guids, it.GUID.Value)
		}
		if self := feedtest.RSSSelf(r); self != base+"/@commons/news.rss" {
			t.Errorf("RSS self link %q", self)
		}
		if !slices.Equal(guids, want) || r.Link != base+"/@commons" || r.Language != "en" {
			t.Fatalf("RSS guids %v link %q language %q, want %v", guids, r.Link, r.Language, want)
		}
		if !strings.Contains(r.Items[1].Description, "<strong>soon</strong>") {
			t.Errorf("RSS description %q, want the note's HTML", r.Items[1].Description)
		}

		// The members-only association's public notes are public: its news
		// feed has them, and nothing else.
		_, closed := fetch(t, in, "/@closed/news.atom")
		c := feedtest.Atom(t, closed)
		if len(c.Entries) != 1 || c.Entries[0].Title != "Open day announced" {
			t.Errorf("closed's news: %d entries", len(c.Entries))
		}
	})
}

// TestFeeds_Events: the agenda feeds hold the association's events, when
// and where in words, cancelled ones marked; the same feed twice is the
// same, and a reader's revalidation is answered 304.
func TestFeeds_Events(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		sc := newFeedScene(t, in)
		base := in.Config.BaseURL()
		resp, body := fetch(t, in, "/@commons/events.atom")
		a := feedtest.Atom(t, body)
		if a.Title != "Agenda of The commons" || feedtest.Link(a.Links, "alternate").Href != base+"/@commons/events" {
			t.Errorf("feed title %q links %+v", a.Title, a.Links)
		}
		if len(a.Entries) != 2 {
			t.Fatalf("%d entries, want 2:\n%s", len(a.Entries), body)
		}
		for _, c := range []struct {
			entry   int
			id      string
			title   string
			summary []string
		}{
			{0, sc.planting, "Planting day", []string{"When: 2030-05-10 14:00 – 17:00 (Europe/Paris (CEST))",
				"Where: Community garden, 3 rue des Lilas, 69001 Lyon, France", "Plant and share"}},
			{1, sc.picnic, "Cancelled: Picnic", []string{"This event is cancelled.", "When: 2030-06-14 12:00 – 15:00"}},
		} {
			e := a.Entries[c.entry]
			ev, err := in.Events.Event(context.Background(), nil, uuid.MustParse(c.id))
			if err != nil {
				t.Fatal(err)
			}
			if e.ID != ev.URI || e.Title != c.title || feedtest.Link(e.Links, "alternate").Href != base+"/events/"+c.id {
				t.Errorf("entry %d: id %q title %q links %+v", c.entry, e.ID, e.Title, e.Links)
			}
			if !e.UpdatedParsed.Equal(ev.UpdatedAt.Truncate(1e9)) {
				t.Errorf("entry %d: updated %s, want the event's %s", c.entry, e.Updated, ev.UpdatedAt)
			}
			for _, s := range c.summary {
				if !strings.Contains(e.Summary, s) || e.Content == nil || !strings.Contains(e.Content.Value, s) {
					t.Errorf("entry %d: summary %q or content %+v lacks %q", c.entry, e.Summary, e.Content, s)
				}
			}
		}
		if !strings.Contains(a.Entries[0].Content.Value, "<p>We plant the beds.</p>") {
			t.Errorf("no description: %q", a.Entries[0].Content.Value)
		}

		_, rssBody := fetch(t, in, "/@commons/events.rss")
		r := feedtest.RSS(t, rssBody)
		if len(r.Items) != 2 || r.Items[1].Title != "Cancelled: Picnic" || r.Items[0].Link != base+"/events/"+sc.planting {
			t.Errorf("RSS items %+v", r.Items)
		}

		// Stable: the same feed, the same validators; a revalidation
		// gets 304, a change of the agenda a new feed.
		etag, modified := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		again, body2 := fetch(t, in, "/@commons/events.atom")
		if string(body2) != string(body) || again.Header.Get("ETag") != etag || etag == "" || modified == "" {
			t.Fatalf("the same feed twice differs: ETag %q then %q", etag, again.Header.Get("ETag"))
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
			t.Errorf("Cache-Control %q", cc)
		}
		for _, c := range []struct {
			name    string
			headers []string
			want    int
		}{
			{"same etag", []string{"If-None-Match", etag}, http.StatusNotModified},
			{"same date", []string{"If-Modified-Since", modified}, http.StatusNotModified},
			{"other etag", []string{"If-None-Match", `"stale"`}, http.StatusOK},
		} {
			t.Run(c.name, func(t *testing.T) {
				resp, body := fetch(t, in, "/@commons/events.atom", c.headers...)
				if resp.StatusCode != c.want || (c.want == http.StatusNotModified && len(body) != 0) {
					t.Fatalf("%d with %d bytes, want %d", resp.StatusCode, len(body), c.want)
				}
			})
		}
		createEvent(t, sc.alice, "commons", eventForm("Harvest"))
		changed, _ := fetch(t, in, "/@commons/events.atom", "If-None-Match", etag)
		if changed.StatusCode != http.StatusOK || changed.Header.Get("ETag") == etag {
			t.Fatalf("after a new event: %d, ETag %q", changed.StatusCode, changed.Header.Get("ETag"))
		}
	})
}

// TestFeeds_Discovery: the association's page and its agenda name their
// feeds for readers (link rel=alternate) and for people; a members-only
// agenda names none.
func TestFeeds_Discovery(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		sc := newFeedScene(t, in)
		visitor := newBrowser(t, in)
		newsAtom := `<link rel="alternate" type="application/atom+xml" href="/@commons/news.atom" title="News of The commons (Atom)">`
		newsRSS := `<link rel="alternate" type="application/rss+xml" href="/@commons/news.rss" title="News of The commons (RSS)">`
		eventsAtom := `<link rel="alternate" type="application/atom+xml" href="/@commons/events.atom" title="Agenda of The commons (Atom)">`
		eventsRSS := `<link rel="alternate" type="application/rss+xml" href="/@commons/events.rss" title="Agenda of The commons (RSS)">`
		p := visitor.get("/@commons").want(t, http.StatusOK)
		p.contains(t, newsAtom, newsRSS, eventsAtom, eventsRSS)
		if p.byID("news-atom") == nil || p.byID("news-rss") == nil {
			t.Error("no visible news feed links")
		}
		p = visitor.get("/@commons/events").want(t, http.StatusOK)
		p.contains(t, eventsAtom, eventsRSS)
		p.lacks(t, newsAtom)
		if attr(p.byID("events-atom"), "href") != "/@commons/events.atom" || attr(p.byID("events-ics"), "href") != "/associations/commons/events.ics" {
			t.Error("no visible agenda feed links")
		}
		// Members-only: its member sees the agenda, but no public feed
		// of it is offered; its news feed is.
		p = sc.alice.get("/@closed").want(t, http.StatusOK)
		p.contains(t, `href="/@closed/news.atom"`)
		p.lacks(t, "/@closed/events.atom", "/@closed/events.rss")
		sc.alice.get("/@closed/events").want(t, http.StatusOK).lacks(t, "/@closed/events.atom", `id="events-feeds"`)
	})
}

// TestFeeds_French: an instance that speaks French writes its feeds in
// French.
func TestFeeds_French(t *testing.T) {
	webtest.Each(t, func(c *config.Config) { c.Instance.DefaultLocale = "fr" }, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		id := createEvent(t, alice, "commons", eventForm("Pique-nique"))
		alice.post("/events/"+id+"/cancel", url.Values{"confirm": {"on"}}).redirectsTo(t, "/events/"+id+"?done=cancelled")
		_, body := fetch(t, in, "/@commons/events.atom")
		a := feedtest.Atom(t, body)
		if a.Title != "Agenda de The commons" || a.Language != "fr" || len(a.Entries) != 1 {
			t.Fatalf("title %q language %q, %d entries", a.Title, a.Language, len(a.Entries))
		}
		e := a.Entries[0]
		if e.Title != "Annulé : Pique-nique" || !strings.Contains(e.Summary, "Quand : 2030-05-10 14:00 – 17:00") ||
			!strings.Contains(e.Summary, "Où : Community garden") {
			t.Errorf("entry %q: %q", e.Title, e.Summary)
		}
		_, body = fetch(t, in, "/@commons/news.rss")
		if r := feedtest.RSS(t, body); r.Title != "Actualités de The commons" || r.Language != "fr" {
			t.Errorf("RSS title %q language %q", r.Title, r.Language)
		}
	})
}

// TestFeeds_NewsIsBounded: a feed holds the newest maxFeedEntries notes,
// read over several timeline pages.
func TestFeeds_NewsIsBounded(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice := newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		acc := mustAccount(t, in, "alice")
		for i := range 53 {
			if _, err := in.News.Post(context.Background(), acc, news.PostInput{Author: "commons",
				Content: "Note number " + strconv.Itoa(i)}); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		resp, body := fetch(t, in, "/@commons/news.atom")
		t.Logf("a feed of 50 notes: %d bytes in %s", len(body), time.Since(start))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		a := feedtest.Atom(t, body)
		if len(a.Entries) != 50 || a.Entries[0].Title != "Note number 52" || a.Entries[49].Title != "Note number 3" {
			t.Fatalf("%d entries, from %q", len(a.Entries), a.Entries[0].Title)
		}
	})
}
