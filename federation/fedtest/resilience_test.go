package fedtest_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/store"
)

// B is down when A posts: the delivery fails, is retried on the backoff
// schedule, and reaches B once B is back.
func TestPeerDownThenBack_TheRetryDelivers(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b"})
		a, b := in[0], in[1]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: b, Name: "zoe"})
		ada, zoe := users[0], users[1]
		fedtest.FollowAccepted(t, within, ada.Acct(), zoe)
		lap("set up")

		b.Stop(t)
		note := ada.Post(t, "Posted while B is down")
		var create store.Delivery
		fedtest.Eventually(t, within, "A fails to deliver to B and plans a retry", func() error {
			ds := a.DeliveriesOf(t, "Create", note.URI)
			if len(ds) != 1 {
				return fmt.Errorf("%d deliveries of the Create", len(ds))
			}
			create = ds[0]
			if create.Attempts == 0 || create.State != store.DeliveryPending {
				return fmt.Errorf("delivery %s after %d attempts", create.State, create.Attempts)
			}
			return nil
		})
		if _, ok := b.NoteByURI(t, note.URI); ok {
			t.Fatal("B has the note while it was down")
		}
		lap("B stopped, the first attempt failed")

		b.Start(t)
		arrived(t, b, note.URI)
		lap("B started again, the retry delivered")
		// B has the note once the retry's POST is answered; A records
		// the outcome just after.
		fedtest.Eventually(t, within, "A records the retry as delivered", func() error {
			ds := a.DeliveriesOf(t, "Create", note.URI)
			if len(ds) != 1 {
				return fmt.Errorf("%d deliveries of the Create", len(ds))
			}
			if d := ds[0]; d.State != store.DeliveryDelivered || d.Attempts < 2 {
				return fmt.Errorf("%s after %d attempts", d.State, d.Attempts)
			}
			return nil
		})
	})
}

// A has followers on three slow instances and posts several notes at once;
// it is killed (SIGKILL) while deliveries are in flight, and restarted on
// the same database. Once the dead process's claims have expired, every
// note A had committed reaches every peer exactly once: nothing is lost,
// nothing doubled.
func TestKillDuringFanOut_EveryNoteArrivesOnce(t *testing.T) {
	t.Parallel()
	const (
		notes            = 12
		followersPerPeer = 2
		killAfter        = notes / 2 // posts answered before the kill
	)
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		a := c.Start("a")
		peers := c.StartAll([]string{"b", "c", "d"}, fedtest.WithSlowInbox(300*time.Millisecond))
		accounts := []fedtest.Account{{In: a, Name: "ada"}}
		for _, p := range peers {
			for j := range followersPerPeer {
				accounts = append(accounts, fedtest.Account{In: p, Name: fmt.Sprintf("reader%d", j)})
			}
		}
		users := fedtest.NewUsers(t, accounts...)
		ada := users[0]
		fedtest.FollowAccepted(t, within, ada.Acct(), users[1:]...)
		lap("set up")

		// ada posts all the notes at once; A dies once half are answered
		// and deliveries are in flight.
		var (
			mu       sync.Mutex
			answered []string // URIs of the notes A acknowledged
		)
		enough := make(chan struct{})
		var wg sync.WaitGroup
		for i := range notes {
			wg.Go(func() {
				var n fedtest.Note
				status, _, err := ada.Do("POST", "/notes", map[string]any{"content": fmt.Sprintf("Note %d of the fan-out", i)}, &n)
				if err != nil || status != http.StatusCreated {
					return // cut short by the kill
				}
				mu.Lock()
				defer mu.Unlock()
				answered = append(answered, n.URI)
				if len(answered) == killAfter {
					close(enough)
				}
			})
		}
		<-enough
		fedtest.Eventually(t, within, "deliveries are in flight", func() error {
			n := 0
			for _, p := range peers {
				n += p.Front.InFlight()
			}
			if n == 0 {
				return fmt.Errorf("none: deliveries %v", a.Deliveries(t))
			}
			return nil
		})
		a.Kill(t)
		wg.Wait()
		lap("posted and killed")

		// The queue as the crash left it: deliveries not made yet, some of
		// them claimed by the dead process.
		atCrash := a.Deliveries(t)
		claimed := a.Count(t, "SELECT count(*) FROM deliveries WHERE state = ? AND locked_until IS NOT NULL", store.DeliveryPending)
		if claimed == 0 {
			t.Fatalf("no delivery was claimed when A died (deliveries %v): the scenario tested nothing", atCrash)
		}
		t.Logf("%d notes posted, %d acknowledged before the kill; deliveries then: %v, %d of them claimed", notes, len(answered), atCrash, claimed)

		a.Start(t)
		lap("restarted")
		fedtest.Eventually(t, within, "A finishes every delivery", func() error {
			if got := a.Deliveries(t); len(got) != 1 || got[store.DeliveryDelivered] == 0 {
				return fmt.Errorf("deliveries %v", got)
			}
			return nil
		})
		// What A committed is read now, not at the kill: on PostgreSQL a
		// COMMIT the dead process had sent may still land after its death.
		committed := notesBy(t, a, ada.URI())
		for _, uri := range answered {
			if !committed[uri] {
				t.Fatalf("A acknowledged %s but lost it in the crash", uri)
			}
		}
		for _, p := range peers {
			for uri := range committed {
				arrived(t, p, uri)
			}
		}
		lap(fmt.Sprintf("the %d notes A committed arrived", len(committed)))
		reposted := 0
		for _, p := range peers {
			if got := notesBy(t, p, ada.URI()); !maps.Equal(got, committed) {
				t.Errorf("%s has %d of ada's notes, want the %d A committed", p.Name, len(got), len(committed))
			}
			for uri := range committed {
				if n := p.Count(t, "SELECT count(*) FROM inbox_activities WHERE type = 'Create' AND CAST(raw AS text) LIKE ?", "%"+uri+"%"); n != 1 {
					t.Errorf("%s stored %d Creates of %s, want 1", p.Name, n, uri)
				}
				reposted += p.Front.Count("Create", uri) - 1
			}
		}
		t.Logf("Creates POSTed again after the restart (in flight at the kill): %d", reposted)
	})
}

