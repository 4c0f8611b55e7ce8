package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// The memberships table is rebuilt to hold remote members
// (20261121000020): a local person's membership written before keeps its
// role, suspension and dates, and now names the person's actor.
func TestMigrate_MembershipsKeepLocalMembers(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			d, dsn := storetest.DSN(t, driver)
			db, err := store.Open(ctx, d, dsn, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			if _, err := db.MigrateThrough(ctx, "20261121000019"); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Second)
			account, actor, association, membership := uuid.New(), uuid.New(), uuid.New(), uuid.New()
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(db.ClaimName(ctx, "ada", "account", now))
			must(db.ClaimName(ctx, "garden", "association", now))
			must(db.Accounts().Create(ctx, &store.Account{ID: account, Username: "ada", DisplayName: "Ada L.", Email: "ada@example.org",
				Locale: "en", Role: "user", Status: "active", CreatedAt: now, UpdatedAt: now}))
			must(db.Actors().Create(ctx, &store.Actor{ID: actor, URI: "https://holon.test/actors/ada", Kind: "Person", Username: "ada",
				Host: "holon.test", Local: true, AccountID: &account, KeyID: "https://holon.test/actors/ada#main-key", Fields: "[]",
				CreatedAt: now, UpdatedAt: now}))
			must(db.Associations().Create(ctx, &store.Association{ID: association, Name: "garden", DisplayName: "Garden",
				Settings: "{}", CreatedAt: now, UpdatedAt: now}))
			_, err = db.Bun().ExecContext(ctx, `INSERT INTO memberships (id, association_id, account_id, role, status,
				requested_at, joined_at, voting_suspended, suspension_reason, suspended_at, updated_at)
				VALUES (?, ?, ?, 'treasurer', 'active', ?, ?, TRUE, 'spam', ?, ?)`, membership, association, account, now, now, now, now)
			must(err)

			applied, err := db.Migrate(ctx)
			must(err)
			if len(applied) == 0 || applied[0] != "20261121000020_remote_members" {
				t.Fatalf("applied %v", applied)
			}
			m, err := db.Associations().Membership(ctx, association, account)
			must(err)
			if m.ID != membership || m.ActorID != actor || m.AccountID == nil || *m.AccountID != account || m.Role != "treasurer" ||
				!m.VotingSuspended || m.SuspensionReason != "spam" || m.JoinedAt == nil || !m.JoinedAt.Equal(now) ||
				m.Username != "ada" || m.DisplayName != "Ada L." || !m.Local || m.ActorURI != "https://holon.test/actors/ada" {
				t.Fatalf("after the migration: %+v", m)
			}
			// Still one membership an actor and association.
			again := store.Membership{ID: uuid.New(), AssociationID: association, ActorID: actor, Role: "member", Status: "pending",
				RequestedAt: now, UpdatedAt: now}
			if err := db.Associations().AddMembership(ctx, &again); !errors.Is(err, store.ErrDuplicate) {
				t.Fatalf("a second membership: %v", err)
			}
		})
	}
}
