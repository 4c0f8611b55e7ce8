package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/config"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

// publishedAbout returns the activities in queued for delivery whose
// object is uri, oldest first, each once.
func publishedAbout(t *testing.T, in *webtest.Instance, uri string) []map[string]any {
	t.Helper()
	var rows []struct {
		ActivityID string `bun:"activity_id"`
		Body       string `bun:"body"`
	}
	err := in.DB.Bun().NewRaw("SELECT activity_id, body FROM deliveries ORDER BY created_at, id").Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []map[string]any
	for _, r := range rows {
		var doc map[string]any
		if seen[r.ActivityID] || json.Unmarshal([]byte(r.Body), &doc) != nil || vocab.IDOf(doc["object"]) != uri {
			continue
		}
		seen[r.ActivityID] = true
		out = append(out, doc)
	}
	return out
}

// receivedBy returns the activity id as in stored it from its inbox.
func receivedBy(t *testing.T, in *webtest.Instance, id string) map[string]any {
	t.Helper()
	a, err := in.DB.Inbox().ByActivityID(context.Background(), id)
	if err != nil {
		t.Fatalf("%s was not received: %v", id, err)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(a.Raw), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// poll reads a Question's options as Mastodon does: "name=count" each.
func poll(q map[string]any) []string {
	var out []string
	items, _ := q["oneOf"].([]any)
	for _, it := range items {
		item, _ := it.(map[string]any)
		replies, _ := item["replies"].(map[string]any)
		out = append(out, fmt.Sprintf("%v=%v", item["name"], replies["totalItems"]))
	}
	return out
}

// An association on A proposes; B, where zoe follows it, receives the
// Question as Mastodon would: Create when it is made, an Update with the
// counts after a ballot (once the interval has passed, not at once), and
// a last Update when it closes, with closed, the outcome and a later
// updated. The proposal's id answers with the same Question to
// ActivityPub clients and goes on to the pages for browsers. A
// members-only association publishes nothing and serves nothing.
func TestProposals_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", func(c *config.Config) {
				c.Federation.PollUpdateInterval = config.Duration{Duration: time.Second}
			})
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			alice, _ := account(t, a, "alice")
			bob, _ := account(t, a, "bob")
			_, zoeToken := account(t, b, "zoe")
			if _, err := a.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			none, short := "0s", "3s"
			if _, err := a.Members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
				Settings: membership.SettingsChange{DebatePeriod: &none, ConsensusPeriod: &short}}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Members.Join(ctx, bob, "garden"); err != nil {
				t.Fatal(err)
			}
			garden := a.Config.BaseURL() + "/actors/garden"
			if status, body := api(t, b, zoeToken, "POST", "/follows", map[string]any{"target": garden}); status != http.StatusAccepted {
				t.Fatalf("follow: %d %v", status, body)
			}
			settle(t, a, b)

			// Made: Create{Question}, the consensus round's poll.
			p, err := a.Governance.Propose(ctx, alice, "garden", governance.ProposalInput{Category: governance.CategoryGeneral,
				Title: "Plant a hedge", Body: "Along the north fence."})
			if err != nil {
				t.Fatal(err)
			}
			uri := a.Governance.ProposalURI(p.ID)
			settle(t, a, b)
			sent := publishedAbout(t, a, uri)
			if len(sent) != 1 || sent[0]["type"] != "Create" || sent[0]["actor"] != garden {
				t.Fatalf("published: %v", sent)
			}
			create := receivedBy(t, b, sent[0]["id"].(string))
			q := create["object"].(map[string]any)
			if q["type"] != "Question" || q["phase"] != "consensus" || strings.Join(poll(q), " ") != "agree=0 abstain=0 object=0" ||
				q["endTime"] == nil || q["closed"] != nil {
				t.Fatalf("B received %v", create)
			}
			if to, _ := create["to"].([]any); len(to) != 1 || to[0] != vocab.PublicAudience {
				t.Fatalf("the Create is not public: %v", create["to"])
			}

			// A ballot: an Update with the counts, once the interval has passed.
			if _, err := a.Governance.Vote(ctx, bob, p.ID, governance.BallotInput{Position: governance.Agree}); err != nil {
				t.Fatal(err)
			}
			if n, err := a.Governance.PublishCounts(ctx); err != nil || n != 0 {
				t.Fatalf("counts published at once: %d %v", n, err)
			}
			time.Sleep(1100 * time.Millisecond)
			if n, err := a.Governance.PublishCounts(ctx); err != nil || n != 1 {
				t.Fatalf("counts published: %d %v", n, err)
			}
			settle(t, a, b)
			sent = publishedAbout(t, a, uri)
			if len(sent) != 2 || sent[1]["type"] != "Update" {
				t.Fatalf("published: %v", sent)
			}
			q = receivedBy(t, b, sent[1]["id"].(string))["object"].(map[string]any)
			if strings.Join(poll(q), " ") != "agree=1 abstain=0 object=0" || q["votersCount"] != float64(1) {
				t.Fatalf("B received the counts %v", q)
			}

			// Its id answers with the Question, or goes on to the pages.
			status, ctype, body := getAs(t, uri, "application/activity+json")
			var served map[string]any
			_ = json.Unmarshal(body, &served)
			if status != 200 || !strings.HasPrefix(ctype, "application/activity+json") || served["id"] != uri ||
				strings.Join(poll(served), " ") != "agree=1 abstain=0 object=0" {
				t.Fatalf("GET %s: %d %s %s", uri, status, ctype, body)
			}
			if _, ctype, _ := getAs(t, uri, "text/html"); strings.Contains(ctype, "activity+json") {
				t.Fatalf("a browser got %s", ctype)
			}

			// Closed: adopted, a last Update Mastodon applies.
			time.Sleep(time.Until(*p.Deadline) + 50*time.Millisecond)
			if n, err := a.Governance.AdvanceDue(ctx); err != nil || n != 1 {
				t.Fatalf("advance: %d %v", n, err)
			}
			settle(t, a, b)
			sent = publishedAbout(t, a, uri)
			if len(sent) != 3 || sent[2]["type"] != "Update" {
				t.Fatalf("published: %v", sent)
			}
			q = receivedBy(t, b, sent[2]["id"].(string))["object"].(map[string]any)
			updated, _ := time.Parse(time.RFC3339Nano, q["updated"].(string))
			closed, _ := time.Parse(time.RFC3339, q["closed"].(string))
			if q["phase"] != "adopted" || q["outcome"] != "adopt" || closed.IsZero() || !updated.After(p.CreatedAt) ||
				strings.Join(poll(q), " ") != "agree=1 abstain=0 object=0" || !strings.Contains(q["content"].(string), "Adopted on ") {
				t.Fatalf("B received the close %v", q)
			}
			if n, err := a.Governance.PublishCounts(ctx); err != nil || n != 0 {
				t.Fatalf("counts published after the close: %d %v", n, err)
			}

			// A members-only association publishes nothing, serves nothing.
			if _, err := a.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "secret"}); err != nil {
				t.Fatal(err)
			}
			members := membership.VisibilityMembers
			if _, err := a.Members.UpdateAssociation(ctx, alice, "secret", membership.AssociationChange{
				Settings: membership.SettingsChange{Visibility: &members}}); err != nil {
				t.Fatal(err)
			}
			hidden, err := a.Governance.Propose(ctx, alice, "secret", governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Hidden"})
			if err != nil {
				t.Fatal(err)
			}
			hiddenURI := a.Governance.ProposalURI(hidden.ID)
			if sent := publishedAbout(t, a, hiddenURI); len(sent) != 0 {
				t.Fatalf("a members-only proposal was published: %v", sent)
			}
			if status, _, _ := getAs(t, hiddenURI, "application/activity+json"); status != http.StatusNotFound {
				t.Fatalf("GET a members-only proposal: %d", status)
			}
		})
	}
}

