package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// seedAssociation stores an association named name.
func seedAssociation(t testing.TB, db *store.DB, name string) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	if err := db.ClaimName(ctx, name, "association", now); err != nil {
		t.Fatal(err)
	}
	a := store.Association{ID: uuid.Must(uuid.NewV7()), Name: name, Settings: "{}", CreatedAt: now, UpdatedAt: now}
	if err := db.Associations().Create(ctx, &a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// seedMembers stores n persons m0 … m{n-1} with their actors
// (https://holon.test/actors/m{i}) and active memberships of association,
// joined at joined, in one statement a table.
func seedMembers(t testing.TB, db *store.DB, association uuid.UUID, n int, joined time.Time) {
	t.Helper()
	ctx := context.Background()
	id, name := "printf('00000000-0000-7000-8000-%012d', x)", "'m' || x"
	if db.Driver() == store.Postgres {
		id = "('00000000-0000-7000-8000-' || lpad(x::text, 12, '0'))::uuid"
	}
	series := fmt.Sprintf("WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %d) ", n-1)
	stmts := []string{
		"INSERT INTO actor_names (name, kind, created_at) " + series + "SELECT " + name + ", 'account', ? FROM g",
		"INSERT INTO accounts (id, username, display_name, email, password_hash, locale, role, status, created_at, updated_at) " + series +
			"SELECT " + id + ", " + name + ", " + name + ", " + name + " || '@example.org', '', 'en', 'user', 'active', ?, ? FROM g",
		"INSERT INTO actors (id, uri, kind, username, host, local, account_id, key_id, public_key, created_at, updated_at) " + series +
			"SELECT " + id + ", 'https://holon.test/actors/' || " + name + ", 'Person', " + name + ", 'holon.test', TRUE, " + id +
			", 'https://holon.test/actors/' || " + name + " || '#main-key', '', ?, ? FROM g",
		"INSERT INTO memberships (id, association_id, actor_id, account_id, role, status, requested_at, joined_at, updated_at) " + series +
			"SELECT " + id + ", ?, " + id + ", " + id + ", 'member', 'active', ?, ?, ? FROM g",
	}
	args := [][]any{{joined}, {joined, joined}, {joined, joined}, {association, joined, joined, joined}}
	for i, q := range stmts {
		if _, err := db.Bun().ExecContext(ctx, q, args[i]...); err != nil {
			t.Fatalf("seed members: %v", err)
		}
	}
}

func TestVoters_NumberMembersOnceInJoiningOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		assoc := seedAssociation(t, db, "commons")
		joined := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		seedMembers(t, db, assoc, 5, joined)
		// A delegate numbered first keeps their number.
		n, err := db.Voters().Ensure(ctx, assoc, []string{"https://holon.test/actors/m3"})
		if err != nil || n[0] != 0 {
			t.Fatalf("ensure: %v %v", n, err)
		}
		for range 2 {
			if err := db.Voters().NumberMembers(ctx, assoc); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]int32{"m3": 0, "m0": 1, "m1": 2, "m2": 3, "m4": 4}
		for name, w := range want {
			got, err := db.Voters().Number(ctx, assoc, "https://holon.test/actors/"+name)
			if err != nil || got != w {
				t.Errorf("number of %s = %d (%v), want %d", name, got, err, w)
			}
		}
		// Suspended, or joined after the cut-off: not eligible.
		if _, err := db.Bun().ExecContext(ctx, "UPDATE memberships SET voting_suspended = TRUE WHERE account_id = (SELECT account_id FROM actors WHERE username = 'm1')"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Bun().ExecContext(ctx, "UPDATE memberships SET joined_at = ? WHERE account_id = (SELECT account_id FROM actors WHERE username = 'm2')", joined.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		eligible, err := db.Voters().EligibleNumbers(ctx, assoc, joined.Add(time.Hour))
		if err != nil || fmt.Sprint(eligible) != "[0 1 4]" {
			t.Fatalf("eligible = %v (%v), want [0 1 4]", eligible, err)
		}
		suspended, err := db.Voters().SuspendedNumbers(ctx, assoc)
		if err != nil || fmt.Sprint(suspended) != "[2]" {
			t.Fatalf("suspended = %v (%v), want [2]", suspended, err)
		}
	})
}

