package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// note is the API's answer for a note, as far as the tests read it.
type note struct {
	ID          string   `json:"id"`
	URI         string   `json:"uri"`
	Author      string   `json:"author"`
	Content     string   `json:"content"`
	Source      *string  `json:"source"`
	Visibility  string   `json:"visibility"`
	InReplyTo   *string  `json:"in_reply_to"`
	InReplyToID *string  `json:"in_reply_to_id"`
	Tags        []string `json:"tags"`
	Mentions    []string `json:"mentions"`
	Sensitive   bool     `json:"sensitive"`
	Summary     string   `json:"summary"`
	UpdatedAt   *string  `json:"updated_at"`
}

func TestNotes_PostReadEditDelete(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		_, ada := e.person("ada")
		_, bob := e.person("bob")

		var n note
		e.post("/notes", ada, `{"content": "Hello *everyone*, @bob #Holon"}`).ok(t, http.StatusCreated, "Note", &n)
		if !strings.Contains(n.Content, "<em>everyone</em>") || !strings.Contains(n.Content, `class="u-url mention"`) ||
			n.Visibility != "public" || n.Source == nil || *n.Source != "Hello *everyone*, @bob #Holon" ||
			len(n.Tags) != 1 || n.Tags[0] != "holon" || len(n.Mentions) != 1 || !strings.HasSuffix(n.Mentions[0], "/actors/bob") ||
			n.URI != e.Config.BaseURL()+"/notes/"+n.ID || !strings.HasPrefix(n.Author, "ada@") {
			t.Fatalf("posted %+v", n)
		}

		var got note
		e.get("/notes/"+n.ID, "").ok(t, http.StatusOK, "Note", &got)
		if got.Content != n.Content {
			t.Fatalf("read back %+v", got)
		}

		var reply note
		e.post("/notes", bob, `{"content": "thanks", "in_reply_to": "`+n.ID+`", "visibility": "direct", "summary": "cw"}`).
			ok(t, http.StatusCreated, "Note", &reply)
		if reply.InReplyToID == nil || *reply.InReplyToID != n.ID || reply.InReplyTo == nil || *reply.InReplyTo != n.URI ||
			!reply.Sensitive || reply.Summary != "cw" || len(reply.Mentions) != 1 || !strings.HasSuffix(reply.Mentions[0], "/actors/ada") {
			t.Fatalf("reply %+v", reply)
		}
		// A direct note is for its author and the mentioned: ada, not a visitor.
		e.get("/notes/"+reply.ID, ada).ok(t, http.StatusOK, "Note", nil)
		e.get("/notes/"+reply.ID, "").problem(t, http.StatusNotFound, "note-not-found")

		e.patch("/notes/"+n.ID, bob, `{"content": "mine now"}`).problem(t, http.StatusForbidden, "not-author")
		e.del("/notes/"+n.ID, bob).problem(t, http.StatusForbidden, "not-author")
		var edited note
		e.patch("/notes/"+n.ID, ada, `{"content": "Hello again", "sensitive": true}`).ok(t, http.StatusOK, "Note", &edited)
		if edited.Content != "<p>Hello again</p>" || !edited.Sensitive || edited.UpdatedAt == nil || len(edited.Tags) != 0 {
			t.Fatalf("edited %+v", edited)
		}

		if r := e.del("/notes/"+n.ID, ada); r.status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
		e.get("/notes/"+n.ID, ada).problem(t, http.StatusNotFound, "note-deleted")
		e.del("/notes/"+n.ID, ada).problem(t, http.StatusNotFound, "note-deleted")
	})
}

func TestNotes_RefusesBadRequests(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		acc, ada := e.person("ada")
		_, bob := e.person("bob")
		e.association(acc, "commons")

		e.post("/notes", "", `{"content": "x"}`).problem(t, http.StatusUnauthorized, "unauthenticated")
		e.post("/notes", ada, `{"content": "x", "colour": "red"}`).problem(t, http.StatusBadRequest, "unknown-field")
		p := e.post("/notes", ada, `{"content": " ", "visibility": "friends"}`).problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"content": "required", "visibility": "unknown-visibility"})
		p = e.post("/notes", ada, `{"content": "x", "in_reply_to": "https://nowhere.example/1"}`).problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"in_reply_to": "unknown-note"})
		e.post("/notes", ada, `{"content": "`+strings.Repeat("a", 10_001)+`"}`).problem(t, http.StatusBadRequest, "invalid-input")
		e.post("/notes", bob, `{"content": "x", "author": "commons"}`).problem(t, http.StatusForbidden, "may-not-post-as")

		var n note
		e.post("/notes", ada, `{"content": "news", "author": "commons"}`).ok(t, http.StatusCreated, "Note", &n)
		if !strings.HasPrefix(n.Author, "commons@") {
			t.Fatalf("author %s", n.Author)
		}
		e.get("/notes/not-a-uuid", "").problem(t, http.StatusNotFound, "note-not-found")
		e.get("/notes/0193b3a0-0000-7000-8000-000000000000", "").problem(t, http.StatusNotFound, "note-not-found")
		e.patch("/notes/"+n.ID, ada, `{"content": ""}`).problem(t, http.StatusBadRequest, "invalid-input")
	})
}
