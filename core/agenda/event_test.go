package agenda_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/store"
)

func TestCreate_KeepsTheEventAsGiven(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.event(t, nil)
		want := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC) // 14:00 in Paris, in winter
		if !e.Start.Equal(want) || !e.End.Equal(want.Add(4*time.Hour)) || e.Timezone != "Europe/Paris" {
			t.Fatalf("times: %v to %v in %s", e.Start, e.End, e.Timezone)
		}
		if e.Organiser != base+"/actors/commons" || e.CreatedBy != base+"/actors/alice" || e.URI != base+"/events/"+e.ID.String() {
			t.Fatalf("who and where: %+v", e)
		}
		if e.Place == nil || e.Place.Locality != "Lyon" || *e.Place.Latitude != 45.7676 || e.JoinMode != agenda.JoinFree ||
			e.Status != agenda.StatusConfirmed || e.Category != "COMMUNITY" || e.Sequence != 0 {
			t.Fatalf("event: %+v", e)
		}
		if strings.Join(e.Tags, ",") != "garden,lyon" {
			t.Fatalf("tags: %v", e.Tags)
		}
		got, err := f.svc.Event(context.Background(), nil, e.ID)
		if err != nil || got.Name != "Garden day" || strings.Join(got.Tags, ",") != "garden,lyon" || got.Place.PostalCode != "69001" {
			t.Fatalf("read back: %+v %v", got, err)
		}
		entries, err := f.db.AuditLog().List(context.Background(), store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &e.AssociationID, Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].Action != "event.create" || entries[0].AccountName != "alice" {
			t.Fatalf("audit: %+v %v", entries, err)
		}
		if strings.Join(f.pub.types(), ",") != "Create" {
			t.Fatalf("published: %v", f.pub.types())
		}
		// Organised by a board member on the association's behalf, online.
		mine := f.event(t, func(in *agenda.EventInput) {
			in.Organiser, in.Place, in.OnlineLink = ptr(agenda.ByMe), nil, ptr("https://meet.example/garden")
			in.Start, in.End = ptr("2026-12-01T18:00:00Z"), ptr("2026-12-01T19:00:00Z")
		})
		if mine.Organiser != base+"/actors/alice" || !mine.IsOnline() || mine.Start.Hour() != 18 {
			t.Fatalf("online event: %+v", mine)
		}
	})
}

