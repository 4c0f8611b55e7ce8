package ledger

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// seedLedger records 100,000 transactions through record, as the service
// does, in batches: 50,000 donations to the general fund, 45,000
// allocations of them to 5,000 tasks (first in, first out, so each
// allocation splits lots) and 5,000 payouts.
func seedLedger(b *testing.B, driver store.Driver) (*Service, membership.Association, uuid.UUID) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, driver)
	members := membership.New(db, core.SystemClock{}, membership.Policy{Registrations: membership.RegistrationsOpen,
		AssociationCreation: membership.CreationByUsers})
	founder, err := members.CreateAccount(ctx, membership.NewAccount{Username: "founder", Email: "f@example.org",
		Password: "correct horse battery"}, membership.RoleUser)
	if err != nil {
		b.Fatal(err)
	}
	a, err := members.CreateAssociation(ctx, founder, membership.NewAssociation{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	s := New(db, core.SystemClock{}, members)
	const tasks, donations, batch = 5000, 50000, 2000
	taskIDs := make([]uuid.UUID, tasks)
	var general, donors, payees store.LedgerAccount
	var traced uuid.UUID
	run := func(fn func(tx store.Tx) error) {
		if err := db.InTx(ctx, fn); err != nil {
			b.Fatal(err)
		}
	}
	run(func(tx store.Tx) error {
		project := uuid.Must(uuid.NewV7())
		for i := range taskIDs {
			taskIDs[i] = uuid.Must(uuid.NewV7())
			if err := s.OpenTaskAccount(ctx, tx, a.ID, project, taskIDs[i], 5000); err != nil {
				return err
			}
		}
		for _, p := range []struct {
			key string
			acc *store.LedgerAccount
		}{{KeyGeneral, &general}, {KeyDonors, &donors}, {KeyPayees, &payees}} {
			if *p.acc, err = s.ensureAccount(ctx, tx, a.ID, p.key); err != nil {
				return err
			}
		}
		return nil
	})
	accounts := map[uuid.UUID]uuid.UUID{}
	run(func(tx store.Tx) error {
		for _, t := range taskIDs {
			acc, err := tx.Ledger().AccountOfTask(ctx, t, false)
			if err != nil {
				return err
			}
			accounts[t] = acc.ID
		}
		return nil
	})
	alloc := 0
	for start := 0; start < donations; start += batch {
		run(func(tx store.Tx) error {
			for i := start; i < start+batch; i++ {
				d, err := s.record(ctx, tx, entry{association: a.ID, kind: KindDonation, cause: "bench", donor: "d",
					flows: []flow{{from: donors.ID, to: general.ID, amount: 1000 + int64(i%7)}}})
				if err != nil {
					return err
				}
				if i == 1000 {
					traced = d.ID
				}
				if i%10 == 9 {
					continue // 45,000 allocations for 50,000 donations
				}
				task := taskIDs[alloc%tasks]
				alloc++
				if _, err := s.record(ctx, tx, entry{association: a.ID, kind: KindAllocation, cause: "bench",
					flows: []flow{{from: general.ID, to: accounts[task], amount: 1000}}}); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for start := 0; start < tasks; start += batch {
		run(func(tx store.Tx) error {
			for _, t := range taskIDs[start:min(start+batch, tasks)] {
				if _, err := s.Payout(ctx, tx, t, "https://b.example/actors/pro", "bench"); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return s, a, traced
}

// BenchmarkLedger100k times what readers ask of a ledger of 100,000
// transactions: every balance, one page of the public ledger and the trace
// of a donation. Each must stay under 50 ms.
func BenchmarkLedger100k(b *testing.B) {
	for _, driver := range storetest.Drivers {
		b.Run(string(driver), func(b *testing.B) {
			start := time.Now()
			s, a, traced := seedLedger(b, driver)
			b.Logf("seeded 100,000 transactions in %s", time.Since(start).Round(time.Second))
			ctx := context.Background()
			cases := []struct {
				name string
				fn   func() error
			}{
				{"balances", func() error { _, err := s.Balances(ctx, nil, a.Name); return err }},
				{"ledger page", func() error {
					p, err := s.Ledger(ctx, nil, a.Name, uuid.Nil, DefaultPageSize)
					if err == nil && len(p.Items) != DefaultPageSize {
						b.Fatalf("page of %d", len(p.Items))
					}
					return err
				}},
				{"trace", func() error {
					tr, err := s.Trace(ctx, nil, traced)
					if err == nil && len(tr.Steps) < 3 {
						b.Fatalf("trace of %d steps", len(tr.Steps))
					}
					return err
				}},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						if err := c.fn(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
