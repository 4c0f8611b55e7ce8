package api

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/web/auth"
)

// Notes is what the API needs of the news service.
type Notes interface {
	Post(ctx context.Context, by membership.Account, in news.PostInput) (news.Note, error)
	Get(ctx context.Context, viewer *membership.Account, id uuid.UUID) (news.Note, error)
	Update(ctx context.Context, by membership.Account, id uuid.UUID, ch news.Change) (news.Note, error)
	Delete(ctx context.Context, by membership.Account, id uuid.UUID) error
	React(ctx context.Context, by membership.Account, id uuid.UUID, r news.Reaction) (int, error)
	Unreact(ctx context.Context, by membership.Account, id uuid.UUID, r news.Reaction) (int, error)
}

// noteJSON is a note as the API shows it. Title, plain text, is that of a
// received Article or Page (empty for notes). Content is sanitised HTML;
// source, the Markdown a local note was written in, is null for remote
// notes.
type noteJSON struct {
	ID          uuid.UUID  `json:"id"`
	URI         string     `json:"uri"`
	URL         string     `json:"url"`
	Author      string     `json:"author"`
	AuthorURI   string     `json:"author_uri"`
	Title       string     `json:"title"`
	Content     string     `json:"content"`
	Source      *string    `json:"source"`
	Summary     string     `json:"summary"`
	Sensitive   bool       `json:"sensitive"`
	Visibility  string     `json:"visibility"`
	InReplyTo   *string    `json:"in_reply_to"`
	InReplyToID *uuid.UUID `json:"in_reply_to_id"`
	Tags        []string   `json:"tags"`
	Mentions    []string   `json:"mentions"`
	Local       bool       `json:"local"`
	PublishedAt string     `json:"published_at"`
	UpdatedAt   *string    `json:"updated_at"`
}

// newNoteRequest is the body of POST /notes.
type newNoteRequest struct {
	Author     string `json:"author"`
	Content    string `json:"content"`
	InReplyTo  string `json:"in_reply_to"`
	Visibility string `json:"visibility"`
	Sensitive  bool   `json:"sensitive"`
	Summary    string `json:"summary"`
}

// notePatch is the body of PATCH /notes/{id}; absent fields stay as they
// are.
type notePatch struct {
	Content   *string `json:"content"`
	Summary   *string `json:"summary"`
	Sensitive *bool   `json:"sensitive"`
}

func renderNote(n news.Note) noteJSON {
	out := noteJSON{ID: n.ID, URI: n.URI, URL: n.URL, Author: n.Author.Acct(), AuthorURI: n.Author.URI,
		Title: n.Title, Content: n.Content, Summary: n.Summary, Sensitive: n.Sensitive, Visibility: n.Visibility,
		InReplyToID: n.InReplyToID, Tags: n.Tags, Mentions: n.MentionURIs(), Local: n.Local,
		PublishedAt: timestamp(n.Published), UpdatedAt: optTimestamp(n.Updated)}
	if n.Local {
		src := n.Source
		out.Source = &src
	}
	if n.InReplyTo != "" {
		r := n.InReplyTo
		out.InReplyTo = &r
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	return out
}

func (h *handlers) postNote(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var in newNoteRequest
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	n, err := h.notes.Post(r.Context(), acc, news.PostInput{Author: in.Author, Content: in.Content,
		InReplyTo: in.InReplyTo, Visibility: in.Visibility, Sensitive: in.Sensitive, Summary: in.Summary})
	if err != nil {
		fail(w, r, err)
		return
	}
	created(w, r, "/notes/"+n.ID.String(), renderNote(n))
}

func (h *handlers) getNote(w http.ResponseWriter, r *http.Request) {
	id, ok := noteID(w, r)
	if !ok {
		return
	}
	n, err := h.notes.Get(r.Context(), auth.Account(r.Context()), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderNote(n))
}

func (h *handlers) updateNote(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := noteID(w, r)
	if !ok {
		return
	}
	var in notePatch
	if err := decode(r, &in); err != nil {
		fail(w, r, err)
		return
	}
	n, err := h.notes.Update(r.Context(), acc, id, news.Change{Content: in.Content, Summary: in.Summary, Sensitive: in.Sensitive})
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, renderNote(n))
}

func (h *handlers) deleteNote(w http.ResponseWriter, r *http.Request) {
	acc, err := auth.Require(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	id, ok := noteID(w, r)
	if !ok {
		return
	}
	if err := h.notes.Delete(r.Context(), acc, id); err != nil {
		fail(w, r, err)
		return
	}
	noContent(w)
}

// noteID reads the {id} of a note's route; a malformed one is no note.
func noteID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		fail(w, r, news.ErrNoSuchNote)
		return uuid.Nil, false
	}
	return id, true
}

// reactionsJSON is a note's count of likes or of boosts after a change.
type reactionsJSON struct {
	Likes  *int `json:"likes,omitempty"`
	Boosts *int `json:"boosts,omitempty"`
}

// react likes or boosts a note (or, with undo, withdraws it); reacting
// twice changes nothing.
func (h *handlers) react(r news.Reaction, undo bool) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		acc, err := auth.Require(req.Context())
		if err != nil {
			fail(w, req, err)
			return
		}
		id, ok := noteID(w, req)
		if !ok {
			return
		}
		do := h.notes.React
		if undo {
			do = h.notes.Unreact
		}
		n, err := do(req.Context(), acc, id, r)
		if err != nil {
			fail(w, req, err)
			return
		}
		out := reactionsJSON{Likes: &n}
		if r == news.Boost {
			out = reactionsJSON{Boosts: &n}
		}
		writeJSON(w, req, http.StatusOK, out)
	}
}
