package federation_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/vocab"
	"github.com/holon-network/holon/web/webtest"
)

// followedHere records the remote actor uri (with a key, so that it signs)
// and an accepted follow of it by the local person name.
func followedHere(t *testing.T, p *fixturePeer, name, uri string) {
	t.Helper()
	ctx := context.Background()
	p.localize("https://example.org/users/"+name, "person:"+name)
	p.actorOf(map[string]any{"actor": uri})
	me, err := p.in.DB.Actors().Local(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	them, err := p.in.DB.Actors().ByURI(ctx, uri)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if err := p.in.DB.Follows().Save(ctx, &store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: me.ID, FollowedID: them.ID,
		ActivityID: p.in.Config.BaseURL() + "/activities/" + uuid.Must(uuid.NewV7()).String(), State: "accepted",
		CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

// deliver posts doc to the shared inbox signed by its actor (recorded by
// the fixture peer) and processes it; it returns the processing state.
func (p *fixturePeer) deliver(doc map[string]any) string {
	p.t.Helper()
	actor, key := p.actorOf(doc)
	if status := postSignedWith(p.t, actor+"#main-key", key, p.in.URL+"/inbox", doc); status != http.StatusAccepted {
		p.t.Fatalf("%v of %v: %d", doc["type"], vocab.IDOf(doc["object"]), status)
	}
	return p.process(vocab.IDOf(doc["id"])).State
}

// wrap makes the activity kind of obj by actor.
func wrap(kind, actor string, obj any) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": strings.SplitN(actor, "/@", 2)[0] +
		"/activities/" + uuid.Must(uuid.NewV7()).String(), "type": kind, "actor": actor, "object": obj,
		"to": []string{"https://www.w3.org/ns/activitystreams#Public"}}
}

func keptEvent(t *testing.T, in *webtest.Instance, uri string) (agenda.RemoteEvent, bool) {
	t.Helper()
	e, err := in.Events.RemoteEventByURI(context.Background(), uri)
	if errors.Is(err, agenda.ErrNoSuchRemoteEvent) {
		return agenda.RemoteEvent{}, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return e, true
}

// Mobilizon's events, as its instances send them, are kept with their
// fields when a local person follows their group (or their organiser):
// the group's event sent by the person organising it, the 2019 launch
// party with its geo coordinates, and the Create of an event with an
// online link. Nobody following: nothing kept, nothing retried.
func TestEventCopies_MobilizonFixtures(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			in := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			p := newFixturePeer(t, in)
			const group = "https://rendezvous.nomagic.uk/@devon_caledonian_society"
			const person = "https://rendezvous.nomagic.uk/@emorrp1"

			// Nobody here follows the group: the Create is done with.
			event := fixtures.JSON(t, "mobilizon-event.json")
			if state := p.deliver(wrap("Create", person, event)); state != store.InboxDone {
				t.Fatalf("an event of a group nobody follows is %q", state)
			}
			if _, kept := keptEvent(t, in, vocab.IDOf(event["id"])); kept {
				t.Fatal("an event of a group nobody follows was kept")
			}

			followedHere(t, p, "bob", group)
			if state := p.deliver(wrap("Create", person, event)); state != store.InboxDone {
				t.Fatalf("the Create is %q", state)
			}
			e, kept := keptEvent(t, in, vocab.IDOf(event["id"]))
			if !kept {
				t.Fatal("the group's event was not kept")
			}
			lat, lon := 50.66881615, -3.537739788359949
			want := agenda.RemoteEvent{Association: group, AssociationHandle: "@devon_caledonian_society@rendezvous.nomagic.uk",
				Organiser: person, Name: "Caledonian scottish dance class", URL: vocab.IDOf(event["id"]),
				Start: time.Date(2022, 12, 11, 19, 0, 0, 0, time.UTC), End: time.Date(2022, 12, 11, 21, 0, 0, 0, time.UTC),
				Timezone: "Europe/London", Capacity: 0, Participants: 0, JoinMode: agenda.JoinFree, Status: agenda.StatusConfirmed,
				Category: "SPORTS", Tags: []string{"caledonian", "dance", "lesson"},
				Place: &agenda.Place{Name: "The Kenn Centre", StreetAddress: "Devon Expressway", Locality: "Teignbridge",
					PostalCode: "EX6 7TW", Region: "England", Country: "United Kingdom", Latitude: &lat, Longitude: &lon},
				Published: time.Date(2022, 9, 27, 14, 33, 14, 0, time.UTC), Updated: time.Date(2022, 9, 27, 14, 39, 18, 0, time.UTC)}
			same(t, e, want)
			if !strings.Contains(e.Description, "exeterceilidhs.net") || strings.Contains(e.Description, "ugc") {
				t.Errorf("description not sanitised as notes are: %s", e.Description)
			}

			// The 2019 launch party, organised by a person followed here,
			// with its coordinates under geo (as Mobilizon then wrote them).
			party := fixtures.JSON(t, "mobilizon-event-2019.json")
			followedHere(t, p, "carl", "https://mobilizon.org/@tcit")
			if state := p.deliver(wrap("Update", "https://mobilizon.org/@tcit", party)); state != store.InboxDone {
				t.Fatalf("the Update is %q", state)
			}
			e, kept = keptEvent(t, in, vocab.IDOf(party["id"]))
			if !kept {
				t.Fatal("the 2019 event was not kept")
			}
			if e.Place == nil || e.Place.Locality != "Nantes" || e.Place.StreetAddress != "" || e.Place.Latitude == nil ||
				*e.Place.Latitude != -1.54939699141711 || *e.Place.Longitude != 47.21617415 {
				t.Errorf("the 2019 place: %+v", e.Place)
			}
			if e.Category != "MEETING" || e.Timezone != "" || len(e.Tags) != 4 || e.Status != agenda.StatusConfirmed {
				t.Errorf("the 2019 event: %+v", e)
			}

			// The Create of an event with its online link as an attachment.
			p.actorOf(map[string]any{"actor": "https://mobilizon.fr/@metacartes"})
			followedHere(t, p, "dana", "https://mobilizon.fr/@metacartes")
			create := fixtures.JSON(t, "mobilizon-create-event.json")
			if state := p.deliver(create); state != store.InboxDone {
				t.Fatalf("the Create fixture is %q", state)
			}
			e, kept = keptEvent(t, in, "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93")
			if !kept {
				t.Fatal("the created event was not kept")
			}
			if e.OnlineLink != "https://google.com" || e.Place == nil || e.Place.Name != "Locaux de Framasoft" ||
				e.Category != "" || len(e.Tags) != 0 || e.End != e.Start {
				t.Errorf("the created event: %+v %+v", e, e.Place)
			}
		})
	}
}

