package agenda_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/store"
)

const peer = "https://mobilizon.example"

func TestParticipate_RefusesWhatCannotBe(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		open := f.event(t, nil)
		if _, err := f.svc.Participate(ctx, f.carol, open.ID, true); err != nil {
			t.Fatalf("an outsider may take part: %v", err)
		}
		cancelled := f.event(t, nil)
		if _, err := f.svc.Cancel(ctx, f.alice, cancelled.ID); err != nil {
			t.Fatal(err)
		}
		past := f.event(t, func(in *agenda.EventInput) {
			in.Start, in.End = ptr("2026-11-20T10:00"), ptr("2026-11-20T12:00")
		})
		cases := []struct {
			name  string
			event agenda.Event
			want  error
		}{
			{"double join", open, agenda.ErrAlreadyJoined},
			{"cancelled event", cancelled, agenda.ErrEventCancelled},
			{"past event", past, agenda.ErrEventOver},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.Participate(ctx, f.carol, c.event.ID, true)
				if !isErr(err, c.want) {
					t.Fatalf("want %v, got %v", c.want, err)
				}
			})
		}
		f.counts(t, open, 1, 0, 0)
		f.counts(t, cancelled, 0, 0, 0)
		f.counts(t, past, 0, 0, 0)
		// Still open while it runs; over once it ends.
		f.clock.Advance(7*24*time.Hour + 5*time.Hour) // the 28th, 14:00 in Lyon
		if _, err := f.svc.Participate(ctx, f.bob, open.ID, true); err != nil {
			t.Fatalf("join while it runs: %v", err)
		}
		f.clock.Advance(4 * time.Hour)
		if _, err := f.svc.Participate(ctx, f.alice, open.ID, true); !isErr(err, agenda.ErrEventOver) {
			t.Fatalf("join once over: %v", err)
		}
	})
}

func TestUpdate_CapacityBelowParticipantsIsRefused(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, func(in *agenda.EventInput) { in.Capacity = ptr(5) })
		if _, err := f.svc.Participate(ctx, f.bob, e.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Participate(ctx, f.carol, e.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Capacity: ptr(1)})
		wantCode(t, err, "below-participants")
		if !strings.Contains(err.Error(), "at least 2") {
			t.Fatalf("the message does not say the bound: %v", err)
		}
		got, err := f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Capacity: ptr(2)})
		if err != nil || got.Capacity != 2 {
			t.Fatalf("capacity down to the participants: %+v %v", got, err)
		}
		if n, limited := got.Remaining(); !limited || n != 0 {
			t.Fatalf("remaining: %d %v", n, limited)
		}
	})
}

func TestWaitingList_PromotesFirstComeWhenAPlaceFrees(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, func(in *agenda.EventInput) { in.Capacity = ptr(1) })
		dave := f.account(t, "dave")
		p, err := f.svc.Participate(ctx, f.bob, e.ID, true)
		if err != nil || p.State != agenda.StateParticipant {
			t.Fatalf("bob: %+v %v", p, err)
		}
		for _, acc := range []struct {
			name string
			join func() (agenda.Participation, error)
		}{
			{"carol", func() (agenda.Participation, error) { return f.svc.Participate(ctx, f.carol, e.ID, false) }},
			{"dave", func() (agenda.Participation, error) { return f.svc.Participate(ctx, dave, e.ID, true) }},
		} {
			p, err := acc.join()
			if err != nil || p.State != agenda.StateWaitlisted {
				t.Fatalf("%s: %+v %v", acc.name, p, err)
			}
		}
		f.counts(t, e, 1, 0, 2)
		// bob leaves: carol, first on the list, takes his place.
		if err := f.svc.Leave(ctx, f.bob, e.ID); err != nil {
			t.Fatal(err)
		}
		f.counts(t, e, 1, 0, 1)
		if p, _ := f.svc.Participation(ctx, f.carol, e.ID); p.State != agenda.StateParticipant {
			t.Fatalf("carol: %+v", p)
		}
		if err := f.svc.Leave(ctx, f.bob, e.ID); !isErr(err, agenda.ErrNoSuchParticipant) {
			t.Fatalf("left twice: %v", err)
		}
		// The board rejects carol: dave takes the place.
		if _, err := f.svc.Reject(ctx, f.alice, e.ID, "carol"); err != nil {
			t.Fatal(err)
		}
		f.counts(t, e, 1, 0, 0)
		if p, _ := f.svc.Participation(ctx, dave, e.ID); p.State != agenda.StateParticipant {
			t.Fatalf("dave: %+v", p)
		}
		// A rejected participant may not come back by themselves.
		if _, err := f.svc.Participate(ctx, f.carol, e.ID, true); !isErr(err, agenda.ErrParticipationRejected) {
			t.Fatalf("rejected joined again: %v", err)
		}
		// More places go to those waiting.
		if _, err := f.svc.Participate(ctx, f.bob, e.ID, true); err != nil {
			t.Fatal(err)
		}
		f.counts(t, e, 1, 0, 1)
		if _, err := f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Capacity: ptr(0)}); err != nil {
			t.Fatal(err)
		}
		f.counts(t, e, 2, 0, 0)
	})
}

