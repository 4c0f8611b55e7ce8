package federation_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

// activity is an activity by actor on in, with a fresh id on its host.
func activity(in *webtest.Instance, actor, kind string, fields map[string]any) map[string]any {
	doc := map[string]any{"@context": vocab.Context(), "id": in.Config.BaseURL() + "/activities/" + uuid.NewString(),
		"type": kind, "actor": in.Config.BaseURL() + "/actors/" + actor}
	for k, v := range fields {
		doc[k] = v
	}
	return doc
}

// deliver posts doc to the inbox of name on to, signed by actor of from,
// and wants status.
func deliver(t *testing.T, from *webtest.Instance, actor string, to *webtest.Instance, name string, doc map[string]any, status int) {
	t.Helper()
	if got := signedPost(t, from, actor, to.Config.BaseURL()+"/actors/"+name+"/inbox", doc); got != status {
		t.Fatalf("%s of %s: %d, want %d", doc["type"], actor, got, status)
	}
}

// A remote actor asks only for itself: an Offer of a reservation or of a
// project attributed to someone else (here on another host) is refused
// with a Reject and changes nothing; an Offer whose id is not on its
// actor's host is refused by the inbox.
func TestRemoteWork_NobodyActsForAnother(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			until := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
			someoneElse := g.actor(g.a, "ada")

			offer := activity(g.b, "bob", "Offer", map[string]any{"target": g.remote.URI, "to": []string{g.association},
				"object": map[string]any{"type": "Reservation", "attributedTo": someoneElse, "context": g.remote.URI, "endTime": until}})
			deliver(t, g.b, "bob", g.a, "garden", offer, http.StatusAccepted)
			project := activity(g.b, "bob", "Offer", map[string]any{"target": g.association, "to": []string{g.association},
				"object": map[string]any{"type": []string{"Project", "Page"}, "attributedTo": someoneElse, "name": "Not mine",
					"license": "https://spdx.org/licenses/MIT.html", "architecture": "centralised"}})
			deliver(t, g.b, "bob", g.a, "garden", project, http.StatusAccepted)
			forged := activity(g.b, "bob", "Offer", map[string]any{"target": g.remote.URI,
				"object": map[string]any{"type": "Reservation", "context": g.remote.URI, "endTime": until}})
			forged["id"] = g.a.Config.BaseURL() + "/activities/" + uuid.NewString()
			deliver(t, g.b, "bob", g.a, "garden", forged, http.StatusForbidden)
			settle(t, g.a, g.b)

			if task := g.taskOnA(t); task.Status != projects.TaskOpen {
				t.Fatalf("the task is %s", task.Status)
			}
			if all, _ := g.a.Projects.Reservations(ctx, g.task.ID); len(all) != 0 {
				t.Fatalf("a holds reservations %+v", all)
			}
			if list, _, _ := g.a.Projects.Projects(ctx, "garden", uuid.Nil, 10); len(list) != 1 {
				t.Fatalf("garden has %d projects", len(list))
			}
			for _, id := range []string{offer["id"].(string), project["id"].(string)} {
				reject := inboxOf(t, g.b, "Reject", id)
				if reject["actor"] != g.association || reject["summary"] != "an actor may only ask for itself, never for another" {
					t.Fatalf("the answer to %s: %v", id, reject)
				}
			}
		})
	}
}

