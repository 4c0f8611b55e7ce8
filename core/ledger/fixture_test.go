package ledger_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/internal/testkeys"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

// clock is a settable test clock.
type clock struct{ now atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.now.Store(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) Now() time.Time { return time.Unix(0, c.now.Load()).UTC() }

type fixture struct {
	db      *store.DB
	members *membership.Service
	ledger  *ledger.Service
	board   membership.Account // founder: board member
	assoc   membership.Association
	project uuid.UUID
	clock   *clock
}

var policy = membership.Policy{Registrations: membership.RegistrationsOpen,
	AssociationCreation: membership.CreationByUsers, BaseURL: "https://holon.example", NewKeyPair: testkeys.Pair}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, newFixture(t, db))
	})
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	c := newClock()
	members := membership.New(db, c, policy)
	f := &fixture{db: db, members: members, ledger: ledger.New(db, c, members), project: uuid.Must(uuid.NewV7()), clock: c}
	f.board = f.account(t, "founder")
	upTo := "1000.00"
	a, err := members.CreateAssociation(context.Background(), f.board, membership.NewAssociation{Name: "commons", Currency: "EUR"})
	if err != nil {
		t.Fatalf("create association: %v", err)
	}
	a, err = members.UpdateAssociation(context.Background(), f.board, a.Name,
		membership.AssociationChange{Settings: membership.SettingsChange{BoardMayAllocateUpTo: &upTo}})
	if err != nil {
		t.Fatalf("set board_may_allocate_up_to: %v", err)
	}
	f.assoc = a
	return f
}

func (f *fixture) account(t testing.TB, name string) membership.Account {
	t.Helper()
	a, err := f.members.CreateAccount(context.Background(), membership.NewAccount{
		Username: name, Email: name + "@example.org", Password: "correct horse battery",
	}, membership.RoleUser)
	if err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	return a
}

// task opens a new task account with budget.
func (f *fixture) task(t testing.TB, budget int64) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	err := f.db.InTx(context.Background(), func(tx store.Tx) error {
		return f.ledger.OpenTaskAccount(context.Background(), tx, f.assoc.ID, f.project, id, budget)
	})
	if err != nil {
		t.Fatalf("open task: %v", err)
	}
	return id
}

func (f *fixture) donate(t testing.TB, target string, amount int64) ledger.Transaction {
	t.Helper()
	tr, err := f.ledger.Donate(context.Background(), nil, f.assoc.Name, ledger.DonationInput{Amount: amount, Currency: "EUR", Target: target})
	if err != nil {
		t.Fatalf("donate %d to %s: %v", amount, target, err)
	}
	return tr
}

func (f *fixture) inTx(t testing.TB, fn func(tx store.Tx) error) error {
	t.Helper()
	return f.db.InTx(context.Background(), fn)
}

func (f *fixture) funding(t testing.TB, task uuid.UUID) (balance, budget int64, locked bool) {
	t.Helper()
	balance, budget, locked, err := f.ledger.TaskFunding(context.Background(), f.db.Tx, task)
	if err != nil {
		t.Fatalf("task funding: %v", err)
	}
	return balance, budget, locked
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	e, ok := core.As(err)
	if !ok {
		t.Fatalf("got %v, want core error %q", err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %q (%v), want %q", e.Code, err, code)
	}
}

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}
