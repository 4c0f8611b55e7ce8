package membership_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
)

// A person's bio is kept, bounded, and shown in their profile (and so in
// their actor's document).
func TestUpdateProfile_Note(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada := f.account(t, "ada")
		if _, err := f.svc.UpdateProfile(ctx, ada, membership.ProfileChange{Note: ptr("Gardener\r\nand bee keeper ")}); err != nil {
			t.Fatal(err)
		}
		a, p, err := f.svc.LocalProfile(ctx, "ada")
		if err != nil || p.Summary != "Gardener\nand bee keeper" || a.Summary != p.Summary {
			t.Fatalf("profile %q / actor %q (%v)", p.Summary, a.Summary, err)
		}
		_, err = f.svc.UpdateProfile(ctx, ada, membership.ProfileChange{Note: ptr(strings.Repeat("x", membership.MaxNote+1))})
		if fieldCodes(err)["note"] != "too-long" {
			t.Errorf("over-long note: %v", err)
		}
	})
}

// Standings and relationships of several actors are read at once; an
// association that approves its followers is locked and its follows wait.
func TestStandingsAndRelationships(t *testing.T) {
	each(t, openPolicy, func(t *testing.T, f fixture) {
		ctx := context.Background()
		ada, bob := f.account(t, "ada"), f.account(t, "bob")
		f.association(t, bob, "closed")
		if _, err := f.svc.UpdateAssociation(ctx, bob, "closed", membership.AssociationChange{Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
			t.Fatal(err)
		}
		actor := func(name string) membership.Actor {
			a, err := f.svc.LocalActor(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		adaA, bobA, closedA := actor("ada"), actor("bob"), actor("closed")
		for _, target := range []membership.Actor{bobA, closedA} {
			if _, err := f.svc.Follow(ctx, ada, target); err != nil {
				t.Fatal(err)
			}
		}
		st, err := f.svc.Standings(ctx, []membership.Actor{adaA, bobA, closedA})
		if err != nil {
			t.Fatal(err)
		}
		if st[adaA.ID].Following != 1 || st[bobA.ID].Followers != 1 || !st[closedA.ID].Locked || st[bobA.ID].Locked ||
			st[closedA.ID].Followers != 0 {
			t.Errorf("standings = %+v", st)
		}
		rels, err := f.svc.Relationships(ctx, ada, []uuid.UUID{bobA.ID, closedA.ID, uuid.New()})
		if err != nil {
			t.Fatal(err)
		}
		if rels[bobA.ID].Following != membership.FollowAccepted || rels[closedA.ID].Following != membership.FollowPending {
			t.Errorf("relationships = %+v", rels)
		}
		// Bob sits on the board: he answers ada's request to follow.
		reqs, err := f.svc.RequestsToBoard(ctx, bob, 10)
		if err != nil || len(reqs) != 1 || reqs[0].FollowerURI != adaA.URI || reqs[0].Association != "closed" {
			t.Fatalf("requests = %+v (%v)", reqs, err)
		}
		if _, err := f.svc.AnswerRequestsOf(ctx, ada, adaA.URI, true); !errors.Is(err, membership.ErrNoSuchFollowRequest) {
			t.Errorf("ada answers: %v", err)
		}
		if n, err := f.svc.AnswerRequestsOf(ctx, bob, adaA.URI, true); err != nil || n != 1 {
			t.Fatalf("bob answers: %d %v", n, err)
		}
		if _, err := f.svc.ActorByID(ctx, uuid.New()); !errors.Is(err, membership.ErrNoSuchActor) {
			t.Errorf("unknown id: %v", err)
		}
		if a, err := f.svc.ActorByHandle(ctx, "BOB", ""); err != nil || a.ID != bobA.ID {
			t.Errorf("by handle: %v", err)
		}
	})
}
