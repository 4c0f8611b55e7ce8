package news_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/store"
)

// proposal stores a proposal of association, as core/governance would.
func (f fixture) proposal(t *testing.T, association uuid.UUID) string {
	t.Helper()
	now := f.clock.Now()
	deadline := now.Add(time.Hour)
	p := store.Proposal{ID: uuid.Must(uuid.NewV7()), AssociationID: association, Author: base + "/actors/ada",
		Category: "general", Title: "Open on Sundays", Options: `["adopt","reject"]`, Actions: "[]", Phase: "debate",
		DebatePeriod: int64(time.Hour), ConsensusPeriod: int64(time.Hour), ValueVotePeriod: int64(time.Hour),
		Deadline: &deadline, Outcome: `{"option":-1}`, CreatedAt: now, UpdatedAt: now}
	if err := f.db.Proposals().Create(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	return base + "/proposals/" + p.ID.String()
}

// TestDebate_RepliesToAProposal: a member's reply to a proposal keeps the
// proposal as its inReplyTo, mentions the association, which passes it
// on, and is listed in the proposal's debate; a reply to no proposal is
// refused.
func TestDebate_RepliesToAProposal(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		a, err := f.members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "commons"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.Join(ctx, bob, "commons"); err != nil {
			t.Fatal(err)
		}
		topic, other := f.proposal(t, a.ID), f.proposal(t, a.ID)
		reply := f.post(t, bob, news.PostInput{Content: "Sundays suit me", InReplyTo: topic})
		if reply.InReplyTo != topic || reply.InReplyToID != nil {
			t.Fatalf("reply answers %q %v, want the proposal", reply.InReplyTo, reply.InReplyToID)
		}
		if !slices.Equal(reply.MentionURIs(), []string{base + "/actors/commons"}) {
			t.Errorf("reply mentions %v, want the association", reply.MentionURIs())
		}
		if got := relayers(f.pubs.last(t)); !slices.Equal(got, []string{"commons"}) {
			t.Errorf("reply relayed by %v, want commons", got)
		}
		f.post(t, ada, news.PostInput{Content: "Not on this one", InReplyTo: other})
		second := f.post(t, ada, news.PostInput{Content: "Good", InReplyTo: topic})
		page, err := f.svc.Debate(ctx, nil, topic, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []uuid.UUID
		for _, e := range page.Entries {
			got = append(got, e.Note.ID)
		}
		if !slices.Equal(got, []uuid.UUID{reply.ID, second.ID}) || page.Next != "" {
			t.Errorf("debate %v next %q, want bob's reply then ada's", got, page.Next)
		}
		edited, err := f.svc.Update(ctx, bob, reply.ID, news.Change{Content: ptrTo("Sundays suit me well")})
		if err != nil || !slices.Equal(edited.MentionURIs(), []string{base + "/actors/commons"}) {
			t.Errorf("edited reply mentions %v (%v), want the association still", edited.MentionURIs(), err)
		}
		_, err = f.svc.Post(ctx, bob, news.PostInput{Content: "?", InReplyTo: base + "/proposals/" + uuid.NewString()})
		if e, ok := core.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Code != "unknown-note" {
			t.Errorf("a reply to no proposal: %v, want unknown-note", err)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }
