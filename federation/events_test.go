package federation_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

// newEvent has ada's garden on a hold an event starting tomorrow.
func newEvent(t *testing.T, in *webtest.Instance, ada membership.Account, name string, capacity int, mode string) agenda.Event {
	t.Helper()
	s := func(v string) *string { return &v }
	start := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Minute)
	e, err := in.Events.Create(context.Background(), ada, "garden", agenda.EventInput{Name: s(name),
		Description: s("Bring gloves."), Start: s(start.Format(time.RFC3339)), End: s(start.Add(4 * time.Hour).Format(time.RFC3339)),
		Timezone: s("Europe/Paris"), Place: &agenda.PlaceInput{Name: "Lot behind the school", Locality: "Lyon"},
		Capacity: &capacity, JoinMode: s(mode)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// People on another Holon instance take part in the garden's events with
// Join and Leave (docs/vocabulary.md §5.11): a free event accepts at once
// and counts exactly; a full one waitlists, and accepts the first waiting
// when a place frees up; an approval-mode one waits for the board; a
// cancelled one rejects, saying why. The event's id answers with its
// Event, and its cancellation goes to its participants elsewhere.
func TestEvents_JoinLeaveBetweenInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			ada, _ := account(t, a, "ada")
			_, bobToken := account(t, b, "bob")
			account(t, b, "carl")
			if _, err := a.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			follows(t, b, bobToken, a, "garden")
			gardenInbox := a.Config.BaseURL() + "/actors/garden/inbox"
			send := func(who, kind, object string) string {
				t.Helper()
				actor := b.Config.BaseURL() + "/actors/" + who
				id := b.Config.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String()
				doc := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": kind,
					"actor": actor, "object": object, "to": []string{a.Config.BaseURL() + "/actors/garden"}}
				if status := signedPost(t, b, who, gardenInbox, doc); status != http.StatusAccepted && status != http.StatusOK {
					t.Fatalf("%s of %s by %s: %d", kind, object, who, status)
				}
				settle(t, a, b)
				return id
			}
			count := func(e agenda.Event) agenda.Event {
				t.Helper()
				got, err := a.Events.Event(ctx, nil, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}

			small := newEvent(t, a, ada, "Garden day", 1, agenda.JoinFree)
			settle(t, a, b)
			created := publishedAbout(t, a, small.URI)
			if len(created) != 1 || created[0]["type"] != "Create" {
				t.Fatalf("the event's publications: %v", created)
			}
			if got := receivedBy(t, b, vocab.IDOf(created[0]["id"])); got["type"] != "Create" {
				t.Fatalf("the follower's instance received %v", got)
			}
			status, doc := getJSON(t, small.URI)
			if status != 200 || doc["type"] != "Event" || doc["joinMode"] != "free" || doc["remainingAttendeeCapacity"] != float64(1) {
				t.Fatalf("the event's id answers %d %v", status, doc)
			}

			bobJoin := send("bob", "Join", small.URI)
			if e := count(small); e.Participants != 1 || e.Waitlisted != 0 {
				t.Fatalf("after bob's Join: %d participants, %d waiting", e.Participants, e.Waitlisted)
			}
			if accept := inboxOf(t, b, "Accept", bobJoin); accept["actor"] != a.Config.BaseURL()+"/actors/garden" {
				t.Fatalf("the Accept: %v", accept)
			}
			carlJoin := send("carl", "Join", small.URI)
			if e := count(small); e.Participants != 1 || e.Waitlisted != 1 {
				t.Fatalf("after carl's Join of a full event: %d participants, %d waiting", e.Participants, e.Waitlisted)
			}
			send("bob", "Leave", small.URI)
			if e := count(small); e.Participants != 1 || e.Waitlisted != 0 {
				t.Fatalf("after bob's Leave: %d participants, %d waiting", e.Participants, e.Waitlisted)
			}
			inboxOf(t, b, "Accept", carlJoin) // the place freed went to carl

			approval := newEvent(t, a, ada, "Board meeting", 0, agenda.JoinApproval)
			pending := send("bob", "Join", approval.URI)
			if e := count(approval); e.Participants != 0 || e.Pending != 1 {
				t.Fatalf("after a Join of an approval event: %d participants, %d pending", e.Participants, e.Pending)
			}
			if _, err := a.Events.Approve(ctx, ada, approval.ID, "bob@"+b.Config.Server.Host); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			inboxOf(t, b, "Accept", pending)

			if _, err := a.Events.Cancel(ctx, ada, small.ID); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			var cancelled map[string]any
			for _, u := range publishedAbout(t, a, small.URI) {
				if obj, _ := u["object"].(map[string]any); u["type"] == "Update" && obj["status"] == "CANCELLED" {
					cancelled = u
				}
			}
			if cancelled == nil {
				t.Fatal("no Update of the cancelled event was sent")
			}
			// carl, a participant, hears of it (and so does bob, a follower).
			if cc, _ := cancelled["cc"].([]any); len(cc) != 2 || cc[1] != b.Config.BaseURL()+"/actors/carl" {
				t.Fatalf("the cancellation is addressed to %v", cancelled["cc"])
			}
			receivedBy(t, b, vocab.IDOf(cancelled["id"]))
			late := send("bob", "Join", small.URI)
			reject := inboxOf(t, b, "Reject", late)
			if reject["summary"] == nil || reject["summary"] == "" {
				t.Fatalf("a Reject without a reason: %v", reject)
			}
			if e := count(small); e.Participants != 1 {
				t.Fatalf("the cancelled event counts %d participants", e.Participants)
			}
		})
	}
}

