package agenda_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/agenda"
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
func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.now.Add(int64(d)) }

const base = "https://holon.test"

// fixture is an association "commons" whose founder, alice, is on the
// board, with one member, bob, and carol, who is not a member.
type fixture struct {
	db      *store.DB
	clock   *clock
	members *membership.Service
	svc     *agenda.Service
	pub     *recorder
	alice   membership.Account
	bob     membership.Account
	carol   membership.Account
}

// recorder keeps what the service publishes.
type recorder struct{ got []agenda.Publication }

func (r *recorder) Publish(_ context.Context, _ store.Tx, p agenda.Publication) error {
	r.got = append(r.got, p)
	return nil
}

func (r *recorder) types() []string {
	var out []string
	for _, p := range r.got {
		out = append(out, p.Type)
	}
	return out
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newClock()
		f := &fixture{db: db, clock: c, pub: &recorder{},
			members: membership.New(db, c, membership.Policy{Registrations: membership.RegistrationsOpen, BaseURL: base, NewKeyPair: testkeys.Pair})}
		f.svc = agenda.New(db, c, agenda.Policy{BaseURL: base})
		f.svc.UsePublisher(f.pub)
		f.alice = f.account(t, "alice")
		if _, err := f.members.CreateAssociation(context.Background(), f.alice, membership.NewAssociation{Name: "commons"}); err != nil {
			t.Fatal(err)
		}
		f.bob = f.account(t, "bob")
		if _, err := f.members.Join(context.Background(), f.bob, "commons"); err != nil {
			t.Fatal(err)
		}
		f.carol = f.account(t, "carol")
		fn(t, f)
	})
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

// remote records a person on another instance, as federation does when it
// checks a signature.
func (f *fixture) remote(t testing.TB, uri, name string) {
	t.Helper()
	_, pub, err := testkeys.Pair()
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.members.SaveRemoteActor(context.Background(), membership.RemoteActor{URI: uri, Kind: "Person", Username: name,
		DisplayName: "Remote " + name, Inbox: uri + "/inbox", KeyID: uri + "#main-key", PublicKeyPEM: pub, Document: "{}"})
	if err != nil {
		t.Fatalf("save remote actor %s: %v", uri, err)
	}
}

func ptr[T any](v T) *T { return &v }

// garden is a valid event: Saturday afternoon in Lyon, in a week.
func garden() agenda.EventInput {
	return agenda.EventInput{Name: ptr("Garden day"), Summary: ptr("We plant the first beds"),
		Description: ptr("Bring gloves."), Start: ptr("2026-11-28T14:00"), End: ptr("2026-11-28T18:00"),
		Timezone: ptr("Europe/Paris"),
		Place: &agenda.PlaceInput{Name: "Lot behind the school", StreetAddress: "3 rue des Lilas", Locality: "Lyon",
			PostalCode: "69001", Country: "FR", Latitude: ptr(45.7676), Longitude: ptr(4.8344)},
		Category: ptr("COMMUNITY"), Tags: ptr([]string{"#Garden", "garden", "Lyon"})}
}

// event creates an event as alice, changed by mutate first.
func (f *fixture) event(t testing.TB, mutate func(*agenda.EventInput)) agenda.Event {
	t.Helper()
	in := garden()
	if mutate != nil {
		mutate(&in)
	}
	e, err := f.svc.Create(context.Background(), f.alice, "commons", in)
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return e
}

// wantCode fails unless err is a core error with code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	e, ok := core.As(err)
	if !ok {
		t.Fatalf("want error %s, got %v", code, err)
	}
	if e.Code == code {
		return
	}
	for _, f := range e.Fields {
		if f.Code == code {
			return
		}
	}
	t.Fatalf("want error %s, got %s (%v)", code, e.Code, err)
}

// counts checks the event's kept counts against its participations.
func (f *fixture) counts(t testing.TB, e agenda.Event, participants, pending, waitlisted int) {
	t.Helper()
	got, err := f.svc.Event(context.Background(), nil, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Participants != participants || got.Pending != pending || got.Waitlisted != waitlisted {
		t.Fatalf("counts: %d participants, %d pending, %d waitlisted; want %d, %d, %d",
			got.Participants, got.Pending, got.Waitlisted, participants, pending, waitlisted)
	}
	byState, err := f.db.EventParticipants().CountByState(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if byState[agenda.StateParticipant] != participants || byState[agenda.StatePending] != pending || byState[agenda.StateWaitlisted] != waitlisted {
		t.Fatalf("rows by state %v do not match the counts kept", byState)
	}
}

func isErr(err, target error) bool { return errors.Is(err, target) }
