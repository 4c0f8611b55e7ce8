package actors_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/actors"
	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

func TestActorDocuments(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		ctx := context.Background()
		ada, err := in.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", DisplayName: "Ada L.", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons", DisplayName: "Commons", Summary: "Gardens & <bees>\n\nSecond"}); err != nil {
			t.Fatal(err)
		}
		inst, err := in.Members.EnsureInstanceActor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		base := in.Config.BaseURL()
		tests := []struct {
			name, kind, display, summary string
		}{
			{"ada", "Person", "Ada L.", ""},
			{"commons", "Group", "Commons", "<p>Gardens &amp; &lt;bees&gt;</p><p>Second</p>"},
			{inst.Username, "Application", "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("GET", in.URL+"/actors/"+tt.name, nil)
				req.Header.Set("Accept", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/activity+json") {
					t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
				}
				var doc map[string]any
				if err := json.Unmarshal(raw, &doc); err != nil {
					t.Fatal(err)
				}
				id := base + "/actors/" + tt.name
				if doc["id"] != id || doc["type"] != tt.kind || doc["summary"] != nilIfEmpty(tt.summary, doc) {
					t.Fatalf("document: %s", raw)
				}
				if tt.display != "" && doc["name"] != tt.display {
					t.Fatalf("name %v", doc["name"])
				}
				ctxList, _ := doc["@context"].([]any)
				if len(ctxList) == 0 || ctxList[0] != vocab.ActivityStreamsContext {
					t.Fatalf("@context must start with ActivityStreams: %v", doc["@context"])
				}
				// Peers read it as Holon reads theirs.
				parsed, err := actors.ParseActor(raw)
				if err != nil {
					t.Fatalf("our own document does not parse as an actor: %v", err)
				}
				if parsed.KeyID != id+"#main-key" || parsed.SharedInbox != base+"/inbox" || parsed.Inbox != id+"/inbox" {
					t.Fatalf("parsed %+v", parsed)
				}
				if _, err := vocab.Resolve(ctx, raw); err != nil {
					t.Fatalf("the generated vocabulary cannot read it: %v", err)
				}
			})
		}

		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		req, _ := http.NewRequest("GET", in.URL+"/actors/ada", nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base+"/@ada" {
			t.Fatalf("browser: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		req, _ = http.NewRequest("GET", in.URL+"/actors/nobody", nil)
		req.Header.Set("Accept", "application/activity+json")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown actor: %d", resp.StatusCode)
		}
	})
}

// nilIfEmpty lets an absent summary (the instance actor) compare equal to "".
func nilIfEmpty(s string, doc map[string]any) any {
	if _, ok := doc["summary"]; !ok && s == "" {
		return nil
	}
	return s
}
