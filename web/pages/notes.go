package pages

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

// composeFields are the fields of the form that posts a note.
var composeFields = []string{"content", "summary", "visibility", "author", "in_reply_to", "back"}

// Visibilities are offered in this order, the most open first.
var visibilities = []string{news.Public, news.Unlisted, news.Followers, news.Direct}

// composeView is the form that posts a note: as oneself or, when Authors
// is not empty, as one of the associations whose board the viewer is on;
// as the association Fixed only, on its page.
type composeView struct {
	Form         *form
	Authors      []postAs
	Fixed        string
	Visibilities []string
	Reply        bool
}

// postAs is an association the viewer may post as.
type postAs struct {
	Name        string
	DisplayName string
}

// composeView prepares the compose form f for acc, whose answers come back
// to back.
func (s *server) composeView(r *http.Request, acc membership.Account, f *form, back string) (*composeView, error) {
	if !f.submitted("back") {
		f.Values["back"] = back
	}
	if !f.submitted("visibility") {
		f.Values["visibility"] = news.Public
	}
	v := &composeView{Form: f, Visibilities: visibilities, Reply: f.Value("in_reply_to") != ""}
	list, err := s.members.AssociationsOf(r.Context(), acc)
	if err != nil {
		return nil, err
	}
	for _, m := range list {
		if (membership.Member{Role: m.Role, Status: m.Status}).IsBoard() {
			v.Authors = append(v.Authors, postAs{Name: m.Name, DisplayName: m.DisplayName})
		}
	}
	// What is wrong with a field the form does not show goes above it.
	hidden := []string{"in_reply_to", "back"}
	if len(v.Authors) == 0 {
		hidden = append(hidden, "author")
	}
	for _, name := range hidden {
		if fe, ok := f.Errors[name]; ok {
			delete(f.Errors, name)
			f.Problems = append(f.Problems, fe)
		}
	}
	return v, nil
}

type composePage struct {
	frame
	Compose *composeView
	Parent  *entryView // the note answered
}

// composeForm shows the form that posts a note; ?in_reply_to= makes it a
// reply to that note, shown above it.
func (s *server) composeForm(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, r.URL.RequestURI())
		return
	}
	f := newForm(composeFields...)
	if ref := r.URL.Query().Get("in_reply_to"); ref != "" {
		f.Values["in_reply_to"] = ref
	}
	s.showCompose(w, r, http.StatusOK, acc, f)
}

func (s *server) showCompose(w http.ResponseWriter, r *http.Request, status int, acc membership.Account, f *form) {
	p := &composePage{}
	back := "/"
	if id, err := uuid.Parse(f.Value("in_reply_to")); err == nil {
		th, err := s.news.Thread(r.Context(), &acc, id, "")
		switch {
		case err == nil:
			e := s.entryView(th.Entry)
			p.Parent, back = &e, e.Path
			if !f.submitted("visibility") && th.Entry.Note.Visibility != news.Public {
				f.Values["visibility"] = th.Entry.Note.Visibility
			}
		case core.KindOf(err) == core.KindNotFound:
			delete(f.Values, "in_reply_to")
		default:
			s.fail(w, r, err)
			return
		}
	}
	v, err := s.composeView(r, acc, f, back)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Compose = v
	s.render(w, r, status, "compose", p)
}

// compose posts a note and goes back where the form was, or shows the
// form again with what is wrong.
func (s *server) compose(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		s.toLogin(w, r, "/compose")
		return
	}
	f, err := readForm(r, composeFields)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Invalid() {
		s.showCompose(w, r, f.Status(), acc, f)
		return
	}
	_, err = s.news.Post(r.Context(), acc, news.PostInput{Author: f.Value("author"), Content: f.Value("content"),
		Summary: f.Value("summary"), Visibility: f.Value("visibility"), InReplyTo: f.Value("in_reply_to")})
	if err != nil {
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
		s.showCompose(w, r, f.Status(), acc, f)
		return
	}
	redirect(w, r, withDone(f.Value("back"), "posted"))
}

