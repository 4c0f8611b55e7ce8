package federation_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// garden is an association on instance a, "garden", with a funded open
// task of 300.00 EUR reviewed by its founder ada, and two persons, bob and
// carl, on instance b: the association's side and the professionals' side
// of docs/vocabulary.md §5.2–5.3, over real HTTP on loopback.
type garden struct {
	a, b        *webtest.Instance
	ada         membership.Account
	bob, carl   membership.Account
	association string // garden's actor id
	task        projects.Task
	remote      projects.RemoteTask // the task as b knows it
}

func (g garden) actor(in *webtest.Instance, name string) string {
	return in.Config.BaseURL() + "/actors/" + name
}

// newGarden starts both instances on driver; reviewersOnB names the
// persons of b the task names as reviewers besides ada.
func newGarden(t *testing.T, driver store.Driver, reviewersOnB ...string) garden {
	t.Helper()
	ctx := context.Background()
	g := garden{a: webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil),
		b: webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)}
	g.ada, _ = account(t, g.a, "ada")
	g.bob, _ = account(t, g.b, "bob")
	g.carl, _ = account(t, g.b, "carl")
	if _, err := g.a.Members.CreateAssociation(ctx, g.ada, membership.NewAssociation{Name: "garden"}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := g.a.Members.UpdateAssociation(ctx, g.ada, "garden", membership.AssociationChange{
		Settings: membership.SettingsChange{BoardMayEvaluateProjects: &yes}}); err != nil {
		t.Fatal(err)
	}
	g.association = g.actor(g.a, "garden")
	reviewers := []string{g.actor(g.a, "ada")}
	for _, name := range reviewersOnB {
		if name != "bob" && name != "carl" {
			account(t, g.b, name)
		}
		reviewers = append(reviewers, g.actor(g.b, name))
	}
	str := func(s string) *string { return &s }
	p, err := g.a.Projects.Propose(ctx, g.ada, "garden", projects.ProjectInput{Name: str("Community garden"),
		Licence: str("CC-BY-SA-4.0"), Architecture: str("centralised")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.a.Projects.Evaluate(ctx, g.ada, p.ID, projects.Accept, ""); err != nil {
		t.Fatal(err)
	}
	g.task, err = g.a.Projects.AddTask(ctx, g.ada, p.ID, projects.TaskInput{Name: "Build the raised beds", Category: "other",
		DoneCriteria: []string{"Four beds of 2 m by 1 m", "Photos of each bed"}, Budget: "300.00", MaxReservation: "72h",
		Reviewers: reviewers})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.a.Ledger.Donate(ctx, nil, "garden", ledger.DonationInput{Amount: 30000, Currency: "EUR",
		Target: "task:" + g.task.ID.String()}); err != nil {
		t.Fatal(err)
	}
	g.remote = projects.RemoteTask{URI: g.a.Config.BaseURL() + "/tasks/" + g.task.ID.String(), Association: g.association,
		Name: g.task.Name, MaxReservation: 72 * time.Hour}
	// What resolving the task does on b: its association is known there.
	if _, err := g.b.Federation.Resolver.Actor(ctx, g.association); err != nil {
		t.Fatal(err)
	}
	return g
}

// taskOnA returns the task as the association's instance has it.
func (g garden) taskOnA(t *testing.T) projects.Task {
	t.Helper()
	task, err := g.a.Projects.Task(context.Background(), g.task.ID)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// reservationOnB returns by's reservation of the task as b has it.
func (g garden) reservationOnB(t *testing.T, by string) projects.RemoteReservation {
	t.Helper()
	r, err := g.b.Projects.RemoteReservationOf(context.Background(), g.actor(g.b, by), g.remote.URI)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// reserve offers a reservation by who until a day from now, and lets the
// instances exchange the Offer and its answer.
func (g garden) reserve(t *testing.T, who membership.Account) {
	t.Helper()
	r, err := g.b.Projects.OfferReservation(context.Background(), who, g.remote, time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != projects.ReservationPending {
		t.Fatalf("the offered reservation is %q, want pending", r.Status)
	}
	settle(t, g.a, g.b)
}

// payouts lists the payouts a's ledger records for garden.
func (g garden) payouts(t *testing.T) []store.LedgerTransaction {
	t.Helper()
	ctx := context.Background()
	a, err := g.a.DB.Associations().ByName(ctx, "garden")
	if err != nil {
		t.Fatal(err)
	}
	all, err := g.a.DB.Ledger().Transactions(ctx, a.ID, uuid.Nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.LedgerTransaction
	for _, tr := range all {
		if tr.Kind == ledger.KindPayout {
			out = append(out, tr)
		}
	}
	return out
}

// A professional on another instance reserves a task (Offer, Accept), a
// second one is refused (Reject with the reason, nothing changed), the
// first delivers work hosted on its instance, the association's reviewer
// accepts it, the payout is recorded on the association's ledger for the
// professional, and the professional's instance learns the verdict and the
// payout.
func TestRemoteWork_ReserveSubmitVerifyPayout(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			bobURI, carlURI := g.actor(g.b, "bob"), g.actor(g.b, "carl")

			g.reserve(t, g.bob)
			if task := g.taskOnA(t); task.Status != projects.TaskReserved || task.ReservedBy != bobURI {
				t.Fatalf("on a the task is %s by %q", task.Status, task.ReservedBy)
			}
			if r := g.reservationOnB(t, "bob"); r.Status != "active" {
				t.Fatalf("on b bob's reservation is %+v", r)
			}

			// carl is too late: refused with the reason, nothing changes.
			g.reserve(t, g.carl)
			if r := g.reservationOnB(t, "carl"); r.Status != projects.ReservationRejected || r.Reason != "this task is already reserved" {
				t.Fatalf("on b carl's reservation is %+v", r)
			}
			if task := g.taskOnA(t); task.Status != projects.TaskReserved || task.ReservedBy != bobURI {
				t.Fatalf("carl's offer changed the task: %s by %q", task.Status, task.ReservedBy)
			}
			if all, _ := g.a.Projects.Reservations(ctx, g.task.ID); len(all) != 1 {
				t.Fatalf("a holds %d reservations", len(all))
			}

			// bob delivers; a fetches the work from b.
			sub, err := g.b.Projects.SubmitRemote(ctx, g.bob, g.remote, "The four beds are built.\n\nPhotos attached.",
				[]string{"https://files.example/beds.zip"})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b)
			subs, err := g.a.Projects.Submissions(ctx, g.task.ID)
			if err != nil || len(subs) != 1 {
				t.Fatalf("a has submissions %+v (%v)", subs, err)
			}
			if s := subs[0]; s.By != bobURI || s.Text != "The four beds are built.\n\nPhotos attached." ||
				len(s.Links) != 1 || s.Status != projects.SubmissionPending || s.ReservationID == nil {
				t.Fatalf("a recorded %+v", s)
			}
			if task := g.taskOnA(t); task.Status != projects.TaskSubmitted {
				t.Fatalf("on a the task is %s", task.Status)
			}

			// ada accepts; the payout is owed to bob, for bob's submission on b.
			if _, err := g.a.Projects.ReviewSubmission(ctx, g.ada, subs[0].ID, []projects.CriterionCheck{
				{Met: true}, {Met: true, Comment: "photos 3 and 4 show the same bed; fine"}}, projects.Accept, "All met."); err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b)
			payouts := g.payouts(t)
			if len(payouts) != 1 || payouts[0].Cause != sub.URI || payouts[0].Amount != 30000 {
				t.Fatalf("a's payouts: %+v (want one of 300.00 for %s)", payouts, sub.URI)
			}
			if p, err := g.a.DB.Ledger().PayoutForUpdate(ctx, payouts[0].ID); err != nil || p.Payee != bobURI {
				t.Fatalf("the payout is owed to %q (%v)", p.Payee, err)
			}
			got, err := g.b.Projects.HostedSubmission(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != projects.SubmissionAccepted || got.Verdict != "All met." || len(got.Checks) != 2 ||
				got.Checks[1].Criterion != "Photos of each bed" || got.Checks[1].Comment != "photos 3 and 4 show the same bed; fine" {
				t.Fatalf("b has the verdict %+v", got)
			}
			if got.Payout == nil || got.Payout.Amount != 30000 || got.Payout.Currency != "EUR" ||
				got.Payout.Transaction != g.a.Config.BaseURL()+"/transactions/"+payouts[0].ID.String() {
				t.Fatalf("b has the payout %+v", got.Payout)
			}
			if r := g.reservationOnB(t, "bob"); r.Status != "completed" {
				t.Fatalf("on b bob's reservation is %+v", r)
			}
			// b's own ledger is untouched: it keeps no money of garden's.
			if n := ledgerRows(t, g.b); n != 0 {
				t.Fatalf("b's ledger has %d transactions", n)
			}
			_ = carlURI
		})
	}
}

// ledgerRows counts the ledger transactions in.
func ledgerRows(t *testing.T, in *webtest.Instance) int {
	t.Helper()
	n, err := in.DB.Bun().NewSelect().Table("ledger_transactions").Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// The holder gives the task up from its instance: the Undo of its Offer
// releases it on the association's, which reopens it. When the board
// releases a reservation, its holder's instance is told why.
func TestRemoteWork_UndoReleases(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			g := newGarden(t, driver)
			g.reserve(t, g.bob)
			r, err := g.b.Projects.WithdrawReservation(context.Background(), g.bob, g.remote.URI)
			if err != nil || r.Status != "released" {
				t.Fatalf("withdraw: %+v %v", r, err)
			}
			settle(t, g.a, g.b)
			if task := g.taskOnA(t); task.Status != projects.TaskOpen || task.ReservedBy != "" {
				t.Fatalf("on a the task is %s by %q", task.Status, task.ReservedBy)
			}
			all, _ := g.a.Projects.Reservations(context.Background(), g.task.ID)
			if len(all) != 1 || all[0].Status != "released" || all[0].EndedBy != g.actor(g.b, "bob") {
				t.Fatalf("a's reservations: %+v", all)
			}
			// Open again: carl may have it, until the board ends it.
			g.reserve(t, g.carl)
			if r := g.reservationOnB(t, "carl"); r.Status != "active" {
				t.Fatalf("carl's reservation is %+v", r)
			}
			if _, err := g.a.Projects.Release(context.Background(), g.ada, g.task.ID, "No news for a week."); err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b)
			if r := g.reservationOnB(t, "carl"); r.Status != "released" || r.Reason != "No news for a week." {
				t.Fatalf("carl's reservation after the board's release is %+v", r)
			}
		})
	}
}

// inboxOf returns the activity b received with the given type whose object
// is object, decoded.
func inboxOf(t *testing.T, in *webtest.Instance, kind, object string) map[string]any {
	t.Helper()
	for _, state := range []string{store.InboxDone, store.InboxIgnored, store.InboxPending} {
		list, err := in.DB.Inbox().ListByState(context.Background(), state, uuid.Nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			full, err := in.DB.Inbox().ByActivityID(context.Background(), a.ActivityID)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal([]byte(full.Raw), &doc); err != nil {
				t.Fatal(err)
			}
			if full.Type == kind && doc["object"] == object {
				return doc
			}
		}
	}
	t.Fatalf("%s received no %s of %s", in.URL, kind, object)
	return nil
}