// Two `holon serve` processes on one PostgreSQL database share the
// delivery queue: a fan-out posted through both is delivered by both, with
// one POST per activity and peer, never two.
func TestTwoProcessesOnOneDatabase_NoDuplicatePOST(t *testing.T) {
	t.Parallel()
	const notes = 20
	lap := stopwatch(t)
	c := fedtest.New(t, store.Postgres)
	a1 := c.Start("a1")
	a2 := c.Start("a2", fedtest.SharingDatabaseWith(a1))
	peers := c.StartAll([]string{"b", "c"}, fedtest.WithFront())
	users := fedtest.NewUsers(t, fedtest.Account{In: a1, Name: "ada"},
		fedtest.Account{In: peers[0], Name: "reader"}, fedtest.Account{In: peers[1], Name: "reader"})
	ada := users[0]
	fedtest.FollowAccepted(t, within, ada.Acct(), users[1:]...)
	lap("set up")

	// Each process commits half of the notes, so each is woken to deliver,
	// and both claim from the same queue.
	uris := make([]string, notes)
	errs := make([]error, notes)
	var wg sync.WaitGroup
	for i := range notes {
		via := ada.On([]*fedtest.Instance{a1, a2}[i%2])
		wg.Go(func() {
			var n fedtest.Note
			status, raw, err := via.Do("POST", "/notes", map[string]any{"content": fmt.Sprintf("Note %d, posted through %s", i, via.In.Name)}, &n)
			if err == nil && status != http.StatusCreated {
				err = fmt.Errorf("post through %s: HTTP %d: %s", via.In.Name, status, raw)
			}
			uris[i], errs[i] = n.URI, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	fedtest.Eventually(t, within, "the two processes deliver every note", func() error {
		if got := a1.Deliveries(t); len(got) != 1 || got[store.DeliveryDelivered] == 0 {
			return fmt.Errorf("deliveries %v", got)
		}
		return nil
	})
	for _, p := range peers {
		fedtest.Eventually(t, within, p.Name+" has answered every POST", func() error {
			if n := p.Front.InFlight(); n > 0 {
				return fmt.Errorf("%d in flight", n)
			}
			return nil
		})
	}
	lap("posted and delivered")

	senders := map[string]int{}
	for _, p := range peers {
		for _, uri := range uris {
			if n := p.Front.Count("Create", uri); n != 1 {
				t.Errorf("%s received %d POSTs of the Create of %s, want 1", p.Name, n, uri)
			}
			arrived(t, p, uri)
		}
		for _, r := range p.Front.Received() {
			if r.Status != http.StatusAccepted {
				t.Errorf("%s answered %d to a POST of %s %s", p.Name, r.Status, r.Type, r.Object)
			}
			if r.Type == "Create" {
				senders[r.From]++
			}
		}
	}
	t.Logf("Creates POSTed by each process: %v", senders)
	if senders["a1"] == 0 || senders["a2"] == 0 || senders["a1"]+senders["a2"] != notes*len(peers) {
		t.Errorf("Creates POSTed by each process: %v; want both processes to share the %d", senders, notes*len(peers))
	}
}

// notesBy returns the URIs of the notes by the actor uri that in stores.
func notesBy(t *testing.T, in *fedtest.Instance, actor string) map[string]bool {
	t.Helper()
	var uris []string
	err := in.Store(t).Bun().NewRaw("SELECT n.uri FROM notes n JOIN actors a ON a.id = n.author_id WHERE a.uri = ?", actor).
		Scan(context.Background(), &uris)
	if err != nil {
		t.Fatalf("%s: notes of %s: %v", in.Name, actor, err)
	}
	out := map[string]bool{}
	for _, u := range uris {
		out[u] = true
	}
	return out
}
