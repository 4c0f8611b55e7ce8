package pages

import (
	"context"
	"html/template"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

// entryView is one note of a timeline as the pages show it, with the
// addresses of its page and of its author's and booster's profiles here.
type entryView struct {
	news.Entry
	Anchor      string // the element's id, to come back to after an action
	Path        string // the note's page
	AuthorPath  string
	AuthorAcct  string // @name for a local author, @name@host otherwise
	BoosterPath string
	BoosterAcct string
	Content     template.HTML // sanitised by news before it was stored
	Boostable   bool
	Reply       bool   // shown in its thread, under the note it answers
	Back        string // where its buttons come back to
	Acts        bool   // the viewer may like, boost and reply
}

// timelineView is a page of a timeline: its entries, the address of the
// next page, and where the forms of its notes come back to.
type timelineView struct {
	Entries []entryView
	Next    string
	Back    string
	Acts    bool // the viewer may like, boost and reply
}

// Remote finds actors on this and other servers (federation/actors.Resolver).
type Remote interface {
	Lookup(ctx context.Context, q string) (membership.Actor, error)
}

// profilePath is the page of the actor name@host here: a local actor's
// profile, or what this instance knows of a remote one.
func (s *server) profilePath(a news.Author) string {
	if a.Local {
		return "/@" + a.Username
	}
	return "/@" + a.Username + "@" + a.Host
}

func acctOf(a news.Author) string {
	if a.Local {
		return "@" + a.Username
	}
	return "@" + a.Acct()
}

// notePath is the page of the note n.
func (s *server) notePath(n news.Note) string {
	return s.profilePath(n.Author) + "/notes/" + n.ID.String()
}

func (s *server) entryView(e news.Entry) entryView {
	v := entryView{Entry: e, Anchor: "e-" + e.Key, Path: s.notePath(e.Note), AuthorPath: s.profilePath(e.Note.Author),
		AuthorAcct: acctOf(e.Note.Author), Content: template.HTML(e.Note.Content), //nolint:gosec // sanitised by news
		Boostable: e.Note.Visibility == news.Public || e.Note.Visibility == news.Unlisted}
	if b := e.BoostedBy; b != nil {
		v.BoosterPath, v.BoosterAcct = s.profilePath(*b), acctOf(*b)
	}
	return v
}

// timelineView makes the view of a page p of the timeline at path (with its
// query, but without the cursor), read by viewer.
func (s *server) timelineView(r *http.Request, p news.Page) *timelineView {
	v := &timelineView{Back: withoutDone(r), Acts: auth.Account(r.Context()) != nil}
	for _, e := range p.Entries {
		ev := s.entryView(e)
		ev.Back, ev.Acts = v.Back, v.Acts
		v.Entries = append(v.Entries, ev)
	}
	if p.Next != "" {
		u := *r.URL
		q := u.Query()
		q.Set("cursor", p.Next)
		q.Del("done")
		u.RawQuery = q.Encode()
		v.Next = u.RequestURI()
	}
	return v
}

// withoutDone is the address of r without the done confirmation, for
// forms to come back to.
func withoutDone(r *http.Request) string {
	u := *r.URL
	q := u.Query()
	if q.Has("done") {
		q.Del("done")
		u.RawQuery = q.Encode()
	}
	return u.RequestURI()
}

// cursorParam is the page's cursor; a malformed one starts at the top.
func cursorParam(r *http.Request) string {
	c := r.URL.Query().Get("cursor")
	if _, err := news.ParseCursor(c); err != nil {
		return ""
	}
	return c
}

type networkPage struct {
	frame
	Timeline *timelineView
}

// networkPage shows the public activity of this instance and its partners.
func (s *server) networkPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.news.Network(r.Context(), auth.Account(r.Context()), cursorParam(r), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "network", &networkPage{Timeline: s.timelineView(r, p)})
}

type tagPage struct {
	frame
	Tag      string
	Timeline *timelineView
}

// tagPage shows the public notes with a hashtag, where hashtag links lead.
func (s *server) tagPage(w http.ResponseWriter, r *http.Request) {
	name, err := news.NormalizeTag(chi.URLParam(r, "name"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	p, err := s.news.Tagged(r.Context(), auth.Account(r.Context()), name, cursorParam(r), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tag", &tagPage{Tag: name, Timeline: s.timelineView(r, p)})
}

// withDone returns the local address back with done=what in its query.
func withDone(back, what string) string {
	u, err := url.Parse(safeNext(back))
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Set("done", what)
	u.RawQuery = q.Encode()
	return u.String()
}