// A remote actor offers a project to the association: it is recorded as
// proposed, held by that actor, and the Accept names its id as result.
// One whose goal is in another currency is refused, saying why.
func TestRemoteWork_ProjectOffer(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			object := func(currency string) map[string]any {
				return map[string]any{"type": []string{"Project", "Page"}, "attributedTo": g.actor(g.b, "bob"),
					"name": "Shared compost", "summary": "Compost for the street.", "content": "<p>Three bins.</p><p>One per season.</p>",
					"license": "https://spdx.org/licenses/CC-BY-SA-4.0.html", "architecture": "distributed",
					"acceptanceChecklist": []string{"The street agrees"}, "audience": g.association,
					"goal":     map[string]any{"type": "MonetaryAmount", "currency": currency, "value": "150.00"},
					"location": map[string]any{"type": "Place", "name": "Rue des Lilas"},
					"tag":      []any{map[string]any{"type": "Hashtag", "name": "#Compost"}}}
			}
			offer := activity(g.b, "bob", "Offer", map[string]any{"target": g.association, "to": []string{g.association},
				"object": object("EUR")})
			deliver(t, g.b, "bob", g.a, "garden", offer, http.StatusAccepted)
			dollars := activity(g.b, "bob", "Offer", map[string]any{"target": g.association, "to": []string{g.association},
				"object": object("USD")})
			deliver(t, g.b, "bob", g.a, "garden", dollars, http.StatusAccepted)
			settle(t, g.a, g.b)

			list, _, err := g.a.Projects.Projects(ctx, "garden", uuid.Nil, 10)
			if err != nil || len(list) != 2 {
				t.Fatalf("garden's projects: %+v %v", list, err)
			}
			p := list[0] // newest first
			if p.Name != "Shared compost" || p.Holder != g.actor(g.b, "bob") || p.Status != projects.ProjectProposed ||
				p.Description != "Three bins.\n\nOne per season." || p.Licence != "CC-BY-SA-4.0" || p.Goal != 15000 ||
				p.Place != "Rue des Lilas" || len(p.Tags) != 1 || p.Tags[0] != "compost" || len(p.Checklist) != 1 {
				t.Fatalf("the project: %+v", p)
			}
			accept := inboxOf(t, g.b, "Accept", offer["id"].(string))
			if accept["result"] != g.a.Config.BaseURL()+"/projects/"+p.ID.String() {
				t.Fatalf("the Accept: %v", accept)
			}
			reject := inboxOf(t, g.b, "Reject", dollars["id"].(string))
			if reject["summary"] != "goal: the goal must be in the association's currency, EUR" {
				t.Fatalf("the Reject: %v", reject)
			}
			// Received again (a peer's retry under a new delivery): not twice.
			if _, err := g.a.Projects.ReceiveProjectOffer(ctx, projects.ProjectOffer{Activity: offer["id"].(string),
				Actor: g.actor(g.b, "bob"), For: g.actor(g.b, "bob"), Association: g.association}); err != nil {
				t.Fatal(err)
			}
			if list, _, _ := g.a.Projects.Projects(ctx, "garden", uuid.Nil, 10); len(list) != 2 {
				t.Fatalf("garden has %d projects", len(list))
			}
		})
	}
}

// Only a reviewer the task names reviews its work, never its completer:
// the reviews of someone not named and of the completer change nothing; a
// named reviewer on another instance verifies it, and the payout follows.
func TestRemoteWork_RemoteReviewers(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver, "bob", "carl")
			account(t, g.b, "dan")
			g.reserve(t, g.bob)
			sub, err := g.b.Projects.SubmitRemote(ctx, g.bob, g.remote, "Built.", nil)
			if err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b)
			checks := []any{
				map[string]any{"type": "CriterionCheck", "criterion": 0, "name": "Four beds of 2 m by 1 m", "satisfied": true},
				map[string]any{"type": "CriterionCheck", "criterion": 1, "name": "Photos of each bed", "satisfied": true},
			}
			review := func(by string) map[string]any {
				return activity(g.b, by, "Accept", map[string]any{"object": sub.URI, "result": checks, "to": []string{g.association}})
			}
			for _, by := range []string{"dan", "bob"} { // not named; the completer
				deliver(t, g.b, by, g.a, "garden", review(by), http.StatusAccepted)
			}
			settle(t, g.a, g.b)
			subs, _ := g.a.Projects.Submissions(ctx, g.task.ID)
			if len(subs) != 1 || subs[0].Status != projects.SubmissionPending || len(g.payouts(t)) != 0 {
				t.Fatalf("after the refused reviews: %+v, %d payouts", subs, len(g.payouts(t)))
			}
			if task := g.taskOnA(t); task.Status != projects.TaskSubmitted {
				t.Fatalf("the task is %s", task.Status)
			}

			deliver(t, g.b, "carl", g.a, "garden", review("carl"), http.StatusAccepted)
			settle(t, g.a, g.b)
			subs, _ = g.a.Projects.Submissions(ctx, g.task.ID)
			if subs[0].Status != projects.SubmissionAccepted || len(g.payouts(t)) != 1 {
				t.Fatalf("after carl's review: %+v, %d payouts", subs, len(g.payouts(t)))
			}
			if got, _ := g.b.Projects.HostedSubmission(ctx, sub.ID); got.Status != projects.SubmissionAccepted || got.Payout == nil {
				t.Fatalf("b has %+v", got)
			}
		})
	}
}