type notePage struct {
	frame
	Entry   entryView
	Parent  *entryView
	Replies *timelineView
	Compose *composeView // the reply form, for a signed-in viewer
	Form    *form        // problems of a like or a boost
	Done    string
}

// notePage shows a note, the note it answers and its replies, with a
// reply form.
func (s *server) notePage(w http.ResponseWriter, r *http.Request) {
	s.showNote(w, r, http.StatusOK, newForm())
}

func (s *server) showNote(w http.ResponseWriter, r *http.Request, status int, f *form) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	viewer := auth.Account(r.Context())
	th, err := s.news.Thread(r.Context(), viewer, id, cursorParam(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	e := s.entryView(th.Entry)
	if r.Method == http.MethodGet && !strings.EqualFold(r.URL.Path, e.Path) {
		// The address names another author: send the browser to the note's own.
		redirect(w, r, e.Path)
		return
	}
	// The page's forms are buttons: what is wrong shows above the note.
	for name, fe := range f.Errors {
		delete(f.Errors, name)
		f.Problems = append(f.Problems, fe)
	}
	p := &notePage{Entry: e, Form: f, Done: doneParam(r, "posted")}
	if th.Parent != nil {
		pe := s.entryView(*th.Parent)
		p.Parent = &pe
	}
	e.Back, e.Acts = e.Path, viewer != nil
	p.Entry = e
	if p.Parent != nil {
		p.Parent.Back, p.Parent.Acts = e.Path, viewer != nil
	}
	p.Replies = s.timelineView(r, news.Page{Entries: th.Replies, Next: th.Next})
	for i := range p.Replies.Entries {
		p.Replies.Entries[i].Reply = true
		p.Replies.Entries[i].Back = e.Path
	}
	if viewer != nil {
		cf := newForm(composeFields...)
		cf.Values["in_reply_to"] = th.Entry.Note.ID.String()
		if th.Entry.Note.Visibility != news.Public {
			cf.Values["visibility"] = th.Entry.Note.Visibility
		}
		if p.Compose, err = s.composeView(r, *viewer, cf, e.Path); err != nil {
			s.fail(w, r, err)
			return
		}
		p.Compose.Authors = nil // a reply goes as oneself
	}
	s.render(w, r, status, "note", p)
}

// doneParam is the query's done value when it is want.
func doneParam(r *http.Request, want ...string) string {
	d := r.URL.Query().Get("done")
	for _, w := range want {
		if d == w {
			return d
		}
	}
	return ""
}

// Actions on a note, as its buttons post them.
const (
	actionLike    = "like"
	actionUnlike  = "unlike"
	actionBoost   = "boost"
	actionUnboost = "unboost"
)

// noteAction likes or boosts a note (or takes it back) and goes back to
// the page the button was on.
func (s *server) noteAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	acc, err := auth.Require(ctx)
	if err != nil {
		s.toLogin(w, r, r.URL.Path)
		return
	}
	f, err := readForm(r, []string{"action", "back"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Invalid() {
		switch f.Value("action") {
		case actionLike:
			_, err = s.news.React(ctx, acc, id, news.Like)
		case actionUnlike:
			_, err = s.news.Unreact(ctx, acc, id, news.Like)
		case actionBoost:
			_, err = s.news.React(ctx, acc, id, news.Boost)
		case actionUnboost:
			_, err = s.news.Unreact(ctx, acc, id, news.Boost)
		default:
			err = core.Invalid(core.FieldError{Field: "action", Code: codeInvalidChoice, Detail: "unknown action"})
		}
		if err == nil {
			back := r.URL.Path
			if b := f.Value("back"); b != "" {
				back = safeNext(b)
			}
			redirect(w, r, back)
			return
		}
		if core.KindOf(err) == core.KindNotFound || !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.showNote(w, r, f.Status(), f)
}
