package fedtest_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// A running instance refuses what a peer could forge or get wrong, and
// stores nothing of it: a signature by another key, a body changed after
// signing, a date more than an hour off, an actor that is not the key's
// owner, a Create of an object on another host, a body that is no
// activity. The requests are signed with the keys of real actors of a
// running sender, read from its database; the same request signed
// properly is accepted, so each refusal is for the reason named.
func TestRefusals_AgainstARunningInstance(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"sender", "target"})
		sender, target := in[0], in[1]
		users := fedtest.NewUsers(t, fedtest.Account{In: sender, Name: "mallory"}, fedtest.Account{In: sender, Name: "eve"},
			fedtest.Account{In: target, Name: "ada"})
		mallory, ada := users[0], users[2]
		malloryKeyID, malloryKey := sender.SigningKey(t, "mallory")
		eveKeyID, eveKey := sender.SigningKey(t, "eve")
		forgedKey, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}

		// create is a Create by actor of a public note whose id is noteID.
		create := func(actor, noteID string) []byte {
			body, _ := json.Marshal(map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams",
				"id":       sender.BaseURL + "/activities/" + uuid.NewString(),
				"type":     "Create",
				"actor":    actor,
				"to":       []string{"https://www.w3.org/ns/activitystreams#Public"},
				"object": map[string]any{
					"id": noteID, "type": "Note", "attributedTo": actor, "content": "<p>forged?</p>",
					"to": []string{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []string{ada.URI()},
				},
			})
			return body
		}
		newNote := func() string { return sender.BaseURL + "/notes/" + uuid.NewString() }
		inbox := target.URL + "/inbox"

		// The control: signed by its actor, the same kind of request is
		// stored.
		before := target.InboxCount(t)
		status, answer := fedtest.Signed{URL: inbox, Body: create(mallory.URI(), newNote()), KeyID: malloryKeyID, Key: malloryKey}.Send(t)
		if status != http.StatusAccepted || target.InboxCount(t) != before+1 {
			t.Fatalf("a properly signed Create: %d %q, %d activities stored (had %d)", status, answer, target.InboxCount(t), before)
		}

		// A request, and the id of the note it must not leave behind.
		type request struct {
			note   string
			body   []byte
			keyID  string
			key    *rsa.PrivateKey
			at     time.Time
			tamper func(*http.Request)
		}
		cases := []struct {
			name string
			req  func(noteID string) request // noteID: a new id on the sender's host
			want int
		}{
			{"signed with a key that is not the actor's", func(id string) request {
				return request{note: id, body: create(mallory.URI(), id), keyID: malloryKeyID, key: forgedKey}
			}, http.StatusUnauthorized},
			{"body changed after signing (digest mismatch)", func(id string) request {
				return request{note: id, body: create(mallory.URI(), newNote()), keyID: malloryKeyID, key: malloryKey, tamper: func(r *http.Request) {
					other := create(mallory.URI(), id)
					r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(other)), int64(len(other))
					r.GetBody = nil
				}}
			}, http.StatusUnauthorized},
			{"dated two hours ago", func(id string) request {
				return request{note: id, body: create(mallory.URI(), id), keyID: malloryKeyID, key: malloryKey, at: time.Now().Add(-2 * time.Hour)}
			}, http.StatusUnauthorized},
			{"dated two hours ahead", func(id string) request {
				return request{note: id, body: create(mallory.URI(), id), keyID: malloryKeyID, key: malloryKey, at: time.Now().Add(2 * time.Hour)}
			}, http.StatusUnauthorized},
			{"actor is not the key's owner", func(id string) request {
				return request{note: id, body: create(mallory.URI(), id), keyID: eveKeyID, key: eveKey}
			}, http.StatusUnauthorized},
			{"Create of a note on the target's host", func(string) request {
				id := target.BaseURL + "/notes/" + uuid.NewString()
				return request{note: id, body: create(mallory.URI(), id), keyID: malloryKeyID, key: malloryKey}
			}, http.StatusForbidden},
			{"Create of a note on a third host", func(string) request {
				id := "http://127.0.0.250:8080/notes/" + uuid.NewString()
				return request{note: id, body: create(mallory.URI(), id), keyID: malloryKeyID, key: malloryKey}
			}, http.StatusForbidden},
			{"no activity", func(string) request {
				return request{body: []byte(`{"type":"Create","actor":"` + mallory.URI() + `"}`), keyID: malloryKeyID, key: malloryKey}
			}, http.StatusBadRequest},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.req(newNote())
				before := target.InboxCount(t)
				status, answer := fedtest.Signed{URL: inbox, Body: r.body, KeyID: r.keyID, Key: r.key, At: r.at, Tamper: r.tamper}.Send(t)
				if status != tc.want {
					t.Errorf("answered %d %q, want %d", status, answer, tc.want)
				}
				if got := target.InboxCount(t); got != before {
					t.Errorf("the target stored %d activities, had %d", got, before)
				}
				if r.note != "" {
					if _, ok := target.NoteByURI(t, r.note); ok {
						t.Errorf("the target stored the note %s", r.note)
					}
				}
			})
		}
	})
}
