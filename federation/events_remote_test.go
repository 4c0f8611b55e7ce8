package federation_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// Instance B keeps the events of the garden, on instance A, that bob
// follows, and its people join them (docs/vocabulary.md §5.11): bob's
// Join is answered by A's Accept and counted there exactly; a full event
// waitlists carl until bob leaves; A's changes and cancellation reach the
// copy; an approval event's Reject comes back with its reason. An Accept
// signed by another instance, or by a person of A who is not the garden,
// and an Update of the garden's event by such a person, are refused.
func TestEventCopies_BetweenInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			c := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			ada, _ := account(t, a, "ada")
			account(t, a, "eve")
			_, bobToken := account(t, b, "bob")
			_, carlToken := account(t, b, "carl")
			account(t, c, "mallory")
			if _, err := a.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			follows(t, b, bobToken, a, "garden")
			garden := a.Config.BaseURL() + "/actors/garden"

			small := newEvent(t, a, ada, "Garden day", 1, agenda.JoinFree)
			settle(t, a, b)
			kept, ok := keptEvent(t, b, small.URI)
			if !ok {
				t.Fatal("B did not keep the garden's event")
			}
			if kept.Name != "Garden day" || kept.Association != garden || kept.Organiser != garden || kept.Capacity != 1 ||
				kept.Timezone != "Europe/Paris" || kept.Place == nil || kept.Place.Locality != "Lyon" || !kept.Start.Equal(small.Start) ||
				kept.JoinMode != agenda.JoinFree || kept.Status != agenda.StatusConfirmed || kept.AssociationHandle != "garden@"+a.Config.Server.Host {
				t.Fatalf("B's copy: %+v", kept)
			}
			path := "/events/" + kept.ID.String()
			state := func(token string) string {
				t.Helper()
				status, doc := api(t, b, token, "GET", path, nil)
				if status != http.StatusOK || doc["remote"] != true || doc["url"] != doc["uri"] || doc["url"] == nil {
					t.Fatalf("GET %s: %d %v", path, status, doc)
				}
				mine, _ := doc["my_participation"].(map[string]any)
				if mine == nil {
					return "none"
				}
				if r, _ := mine["reason"].(string); r != "" {
					return mine["state"].(string) + ": " + r
				}
				return mine["state"].(string)
			}
			count := func(e agenda.Event) agenda.Event {
				t.Helper()
				got, err := a.Events.Event(ctx, nil, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			joins := func(uri string) int {
				t.Helper()
				n := 0
				for _, d := range publishedAbout(t, b, uri) {
					if d["type"] == "Join" {
						n++
					}
				}
				return n
			}

			// bob joins: pending until A answers, then a participant.
			status, p := api(t, b, bobToken, "POST", path+"/participation", nil)
			if status != http.StatusAccepted || p["state"] != agenda.StatePending {
				t.Fatalf("bob's participation: %d %v", status, p)
			}
			again, p2 := api(t, b, bobToken, "POST", path+"/participation", nil)
			if again != http.StatusAccepted || p2["id"] != p["id"] || joins(small.URI) != 1 {
				t.Fatalf("bob's second participation: %d %v, %d Joins", again, p2, joins(small.URI))
			}
			// The Join is shaped as Mobilizon's (mobilizon-join.json): the
			// person, the event's id, to its organiser.
			for _, d := range publishedAbout(t, b, small.URI) {
				if d["type"] == "Join" && (d["actor"] != b.Config.BaseURL()+"/actors/bob" || len(d["to"].([]any)) != 1 ||
					d["to"].([]any)[0] != garden || d["id"] == nil || d["@context"] == nil) {
					t.Fatalf("the Join: %v", d)
				}
			}
			settle(t, a, b)
			if e := count(small); e.Participants != 1 || e.Waitlisted != 0 {
				t.Fatalf("A counts %d participants, %d waiting", e.Participants, e.Waitlisted)
			}
			if got := state(bobToken); got != agenda.StateParticipant {
				t.Fatalf("bob's state after A's Accept: %s", got)
			}

			// The event is full: carl waits, and gets bob's place.
			if status, p := api(t, b, carlToken, "POST", path+"/participation", nil); status != http.StatusAccepted || p["state"] != agenda.StateWaitlisted {
				t.Fatalf("carl's participation in a full event: %d %v", status, p)
			}
			settle(t, a, b)
			if e := count(small); e.Participants != 1 || e.Waitlisted != 1 {
				t.Fatalf("A counts %d participants, %d waiting", e.Participants, e.Waitlisted)
			}
			if status, _ := api(t, b, bobToken, "DELETE", path+"/participation", nil); status != http.StatusNoContent {
				t.Fatalf("bob leaves: %d", status)
			}
			settle(t, a, b)
			if e := count(small); e.Participants != 1 || e.Waitlisted != 0 {
				t.Fatalf("after bob left, A counts %d participants, %d waiting", e.Participants, e.Waitlisted)
			}
			if got, mine := state(carlToken), state(bobToken); got != agenda.StateParticipant || mine != "none" {
				t.Fatalf("after bob left: carl %s, bob %s", got, mine)
			}

			// A changes the event: the copy follows.
			s := func(v string) *string { return &v }
			if _, err := a.Events.Update(ctx, ada, small.ID, agenda.EventInput{Name: s("Garden day, second edition")}); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if e, _ := keptEvent(t, b, small.URI); e.Name != "Garden day, second edition" {
				t.Fatalf("the copy after A's Update: %q", e.Name)
			}

			// eve, of A but not the garden, cannot change its event.
			forged := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Update",
				"id": a.Config.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String(), "actor": a.Config.BaseURL() + "/actors/eve",
				"object": map[string]any{"type": "Event", "id": small.URI, "name": "Hijacked", "attributedTo": a.Config.BaseURL() + "/actors/eve",
					"startTime": "2030-01-01T10:00:00Z", "endTime": "2030-01-01T12:00:00Z", "published": "2026-01-01T00:00:00Z",
					"updated": "2031-01-01T00:00:00Z"}}
			if status := signedPost(t, a, "eve", b.Config.BaseURL()+"/inbox", forged); status != http.StatusAccepted {
				t.Fatalf("eve's Update: %d", status)
			}
			settle(t, a, b)
			forged["object"].(map[string]any)["attributedTo"] = garden
			forged["id"] = a.Config.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String()
			signedPost(t, a, "eve", b.Config.BaseURL()+"/inbox", forged)
			settle(t, a, b)
			if e, _ := keptEvent(t, b, small.URI); e.Name != "Garden day, second edition" {
				t.Fatalf("an Update by eve changed the copy: %q", e.Name)
			}

			// An approval event: A's board declines bob, and says why.
			// Accepts signed by another instance's actor or by eve change
			// nothing.
			approval := newEvent(t, a, ada, "Board meeting", 0, agenda.JoinApproval)
			settle(t, a, b)
			kept, ok = keptEvent(t, b, approval.URI)
			if !ok || kept.JoinMode != agenda.JoinApproval {
				t.Fatalf("the approval event's copy: %+v", kept)
			}
			path = "/events/" + kept.ID.String()
			if status, _ := api(t, b, bobToken, "POST", path+"/participation", nil); status != http.StatusAccepted {
				t.Fatalf("bob asks: %d", status)
			}
			settle(t, a, b)
			mine, err := b.Events.RemoteParticipation(ctx, existing(t, b, "bob"), kept.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, who := range []struct {
				in   *webtest.Instance
				name string
			}{{c, "mallory"}, {a, "eve"}} {
				accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "type": "Accept",
					"id":    who.in.Config.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String(),
					"actor": who.in.Config.BaseURL() + "/actors/" + who.name, "object": mine.JoinActivity}
				if status := signedPost(t, who.in, who.name, b.Config.BaseURL()+"/inbox", accept); status != http.StatusAccepted {
					t.Fatalf("%s's Accept: %d", who.name, status)
				}
				settle(t, a, b, c)
				if got := state(bobToken); got != agenda.StatePending {
					t.Fatalf("after %s's forged Accept, bob is %s", who.name, got)
				}
			}
			if e := count(approval); e.Pending != 1 {
				t.Fatalf("A has %d pending", e.Pending)
			}
			if _, err := a.Events.Reject(ctx, ada, approval.ID, "bob@"+b.Config.Server.Host); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			if got := state(bobToken); got != "rejected: the organisers declined the participation" {
				t.Fatalf("after A's Reject, bob is %q", got)
			}

			// A cancels: the copy stays, cancelled, and nobody joins it.
			if _, err := a.Events.Cancel(ctx, ada, small.ID); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			kept, ok = keptEvent(t, b, small.URI)
			if !ok || kept.Status != agenda.StatusCancelled {
				t.Fatalf("the copy after A's cancellation: %v %+v", ok, kept)
			}
			status, problem := api(t, b, bobToken, "POST", "/events/"+kept.ID.String()+"/participation", nil)
			if status != http.StatusConflict || problem["detail"] != agenda.ErrRemoteEventCancelled.Detail {
				t.Fatalf("joining a cancelled copy: %d %v", status, problem)
			}

			// /resolve finds a kept event by its id, and fetches one that
			// is not kept (yet) from its origin.
			q := "/resolve?q=" + url.QueryEscape(small.URI)
			if status, doc := api(t, b, bobToken, "GET", q, nil); status != http.StatusOK || doc["id"] != kept.ID.String() {
				t.Fatalf("resolve %s: %d %v", small.URI, status, doc)
			}
			if err := b.DB.InTx(ctx, func(tx store.Tx) error { return tx.RemoteEvents().Delete(ctx, approval.URI) }); err != nil {
				t.Fatal(err)
			}
			q = "/resolve?q=" + url.QueryEscape(approval.URI)
			status, doc := api(t, b, bobToken, "GET", q, nil)
			if status != http.StatusOK || doc["remote"] != true || doc["name"] != "Board meeting" || doc["my_participation"] != nil {
				t.Fatalf("resolve %s: %d %v", approval.URI, status, doc)
			}
		})
	}
}
