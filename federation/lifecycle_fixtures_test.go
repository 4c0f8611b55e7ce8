package federation_test

import (
	"context"
	"encoding/json"
	"path"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/web/webtest"
)

// received stores doc as an activity the inbox accepted (its signature
// checked) and processes it.
func received(t *testing.T, in *webtest.Instance, doc map[string]any) store.InboxActivity {
	t.Helper()
	ctx := context.Background()
	raw, _ := json.Marshal(doc)
	actor, _ := doc["actor"].(string)
	id, _ := doc["id"].(string)
	typ, _ := doc["type"].(string)
	now := time.Now()
	a := store.InboxActivity{ID: uuid.Must(uuid.NewV7()), ActivityID: id, Type: typ, Actor: actor, Raw: string(raw),
		State: store.InboxPending, ReceivedAt: now, NextAttemptAt: now}
	if err := in.DB.Inbox().Add(ctx, &a); err != nil {
		t.Fatal(err)
	}
	processed(t, in, 1)
	return a
}

func readFixture(t *testing.T, file string) map[string]any {
	t.Helper()
	doc := fixtures.JSON(t, file)
	return doc
}

// remoteFollower stores the remote actor uri, following the local ada.
func remoteFollower(t *testing.T, in *webtest.Instance, uri, pem string) {
	t.Helper()
	ctx := context.Background()
	if _, err := in.Members.SaveRemoteActor(ctx, membership.RemoteActor{URI: uri, Kind: "Person", Username: path.Base(uri),
		Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: pem, Document: "{}"}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Members.ReceiveFollow(ctx, uri, in.Config.BaseURL()+"/actors/ada", uri+"/follow"); err != nil {
		t.Fatal(err)
	}
}

// Mastodon's and Lemmy's Delete of an actor by itself: the actor is
// deleted here and its follow of a local person is gone. A Delete of an
// actor by another is not taken.
func TestActorDelete_RealPayloads(t *testing.T) {
	tests := []struct{ fixture, actor string }{
		{"mastodon-delete-actor.json", "http://mastodon.example.org/users/admin"},
		{"lemmy-delete-user.json", "http://ds9.lemmy.ml/u/lemmy_alpha"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
				ctx := context.Background()
				person(t, in, "ada")
				_, pem, _ := membership.GenerateKeyPair()
				remoteFollower(t, in, tt.actor, pem)
				remoteFollower(t, in, "http://mastodon.example.org/users/other", pem2(t))

				forged := readFixture(t, tt.fixture)
				forged["actor"], forged["id"] = "http://mastodon.example.org/users/other", "http://mastodon.example.org/forged"
				received(t, in, forged)
				if a, _ := in.Members.ActorByURI(ctx, tt.actor); a.DeletedAt != nil {
					t.Fatal("deleted by another actor")
				}

				received(t, in, readFixture(t, tt.fixture))
				a, err := in.Members.ActorByURI(ctx, tt.actor)
				if err != nil || a.DeletedAt == nil {
					t.Fatalf("not deleted: %+v %v", a, err)
				}
				if st, _ := in.Members.FollowState(ctx, tt.actor, in.Config.BaseURL()+"/actors/ada"); st != "" {
					t.Fatalf("the follow stays: %s", st)
				}
			})
		})
	}
}

func pem2(t *testing.T) string {
	t.Helper()
	_, pem, err := membership.GenerateKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	return pem
}

// Mastodon's Update of a person, with the key it already has here: the
// profile (name, summary, fields, icon) is taken from it. An Update of
// someone else's profile is not.
func TestActorUpdate_RealPayload(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		person(t, in, "ada")
		uri := "http://mastodon.example.org/users/gargron"
		pem := pem2(t)
		remoteFollower(t, in, uri, pem)

		update := readFixture(t, "mastodon-update-person.json")
		obj := update["object"].(map[string]any)
		obj["publicKey"].(map[string]any)["publicKeyPem"] = pem // the recording's key is mangled

		forged := readFixture(t, "mastodon-update-person.json")
		forged["actor"], forged["id"] = "http://mastodon.example.org/users/other", "http://mastodon.example.org/forged"
		received(t, in, forged)
		if a, _ := in.Members.ActorByURI(ctx, uri); a.DisplayName == "gargle" {
			t.Fatal("changed by another actor")
		}

		received(t, in, update)
		a, err := in.Members.ActorByURI(ctx, uri)
		if err != nil {
			t.Fatal(err)
		}
		if a.DisplayName != "gargle" || a.Summary != "<p>Some bio</p>" || len(a.Fields) != 2 || a.Fields[1].Name != "foo1" ||
			a.IconMediaType != "image/jpeg" || a.PublicKeyPEM != pem {
			t.Fatalf("after the Update: %+v", a)
		}
	})
}