// same compares the fields of a kept event that a fixture sets.
func same(t *testing.T, got, want agenda.RemoteEvent) {
	t.Helper()
	if got.ID == uuid.Nil {
		t.Error("no local id")
	}
	got.ID, got.URI, got.Description, got.Summary, got.AssociationName = uuid.Nil, "", "", "", ""
	if got.Place != nil && want.Place != nil {
		if *got.Place.Latitude != *want.Place.Latitude || *got.Place.Longitude != *want.Place.Longitude {
			t.Errorf("coordinates %v,%v, want %v,%v", *got.Place.Latitude, *got.Place.Longitude, *want.Place.Latitude, *want.Place.Longitude)
		}
		gp, wp := *got.Place, *want.Place
		gp.Latitude, gp.Longitude, wp.Latitude, wp.Longitude = nil, nil, nil, nil
		if gp != wp {
			t.Errorf("place %+v\nwant  %+v", gp, wp)
		}
		got.Place, want.Place = nil, nil
	}
	if !slices.Equal(got.Tags, want.Tags) {
		t.Errorf("tags %v, want %v", got.Tags, want.Tags)
	}
	got.Tags, want.Tags = nil, nil
	if !got.Start.Equal(want.Start) || !got.End.Equal(want.End) || !got.Published.Equal(want.Published) || !got.Updated.Equal(want.Updated) {
		t.Errorf("times %v–%v (%v, %v), want %v–%v (%v, %v)", got.Start, got.End, got.Published, got.Updated,
			want.Start, want.End, want.Published, want.Updated)
	}
	got.Start, got.End, got.Published, got.Updated = want.Start, want.End, want.Published, want.Updated
	if got.AssociationHandle != want.AssociationHandle {
		t.Logf("handle %q", got.AssociationHandle)
	}
	got.AssociationHandle = want.AssociationHandle
	if got.Association != want.Association || got.Organiser != want.Organiser || got.Name != want.Name || got.URL != want.URL ||
		got.Timezone != want.Timezone || got.Capacity != want.Capacity || got.Participants != want.Participants ||
		got.JoinMode != want.JoinMode || got.Status != want.Status || got.Category != want.Category || got.OnlineLink != want.OnlineLink {
		t.Errorf("kept %+v\nwant %+v", got, want)
	}
}