// seedProposal stores a proposal of association in phase, due at deadline.
func seedProposal(t testing.TB, db *store.DB, association uuid.UUID, phase string, deadline time.Time) store.Proposal {
	t.Helper()
	now := time.Now().UTC()
	p := store.Proposal{ID: uuid.Must(uuid.NewV7()), AssociationID: association, Author: "https://holon.test/actors/m0",
		Category: "general", Title: "t", Options: `["adopt","reject"]`, Actions: "[]", Phase: phase,
		DebatePeriod: int64(time.Hour), ConsensusPeriod: int64(time.Hour), ValueVotePeriod: int64(time.Hour),
		Deadline: &deadline, Outcome: "{}", CreatedAt: now, UpdatedAt: now}
	if err := db.Proposals().Create(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBallots_TheLastOneStandsWithItsFirstID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := seedProposal(t, db, seedAssociation(t, db, "commons"), "consensus", time.Now().Add(time.Hour))
		at := time.Now().UTC().Truncate(time.Microsecond)
		first := store.Ballot{ID: uuid.Must(uuid.NewV7()), ProposalID: p.ID, Phase: "consensus", Voter: "https://holon.test/actors/m0",
			Position: "agree", Scores: "[]", CastAt: at, UpdatedAt: at}
		if err := db.Ballots().Cast(ctx, &first); err != nil {
			t.Fatal(err)
		}
		second := first
		second.ID, second.Position, second.CastAt, second.UpdatedAt = uuid.Must(uuid.NewV7()), "object", at.Add(time.Minute), at.Add(time.Minute)
		if err := db.Ballots().Cast(ctx, &second); err != nil {
			t.Fatal(err)
		}
		if second.ID != first.ID || !second.CastAt.Equal(at) {
			t.Fatalf("replaced ballot has id %s cast at %s, want %s at %s", second.ID, second.CastAt, first.ID, at)
		}
		list, err := db.Ballots().OfPhase(ctx, p.ID, "consensus", -1, 10)
		if err != nil || len(list) != 1 || list[0].Position != "object" || !list[0].UpdatedAt.Equal(at.Add(time.Minute)) {
			t.Fatalf("ballots %+v (%v), want one, object", list, err)
		}
	})
}

// Several schedulers claiming due proposals at once move each exactly
// once.
func TestProposals_ClaimDueMovesEachOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		assoc := seedAssociation(t, db, "commons")
		const due = 6
		for range due {
			seedProposal(t, db, assoc, "debate", time.Now().Add(-time.Minute))
		}
		seedProposal(t, db, assoc, "debate", time.Now().Add(time.Hour)) // not due
		var mu sync.Mutex
		moved := map[uuid.UUID]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					var got uuid.UUID
					err := db.InTx(ctx, func(tx store.Tx) error {
						p, err := tx.Proposals().ClaimDue(ctx, time.Now(), nil)
						if err != nil {
							return err
						}
						time.Sleep(5 * time.Millisecond) // hold the claim while others look
						p.Phase, p.Deadline = "consensus", nil
						ok, err := tx.Proposals().Advance(ctx, &p, "debate")
						if err != nil || !ok {
							return fmt.Errorf("advance: %v %v", ok, err)
						}
						got = p.ID
						return nil
					})
					if errors.Is(err, store.ErrNotFound) {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					moved[got]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(moved) != due {
			t.Fatalf("moved %d proposals, want %d", len(moved), due)
		}
		for id, n := range moved {
			if n != 1 {
				t.Errorf("proposal %s moved %d times", id, n)
			}
		}
		if _, err := db.Proposals().NextDeadline(ctx); err != nil {
			t.Fatalf("the proposal not due keeps its deadline: %v", err)
		}
	})
}

// A failed statement inside a savepoint undoes the savepoint's writes
// only; the transaction goes on (on PostgreSQL too, where a failed
// statement otherwise aborts the transaction).
func TestSavepoint_UndoesItsOwnWritesOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ran := 0
		err := db.InTx(ctx, func(tx store.Tx) error {
			if err := tx.ClaimName(ctx, "kept", "account", time.Now()); err != nil {
				return err
			}
			err := tx.Savepoint(ctx, func(tx store.Tx) error {
				tx.AfterCommit(func() { ran++ })
				if err := tx.ClaimName(ctx, "undone", "account", time.Now()); err != nil {
					return err
				}
				return tx.ClaimName(ctx, "kept", "account", time.Now()) // duplicate
			})
			if !errors.Is(err, store.ErrDuplicate) {
				return fmt.Errorf("savepoint: got %v, want ErrDuplicate", err)
			}
			return tx.ClaimName(ctx, "after", "account", time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]bool{"kept": true, "undone": false, "after": true} {
			if got, err := db.NameTaken(ctx, name); err != nil || got != want {
				t.Errorf("%s taken = %v (%v), want %v", name, got, err, want)
			}
		}
		if ran != 0 {
			t.Error("a rolled back savepoint's after-commit function ran")
		}
	})
}