// Mobilizon's Join and Leave of an event (its own fixtures, the event
// rewritten to one here) are taken: the Join counts and is answered with
// an Accept naming it, the Leave ends the participation. A Join signed by
// one actor for another is refused, and an Undo of the signer's Join is a
// Leave.
func TestEvents_MobilizonJoinLeave(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			in := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			ada, _ := account(t, in, "ada")
			if _, err := in.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			e := newEvent(t, in, ada, "Garden day", 10, agenda.JoinFree)
			p := newFixturePeer(t, in)
			p.local["http://mobilizon.test/events/some-uuid"] = e.URI
			const join = "http://mobilizon2.test/@admin/join/event/1"
			participants := func() int {
				t.Helper()
				got, err := in.Events.Event(ctx, nil, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got.Participants
			}

			if status := p.send("mobilizon-join.json"); status != http.StatusAccepted {
				t.Fatalf("the Join: %d", status)
			}
			if a := p.process(join); a.State != "done" || participants() != 1 {
				t.Fatalf("the Join is %q, %d participants", a.State, participants())
			}
			answers := publishedAbout(t, in, join)
			if len(answers) != 1 || answers[0]["type"] != "Accept" || answers[0]["actor"] != in.Config.BaseURL()+"/actors/garden" {
				t.Fatalf("the answers to the Join: %v", answers)
			}

			// Mobilizon gives its Leave the Join's id: a new one here.
			p.local[join] = "http://mobilizon2.test/@admin/leave/event/1"
			if status := p.send("mobilizon-leave.json"); status != http.StatusAccepted {
				t.Fatalf("the Leave: %d", status)
			}
			p.process("http://mobilizon2.test/@admin/leave/event/1")
			if n := participants(); n != 0 {
				t.Fatalf("after the Leave: %d participants", n)
			}

			// The same actor joins again, then undoes its Join.
			id := "http://mobilizon2.test/@admin/join/event/2"
			signed := func(doc map[string]any) {
				t.Helper()
				actor, key := p.actorOf(doc)
				status := postSignedWith(t, actor+"#main-key", key, in.URL+"/inbox", doc)
				if status != http.StatusAccepted {
					t.Fatalf("%v: %d", doc["type"], status)
				}
				p.process(vocab.IDOf(doc["id"]))
			}
			again := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Join",
				"actor": "http://mobilizon2.test/@admin", "object": e.URI}
			signed(again)
			if n := participants(); n != 1 {
				t.Fatalf("after the second Join: %d participants", n)
			}
			// Someone else's Undo of that Join changes nothing.
			signed(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": "http://mobilizon2.test/@other/undo/1",
				"type": "Undo", "actor": "http://mobilizon2.test/@other", "object": again})
			if n := participants(); n != 1 {
				t.Fatalf("another's Undo: %d participants", n)
			}
			signed(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": "http://mobilizon2.test/@admin/undo/1",
				"type": "Undo", "actor": "http://mobilizon2.test/@admin", "object": again})
			if n := participants(); n != 0 {
				t.Fatalf("after the Undo: %d participants", n)
			}
		})
	}
}