func TestApproval_TheBoardDecides(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, func(in *agenda.EventInput) { in.JoinMode, in.Capacity = ptr(agenda.JoinApproval), ptr(1) })
		f.remote(t, peer+"/@erin", "erin")
		for _, who := range []func() (agenda.Participation, error){
			func() (agenda.Participation, error) { return f.svc.Participate(ctx, f.bob, e.ID, true) },
			func() (agenda.Participation, error) { return f.svc.Participate(ctx, f.carol, e.ID, true) },
		} {
			if p, err := who(); err != nil || p.State != agenda.StatePending {
				t.Fatalf("pending: %+v %v", p, err)
			}
		}
		a, err := f.svc.ReceiveJoin(ctx, peer+"/@erin", e.URI, peer+"/join/1", peer+"/@erin")
		if err != nil || a.Outcome != agenda.Pending {
			t.Fatalf("remote join: %+v %v", a, err)
		}
		f.counts(t, e, 0, 3, 0)
		// Only the board decides.
		if _, err := f.svc.Approve(ctx, f.bob, e.ID, "carol"); !isErr(err, agenda.ErrBoardOnly) {
			t.Fatalf("a member approved: %v", err)
		}
		list, err := f.svc.Participants(ctx, &f.bob, e.ID, agenda.StatePending, "", 10)
		if !isErr(err, agenda.ErrBoardOnly) {
			t.Fatalf("a member saw the requests: %+v %v", list, err)
		}
		list, err = f.svc.Participants(ctx, &f.alice, e.ID, agenda.StatePending, "", 10)
		if err != nil || len(list.Participants) != 3 {
			t.Fatalf("the board's queue: %+v %v", list, err)
		}
		f.pub.got = nil
		p, err := f.svc.Approve(ctx, f.alice, e.ID, "erin@mobilizon.example")
		if err != nil || p.State != agenda.StateParticipant {
			t.Fatalf("approve erin: %+v %v", p, err)
		}
		if len(f.pub.got) != 1 || f.pub.got[0].Type != "Accept" || f.pub.got[0].Participation.JoinActivity != peer+"/join/1" {
			t.Fatalf("erin was not told: %+v", f.pub.got)
		}
		if _, err := f.svc.Approve(ctx, f.alice, e.ID, "erin@mobilizon.example"); !isErr(err, agenda.ErrNotPending) {
			t.Fatalf("approved twice: %v", err)
		}
		// Full: the next approved waits for a place.
		if p, err := f.svc.Approve(ctx, f.alice, e.ID, "bob"); err != nil || p.State != agenda.StateWaitlisted {
			t.Fatalf("approve bob when full: %+v %v", p, err)
		}
		if p, err := f.svc.Reject(ctx, f.alice, e.ID, "@carol"); err != nil || p.State != agenda.StateRejected {
			t.Fatalf("reject carol: %+v %v", p, err)
		}
		f.counts(t, e, 1, 0, 1)
		// erin leaves from her instance: bob gets the place.
		if err := f.svc.ReceiveLeave(ctx, peer+"/@erin", e.URI, peer+"/@erin"); err != nil {
			t.Fatal(err)
		}
		f.counts(t, e, 1, 0, 0)
		if _, err := f.svc.Approve(ctx, f.alice, e.ID, "nobody"); !isErr(err, agenda.ErrNoSuchParticipant) {
			t.Fatalf("approve nobody: %v", err)
		}
		entries, err := f.db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &e.AssociationID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, en := range entries {
			actions = append(actions, en.Action+" "+en.Target)
		}
		if strings.Join(actions, ",") != "event.reject carol,event.approve bob,event.approve erin@mobilizon.example,event.create "+e.ID.String() {
			t.Fatalf("audit: %v", actions)
		}
	})
}

