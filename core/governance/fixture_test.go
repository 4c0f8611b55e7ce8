package governance_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
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
func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

const base = "https://holon.test"

// Periods of the fixture's association.
const (
	debate    = time.Hour
	consensus = 2 * time.Hour
	valueVote = 3 * time.Hour
)

// fixture is an association "commons" founded by alice (board), with
// members bob, carol and dave, a general fund of 1000.00 EUR, and an
// accepted project of bob's with an open task of 250.00 EUR.
type fixture struct {
	db       *store.DB
	clock    *clock
	members  *membership.Service
	ledger   *ledger.Service
	projects *projects.Service
	svc      *governance.Service
	assoc    membership.Association

	alice, bob, carol, dave membership.Account
	project                 projects.Project
	task                    projects.Task
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, newFixture(t, db))
	})
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	c := newClock()
	f := &fixture{db: db, clock: c,
		members: membership.New(db, c, membership.Policy{Registrations: membership.RegistrationsOpen, BaseURL: base, NewKeyPair: testkeys.Pair})}
	f.ledger = ledger.New(db, c, f.members)
	f.projects = projects.New(db, c, projects.Policy{BaseURL: base}, f.ledger)
	f.svc = governance.New(db, c, governance.Policy{BaseURL: base},
		governance.Executors{Ledger: f.ledger, Projects: f.projects, Members: f.members})
	f.alice = f.account(t, "alice")
	if _, err := f.members.CreateAssociation(ctx, f.alice, membership.NewAssociation{Name: "commons"}); err != nil {
		t.Fatal(err)
	}
	f.setting(t, membership.SettingsChange{DebatePeriod: ptr(debate.String()), ConsensusPeriod: ptr(consensus.String()),
		ValueVotePeriod: ptr(valueVote.String()), BoardMayEvaluateProjects: ptr(true)})
	f.bob = f.member(t, "bob")
	f.carol = f.member(t, "carol")
	f.dave = f.member(t, "dave")
	if _, err := f.ledger.Donate(ctx, nil, "commons", ledger.DonationInput{Amount: 100000, Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	p, err := f.projects.Propose(ctx, f.bob, "commons", projects.ProjectInput{Name: ptr("Community mesh"),
		Licence: ptr("MIT"), Architecture: ptr("distributed"), Beneficiaries: ptr([]string{uri("carol"), "the villagers"})})
	if err != nil {
		t.Fatal(err)
	}
	if f.project, err = f.projects.Evaluate(ctx, f.alice, p.ID, projects.Accept, ""); err != nil {
		t.Fatal(err)
	}
	f.task = f.newTask(t, "Flash the routers")
	return f
}

func (f *fixture) newTask(t testing.TB, name string) projects.Task {
	t.Helper()
	task, err := f.projects.AddTask(context.Background(), f.bob, f.project.ID, projects.TaskInput{Name: name, Category: "programming",
		DoneCriteria: []string{"ten routers flashed"}, Budget: "250.00", MaxReservation: "72h", Reviewers: []string{uri("alice")}})
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func (f *fixture) setting(t testing.TB, ch membership.SettingsChange) {
	t.Helper()
	a, err := f.members.UpdateAssociation(context.Background(), f.alice, "commons", membership.AssociationChange{Settings: ch})
	if err != nil {
		t.Fatal(err)
	}
	f.assoc = a
}

func (f *fixture) account(t testing.TB, name string) membership.Account {
	t.Helper()
	a, err := f.members.CreateAccount(context.Background(), membership.NewAccount{
		Username: name, Email: name + "@example.org", Password: "correct horse battery"}, membership.RoleUser)
	if err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	return a
}

func (f *fixture) member(t testing.TB, name string) membership.Account {
	t.Helper()
	a := f.account(t, name)
	if _, err := f.members.Join(context.Background(), a, "commons"); err != nil {
		t.Fatal(err)
	}
	return a
}

// propose makes a proposal of alice's.
func (f *fixture) propose(t testing.TB, in governance.ProposalInput) governance.Proposal {
	t.Helper()
	if in.Title == "" {
		in.Title = "A proposal"
	}
	p, err := f.svc.Propose(context.Background(), f.alice, "commons", in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// allocation proposes to allocate amount to the fixture's task.
func (f *fixture) allocation(t testing.TB, amount string) governance.Proposal {
	t.Helper()
	return f.propose(t, governance.ProposalInput{Category: governance.CategoryBudgetAllocation, Title: "Fund the routers",
		Actions: []governance.ActionInput{{Kind: governance.ActionAllocate, Task: f.task.ID, Amount: amount}}})
}

// advance moves the clock by d and runs the scheduler; it returns how many
// proposals moved.
func (f *fixture) advance(t testing.TB, d time.Duration) int {
	t.Helper()
	f.clock.Advance(d)
	n, err := f.svc.AdvanceDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) vote(t testing.TB, by membership.Account, p governance.Proposal, in governance.BallotInput) {
	t.Helper()
	if _, err := f.svc.Vote(context.Background(), by, p.ID, in); err != nil {
		t.Fatalf("vote of %s: %v", by.Username, err)
	}
}

func (f *fixture) reload(t testing.TB, p governance.Proposal) governance.Proposal {
	t.Helper()
	p, err := f.svc.Proposal(context.Background(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// balance is the ledger balance of the fixture's task and of the general
// fund.
func (f *fixture) balances(t testing.TB) (task, general int64) {
	t.Helper()
	task, _, _, err := f.ledger.TaskFunding(context.Background(), f.db.Tx, f.task.ID)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := f.db.Ledger().Accounts(context.Background(), f.assoc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range accounts {
		if a.Key == ledger.KeyGeneral {
			general = a.Balance
		}
	}
	return task, general
}

// by returns the fixture's account named name.
func (f *fixture) by(name string) membership.Account {
	return map[string]membership.Account{"alice": f.alice, "bob": f.bob, "carol": f.carol, "dave": f.dave}[name]
}

// membershipChange is a change of one setting, as a proposal writes it.
func membershipChange(name, value string) membership.SettingsChange {
	ch := membership.SettingsChange{}
	switch name {
	case "debate_period":
		ch.DebatePeriod = &value
	case "probation_period":
		ch.ProbationPeriod = &value
	default:
		panic("membershipChange: " + name)
	}
	return ch
}

func uri(name string) string { return base + "/actors/" + name }

func ptr[T any](v T) *T { return &v }

var (
	agree   = governance.BallotInput{Position: governance.Agree}
	abstain = governance.BallotInput{Position: governance.Abstain}
	object  = governance.BallotInput{Position: governance.Object}
)

func scores(s ...int) governance.BallotInput { return governance.BallotInput{Scores: s} }

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

func wantField(t testing.TB, err error, field, code string) {
	t.Helper()
	e, ok := core.As(err)
	if !ok || e.Kind != core.KindInvalid {
		t.Fatalf("got %v, want invalid %s", err, field)
	}
	for _, fe := range e.Fields {
		if fe.Field == field && fe.Code == code {
			return
		}
	}
	t.Fatalf("got fields %+v, want %s: %s", e.Fields, field, code)
}
