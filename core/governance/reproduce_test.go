package governance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// seedMembers adds n members r0 … r{n-1} to the fixture's association
// with one statement a table (no password hashing), joined now.
func (f *fixture) seedMembers(t testing.TB, n int) []membership.Account {
	t.Helper()
	ctx := context.Background()
	id, name := "printf('00000000-0000-7000-8000-%012d', x)", "'r' || x"
	if f.db.Driver() == store.Postgres {
		id = "('00000000-0000-7000-8000-' || lpad(x::text, 12, '0'))::uuid"
	}
	series := fmt.Sprintf("WITH RECURSIVE g(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM g WHERE x < %d) ", n-1)
	now := f.clock.Now()
	stmts := []struct {
		q    string
		args []any
	}{
		{"INSERT INTO actor_names (name, kind, created_at) " + series + "SELECT " + name + ", 'account', ? FROM g", []any{now}},
		{"INSERT INTO accounts (id, username, display_name, email, password_hash, locale, role, status, created_at, updated_at) " + series +
			"SELECT " + id + ", " + name + ", " + name + ", " + name + " || '@example.org', '', 'en', 'user', 'active', ?, ? FROM g", []any{now, now}},
		{"INSERT INTO actors (id, uri, kind, username, host, local, account_id, key_id, public_key, created_at, updated_at) " + series +
			"SELECT " + id + ", '" + base + "/actors/' || " + name + ", 'Person', " + name + ", 'holon.test', TRUE, " + id +
			", '" + base + "/actors/' || " + name + " || '#main-key', '', ?, ? FROM g", []any{now, now}},
		{"INSERT INTO memberships (id, association_id, actor_id, account_id, role, status, requested_at, joined_at, updated_at) " + series +
			"SELECT " + id + ", ?, " + id + ", " + id + ", 'member', 'active', ?, ?, ? FROM g", []any{f.assoc.ID, now, now, now}},
	}
	for _, s := range stmts {
		if _, err := f.db.Bun().ExecContext(ctx, s.q, s.args...); err != nil {
			t.Fatalf("seed members: %v", err)
		}
	}
	out := make([]membership.Account, n)
	for i := range out {
		out[i] = membership.Account{ID: uuid.MustParse(fmt.Sprintf("00000000-0000-7000-8000-%012d", i)),
			Username: fmt.Sprintf("r%d", i), Status: membership.AccountActive}
	}
	return out
}

// The count the service makes from its packed pages is the count of the
// records it publishes (ballots, voting instructions), on random
// electorates: random delegations to members and roles with overrides for
// the category, circles, ballots changed, a member suspended after the
// opening; in the consensus round and in the value vote.
func TestCount_ThePagesCountAsTheRecords(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture) {
				ctx := context.Background()
				rng := rand.New(rand.NewPCG(seed, 99))
				members := f.seedMembers(t, 60)
				for i, role := range map[int]string{3: membership.MemberBoard, 5: membership.MemberTreasurer, 8: membership.MemberBoard} {
					if _, err := f.db.Bun().ExecContext(ctx, "UPDATE memberships SET role = ? WHERE account_id = ?", role, members[i].ID); err != nil {
						t.Fatal(err)
					}
				}
				random := func(self int) governance.DelegateRef {
					if rng.IntN(6) == 0 {
						return governance.DelegateRef{Role: governance.DelegableRoles[rng.IntN(2)]}
					}
					d := rng.IntN(len(members))
					if d == self {
						d = (d + 1) % len(members)
					}
					return governance.DelegateRef{Actor: uri(members[d].Username)}
				}
				for i, m := range members {
					if rng.IntN(3) == 0 {
						continue
					}
					var rules []governance.VotingRule
					for _, scope := range []string{"", governance.CategoryBudgetAllocation} {
						if scope != "" && rng.IntN(3) != 0 {
							continue
						}
						var r governance.VotingRule
						r.Scope = scope
						for range 1 + rng.IntN(3) {
							r.Delegates = append(r.Delegates, random(i))
						}
						rules = append(rules, r)
					}
					if _, err := f.svc.SetInstructions(ctx, m, "commons", rules); err != nil {
						t.Fatal(err)
					}
				}
				p := f.allocation(t, "10.00")
				f.advance(t, debate)
				positions := []governance.BallotInput{agree, abstain, object}
				vote := func(in func() governance.BallotInput) {
					for _, m := range members {
						if rng.IntN(4) == 0 {
							if _, err := f.svc.Vote(ctx, m, p.ID, in()); err != nil {
								t.Fatal(err)
							}
						}
					}
				}
				vote(func() governance.BallotInput { return positions[rng.IntN(3)] })
				vote(func() governance.BallotInput { return positions[rng.IntN(3)] }) // some change their mind
				if _, err := f.db.Bun().ExecContext(ctx, "UPDATE memberships SET voting_suspended = TRUE WHERE account_id = ?", members[rng.IntN(len(members))].ID); err != nil {
					t.Fatal(err)
				}
				sameCount(t, f, p)
				// On to the value vote, whatever the consensus round said.
				f.vote(t, f.carol, p, object)
				f.advance(t, consensus)
				if p = f.reload(t, p); p.Phase != governance.PhaseValueVote {
					t.Fatalf("in %s, want the value vote", p.Phase)
				}
				vote(func() governance.BallotInput { return scores(rng.IntN(6), rng.IntN(6)) })
				sameCount(t, f, p)
			})
		})
	}
}

func sameCount(t *testing.T, f *fixture, p governance.Proposal) {
	t.Helper()
	ctx := context.Background()
	p = f.reload(t, p)
	packed, err := governance.CountOpen(ctx, f.db, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	records, _, err := governance.RecountFromRecords(ctx, f.db, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("%s winner %d: %d/%d took part (%d delegated), %d/%d/%d, totals %v",
		packed.Outcome, packed.Winner, packed.Participants, packed.Eligible, packed.Delegated, packed.Agree, packed.Abstain, packed.Object, packed.Totals)
	want := fmt.Sprintf("%s winner %d: %d/%d took part (%d delegated), %d/%d/%d, totals %v",
		records.Outcome, records.Winner, records.Participants, records.Eligible, records.Delegated, records.Agree, records.Abstain, records.Object, records.Totals)
	if got != want {
		t.Fatalf("%s: from the pages %s; from the records %s", p.Phase, got, want)
	}
	if packed.Delegated == 0 || packed.Direct == 0 {
		t.Fatalf("%s: %s — the electorate should have direct and delegated votes", p.Phase, got)
	}
	for i := range max(len(packed.Source), len(records.Source)) {
		a, b := source(packed, i), source(records, i)
		if a != b {
			t.Fatalf("voter %d: from the pages %d, from the records %d", i, a, b)
		}
		if a >= 0 && fmt.Sprint(packed.Chain(int32(i))) != fmt.Sprint(records.Chain(int32(i))) {
			t.Fatalf("voter %d: from the pages %v, from the records %v", i, packed.Chain(int32(i)), records.Chain(int32(i)))
		}
	}
}

func source(r governance.Result, i int) int32 {
	if i < len(r.Source) {
		return r.Source[i]
	}
	return -1
}