// A ledger is written only by its association's instance: a transaction
// another actor creates never reaches the association's ledger (nor its
// notes), one claiming the association's id is refused by the inbox, and
// a payout announced by anyone but the association is not taken on the
// professional's side, whose own ledger stays untouched.
func TestRemoteWork_TransactionsFromElsewhere(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			sub, err := g.b.Projects.SubmitRemote(ctx, g.bob, g.remote, "Done as a volunteer.", nil)
			if err != nil {
				t.Fatal(err)
			}
			settle(t, g.a, g.b)
			before := ledgerRows(t, g.a)
			transaction := func(in *webtest.Instance, by string) map[string]any {
				money := func(v string) map[string]any {
					return map[string]any{"type": "MonetaryAmount", "currency": "EUR", "value": v}
				}
				return map[string]any{"id": in.Config.BaseURL() + "/transactions/" + uuid.NewString(), "type": []string{"Transaction", "Page"},
					"attributedTo": in.Config.BaseURL() + "/actors/" + by, "kind": "payout", "amount": money("300.00"),
					"name": "Payout of 300.00 EUR", "summary": "Paid.", "cause": sub.URI, "to": []string{vocab.PublicAudience},
					"postings": []any{
						map[string]any{"type": "Posting", "ledgerAccount": g.remote.URI, "amount": money("-300.00")},
						map[string]any{"type": "Posting", "ledgerAccount": g.actor(g.b, "bob"), "amount": money("300.00")},
					}}
			}
			// bob writes himself a payout from garden's task, on his host…
			mine := transaction(g.b, "bob")
			deliver(t, g.b, "bob", g.a, "garden", activity(g.b, "bob", "Create", map[string]any{"object": mine,
				"to": []string{g.association}}), http.StatusAccepted)
			// … or under garden's own id.
			theirs := transaction(g.a, "garden")
			deliver(t, g.b, "bob", g.a, "garden", activity(g.b, "bob", "Create", map[string]any{"object": theirs,
				"to": []string{g.association}}), http.StatusForbidden)
			// ada, who is not the association, announces bob's payout on b.
			announced := transaction(g.a, "ada")
			deliver(t, g.a, "ada", g.b, "bob", activity(g.a, "ada", "Create", map[string]any{"object": announced,
				"to": []string{g.actor(g.b, "bob")}}), http.StatusAccepted)
			settle(t, g.a, g.b)

			if n := ledgerRows(t, g.a); n != before {
				t.Fatalf("a's ledger went from %d to %d transactions", before, n)
			}
			balance, _, _, err := g.a.Ledger.TaskFunding(ctx, g.a.DB.Tx, g.task.ID)
			if err != nil || balance != 30000 {
				t.Fatalf("the task's balance is %d (%v)", balance, err)
			}
			if _, err := g.a.DB.Notes().ByURI(ctx, mine["id"].(string)); err == nil {
				t.Fatal("a stored bob's transaction as a note")
			}
			if got, _ := g.b.Projects.HostedSubmission(ctx, sub.ID); got.Payout != nil {
				t.Fatalf("b took ada's payout: %+v", got.Payout)
			}
			if n := ledgerRows(t, g.b); n != 0 {
				t.Fatalf("b's ledger has %d transactions", n)
			}
		})
	}
}

// Only the association an Offer went to answers it: an Accept from anyone
// else leaves the reservation pending.
func TestRemoteWork_OnlyTheAssociationAnswers(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			g := newGarden(t, driver)
			r, err := g.b.Projects.OfferReservation(ctx, g.bob, g.remote, time.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			deliver(t, g.a, "ada", g.b, "bob", activity(g.a, "ada", "Accept", map[string]any{"object": r.Offer,
				"to": []string{g.actor(g.b, "bob")}}), http.StatusAccepted)
			if _, err := g.b.Federation.Processor.ProcessDue(ctx); err != nil {
				t.Fatal(err)
			}
			if r := g.reservationOnB(t, "bob"); r.Status != projects.ReservationPending {
				t.Fatalf("ada's Accept made it %s", r.Status)
			}
			settle(t, g.a, g.b)
			if r := g.reservationOnB(t, "bob"); r.Status != "active" {
				t.Fatalf("garden's Accept made it %s", r.Status)
			}
		})
	}
}
