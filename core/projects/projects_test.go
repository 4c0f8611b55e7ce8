package projects_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
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

// fixture is an association "commons" whose founder, alice, is on the
// board (and lets the board evaluate projects), with one member, bob.
type fixture struct {
	db      *store.DB
	clock   *clock
	members *membership.Service
	svc     *projects.Service
	ledger  *ledger.Service
	alice   membership.Account
	bob     membership.Account
}

func each(t *testing.T, fn func(t *testing.T, f fixture)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		f := fixture{db: db, clock: c,
			members: membership.New(db, c, membership.Policy{Registrations: membership.RegistrationsOpen, BaseURL: base, NewKeyPair: testkeys.Pair})}
		f.ledger = ledger.New(db, c, f.members)
		f.svc = projects.New(db, c, projects.Policy{BaseURL: base}, f.ledger)
		f.alice = f.account(t, "alice")
		if _, err := f.members.CreateAssociation(context.Background(), f.alice, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		f.setBoardEvaluates(t, true)
		f.bob = f.member(t, "bob")
		fn(t, f)
	})
}

func (f fixture) setBoardEvaluates(t *testing.T, v bool) {
	t.Helper()
	_, err := f.members.UpdateAssociation(context.Background(), f.alice, "commons",
		membership.AssociationChange{Settings: membership.SettingsChange{BoardMayEvaluateProjects: &v}})
	if err != nil {
		t.Fatal(err)
	}
}

func (f fixture) account(t testing.TB, name string) membership.Account {
	t.Helper()
	a, err := f.members.CreateAccount(context.Background(), membership.NewAccount{
		Username: name, Email: name + "@example.org", Password: "correct horse battery"}, membership.RoleUser)
	if err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	return a
}

func (f fixture) member(t testing.TB, name string) membership.Account {
	t.Helper()
	a := f.account(t, name)
	if _, err := f.members.Join(context.Background(), a, "commons"); err != nil {
		t.Fatal(err)
	}
	return a
}

func uri(name string) string { return base + "/actors/" + name }

func ptr[T any](v T) *T { return &v }

func validProject() projects.ProjectInput {
	return projects.ProjectInput{Name: ptr("Community mesh"), Summary: ptr("Wi-Fi for the village"),
		Licence: ptr("agpl-3.0-or-later"), Architecture: ptr("decentralised"),
		Checklist: ptr([]string{"ten nodes online"}), Beneficiaries: ptr([]string{"villagers"}),
		Tags: ptr([]string{"#Mesh", "network"}), Place: ptr("Lyon"), Goal: ptr("1500.00")}
}

// acceptedProject is a project of bob's, accepted by the board.
func (f fixture) acceptedProject(t testing.TB) projects.Project {
	t.Helper()
	ctx := context.Background()
	p, err := f.svc.Propose(ctx, f.bob, "commons", validProject())
	if err != nil {
		t.Fatal(err)
	}
	p, err = f.svc.Evaluate(ctx, f.alice, p.ID, projects.Accept, "useful")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// task adds an open task reviewed by alice to project p.
func (f fixture) task(t testing.TB, p projects.Project, mutate func(*projects.TaskInput)) projects.Task {
	t.Helper()
	in := projects.TaskInput{Name: "Flash the routers", Category: "programming",
		DoneCriteria: []string{"firmware built from source", "ten routers flashed"},
		Budget:       "250.00", EstimatedEffort: "16h", MaxReservation: "72h", Reviewers: []string{uri("alice")}}
	if mutate != nil {
		mutate(&in)
	}
	task, err := f.svc.AddTask(context.Background(), f.bob, p.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// fund donates amount (minor units) to task.
func (f fixture) fund(t testing.TB, task projects.Task, amount int64) {
	t.Helper()
	_, err := f.ledger.Donate(context.Background(), nil, "commons", ledger.DonationInput{
		Amount: amount, Currency: "EUR", Target: "task:" + task.ID.String()})
	if err != nil {
		t.Fatal(err)
	}
}

// fundedTask is task(p) with its budget donated.
func (f fixture) fundedTask(t testing.TB, p projects.Project) projects.Task {
	t.Helper()
	task := f.task(t, p, nil)
	f.fund(t, task, task.Budget)
	return task
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e, ok := core.As(err)
	if !ok {
		t.Fatalf("got %v, want core error %q", err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %q (%v), want %q", e.Code, err, code)
	}
}

func wantField(t *testing.T, err error, field, code string) {
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
