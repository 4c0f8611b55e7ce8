package federation

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// pollFixture is a received document of the shared fixtures, parsed.
func pollFixture(t *testing.T, name string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(fixtures.Read(t, name), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// shapeOf is the keys of a JSON value, recursively, to compare shapes.
func shapeOf(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = shapeOf(x)
		}
		return out
	case []any:
		if len(v) == 0 {
			return []any{}
		}
		return []any{shapeOf(v[0])}
	case float64:
		return "number"
	case string:
		return "string"
	}
	return v
}

// A local note's poll goes out as Mastodon writes a poll: a Question with
// oneOf (anyOf when multiple), options shaped as Mastodon's, endTime and
// votersCount; and it reads back as the same poll.
func TestQuestion_AsMastodonWritesIt(t *testing.T) {
	end := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	voters := 3
	tests := []struct {
		name, fixture, key string
		poll               news.Poll
	}{
		{"single choice", "mastodon-question.json", "oneOf", news.Poll{ExpiresAt: &end, Voters: &voters,
			Options: []news.PollOption{{Title: "tea", Votes: 1}, {Title: "coffee", Votes: 2}}}},
		{"multiple choice", "mastodon-docs-question-voterscount.json", "anyOf", news.Poll{ExpiresAt: &end, Voters: &voters, Multiple: true,
			Options: []news.PollOption{{Title: "apple", Votes: 3}, {Title: "orange", Votes: 2}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := pollFixture(t, tt.fixture)
			if obj, ok := want["object"].(map[string]any); ok {
				want = obj // the object of a Create
			}
			n := news.Note{URI: goldenBase + "/notes/1", Content: "<p>Which?</p>", Visibility: news.Public,
				Author:    news.Author{URI: goldenBase + "/actors/ada", Followers: goldenBase + "/actors/ada/followers"},
				Published: end.Add(-time.Hour), Poll: &tt.poll}
			got := NoteDocument(n, goldenBase)
			if got["type"] != "Question" || got["endTime"] != "2026-11-22T09:00:00Z" || got["votersCount"] != 3 {
				t.Fatalf("document %v", got)
			}
			raw, _ := marshal(got)
			var back map[string]any
			_ = json.Unmarshal(raw, &back)
			if g, w := shapeOf(back[tt.key]), shapeOf(want[tt.key]); !equalJSON(g, w) {
				t.Fatalf("%s shape %v, want %v", tt.key, g, w)
			}
			other := map[string]string{"oneOf": "anyOf", "anyOf": "oneOf"}[tt.key]
			if _, ok := back[other]; ok {
				t.Fatalf("both oneOf and anyOf: %s", raw)
			}
			p := remotePoll(back)
			if p == nil || p.Multiple != tt.poll.Multiple || !slices.Equal(p.Options, []string{tt.poll.Options[0].Title, tt.poll.Options[1].Title}) ||
				p.Counts[0] != tt.poll.Options[0].Votes || *p.Voters != 3 || !p.EndTime.Equal(end) {
				t.Fatalf("read back %+v", p)
			}
		})
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// Received polls (Mastodon's and Pleroma's Questions) are kept with their
// counts and brought up to date by Update; a local account's vote goes to
// the poll's author as Mastodon sends one; a remote vote on a local poll
// is counted.
func TestPolls_ReceivedAndSentVotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		members := membership.New(db, core.SystemClock{}, membership.Policy{Registrations: membership.RegistrationsOpen, BaseURL: goldenBase})
		notes := news.New(db, core.SystemClock{}, news.Policy{BaseURL: goldenBase})
		notes.UsePublisher(newNotePublisher(goldenBase, core.SystemClock{}, func() {}))
		ada, err := members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org",
			Password: "long enough pw"}, membership.RoleUser)
		if err != nil {
			t.Fatal(err)
		}
		remote := func(uri string) {
			_, pub, err := membership.GenerateKeyPair()
			if err != nil {
				t.Fatal(err)
			}
			host := strings.Split(uri, "/")[2]
			if _, err := members.SaveRemoteActor(ctx, membership.RemoteActor{URI: uri, Kind: "Person", Username: "rin",
				Inbox: uri + "/inbox", Followers: uri + "/followers", URL: "https://" + host + "/@rin",
				KeyID: uri + "#main-key", PublicKeyPEM: pub, Document: "{}"}); err != nil {
				t.Fatal(err)
			}
		}
		rinpatch, rin := "https://mastodon.sdf.org/users/rinpatch", "https://patch.cx/users/rin"
		remote(rinpatch)
		remote(rin)
		h := noteHandlers{news: notes}
		adaURI := goldenBase + "/actors/ada"

		// Mastodon's Question, addressed to ada so that it concerns us, still open.
		mastodon := pollFixture(t, "mastodon-question.json")
		q := mastodon["object"].(map[string]any)
		q["cc"] = []any{adaURI}
		q["endTime"] = time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
		// Pleroma's, closed.
		pleroma := pollFixture(t, "pleroma-question.json")
		pleroma["cc"] = []any{adaURI}
		pleromaCreate := map[string]any{"id": "https://patch.cx/activities/1", "type": "Create", "actor": rin, "object": pleroma}
		tests := []struct {
			name, actor string
			doc         map[string]any
			options     []string
			counts      []int
			multiple    bool
			expired     bool
		}{
			{"Mastodon", rinpatch, mastodon, []string{"Dunno", "Everyone knows that!", "25 char limit is dumb", "I can't even fit a funny"},
				[]int{0, 1, 0, 1}, false, false},
			{"Pleroma", rin, pleromaCreate, []string{"yes", "no"}, []int{4, 0}, false, true},
		}
		for _, tt := range tests {
			if err := h.create(ctx, store.InboxActivity{ActivityID: tt.doc["id"].(string), Actor: tt.actor}, tt.doc); err != nil {
				t.Fatal(err)
			}
			obj := tt.doc["object"].(map[string]any)
			n, err := notes.ByURI(ctx, obj["id"].(string))
			if err != nil || n.Poll == nil {
				t.Fatalf("%s: %+v %v", tt.name, n, err)
			}
			var names []string
			var counts []int
			for _, o := range n.Poll.Options {
				names, counts = append(names, o.Title), append(counts, o.Votes)
			}
			if !slices.Equal(names, tt.options) || !slices.Equal(counts, tt.counts) || n.Poll.Multiple != tt.multiple ||
				n.Poll.Expired(time.Now()) != tt.expired {
				t.Fatalf("%s: poll %+v", tt.name, n.Poll)
			}
		}

		// Ada votes in Mastodon's poll: one Create{Note{name, inReplyTo}}
		// to its author, shaped as Mastodon's own vote.
		n, _ := notes.ByURI(ctx, q["id"].(string))
		if _, err := notes.Vote(ctx, ada, n.ID, []int{1}); err != nil {
			t.Fatal(err)
		}
		var bodies []string
		if err := db.Bun().NewRaw("SELECT body FROM deliveries WHERE sender = 'ada' AND inbox = ?", rinpatch+"/inbox").Scan(ctx, &bodies); err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 1 {
			t.Fatalf("%d deliveries", len(bodies))
		}
		var sent map[string]any
		_ = json.Unmarshal([]byte(bodies[0]), &sent)
		vote := sent["object"].(map[string]any)
		want := pollFixture(t, "mastodon-vote-note.json")["object"].(map[string]any)
		if !slices.Equal(slices.Sorted(maps.Keys(vote)), slices.Sorted(maps.Keys(want))) || sent["type"] != "Create" ||
			sent["actor"] != adaURI || vote["name"] != "Everyone knows that!" || vote["inReplyTo"] != q["id"] ||
			vote["attributedTo"] != adaURI || !strings.HasPrefix(vote["id"].(string), adaURI+"#votes/") {
			t.Fatalf("vote sent: %s", bodies[0])
		}

		// Mastodon's Update brings the counts (ada's vote among them).
		q["oneOf"].([]any)[1].(map[string]any)["replies"].(map[string]any)["totalItems"] = 5.0
		q["updated"] = time.Now().UTC().Format(time.RFC3339)
		update := map[string]any{"id": rinpatch + "#updates/1", "type": "Update", "actor": rinpatch, "object": q}
		if err := h.update(ctx, store.InboxActivity{ActivityID: update["id"].(string), Actor: rinpatch}, update); err != nil {
			t.Fatal(err)
		}
		if n, _ = notes.ByURI(ctx, q["id"].(string)); n.Poll.Options[1].Votes != 5 {
			t.Fatalf("after the Update: %+v", n.Poll)
		}

		// Rin (on Mastodon) votes in ada's poll, as Mastodon sends it.
		mine, err := notes.Post(ctx, ada, news.PostInput{Content: "Tea or coffee?",
			Poll: &news.PollInput{Options: []string{"tea", "coffee"}, ExpiresIn: time.Hour}})
		if err != nil {
			t.Fatal(err)
		}
		for _, option := range []string{"coffee", "tea"} { // the second is refused: a single-choice poll
			doc := mastodonVote(t, rinpatch, mine.URI, option)
			if err := h.create(ctx, store.InboxActivity{ActivityID: doc["id"].(string), Actor: rinpatch}, doc); err != nil {
				t.Fatal(err)
			}
		}
		forged := mastodonVote(t, rinpatch, mine.URI, "tea")
		forged["object"].(map[string]any)["attributedTo"] = rin
		if err := h.create(ctx, store.InboxActivity{ActivityID: "f", Actor: rinpatch}, forged); err != nil {
			t.Fatal(err)
		}
		got, _ := notes.ByURI(ctx, mine.URI)
		if got.Poll.Options[1].Votes != 1 || got.Poll.Options[0].Votes != 0 || *got.Poll.Voters != 1 {
			t.Fatalf("ada's poll after rin's votes: %+v", got.Poll)
		}
		// No vote was stored as a note.
		if _, err := notes.ByURI(ctx, rinpatch+"#votes/827163"); err == nil {
			t.Fatal("a vote was stored as a note")
		}
	})
}