func TestReceiveJoin_AnswersAsTheEventDecides(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, func(in *agenda.EventInput) { in.Capacity = ptr(1) })
		erin, finn := peer+"/@erin", peer+"/@finn"
		f.remote(t, erin, "erin")
		f.remote(t, finn, "finn")
		f.pub.got = nil
		a, err := f.svc.ReceiveJoin(ctx, erin, e.URI, peer+"/join/1", erin)
		if err != nil || a.Outcome != agenda.Accepted || a.Participation.Handle != "erin@mobilizon.example" {
			t.Fatalf("erin: %+v %v", a, err)
		}
		if strings.Join(f.pub.types(), ",") != "Accept" {
			t.Fatalf("published: %v", f.pub.types())
		}
		// The same Join again is answered again, not counted twice.
		a, err = f.svc.ReceiveJoin(ctx, erin, e.URI, peer+"/join/2", erin)
		if err != nil || a.Outcome != agenda.Accepted {
			t.Fatalf("erin again: %+v %v", a, err)
		}
		if a, err = f.svc.ReceiveJoin(ctx, finn, e.URI, peer+"/join/3", finn); err != nil || a.Outcome != agenda.Waitlisted {
			t.Fatalf("finn: %+v %v", a, err)
		}
		f.counts(t, e, 1, 0, 1)
		f.pub.got = nil
		if err := f.svc.ReceiveLeave(ctx, erin, e.URI, erin); err != nil {
			t.Fatal(err)
		}
		if len(f.pub.got) != 1 || f.pub.got[0].Type != "Accept" || f.pub.got[0].Participation.Actor != finn {
			t.Fatalf("finn was not told of his place: %+v", f.pub.got)
		}
		cases := []struct {
			name                      string
			actor, event, act, signer string
			want                      error
		}{
			{"on behalf of another", erin, e.URI, peer + "/join/4", finn, agenda.ErrActsForAnother},
			{"activity from another server", erin, e.URI, "https://other.example/join/4", erin, agenda.ErrActsForAnother},
			{"not an event here", erin, base + "/events/0195551e-0000-7000-8000-000000000005", peer + "/join/5", erin, agenda.ErrNoSuchEvent},
			{"unknown actor", peer + "/@ghost", e.URI, peer + "/join/6", peer + "/@ghost", agenda.ErrUnknownActor},
			{"a local actor through an inbox", base + "/actors/bob", e.URI, base + "/join/7", base + "/actors/bob", agenda.ErrActsForAnother},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if _, err := f.svc.ReceiveJoin(ctx, c.actor, c.event, c.act, c.signer); !isErr(err, c.want) {
					t.Fatalf("want %v, got %v", c.want, err)
				}
			})
		}
		if err := f.svc.ReceiveLeave(ctx, finn, e.URI, erin); !isErr(err, agenda.ErrActsForAnother) {
			t.Fatalf("leave for another: %v", err)
		}
		// A cancelled event answers with a Reject that says why.
		if _, err := f.svc.Cancel(ctx, f.alice, e.ID); err != nil {
			t.Fatal(err)
		}
		f.pub.got = nil
		a, err = f.svc.ReceiveJoin(ctx, erin, e.URI, peer+"/join/8", erin)
		if err != nil || a.Outcome != agenda.Refused || a.Code != "event-cancelled" {
			t.Fatalf("join of a cancelled event: %+v %v", a, err)
		}
		if len(f.pub.got) != 1 || f.pub.got[0].Type != "Reject" || f.pub.got[0].Reason == "" {
			t.Fatalf("no Reject: %+v", f.pub.got)
		}
		f.counts(t, e, 1, 0, 0)
	})
}

