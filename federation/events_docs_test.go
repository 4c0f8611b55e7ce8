package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

var goldenEvent = uuid.MustParse("0195551e-0000-7000-8000-000000000005")

// gardenDay is the garden's event of docs/vocabulary.md §4.5.
func gardenDay(association uuid.UUID) agenda.Event {
	paris, _ := time.LoadLocation("Europe/Paris")
	lat, long := 45.7676, 4.8344
	return agenda.Event{ID: goldenEvent, AssociationID: association, Association: "garden",
		URI: goldenBase + "/events/" + goldenEvent.String(), Organiser: goldenBase + "/actors/alice", Name: "Garden day",
		Description: "Bring gloves; we plant the first beds.",
		Start:       time.Date(2025, 4, 12, 14, 0, 0, 0, paris).UTC(), End: time.Date(2025, 4, 12, 18, 0, 0, 0, paris).UTC(),
		Timezone: "Europe/Paris", Place: &agenda.Place{Name: "Lot behind the school", StreetAddress: "3 rue des Lilas",
			Locality: "Lyon", PostalCode: "69001", Country: "FR", Latitude: &lat, Longitude: &long},
		OnlineLink: "https://meet.example/garden-day", Capacity: 30, JoinMode: agenda.JoinFree,
		Status: agenda.StatusConfirmed, Category: "COMMUNITY", Tags: []string{"garden"}, Participants: 12,
		CreatedAt: goldenAt, UpdatedAt: goldenAt}
}

// An event's document is docs/vocabulary.md's, the same on both databases;
// Mastodon shows its name, its summary line (date, time, zone, place,
// places left) and its link; Mobilizon reads its join mode, status and
// counts in every state.
func TestEventDocuments_Golden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p, _ := goldenWorld(t, db)
		d := objectDocs{baseURL: goldenBase}
		day := gardenDay(p.AssociationID)
		full := day
		full.Participants, full.Waitlisted, full.JoinMode = 30, 2, agenda.JoinApproval
		cancelled := day
		cancelled.Status, cancelled.UpdatedAt = agenda.StatusCancelled, goldenAt.Add(time.Hour)
		online := day
		online.Place, online.Capacity, online.Status = nil, 0, agenda.StatusTentative
		online.End = online.Start.Add(26 * time.Hour)
		cases := []struct {
			name, example, summary, joinMode, status string
			remaining                                any
		}{
			{"event", "event", "Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot behind the school, Lyon. 18 places left.",
				"free", "CONFIRMED", float64(18)},
			{"event-full", "", "Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot behind the school, Lyon. Full; a waiting list is open. Participation on approval.",
				"restricted", "CONFIRMED", float64(0)},
			{"event-cancelled", "", "Cancelled: Saturday 12 April 2025, 14:00 to 18:00 (Europe/Paris), Lot behind the school, Lyon.",
				"free", "CANCELLED", float64(18)},
			{"event-fr", "", "samedi 12 avril 2025, 14\u00a0h\u00a000 à 18\u00a0h\u00a000 (Europe/Paris), Lot behind the school, Lyon. 18 places restantes.",
				"free", "CONFIRMED", float64(18)},
			{"event-online", "", "To be confirmed: Saturday 12 April 2025, 14:00 to Sunday 13 April 2025, 16:00 (Europe/Paris), online.",
				"free", "TENTATIVE", nil},
		}
		events := map[string]agenda.Event{"event": day, "event-fr": day, "event-full": full, "event-cancelled": cancelled, "event-online": online}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				docs := d
				if c.name == "event-fr" {
					docs.locale = "fr"
				}
				doc, err := docs.event(ctx, db.Tx, events[c.name])
				if err != nil {
					t.Fatal(err)
				}
				m, err := doc.document()
				if err != nil {
					t.Fatal(err)
				}
				delete(m, "@context")
				got := golden(t, c.name, m)
				var e map[string]any
				if err := json.Unmarshal(got, &e); err != nil {
					t.Fatal(err)
				}
				if c.example != "" {
					sameAsExample(t, e, c.example)
				}
				mobilizonReads(t, e)
				if e["type"] != "Event" || e["summary"] != c.summary || e["url"] != e["id"] || e["name"] != "Garden day" {
					t.Fatalf("Mastodon shows %v / %q / %v", e["name"], e["summary"], e["url"])
				}
				if e["joinMode"] != c.joinMode || e["status"] != c.status || e["ical:status"] != c.status ||
					e["remainingAttendeeCapacity"] != c.remaining {
					t.Fatalf("joinMode %v status %v ical:status %v remaining %v", e["joinMode"], e["status"], e["ical:status"],
						e["remainingAttendeeCapacity"])
				}
				if e["attributedTo"] != goldenBase+"/actors/garden" || e["timezone"] != "Europe/Paris" {
					t.Fatalf("attributedTo %v timezone %v", e["attributedTo"], e["timezone"])
				}
			})
		}
	})
}

// mobilizonReads checks that the terms an event shares with Mobilizon's own
// Event (mobilizon-event.json) are written as Mobilizon writes them: the
// same JSON kinds, the place a Place with a PostalAddress.
func mobilizonReads(t *testing.T, e map[string]any) {
	t.Helper()
	ref := fixtures.JSON(t, "mobilizon-event.json")
	for k, rv := range ref {
		gv, ok := e[k]
		if !ok || rv == nil || k == "@context" || k == "tag" {
			continue
		}
		if fmt.Sprintf("%T", gv) != fmt.Sprintf("%T", rv) {
			t.Errorf("%s is %T, Mobilizon's %T", k, gv, rv)
		}
	}
	if loc, ok := e["location"].(map[string]any); ok {
		ml := ref["location"].(map[string]any)
		if loc["type"] != ml["type"] || loc["address"].(map[string]any)["type"] != ml["address"].(map[string]any)["type"] {
			t.Errorf("location %v, Mobilizon's %v", loc, ml)
		}
	}
}