// Mastodon's own vote (mastodon-docs-vote-create-1.json), sent to the
// association by a Mastodon user who is no member, crosses the inbox and
// is kept apart: an outside vote, never counted, never stored as a post.
// Several Notes in one activity are several votes, the last standing; an
// option the poll does not have changes nothing.
func TestMastodonPollVotes_ThroughTheInbox(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			in := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			alice, _ := account(t, in, "alice")
			if _, err := in.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			none := "0s"
			if _, err := in.Members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
				Settings: membership.SettingsChange{DebatePeriod: &none}}); err != nil {
				t.Fatal(err)
			}
			p, err := in.Governance.Propose(ctx, alice, "garden", governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Plant a hedge"})
			if err != nil {
				t.Fatal(err)
			}
			peer := newFixturePeer(t, in)
			peer.local["https://mastodon.example/users/alice"] = in.Config.BaseURL() + "/actors/garden"
			peer.local["https://mastodon.example/users/alice/statuses/1009947848598745"] = in.Governance.ProposalURI(p.ID)
			peer.local["orange"] = governance.Agree
			const file = "mastodon-docs-vote-create-1.json"
			if status := peer.send(file); status != http.StatusAccepted {
				t.Fatalf("the inbox answered %d", status)
			}
			if a := peer.process(peer.activityID(file)); a.State != store.InboxDone {
				t.Fatalf("processed to %q (%s)", a.State, a.LastError)
			}
			outside := func(want governance.OutsideVotes) {
				t.Helper()
				tally, err := in.Governance.Tally(ctx, p.ID)
				if err != nil || tally.Outside != want || tally.Count.Participants != 0 || tally.Count.Agree != 0 {
					t.Fatalf("tally %+v %v, want outside %+v", tally, err, want)
				}
			}
			outside(governance.OutsideVotes{Agree: 1})
			if _, err := in.News.ByURI(ctx, "https://mastodon.example/users/bob#votes/827163"); err == nil {
				t.Fatal("the vote was stored as a post")
			}

			// Two Notes in one activity, then an unknown option.
			vote := func(n int, options ...string) map[string]any {
				doc := fixtures.JSON(t, file)
				doc["id"] = "https://mastodon.example/users/bob#votes/" + string(rune('0'+n)) + "/activity"
				var notes []any
				for i, o := range options {
					note := map[string]any{}
					for k, v := range doc["object"].(map[string]any) {
						note[k] = v
					}
					note["id"], note["name"] = doc["id"].(string)+"/"+string(rune('a'+i)), o
					note["inReplyTo"], note["to"] = in.Governance.ProposalURI(p.ID), in.Config.BaseURL()+"/actors/garden"
					notes = append(notes, note)
				}
				doc["object"], doc["to"] = notes, in.Config.BaseURL()+"/actors/garden"
				return doc
			}
			for n, options := range [][]string{{governance.Abstain, governance.Object}, {"orange"}} {
				doc := vote(n+2, options...)
				actor, key := peer.actorOf(doc)
				if status := postSignedWith(t, actor+"#main-key", key, in.URL+"/inbox", doc); status != http.StatusAccepted {
					t.Fatalf("the inbox answered %d", status)
				}
				if a := peer.process(doc["id"].(string)); a.State != store.InboxDone {
					t.Fatalf("processed to %q (%s)", a.State, a.LastError)
				}
				outside(governance.OutsideVotes{Object: 1})
			}
		})
	}
}