func TestParticipants_NamesOnlyOfThoseWhoChose(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, func(in *agenda.EventInput) { in.Capacity = ptr(2) })
		dave := f.account(t, "dave")
		must := func(_ agenda.Participation, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(f.svc.Participate(ctx, f.bob, e.ID, true))
		must(f.svc.Participate(ctx, f.carol, e.ID, false))
		must(f.svc.Participate(ctx, dave, e.ID, true)) // waitlisted
		list, err := f.svc.Participants(ctx, nil, e.ID, "", "", 10)
		if err != nil || len(list.Participants) != 1 || list.Participants[0].Handle != "bob" ||
			list.Event.Participants != 2 || list.Event.Waitlisted != 1 {
			t.Fatalf("public list: %+v %v", list, err)
		}
		// Someone from elsewhere did not choose to be shown: counted, not
		// named.
		f.remote(t, peer+"/@erin", "erin")
		if _, err := f.svc.Update(ctx, f.alice, e.ID, agenda.EventInput{Capacity: ptr(4)}); err != nil {
			t.Fatal(err)
		}
		if a, err := f.svc.ReceiveJoin(ctx, peer+"/@erin", e.URI, peer+"/join/1", peer+"/@erin"); err != nil || a.Outcome != agenda.Accepted {
			t.Fatalf("erin: %+v %v", a, err)
		}
		list, err = f.svc.Participants(ctx, nil, e.ID, "", "", 10)
		if err != nil || len(list.Participants) != 2 || list.Event.Participants != 4 || list.Participants[1].Handle != "dave" {
			t.Fatalf("public list: %+v %v", list, err)
		}
		list, err = f.svc.Participants(ctx, &f.alice, e.ID, "", "", 1)
		if err != nil || len(list.Participants) != 1 || list.Next == "" {
			t.Fatalf("the board's first page: %+v %v", list, err)
		}
		list, err = f.svc.Participants(ctx, &f.alice, e.ID, "", list.Next, 1)
		if err != nil || len(list.Participants) != 1 || list.Participants[0].Handle != "carol" || list.Next == "" {
			t.Fatalf("the board's second page: %+v %v", list, err)
		}
		list, err = f.svc.Participants(ctx, &f.alice, e.ID, "", list.Next, 10)
		if err != nil || len(list.Participants) != 2 || list.Participants[1].Handle != "erin@mobilizon.example" || list.Next != "" {
			t.Fatalf("the board's last page: %+v %v", list, err)
		}
	})
}

// TestParticipate_CountsStayExactUnderConcurrentJoins: fifty actors join
// an event of ten places at once.
func TestParticipate_CountsStayExactUnderConcurrentJoins(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		e := f.event(t, func(in *agenda.EventInput) { in.Capacity = ptr(10) })
		const n = 50
		for i := range n {
			f.remote(t, fmt.Sprintf("%s/@p%02d", peer, i), fmt.Sprintf("p%02d", i))
		}
		var wg sync.WaitGroup
		outcomes := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				actor := fmt.Sprintf("%s/@p%02d", peer, i)
				a, err := f.svc.ReceiveJoin(ctx, actor, e.URI, fmt.Sprintf("%s/join/%d", peer, i), actor)
				outcomes[i], errs[i] = a.Outcome, err
			}()
		}
		wg.Wait()
		tally := map[string]int{}
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("join %d: %v", i, errs[i])
			}
			tally[outcomes[i]]++
		}
		if tally[agenda.Accepted] != 10 || tally[agenda.Waitlisted] != 40 {
			t.Fatalf("outcomes: %v", tally)
		}
		f.counts(t, e, 10, 0, 40)
	})
}
