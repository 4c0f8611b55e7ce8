package actors_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// fixture reads a real payload, its object when it is an activity, with a
// usable inbox and key in place of what the recording left out or mangled.
func fixture(t *testing.T, file string) map[string]any {
	t.Helper()
	doc := fixtures.JSON(t, file)
	if obj, ok := doc["object"].(map[string]any); ok {
		doc = obj
	}
	id, _ := doc["id"].(string)
	if _, ok := doc["inbox"]; !ok {
		doc["inbox"] = id + "/inbox"
	}
	doc["publicKey"] = map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": publicPEM(t)}
	return doc
}

// Profiles as Mastodon, GoToSocial and PeerTube publish them: fields
// (PropertyValue) with their HTML sanitised, icons with their media type,
// hostile values neutralised.
func TestParseActor_Profiles(t *testing.T) {
	hostile := func(t *testing.T) map[string]any {
		d := fixture(t, "mastodon-person.json")
		d["name"] = "<b>Eve</b> &amp; co"
		d["summary"] = `<p onclick="x()">hi<script>alert(1)</script></p>`
		d["icon"] = map[string]any{"type": "Image", "mediaType": "text/html", "url": "javascript:alert(1)"}
		d["url"] = "data:text/html,hi"
		d["attachment"] = []any{
			map[string]any{"type": "PropertyValue", "name": "<i>Site</i>", "value": `<a href="javascript:alert(1)">x</a><img src=x>`},
			map[string]any{"type": "Note", "name": "not a field", "value": "x"},
			map[string]any{"type": "PropertyValue", "name": "", "value": ""},
		}
		return d
	}
	tests := []struct {
		name             string
		doc              func(t *testing.T) map[string]any
		display, summary string
		icon, iconType   string
		fields           []string // name=value (HTML)
		fieldHas         string   // in the first field's value
	}{
		{"mastodon's documented fields", func(t *testing.T) map[string]any {
			d := fixture(t, "mastodon-docs-propertyvalue-actor.json")
			d["preferredUsername"] = "Gargron"
			return d
		}, "", "", "", "", []string{"Patreon", "Homepage"}, `href="https://www.patreon.com/mastodon"`},
		{"mastodon's Update of a person", func(t *testing.T) map[string]any { return fixture(t, "mastodon-update-person.json") },
			"gargle", "<p>Some bio</p>", "https://cd.niu.moe/accounts/avatars/000/033/323/original/fd7f8ae0b3ffedc9.jpeg", "image/jpeg",
			[]string{"foo=updated", "foo1=updated"}, "updated"},
		{"gotosocial", func(t *testing.T) map[string]any { return fixture(t, "gotosocial-person.json") },
			"", "", "", "", []string{"should you follow me?=maybe!", "age=120"}, "maybe!"},
		{"peertube's icons", func(t *testing.T) map[string]any { return fixture(t, "peertube-person.json") },
			"", "", "https://tilvids.com/lazy-static/avatars/", "image/jpeg", nil, ""},
		{"hostile", hostile, "Eve & co", "<p>hi</p>", "", "", []string{"Site"}, "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(tt.doc(t))
			a, err := actors.ParseActor(raw)
			if err != nil {
				t.Fatal(err)
			}
			if tt.display != "" && a.DisplayName != tt.display || tt.summary != "" && a.Summary != tt.summary {
				t.Fatalf("name %q summary %q", a.DisplayName, a.Summary)
			}
			if !strings.HasPrefix(a.IconURL, tt.icon) || (tt.icon == "") != (a.IconURL == "") || a.IconMediaType != tt.iconType {
				t.Fatalf("icon %q (%q)", a.IconURL, a.IconMediaType)
			}
			if len(a.Fields) != len(tt.fields) {
				t.Fatalf("fields %+v", a.Fields)
			}
			for i, want := range tt.fields {
				name, value, hasValue := strings.Cut(want, "=")
				if a.Fields[i].Name != name || hasValue && a.Fields[i].Value != value || a.Fields[i].HTML != a.Fields[i].Value {
					t.Fatalf("field %d: %+v, want %s", i, a.Fields[i], want)
				}
			}
			if tt.fieldHas != "" && !strings.Contains(a.Fields[0].Value, tt.fieldHas) {
				t.Fatalf("field value %q lacks %q", a.Fields[0].Value, tt.fieldHas)
			}
			for _, f := range a.Fields {
				for _, banned := range []string{"javascript:", "<img", "<script", "onclick"} {
					if strings.Contains(f.Value, banned) || strings.Contains(a.Summary, banned) {
						t.Fatalf("kept %s: %+v / %q", banned, f, a.Summary)
					}
				}
			}
			if strings.HasPrefix(a.URL, "data:") {
				t.Fatalf("url %q", a.URL)
			}
		})
	}
}

// A deleted actor's key is refused without asking its server; a burst of
// refreshes after a key rotation fetches once, and every caller gets the
// new key.
func TestResolver_DeletedActorsAndConcurrentRefreshes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := newPeer(t)
		r, c := newResolver(t, db)
		keyID := p.srv.URL + "/users/ada#main-key"
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", publicPEM(t)))
		if _, _, err := r.PublicKey(ctx, keyID, false); err != nil {
			t.Fatal(err)
		}
		rotated := publicPEM(t)
		p.serve("/users/ada", actorDoc("ada", "{{BASE}}/users/ada#main-key", "{{BASE}}/users/ada", rotated))
		hits := p.hits.Load()
		want, _ := membership.ParsePublicKey(rotated)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				_, got, err := r.PublicKey(ctx, keyID, true)
				if err != nil || !want.Equal(got) {
					t.Errorf("a concurrent refresh: %v", err)
				}
			})
		}
		wg.Wait()
		if n := p.hits.Load() - hits; n != 1 {
			t.Fatalf("%d fetches for 8 concurrent refreshes", n)
		}

		svc := membership.New(db, c, membership.Policy{BaseURL: "https://holon.example"})
		if err := svc.ReceiveActorDelete(ctx, p.srv.URL+"/users/ada"); err != nil {
			t.Fatal(err)
		}
		r.Forget(keyID) // as the handler of the actor's Delete does
		hits = p.hits.Load()
		for _, refresh := range []bool{false, true} {
			if _, _, err := r.PublicKey(ctx, keyID, refresh); !errors.Is(err, actors.ErrActorDeleted) {
				t.Fatalf("refresh %v: %v", refresh, err)
			}
		}
		if p.hits.Load() != hits {
			t.Fatal("the server of a deleted actor was asked again")
		}
	})
}
