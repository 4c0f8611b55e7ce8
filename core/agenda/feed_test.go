package agenda_test

import (
	"context"
	"testing"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
)

func TestFeed_WindowVisibilityAndNetwork(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		at := func(day string) func(*agenda.EventInput) {
			return func(in *agenda.EventInput) { in.Start, in.End = ptr(day+"T14:00"), ptr(day+"T18:00") }
		}
		old := f.event(t, at("2026-10-01"))    // over more than 30 days ago: out
		recent := f.event(t, at("2026-11-01")) // over 20 days ago: kept
		next := f.event(t, at("2026-12-05"))
		if _, err := f.svc.Cancel(ctx, f.alice, next.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.members.CreateAssociation(ctx, f.carol, membership.NewAssociation{Name: "closed"}); err != nil {
			t.Fatal(err)
		}
		in := garden()
		hidden, err := f.svc.Create(ctx, f.carol, "closed", in)
		if err != nil {
			t.Fatal(err)
		}
		vis := membership.VisibilityMembers
		if _, err := f.members.UpdateAssociation(ctx, f.carol, "closed", membership.AssociationChange{
			Settings: membership.SettingsChange{Visibility: &vis}}); err != nil {
			t.Fatal(err)
		}

		feed, err := f.svc.AssociationFeed(ctx, nil, "commons")
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Events) != 2 || feed.Events[0].ID != recent.ID || feed.Events[1].ID != next.ID ||
			feed.Events[1].Status != agenda.StatusCancelled || feed.Events[1].Sequence != 1 || feed.Association != "commons" {
			t.Fatalf("commons feed %+v (old event %s)", feed, old.ID)
		}

		_, err = f.svc.AssociationFeed(ctx, nil, "closed")
		wantCode(t, err, "members-only")
		_, err = f.svc.AssociationFeed(ctx, &f.alice, "closed")
		wantCode(t, err, "members-only")
		if feed, err = f.svc.AssociationFeed(ctx, &f.carol, "closed"); err != nil || len(feed.Events) != 1 || feed.Events[0].ID != hidden.ID {
			t.Fatalf("closed feed for its board %+v, %v", feed, err)
		}
		_, err = f.svc.AssociationFeed(ctx, nil, "nobody")
		wantCode(t, err, "association-not-found")
		// The event and the agenda themselves follow the same rule.
		_, err = f.svc.Event(ctx, nil, hidden.ID)
		wantCode(t, err, "members-only")
		_, err = f.svc.Event(ctx, &f.alice, hidden.ID)
		wantCode(t, err, "members-only")
		if _, err := f.svc.Event(ctx, &f.carol, hidden.ID); err != nil {
			t.Fatalf("the closed association's event for its board: %v", err)
		}
		_, _, err = f.svc.Events(ctx, agenda.AgendaQuery{Association: "closed", Viewer: &f.alice})
		wantCode(t, err, "members-only")
		if list, _, err := f.svc.Events(ctx, agenda.AgendaQuery{Association: "closed", Viewer: &f.carol}); err != nil || len(list) != 1 {
			t.Fatalf("the closed agenda for its board: %v, %v", list, err)
		}

		// The network's feed: every public association's events, by start;
		// a members-only association's are left out.
		if feed, err = f.svc.NetworkFeed(ctx); err != nil {
			t.Fatal(err)
		}
		if len(feed.Events) != 2 || feed.Events[0].ID != recent.ID || feed.Events[1].ID != next.ID {
			t.Fatalf("network feed %+v", feed.Events)
		}
	})
}
