package ledger_test

import (
	"context"
	"flag"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// model is what the ledger should hold after the operations that
// succeeded; refused operations must leave it (and the ledger) unchanged.
type model struct {
	balance map[string]int64
	tasks   []uuid.UUID
	budget  map[uuid.UUID]int64
	open    map[uuid.UUID]bool
	locked  map[uuid.UUID]bool
	right   map[uuid.UUID]int64 // what is left of each granted right
}

var associationSeq atomic.Int64

// TestLedgerProperties runs random sequences of donations, allocations,
// locks, payouts, volunteer rights, reallocations and refunds (bad amounts
// and closed or locked tasks included) and checks the invariants after each
// operation. It runs 1,000 sequences per database unless -rapid.checks says
// otherwise (100 with -short, or under the race detector, whose run is for
// races, not for more sequences).
func TestLedgerProperties(t *testing.T) {
	if f := flag.Lookup("rapid.checks"); f != nil && f.Value.String() == "100" && !testing.Short() && !raceDetector {
		_ = f.Value.Set("1000")
		t.Cleanup(func() { _ = f.Value.Set("100") })
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		base := newFixture(t, db)
		tr := base.treasurer(t)
		rapid.Check(t, func(rt *rapid.T) {
			f := *base
			ctx := context.Background()
			name := fmt.Sprintf("p%d", associationSeq.Add(1))
			a, err := f.members.CreateAssociation(ctx, f.board, membership.NewAssociation{Name: name, Currency: "EUR"})
			if err != nil {
				rt.Fatal(err)
			}
			upTo := "20.00"
			if a, err = f.members.UpdateAssociation(ctx, f.board, name, membership.AssociationChange{
				Settings: membership.SettingsChange{BoardMayAllocateUpTo: &upTo}}); err != nil {
				rt.Fatal(err)
			}
			if _, err := f.members.Join(ctx, tr, name); err != nil {
				rt.Fatal(err)
			}
			role := membership.MemberTreasurer
			if _, err := f.members.UpdateMember(ctx, f.board, name, tr.Username, membership.MemberChange{Role: &role}); err != nil {
				rt.Fatal(err)
			}
			f.assoc = a
			m := model{balance: map[string]int64{}, budget: map[uuid.UUID]int64{}, open: map[uuid.UUID]bool{},
				locked: map[uuid.UUID]bool{}, right: map[uuid.UUID]int64{}}
			var donations []uuid.UUID
			amount := rapid.Int64Range(-50, 3000)
			pickTask := func(label string) (uuid.UUID, bool) {
				if len(m.tasks) == 0 {
					return uuid.Nil, false
				}
				return m.tasks[rapid.IntRange(0, len(m.tasks)-1).Draw(rt, label)], true
			}
			holder := "https://c.example/actors/volunteer"
			inTx := func(fn func(tx store.Tx) error) error { return f.db.InTx(ctx, fn) }
			ops := map[string]func(){
				"open task": func() {
					id := uuid.Must(uuid.NewV7())
					budget := rapid.Int64Range(0, 2000).Draw(rt, "budget")
					if err := inTx(func(tx store.Tx) error {
						return f.ledger.OpenTaskAccount(ctx, tx, a.ID, f.project, id, budget)
					}); err != nil {
						rt.Fatal(err)
					}
					m.tasks = append(m.tasks, id)
					m.budget[id], m.open[id] = budget, true
				},
				"donate": func() {
					n := amount.Draw(rt, "amount")
					target := "general"
					if id, ok := pickTask("task"); ok && rapid.Bool().Draw(rt, "to task") {
						target = ledger.TaskKey(id)
					}
					tr, err := f.ledger.Donate(ctx, nil, name, ledger.DonationInput{Amount: n, Currency: "EUR", Target: target})
					if refused(rt, err) {
						return
					}
					donations = append(donations, tr.ID)
					m.balance[target] += n
					m.balance[ledger.KeyDonors] -= n
				},
				"allocate": func() {
					id, ok := pickTask("task")
					if !ok {
						return
					}
					n := amount.Draw(rt, "amount")
					_, err := f.ledger.Allocate(ctx, f.board, name, ledger.AllocationInput{Task: id, Amount: n, Currency: "EUR"})
					if refused(rt, err) {
						return
					}
					m.balance["general"] -= n
					m.balance[ledger.TaskKey(id)] += n
				},
				"lock": func() {
					id, ok := pickTask("task")
					if !ok {
						return
					}
					if refused(rt, inTx(func(tx store.Tx) error { return f.ledger.LockTask(ctx, tx, id) })) {
						return
					}
					m.locked[id] = true
				},
				"unlock": func() {
					id, ok := pickTask("task")
					if !ok {
						return
					}
					if err := inTx(func(tx store.Tx) error { return f.ledger.UnlockTask(ctx, tx, id) }); err != nil {
						rt.Fatal(err)
					}
					m.locked[id] = false
				},
				"close": func() {
					id, ok := pickTask("task")
					if !ok {
						return
					}
					if err := inTx(func(tx store.Tx) error { return f.ledger.CloseTaskAccount(ctx, tx, id) }); err != nil {
						rt.Fatal(err)
					}
					m.open[id] = false
				},
				"payout": func() {
					id, ok := pickTask("task")
					if !ok {
						return
					}
					err := inTx(func(tx store.Tx) error {
						_, err := f.ledger.Payout(ctx, tx, id, "https://b.example/actors/pro", "https://holon.example/submissions/x")
						return err
					})
					if refused(rt, err) {
						return
					}
					m.balance[ledger.TaskKey(id)] -= m.budget[id]
					m.balance[ledger.KeyPayees] += m.budget[id]
					m.locked[id], m.open[id] = false, false
				},
				"grant right": func() {
					id, ok := pickTask("task")
					if !ok {
						return
					}
					err := inTx(func(tx store.Tx) error {
						return f.ledger.GrantReallocationRight(ctx, tx, id, holder, "https://holon.example/submissions/y")
					})
					if refused(rt, err) {
						return
					}
					m.right[id] = m.balance[ledger.TaskKey(id)]
					m.open[id] = false
				},
				"reallocate": func() {
					from, ok := pickTask("from")
					if !ok {
						return
					}
					to, _ := pickTask("to")
					n := amount.Draw(rt, "amount")
					_, err := f.ledger.Reallocate(ctx, holder, from, []ledger.Part{{Task: to, Amount: n}})
					if refused(rt, err) {
						return
					}
					m.right[from] -= n
					m.balance[ledger.TaskKey(from)] -= n
					m.balance[ledger.TaskKey(to)] += n
				},
				"refund": func() {
					if len(donations) == 0 {
						return
					}
					d := donations[rapid.IntRange(0, len(donations)-1).Draw(rt, "donation")]
					_, err := f.ledger.Refund(ctx, tr, d, amount.Draw(rt, "amount"), "")
					if refused(rt, err) {
						return
					}
					// Where a refund takes from depends on the lots: read it back.
					m.balance = f.balances(rt)
				},
			}
			rt.Repeat(withCheck(ops, func() {
				checkInvariants(rt, &f)
				got := f.balances(rt)
				for k, v := range m.balance {
					if got[k] != v {
						rt.Fatalf("%s = %d, model says %d", k, got[k], v)
					}
				}
				for _, id := range m.tasks {
					if m.right[id] < 0 {
						rt.Fatalf("right on %s overused", id)
					}
					_, _, locked, err := f.ledger.TaskFunding(ctx, f.db.Tx, id)
					if err != nil || locked != m.locked[id] {
						rt.Fatalf("task %s locked = %v (%v), model says %v", id, locked, err, m.locked[id])
					}
				}
			}))
		})
	})
}

func withCheck(ops map[string]func(), check func()) map[string]func(*rapid.T) {
	out := map[string]func(*rapid.T){"": func(*rapid.T) { check() }}
	for k, op := range ops {
		out[k] = func(*rapid.T) { op() }
	}
	return out
}

// refused reports whether err is a domain refusal; any other error fails.
func refused(t *rapid.T, err error) bool {
	if err == nil {
		return false
	}
	if _, ok := core.As(err); !ok {
		t.Fatalf("unexpected error: %v", err)
	}
	return true
}
