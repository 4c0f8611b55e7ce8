package federation_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// person creates an account on in and returns a bearer token for it.
func person(t *testing.T, in *webtest.Instance, name string) string {
	t.Helper()
	ctx := context.Background()
	acc, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: name, Email: name + "@example.org", Password: "long enough pw"}, membership.RoleUser)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := in.Members.CreateToken(ctx, acc, "test")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func processed(t *testing.T, in *webtest.Instance, want int) {
	t.Helper()
	if n, err := in.Federation.Processor.ProcessDue(context.Background()); err != nil || n != want {
		t.Fatalf("processed %d activities, want %d: %v", n, want, err)
	}
}

func delivered(t *testing.T, in *webtest.Instance, want int) {
	t.Helper()
	if n, err := in.Federation.Delivery.DeliverDue(context.Background()); err != nil || n != want {
		t.Fatalf("delivered %d activities, want %d: %v", n, want, err)
	}
}

// noteAt returns in's copy of the note uri.
func noteAt(t *testing.T, in *webtest.Instance, uri string) news.Note {
	t.Helper()
	n, err := in.News.ByURI(context.Background(), uri)
	if err != nil {
		t.Fatalf("%s has no note %s: %v", in.URL, uri, err)
	}
	return n
}

// A remote person follows a local one; the local person posts through the
// API and the follower's server receives, verifies and stores the Create.
// The follower replies from its own instance: the reply reaches the author
// and is linked to the note. Edits and deletions by the authors travel
// both ways; a Delete by another actor of the same server changes nothing.
func TestNotes_PostReplyUpdateDeleteBetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			home := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			adaToken := person(t, home, "ada")
			zoeToken := person(t, peer, "zoe")
			person(t, peer, "eve")
			ada := home.Config.BaseURL() + "/actors/ada"
			zoe := peer.Config.BaseURL() + "/actors/zoe"
			eve := peer.Config.BaseURL() + "/actors/eve"

			follow := map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": peer.Config.BaseURL() + "/activities/follow-ada", "type": "Follow", "actor": zoe, "object": ada}
			if got := signedPost(t, peer, "zoe", home.URL+"/actors/ada/inbox", follow); got != http.StatusAccepted {
				t.Fatalf("Follow: %d", got)
			}
			processed(t, home, 1)
			delivered(t, home, 1) // the Accept
			processed(t, peer, 1)

			// ada posts; zoe follows her and is mentioned: one delivery,
			// to the peer's shared inbox.
			status, body := api(t, home, adaToken, "POST", "/notes", map[string]any{
				"content": "Assemblée **jeudi**, @zoe@" + peer.Config.Server.Host + " #Commons <script>alert(1)</script>"})
			if status != http.StatusCreated {
				t.Fatalf("post: %d %v", status, body)
			}
			noteURI, _ := body["uri"].(string)
			content, _ := body["content"].(string)
			if !strings.HasPrefix(noteURI, home.Config.BaseURL()+"/notes/") || !strings.Contains(content, "<strong>jeudi</strong>") ||
				!strings.Contains(content, `class="u-url mention"`) || strings.Contains(content, "<script") {
				t.Fatalf("posted %v", body)
			}
			delivered(t, home, 1)
			counts, _ := peer.DB.Inbox().CountByState(ctx)
			if counts[store.InboxPending] != 1 {
				t.Fatalf("the peer's inbox: %v", counts)
			}
			processed(t, peer, 1)
			there := noteAt(t, peer, noteURI)
			if there.Author.URI != ada || there.Local || there.Content != content || there.Visibility != news.Public ||
				len(there.Tags) != 1 || there.Tags[0] != "commons" || len(there.Mentions) != 1 || there.Mentions[0].Href != zoe {
				t.Fatalf("the peer stored %+v", there)
			}

			// The note's id answers with the Note, and sends browsers to
			// the note's page.
			status, doc := getJSON(t, noteURI)
			tags, _ := doc["tag"].([]any)
			to, _ := doc["to"].([]any)
			if status != http.StatusOK || doc["type"] != "Note" || doc["id"] != noteURI || doc["attributedTo"] != ada ||
				doc["content"] != content || len(tags) != 2 || len(to) != 1 || to[0] != news.PublicCollection || doc["@context"] == nil {
				t.Fatalf("GET %s: %d %v", noteURI, status, doc)
			}
			resp, err := webtest.Browser().Get(noteURI)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != home.Config.BaseURL()+"/@ada/notes/"+strings.TrimPrefix(noteURI, home.Config.BaseURL()+"/notes/") {
				t.Fatalf("browser: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}

			// zoe replies from her instance, to the copy it stored.
			status, body = api(t, peer, zoeToken, "POST", "/notes", map[string]any{
				"content": "Je viens !", "in_reply_to": there.ID.String()})
			if status != http.StatusCreated {
				t.Fatalf("reply: %d %v", status, body)
			}
			replyURI, _ := body["uri"].(string)
			replyID, _ := body["id"].(string)
			delivered(t, peer, 1)
			processed(t, home, 1)
			reply := noteAt(t, home, replyURI)
			local := noteAt(t, home, noteURI)
			if reply.InReplyTo != noteURI || reply.InReplyToID == nil || *reply.InReplyToID != local.ID || reply.Author.URI != zoe ||
				!strings.Contains(reply.Content, "Je viens !") {
				t.Fatalf("home stored the reply as %+v", reply)
			}
			replies, err := home.News.Replies(ctx, nil, local.ID, uuid.Nil, 10)
			if err != nil || len(replies) != 1 || replies[0].URI != replyURI {
				t.Fatalf("replies %v %v", replies, err)
			}

			// Edits by their authors travel.
			if status, body := api(t, peer, zoeToken, "PATCH", "/notes/"+replyID, map[string]any{"content": "Je viens, avec des crêpes."}); status != http.StatusOK {
				t.Fatalf("zoe edits: %d %v", status, body)
			}
			delivered(t, peer, 1)
			processed(t, home, 1)
			if r := noteAt(t, home, replyURI); !strings.Contains(r.Content, "crêpes") || r.Updated == nil {
				t.Fatalf("home has the reply as %q", r.Content)
			}
			localID, _ := uuid.Parse(strings.TrimPrefix(noteURI, home.Config.BaseURL()+"/notes/"))
			if status, body := api(t, home, adaToken, "PATCH", "/notes/"+localID.String(), map[string]any{"content": "Assemblée **vendredi**"}); status != http.StatusOK {
				t.Fatalf("ada edits: %d %v", status, body)
			}
			delivered(t, home, 1)
			processed(t, peer, 1)
			if n := noteAt(t, peer, noteURI); !strings.Contains(n.Content, "vendredi") || len(n.Tags) != 0 {
				t.Fatalf("the peer has the note as %q %v", n.Content, n.Tags)
			}

			// eve, on zoe's server, may not delete zoe's reply.
			forged := map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": peer.Config.BaseURL() + "/activities/eve-deletes", "type": "Delete", "actor": eve,
				"object": map[string]any{"id": replyURI, "type": "Tombstone"}}
			if got := signedPost(t, peer, "eve", home.URL+"/inbox", forged); got != http.StatusAccepted {
				t.Fatalf("eve's Delete: %d", got)
			}
			processed(t, home, 1)
			if r := noteAt(t, home, replyURI); r.Deleted != nil || !strings.Contains(r.Content, "crêpes") {
				t.Fatalf("eve's Delete changed the reply: %+v", r)
			}
			if status, _ := api(t, home, adaToken, "DELETE", "/notes/"+reply.ID.String(), nil); status != http.StatusForbidden {
				t.Fatalf("ada deletes zoe's reply: %d", status)
			}

			// Deletions by the authors travel, and leave tombstones.
			if status, _ := api(t, peer, zoeToken, "DELETE", "/notes/"+replyID, nil); status != http.StatusNoContent {
				t.Fatalf("zoe deletes: %d", status)
			}
			delivered(t, peer, 1)
			processed(t, home, 1)
			if r := noteAt(t, home, replyURI); r.Deleted == nil || r.Content != "" {
				t.Fatalf("home kept the deleted reply: %+v", r)
			}
			if status, _ := api(t, home, adaToken, "DELETE", "/notes/"+localID.String(), nil); status != http.StatusNoContent {
				t.Fatalf("ada deletes: %d", status)
			}
			delivered(t, home, 1)
			processed(t, peer, 1)
			if n := noteAt(t, peer, noteURI); n.Deleted == nil {
				t.Fatalf("the peer kept the deleted note: %+v", n)
			}
			if _, err := peer.News.Get(ctx, nil, there.ID); !errors.Is(err, news.ErrNoteDeleted) {
				t.Fatalf("the peer still shows it: %v", err)
			}
			status, doc = getJSON(t, noteURI)
			if status != http.StatusGone || doc["type"] != "Tombstone" || doc["id"] != noteURI {
				t.Fatalf("GET after delete: %d %v", status, doc)
			}
		})
	}
}