// An event's copy follows its origin: an older Update changes nothing, a
// newer one does, a cancellation keeps it cancelled, an Update or a Delete
// from anyone but its group or organiser is refused, and the group's
// Delete (of a Tombstone) forgets it.
func TestEventCopies_UpdatesAndDeletes(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			in := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			p := newFixturePeer(t, in)
			const group = "https://rendezvous.nomagic.uk/@devon_caledonian_society"
			const person = "https://rendezvous.nomagic.uk/@emorrp1"
			const other = "https://rendezvous.nomagic.uk/@someone_else"
			followedHere(t, p, "bob", group)
			event := fixtures.JSON(t, "mobilizon-event.json")
			uri := vocab.IDOf(event["id"])
			p.deliver(wrap("Create", person, event))
			version := func(name, updated, status string) map[string]any {
				e := fixtures.JSON(t, "mobilizon-event.json")
				e["name"], e["updated"], e["ical:status"] = name, updated, status
				return e
			}
			name := func() string {
				t.Helper()
				e, kept := keptEvent(t, in, uri)
				if !kept {
					t.Fatal("the copy is gone")
				}
				return e.Name + "/" + e.Status
			}

			steps := []struct {
				what string
				doc  map[string]any
				want string
			}{
				{"a newer Update by the group", wrap("Update", group, version("Dance class", "2022-10-01T10:00:00Z", "TENTATIVE")), "Dance class/tentative"},
				{"an older Update", wrap("Update", person, version("Old name", "2022-09-30T10:00:00Z", "CONFIRMED")), "Dance class/tentative"},
				{"an Update by another person of the host", wrap("Update", other, version("Hijacked", "2022-11-01T10:00:00Z", "CONFIRMED")), "Dance class/tentative"},
				{"a cancellation", wrap("Update", person, version("Dance class", "2022-10-02T10:00:00Z", "CANCELLED")), "Dance class/cancelled"},
				{"a Delete by another person", wrap("Delete", other, map[string]any{"type": "Tombstone", "id": uri}), "Dance class/cancelled"},
			}
			for _, s := range steps {
				if state := p.deliver(s.doc); state != store.InboxDone {
					t.Fatalf("%s: %q", s.what, state)
				}
				if got := name(); got != s.want {
					t.Fatalf("after %s: %s, want %s", s.what, got, s.want)
				}
			}
			if state := p.deliver(wrap("Delete", group, map[string]any{"type": "Tombstone", "id": uri})); state != store.InboxDone {
				t.Fatalf("the Delete: %q", state)
			}
			if _, kept := keptEvent(t, in, uri); kept {
				t.Fatal("the group's Delete left the copy")
			}
		})
	}
}