func TestCreate_RefusesBadInput(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*agenda.EventInput)
		code   string
		field  string
	}{
		{"end before start", func(in *agenda.EventInput) { in.End = ptr("2026-11-28T13:00") }, "end-before-start", "end"},
		{"end at start", func(in *agenda.EventInput) { in.End = in.Start }, "end-before-start", "end"},
		{"unknown timezone", func(in *agenda.EventInput) { in.Timezone = ptr("Europe/Atlantis") }, "unknown-timezone", "timezone"},
		{"Local is no zone", func(in *agenda.EventInput) { in.Timezone = ptr("Local") }, "unknown-timezone", "timezone"},
		{"empty timezone", func(in *agenda.EventInput) { in.Timezone = ptr("") }, "unknown-timezone", "timezone"},
		{"no timezone", func(in *agenda.EventInput) { in.Timezone = nil }, "required", "timezone"},
		{"latitude above 90", func(in *agenda.EventInput) { in.Place.Latitude = ptr(90.5) }, "out-of-range", "place.latitude"},
		{"latitude below -90", func(in *agenda.EventInput) { in.Place.Latitude = ptr(-91.0) }, "out-of-range", "place.latitude"},
		{"longitude out of range", func(in *agenda.EventInput) { in.Place.Longitude = ptr(180.01) }, "out-of-range", "place.longitude"},
		{"latitude alone", func(in *agenda.EventInput) { in.Place.Longitude = nil }, "coordinates-incomplete", "place.longitude"},
		{"oversized description", func(in *agenda.EventInput) { in.Description = ptr(strings.Repeat("é", 10_001)) }, "too-long", "description"},
		{"oversized name", func(in *agenda.EventInput) { in.Name = ptr(strings.Repeat("n", 201)) }, "too-long", "name"},
		{"oversized summary", func(in *agenda.EventInput) { in.Summary = ptr(strings.Repeat("s", 501)) }, "too-long", "summary"},
		{"no name", func(in *agenda.EventInput) { in.Name = ptr("  ") }, "required", "name"},
		{"no start", func(in *agenda.EventInput) { in.Start = nil }, "required", "start"},
		{"malformed start", func(in *agenda.EventInput) { in.Start = ptr("next saturday") }, "invalid-time", "start"},
		{"neither place nor link", func(in *agenda.EventInput) { in.Place = &agenda.PlaceInput{} }, "place-or-link", "place"},
		{"link not http", func(in *agenda.EventInput) { in.OnlineLink = ptr("javascript:alert(1)") }, "not-a-url", "online_link"},
		{"link with credentials", func(in *agenda.EventInput) { in.OnlineLink = ptr("https://u:p@meet.example/") }, "not-a-url", "online_link"},
		{"negative capacity", func(in *agenda.EventInput) { in.Capacity = ptr(-1) }, "out-of-range", "capacity"},
		{"unknown join mode", func(in *agenda.EventInput) { in.JoinMode = ptr("invite") }, "invalid-choice", "join_mode"},
		{"created cancelled", func(in *agenda.EventInput) { in.Status = ptr("cancelled") }, "cancel-separately", "status"},
		{"unknown status", func(in *agenda.EventInput) { in.Status = ptr("maybe") }, "invalid-choice", "status"},
		{"unknown category", func(in *agenda.EventInput) { in.Category = ptr("PICNIC") }, "invalid-category", "category"},
		{"eleven tags", func(in *agenda.EventInput) {
			in.Tags = ptr(strings.Split("a,b,c,d,e,f,g,h,i,j,k", ","))
		}, "too-many", "tags"},
		{"tag with a space", func(in *agenda.EventInput) { in.Tags = ptr([]string{"two words"}) }, "invalid-tag", "tags"},
		{"tag of digits", func(in *agenda.EventInput) { in.Tags = ptr([]string{"#2026"}) }, "invalid-tag", "tags"},
		{"unknown organiser", func(in *agenda.EventInput) { in.Organiser = ptr("bob") }, "invalid-choice", "organiser"},
		{"a year and more", func(in *agenda.EventInput) { in.End = ptr("2027-12-01T00:00") }, "too-long-event", "end"},
	}
	each(t, func(t *testing.T, f *fixture) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := garden()
				c.mutate(&in)
				_, err := f.svc.Create(context.Background(), f.alice, "commons", in)
				wantCode(t, err, c.code)
				if !strings.Contains(err.Error(), c.field) {
					t.Fatalf("the message does not name %s: %v", c.field, err)
				}
			})
		}
		list, _, err := f.svc.Events(context.Background(), agenda.AgendaQuery{Association: "commons", Limit: 10})
		if err != nil || len(list) != 0 {
			t.Fatalf("refused events were kept: %v %v", list, err)
		}
	})
}

func TestCreate_BoardOnly(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		if _, err := f.svc.Create(ctx, f.bob, "commons", garden()); !isErr(err, agenda.ErrBoardOnly) {
			t.Fatalf("a member created an event: %v", err)
		}
		if _, err := f.svc.Create(ctx, f.carol, "commons", garden()); !isErr(err, agenda.ErrBoardOnly) {
			t.Fatalf("an outsider created an event: %v", err)
		}
		if _, err := f.svc.Create(ctx, f.alice, "nowhere", garden()); !isErr(err, agenda.ErrNoSuchAssociation) {
			t.Fatalf("event of no association: %v", err)
		}
		e := f.event(t, nil)
		if _, err := f.svc.Update(ctx, f.bob, e.ID, agenda.EventInput{Name: ptr("Mine now")}); !isErr(err, agenda.ErrBoardOnly) {
			t.Fatalf("a member changed the event: %v", err)
		}
		if _, err := f.svc.Cancel(ctx, f.carol, e.ID); !isErr(err, agenda.ErrBoardOnly) {
			t.Fatalf("an outsider cancelled the event: %v", err)
		}
		got, _ := f.svc.Event(ctx, nil, e.ID)
		if got.Name != "Garden day" || got.Status != agenda.StatusConfirmed || got.Sequence != 0 {
			t.Fatalf("a refused change was applied: %+v", got)
		}
	})
}

