package ledger_test

import (
	"context"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
)

// checkInvariants reads the ledger's tables of the fixture's association
// and checks what must always hold: every transaction's postings sum to
// zero, each balance is the sum of its postings, all balances sum to zero,
// no internal account is negative, a locked task covers its budget, each
// internal account's lots sum to its balance, every donation is accounted
// for (still held, paid out or refunded), and no right is overused.
func checkInvariants(t tb, f *fixture) {
	t.Helper()
	ctx := context.Background()
	bdb := f.db.Bun()
	var unbalanced int
	if err := bdb.NewRaw(`SELECT COUNT(*) FROM (SELECT p.transaction_id FROM ledger_postings p
		JOIN ledger_transactions t ON t.id = p.transaction_id WHERE t.association_id = ?
		GROUP BY p.transaction_id HAVING SUM(p.amount) <> 0) AS x`, f.assoc.ID).Scan(ctx, &unbalanced); err != nil {
		t.Fatal(err)
	}
	if unbalanced != 0 {
		t.Fatalf("%d transactions do not balance", unbalanced)
	}
	var drift int
	if err := bdb.NewRaw(`SELECT COUNT(*) FROM ledger_accounts a WHERE a.association_id = ?
		AND a.balance <> COALESCE((SELECT SUM(amount) FROM ledger_postings p WHERE p.account_id = a.id), 0)`,
		f.assoc.ID).Scan(ctx, &drift); err != nil {
		t.Fatal(err)
	}
	if drift != 0 {
		t.Fatalf("%d balances differ from their postings", drift)
	}
	accounts, err := f.db.Ledger().Accounts(ctx, f.assoc.ID)
	if err != nil {
		t.Fatal(err)
	}
	lots, err := f.db.Ledger().LotSums(ctx, f.assoc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	external := map[uuid.UUID]bool{}
	for _, a := range accounts {
		sum += a.Balance
		if a.Kind == ledger.AccountExternal {
			external[a.ID] = true
			continue
		}
		if a.Balance < 0 {
			t.Fatalf("%s is negative: %d", a.Key, a.Balance)
		}
		if a.Locked && a.Balance < a.Budget {
			t.Fatalf("locked %s holds %d, below its budget %d", a.Key, a.Balance, a.Budget)
		}
		if lots[a.ID] != a.Balance {
			t.Fatalf("%s: lots sum to %d, balance is %d", a.Key, lots[a.ID], a.Balance)
		}
	}
	if sum != 0 {
		t.Fatalf("balances sum to %d", sum)
	}
	// Every donation = what its lots still hold + what left to the outside.
	var wrong int
	if err := bdb.NewRaw(`SELECT COUNT(*) FROM ledger_transactions d WHERE d.association_id = ? AND d.kind = 'donation'
		AND d.amount <> COALESCE((SELECT SUM(l.amount) FROM ledger_lots l WHERE l.donation_id = d.id), 0)
		+ COALESCE((SELECT SUM(m.amount) FROM ledger_moves m JOIN ledger_accounts a ON a.id = m.to_account
		   WHERE m.donation_id = d.id AND a.kind = 'external'), 0)`, f.assoc.ID).Scan(ctx, &wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Fatalf("%d donations are not fully traced", wrong)
	}
	var overused int
	if err := bdb.NewRaw(`SELECT COUNT(*) FROM ledger_rights WHERE used > amount OR used < 0`).Scan(ctx, &overused); err != nil {
		t.Fatal(err)
	}
	if overused != 0 {
		t.Fatalf("%d rights overused", overused)
	}
}
