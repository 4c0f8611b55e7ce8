package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// mastodonVote is Mastodon's vote (mastodon-docs-vote-create-1.json) by
// voter on proposal, for option; each Note in more is one more vote in the
// same activity (a multiple-choice vote sent at once).
func mastodonVote(t *testing.T, voter, proposal, option string, more ...string) map[string]any {
	t.Helper()
	raw := string(fixtures.Read(t, "mastodon-docs-vote-create-1.json"))
	raw = strings.NewReplacer(`"https://mastodon.example/users/bob`, `"`+voter,
		`"https://mastodon.example/users/alice/statuses/1009947848598745"`, `"`+proposal+`"`,
		`"orange"`, `"`+option+`"`).Replace(raw)
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	if len(more) > 0 {
		notes := []any{doc["object"]}
		for i, o := range more {
			n := map[string]any{}
			for k, v := range doc["object"].(map[string]any) {
				n[k] = v
			}
			n["id"], n["name"] = voter+"#votes/more-"+string(rune('a'+i)), o
			notes = append(notes, n)
		}
		doc["object"] = notes
	}
	return doc
}

// Through the handler the inbox hands activities to: Mastodon's vote by a
// member is their consensus ballot, the last one standing, in one
// activity or several; a vote not attributed to its sender, or for an
// option the round does not have, changes nothing and says why in the
// log; anything else goes on to the notes. The voter is a local member:
// the inbox only takes remote actors' activities, and the store cannot yet
// make a remote actor a member (memberships are accounts'); the handler
// and core find the voter's membership the same way for both.
func TestVoteHandler_AMembersMastodonVoteIsTheirBallot(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		members := membership.New(db, core.SystemClock{}, membership.Policy{Registrations: membership.RegistrationsOpen, BaseURL: goldenBase})
		account := func(name string) membership.Account {
			a, err := members.CreateAccount(ctx, membership.NewAccount{Username: name, Email: name + "@example.org",
				Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		alice, bob := account("alice"), account("bob")
		if _, err := members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
			t.Fatal(err)
		}
		none := "0s"
		if _, err := members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
			Settings: membership.SettingsChange{DebatePeriod: &none}}); err != nil {
			t.Fatal(err)
		}
		if _, err := members.Join(ctx, bob, "garden"); err != nil {
			t.Fatal(err)
		}
		votes := governance.New(db, core.SystemClock{}, governance.Policy{BaseURL: goldenBase}, governance.Executors{})
		p, err := votes.Propose(ctx, alice, "garden", governance.ProposalInput{Category: governance.CategoryGeneral, Title: "Plant a hedge"})
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		passed := 0
		next := func(context.Context, store.InboxActivity, map[string]any) error { passed++; return nil }
		handle := voteHandlers{votes: votes, log: zerolog.New(&logs)}.create(next)
		bobURI, question := goldenBase+"/actors/bob", votes.ProposalURI(p.ID)
		receive := func(doc map[string]any) {
			t.Helper()
			if err := handle(ctx, store.InboxActivity{ActivityID: doc["id"].(string), Actor: bobURI}, doc); err != nil {
				t.Fatal(err)
			}
		}
		position := func() string {
			b, err := votes.Ballot(ctx, p.ID, governance.PhaseConsensus, bobURI)
			if err != nil {
				return ""
			}
			return b.Position
		}

		receive(mastodonVote(t, bobURI, question, "agree"))
		if got := position(); got != governance.Agree {
			t.Fatalf("bob's ballot %q", got)
		}
		receive(mastodonVote(t, bobURI, question, "abstain", "object"))
		if got := position(); got != governance.Object {
			t.Fatalf("bob's ballot after two votes in one activity: %q", got)
		}
		receive(mastodonVote(t, bobURI, question, "orange"))
		forged := mastodonVote(t, bobURI, question, "agree")
		forged["object"].(map[string]any)["attributedTo"] = goldenBase + "/actors/alice"
		receive(forged)
		if got := position(); got != governance.Object {
			t.Fatalf("a refused vote changed bob's ballot to %q", got)
		}
		if tally, err := votes.Tally(ctx, p.ID); err != nil || tally.Count.Object != 1 || tally.Count.Participants != 1 || tally.Outside.Total() != 0 {
			t.Fatalf("tally %+v %v", tally, err)
		}
		for _, want := range []string{`"result":"counted"`, `"error":"poll vote of ` + bobURI, "unknown-option",
			`"message":"poll vote refused: not attributed to the actor who sent it"`} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("the log lacks %s:\n%s", want, logs.String())
			}
		}
		if passed != 0 {
			t.Fatalf("%d votes went on to the notes", passed)
		}
		// A vote on a proposal elsewhere, and a post, are not ours.
		receive(mastodonVote(t, bobURI, "https://elsewhere.example/proposals/"+p.ID.String(), "agree"))
		post := mastodonVote(t, bobURI, question, "")
		delete(post["object"].(map[string]any), "name")
		post["object"].(map[string]any)["content"] = "<p>I agree with this.</p>"
		receive(post)
		if passed != 2 {
			t.Fatalf("%d of 2 activities went on to the notes", passed)
		}
	})
}