func TestUpdate_RaisesSequenceAndKeepsWhatIsNotGiven(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, nil)
		got, err := f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Name: ptr("Garden day, second bed"), Status: ptr("tentative")})
		if err != nil || got.Sequence != 1 || got.Name != "Garden day, second bed" || got.Status != agenda.StatusTentative ||
			got.Place == nil || strings.Join(got.Tags, ",") != "garden,lyon" || !got.Start.Equal(e.Start) {
			t.Fatalf("update: %+v %v", got, err)
		}
		// A new end is judged against the start kept.
		_, err = f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{End: ptr("2026-11-27T10:00")})
		wantCode(t, err, "end-before-start")
		// The place removed, the online link must stand in for it.
		_, err = f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Place: &agenda.PlaceInput{}})
		wantCode(t, err, "place-or-link")
		got, err = f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Place: &agenda.PlaceInput{}, OnlineLink: ptr("https://meet.example/g")})
		if err != nil || got.Place != nil || !got.IsOnline() || got.Sequence != 2 {
			t.Fatalf("online now: %+v %v", got, err)
		}
		_, err = f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Organiser: ptr("me")})
		wantCode(t, err, "fixed-organiser")
		entries, err := f.db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &e.AssociationID, Limit: 10})
		if err != nil || len(entries) != 3 || entries[0].Action != "event.update" || !strings.Contains(entries[0].Detail, `"online_link"`) {
			t.Fatalf("audit: %+v %v", entries, err)
		}
		if strings.Join(f.pub.types(), ",") != "Create,Update,Update" || f.pub.got[2].Event.Sequence != 2 {
			t.Fatalf("published: %v", f.pub.types())
		}
	})
}

func TestCancel_KeepsTheEventCancelled(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, nil)
		if _, err := f.svc.Participate(ctx, f.bob, e.ID, true); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Cancel(ctx, f.alice, e.ID)
		if err != nil || got.Status != agenda.StatusCancelled || got.Sequence != 1 || got.Participants != 1 {
			t.Fatalf("cancel: %+v %v", got, err)
		}
		if _, err := f.svc.Cancel(ctx, f.alice, e.ID); !isErr(err, agenda.ErrEventCancelled) {
			t.Fatalf("cancelled twice: %v", err)
		}
		if _, err := f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Name: ptr("Back on")}); !isErr(err, agenda.ErrEventCancelled) {
			t.Fatalf("a cancelled event changed: %v", err)
		}
		entries, err := f.db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &e.AssociationID, Limit: 10})
		if err != nil || len(entries) != 2 || entries[0].Action != "event.cancel" {
			t.Fatalf("audit: %+v %v", entries, err)
		}
		if strings.Join(f.pub.types(), ",") != "Create,Update" || f.pub.got[1].Event.Status != agenda.StatusCancelled {
			t.Fatalf("published: %v", f.pub.types())
		}
	})
}

func TestEvents_UpcomingFirstByPages(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		// Five events, one a day from the 25th, created out of order; and
		// one that is over.
		for _, day := range []string{"27", "25", "29", "26", "28", "20"} {
			f.event(t, func(in *agenda.EventInput) {
				in.Name = ptr("Day " + day)
				in.Start, in.End = ptr("2026-11-"+day+"T10:00"), ptr("2026-11-"+day+"T12:00")
			})
		}
		var names []string
		cursor := ""
		for range 5 {
			page, next, err := f.svc.Events(ctx, agenda.AgendaQuery{Association: "commons", Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				names = append(names, e.Name)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if strings.Join(names, ",") != "Day 25,Day 26,Day 27,Day 28,Day 29" {
			t.Fatalf("agenda: %v", names)
		}
		to := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		page, _, err := f.svc.Events(ctx, agenda.AgendaQuery{Association: "commons", To: to, Limit: 10})
		if err != nil || len(page) != 2 {
			t.Fatalf("until the 27th: %d %v", len(page), err)
		}
		from := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
		page, _, err = f.svc.Events(ctx, agenda.AgendaQuery{Association: "commons", From: from, Limit: 1})
		if err != nil || len(page) != 1 || page[0].Name != "Day 20" {
			t.Fatalf("from the 19th: %v %v", page, err)
		}
		if _, _, err := f.svc.Events(ctx, agenda.AgendaQuery{Association: "commons", Cursor: "nonsense"}); !isErr(err, agenda.ErrBadCursor) {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}
