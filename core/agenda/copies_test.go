package agenda_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/store"
)

const (
	partnerURI = "https://garden.example/actors/garden"
	eventURI   = "https://garden.example/events/e1"
)

// partner records garden.example's association and, when followed, an
// accepted follow of it by alice.
func (f *fixture) partner(t testing.TB, followed bool) {
	t.Helper()
	ctx := context.Background()
	f.remote(t, partnerURI, "garden")
	if !followed {
		return
	}
	g, err := f.db.Actors().ByURI(ctx, partnerURI)
	if err != nil {
		t.Fatal(err)
	}
	alice, err := f.db.Actors().Local(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	now := f.clock.Now()
	if err := f.db.Follows().Save(ctx, &store.Follow{ID: uuid.Must(uuid.NewV7()), FollowerID: alice.ID, FollowedID: g.ID,
		ActivityID: base + "/activities/follow-garden", State: "accepted", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
}

// partnerEvent is garden's event in a week, as its Event reads.
func (f *fixture) partnerEvent() agenda.RemoteEvent {
	lat, lon := 45.7676, 4.8344
	start := f.clock.Now().Add(7 * 24 * time.Hour).Truncate(time.Minute)
	return agenda.RemoteEvent{URI: eventURI, Association: partnerURI, Name: "Garden day", Summary: "Saturday in Lyon.",
		Description: "<p>Bring gloves.</p>", Start: start, End: start.Add(4 * time.Hour), Timezone: "Europe/Paris",
		Place:    &agenda.Place{Name: "Lot", Locality: "Lyon", Latitude: &lat, Longitude: &lon},
		Capacity: 2, JoinMode: "free", Status: "CONFIRMED", Category: "community", Tags: []string{"#Garden"},
		Published: f.clock.Now().Add(-time.Hour), Updated: f.clock.Now().Add(-time.Hour)}
}

// What a partner publishes is kept within the bounds of a local event:
// what breaks them is refused with the field it breaks; what only
// describes the event loosely (a long summary, many tags, an unknown zone
// or category) is made to fit. Only the association or its organiser, on
// the event's host, publishes it, and only a followed association's events
// are kept.
func TestCacheEvent_BoundsAndOwners(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.partner(t, true)
		f.remote(t, "https://garden.example/actors/eve", "eve")
		f.remote(t, "https://elsewhere.example/actors/club", "club")
		ctx := context.Background()
		many := make([]string, 40)
		for i := range many {
			many[i] = "tag" + strings.Repeat("x", i%26) + string(rune('a'+i%26))
		}
		cases := []struct {
			name   string
			from   string
			mutate func(*agenda.RemoteEvent)
			code   string // "" when kept
			check  func(t *testing.T, e agenda.RemoteEvent)
		}{
			{name: "no name", mutate: func(e *agenda.RemoteEvent) { e.Name = " " }, code: "required"},
			{name: "long name", mutate: func(e *agenda.RemoteEvent) { e.Name = strings.Repeat("n", agenda.MaxName+1) }, code: "too-long"},
			{name: "long description", mutate: func(e *agenda.RemoteEvent) {
				e.Description = strings.Repeat("d", agenda.MaxRemoteDescription+1)
			}, code: "too-long"},
			{name: "latitude off the globe", mutate: func(e *agenda.RemoteEvent) { v := 91.0; e.Place.Latitude = &v }, code: "out-of-range"},
			{name: "longitude alone", mutate: func(e *agenda.RemoteEvent) { e.Place.Latitude = nil }, code: "coordinates-incomplete"},
			{name: "no start", mutate: func(e *agenda.RemoteEvent) { e.Start = time.Time{} }, code: "required"},
			{name: "end before start", mutate: func(e *agenda.RemoteEvent) { e.End = e.Start.Add(-time.Hour) }, code: "end-before-start"},
			{name: "a year and more", mutate: func(e *agenda.RemoteEvent) { e.End = e.Start.Add(400 * 24 * time.Hour) }, code: "too-long-event"},
			{name: "negative capacity", mutate: func(e *agenda.RemoteEvent) { e.Capacity = -1 }, code: "out-of-range"},
			{name: "unknown status", mutate: func(e *agenda.RemoteEvent) { e.Status = "POSTPONED" }, code: "invalid-choice"},
			{name: "unknown join mode", mutate: func(e *agenda.RemoteEvent) { e.JoinMode = "lottery" }, code: "invalid-choice"},
			{name: "script link", mutate: func(e *agenda.RemoteEvent) { e.OnlineLink = "javascript:alert(1)" }, code: "not-a-url"},
			{name: "no publication date", mutate: func(e *agenda.RemoteEvent) { e.Published = time.Time{} }, code: "required"},
			{name: "another host's association", mutate: func(e *agenda.RemoteEvent) {
				e.Association = "https://elsewhere.example/actors/club"
			}, from: "https://elsewhere.example/actors/club", code: "not-event-owner"},
			{name: "a person of the host who is not its organiser", from: "https://garden.example/actors/eve", code: "not-event-owner"},
			{name: "an association nobody follows", mutate: func(e *agenda.RemoteEvent) {
				e.URI, e.Association = "https://elsewhere.example/events/e2", "https://elsewhere.example/actors/club"
			}, from: "https://elsewhere.example/actors/club", code: "not-partner-event"},
			{name: "loose fields made to fit", mutate: func(e *agenda.RemoteEvent) {
				e.Summary, e.Tags, e.Timezone, e.Category, e.JoinMode = strings.Repeat("s", 900), many, "Mars/Olympus", "picnic", "restricted"
			}, check: func(t *testing.T, e agenda.RemoteEvent) {
				if len([]rune(e.Summary)) != agenda.MaxSummary || len(e.Tags) != agenda.MaxTags || e.Timezone != "" || e.Category != "" ||
					e.JoinMode != agenda.JoinApproval {
					t.Errorf("kept %q (%d), %v, %q, %q, %q", e.Summary[:10], len([]rune(e.Summary)), e.Tags, e.Timezone, e.Category, e.JoinMode)
				}
			}},
			{name: "as published", check: func(t *testing.T, e agenda.RemoteEvent) {
				if e.Name != "Garden day" || e.Status != agenda.StatusConfirmed || e.Category != "COMMUNITY" || e.Capacity != 2 ||
					len(e.Tags) != 1 || e.Tags[0] != "garden" || e.Organiser != partnerURI || e.URL != e.URI ||
					e.AssociationHandle != "garden@garden.example" {
					t.Errorf("kept %+v", e)
				}
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e := f.partnerEvent()
				e.URI = eventURI + "-" + strings.ReplaceAll(c.name, " ", "-")
				if c.mutate != nil {
					c.mutate(&e)
				}
				from := c.from
				if from == "" {
					from = partnerURI
				}
				got, err := f.svc.CacheEvent(ctx, from, e)
				if c.code != "" {
					wantCode(t, err, c.code)
					if _, err := f.svc.RemoteEventByURI(ctx, e.URI); !errors.Is(err, agenda.ErrNoSuchRemoteEvent) {
						t.Fatalf("a refused event was kept: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				kept, err := f.svc.RemoteEventByURI(ctx, e.URI)
				if err != nil || kept.ID != got.ID {
					t.Fatalf("kept %v, %v", kept, err)
				}
				c.check(t, kept)
			})
		}
		// A person of the host cannot take a kept event over by saying
		// they organise it.
		e := f.partnerEvent()
		e.URI, e.Name, e.Organiser, e.Updated = eventURI+"-as-published", "Hijacked", "https://garden.example/actors/eve", e.Updated.Add(time.Hour)
		_, err := f.svc.CacheEvent(ctx, e.Organiser, e)
		wantCode(t, err, "not-event-owner")
		if kept, err := f.svc.RemoteEventByURI(ctx, e.URI); err != nil || kept.Name != "Garden day" {
			t.Fatalf("after the hijack: %+v, %v", kept, err)
		}
	})
}

// A person here asks to take part in a partner's event: pending, one Join
// whatever the number of clicks; an answer from anyone but the event's
// association is refused; the Accept makes them a participant (and the
// copy counts them); the Leave forgets it. Once the association is no
// longer followed, its Updates are still kept for the event someone here
// takes part in. A cancelled event and one that is over are refused.
func TestJoinRemote_Flow(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.partner(t, true)
		e, err := f.svc.CacheEvent(ctx, partnerURI, f.partnerEvent())
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.JoinRemote(ctx, f.bob, e.ID)
		if err != nil || p.State != agenda.StatePending || p.Event != eventURI {
			t.Fatalf("join: %+v, %v", p, err)
		}
		again, err := f.svc.JoinRemote(ctx, f.bob, e.ID)
		if err != nil || again.ID != p.ID {
			t.Fatalf("join again: %+v, %v", again, err)
		}
		if got := f.pub.types(); len(got) != 1 || got[0] != "Join" || f.pub.got[0].Participation.JoinActivity != p.JoinActivity ||
			f.pub.got[0].Remote.URI != eventURI || f.pub.got[0].Participation.Actor != base+"/actors/bob" {
			t.Fatalf("published %v", got)
		}
		for _, signer := range []string{"https://garden.example/actors/eve", "https://elsewhere.example/actors/garden"} {
			if err := f.svc.ReceiveJoinAnswer(ctx, signer, p.JoinActivity, true, ""); !errors.Is(err, agenda.ErrAnswerNotFromOrganiser) {
				t.Fatalf("an Accept by %s: %v", signer, err)
			}
		}
		if err := f.svc.ReceiveJoinAnswer(ctx, partnerURI, base+"/activities/unknown", true, ""); !errors.Is(err, agenda.ErrNotOurJoin) {
			t.Fatalf("an Accept of another Join: %v", err)
		}
		if err := f.svc.ReceiveJoinAnswer(ctx, partnerURI, p.JoinActivity, true, ""); err != nil {
			t.Fatal(err)
		}
		if mine, err := f.svc.RemoteParticipation(ctx, f.bob, e.ID); err != nil || mine.State != agenda.StateParticipant {
			t.Fatalf("after the Accept: %+v, %v", mine, err)
		}
		if kept, _ := f.svc.RemoteEvent(ctx, e.ID); kept.Participants != 1 {
			t.Fatalf("the copy counts %d participants", kept.Participants)
		}

		// Nobody follows garden any more: bob's event still follows its
		// origin.
		g, _ := f.db.Actors().ByURI(ctx, partnerURI)
		alice, _ := f.db.Actors().Local(ctx, "alice")
		if err := f.db.Follows().Delete(ctx, alice.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		changed := f.partnerEvent()
		changed.Name, changed.Updated = "Garden day (moved)", f.clock.Now()
		if kept, err := f.svc.CacheEvent(ctx, partnerURI, changed); err != nil || kept.Name != "Garden day (moved)" {
			t.Fatalf("an Update of an event bob takes part in: %+v, %v", kept, err)
		}

		if err := f.svc.LeaveRemote(ctx, f.bob, e.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.pub.types(); len(got) != 2 || got[1] != "Leave" {
			t.Fatalf("published %v", got)
		}
		if _, err := f.svc.RemoteParticipation(ctx, f.bob, e.ID); !errors.Is(err, agenda.ErrNoRemoteParticipation) {
			t.Fatalf("after leaving: %v", err)
		}
		changed.Name, changed.Updated = "Garden day (again)", f.clock.Now().Add(time.Minute)
		if _, err := f.svc.CacheEvent(ctx, partnerURI, changed); !errors.Is(err, agenda.ErrNotPartnerEvent) {
			t.Fatalf("an Update nobody here cares for: %v", err)
		}

		cancelled := changed
		cancelled.Status, cancelled.Updated = "CANCELLED", f.clock.Now().Add(2*time.Minute)
		f.partner(t, true)
		if _, err := f.svc.CacheEvent(ctx, partnerURI, cancelled); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.JoinRemote(ctx, f.carol, e.ID); !errors.Is(err, agenda.ErrRemoteEventCancelled) {
			t.Fatalf("joining a cancelled event: %v", err)
		}
		over := cancelled
		over.Status, over.Updated = "CONFIRMED", f.clock.Now().Add(3*time.Minute)
		if _, err := f.svc.CacheEvent(ctx, partnerURI, over); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(30 * 24 * time.Hour)
		if _, err := f.svc.JoinRemote(ctx, f.carol, e.ID); !errors.Is(err, agenda.ErrRemoteEventOver) {
			t.Fatalf("joining an event that is over: %v", err)
		}
	})
}

// An event a person here asks for by its address is kept although nobody
// here follows its association, so that they can join it from here; the
// same event pushed by its association is not.
func TestCacheAskedEvent_KeptWithoutPartnership(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.partner(t, false)
		if _, err := f.svc.CacheEvent(ctx, partnerURI, f.partnerEvent()); !errors.Is(err, agenda.ErrNotPartnerEvent) {
			t.Fatalf("an event of an association nobody follows, pushed: %v", err)
		}
		e, err := f.svc.CacheAskedEvent(ctx, partnerURI, f.partnerEvent())
		if err != nil || e.URI != eventURI {
			t.Fatalf("the event asked for: %+v, %v", e, err)
		}
		if _, err := f.svc.CacheAskedEvent(ctx, "https://elsewhere.example/actors/garden", f.partnerEvent()); !errors.Is(err, agenda.ErrNotEventOwner) {
			t.Fatalf("the event from another host: %v", err)
		}
		if p, err := f.svc.JoinRemote(ctx, f.bob, e.ID); err != nil || p.State != agenda.StatePending {
			t.Fatalf("join: %+v, %v", p, err)
		}
	})
}
