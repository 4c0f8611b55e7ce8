package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

type eventReply struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Start            string   `json:"start"`
	Status           string   `json:"status"`
	Capacity         int      `json:"capacity"`
	Remaining        *int     `json:"remaining"`
	Sequence         int      `json:"sequence"`
	Tags             []string `json:"tags"`
	ParticipantCount int      `json:"participant_count"`
	WaitlistCount    int      `json:"waitlist_count"`
	PendingCount     int      `json:"pending_count"`
}

type participationReply struct {
	Actor  string  `json:"actor"`
	Handle *string `json:"handle"`
	State  string  `json:"state"`
}

type participantsReply struct {
	ParticipantCount int                  `json:"participant_count"`
	WaitlistCount    int                  `json:"waitlist_count"`
	PendingCount     int                  `json:"pending_count"`
	Remaining        *int                 `json:"remaining"`
	Items            []participationReply `json:"items"`
	Next             *string              `json:"next"`
}

// day is the date days from now, for events that are still to come.
func day(days int) string { return time.Now().AddDate(0, 0, days).Format(time.DateOnly) }

// eventBody is a valid new event in days, with the fields of set over
// its own (nil removes one).
func eventBody(days int, set map[string]any) string {
	b := map[string]any{"name": "Garden day", "summary": "We plant the first beds", "start": day(days) + "T14:00",
		"end": day(days) + "T18:00", "timezone": "Europe/Paris", "tags": []string{"#Garden"},
		"place": map[string]any{"name": "Lot behind the school", "locality": "Lyon", "latitude": 45.7676, "longitude": 4.8344}}
	for k, v := range set {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	out, _ := json.Marshal(b)
	return string(out)
}

func (e env) newEvent(token string, days int, set map[string]any) eventReply {
	e.t.Helper()
	var ev eventReply
	e.post("/associations/commons/events", token, eventBody(days, set)).ok(e.t, http.StatusCreated, "Event", &ev)
	return ev
}

func TestEvents_CreateReadChangeCancel(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		r := e.post("/associations/commons/events", aliceTok, eventBody(7, map[string]any{"capacity": 2, "category": "community"}))
		var ev eventReply
		r.ok(t, http.StatusCreated, "Event", &ev)
		if r.header.Get("Location") != "/api/holon/v1/events/"+ev.ID {
			t.Fatalf("Location %q", r.header.Get("Location"))
		}
		if !strings.HasPrefix(ev.Start, day(7)+"T14:00:00+0") || ev.Remaining == nil || *ev.Remaining != 2 ||
			strings.Join(ev.Tags, ",") != "garden" || ev.Status != "confirmed" {
			t.Fatalf("event: %+v", ev)
		}
		e.get("/events/"+ev.ID, "").ok(t, http.StatusOK, "Event", &ev)
		e.get("/events/not-an-id", "").problem(t, http.StatusNotFound, "event-not-found")

		var changed eventReply
		e.patch("/events/"+ev.ID, aliceTok, `{"name": "Garden day, second bed", "place": {}, "online_link": "https://meet.example/g"}`).
			ok(t, http.StatusOK, "Event", &changed)
		if changed.Name != "Garden day, second bed" || changed.Sequence != 1 {
			t.Fatalf("changed: %+v", changed)
		}
		later := e.newEvent(aliceTok, 9, nil)
		var page struct {
			Items []eventReply `json:"items"`
			Next  *string      `json:"next"`
		}
		e.get("/associations/commons/events?limit=1", "").ok(t, http.StatusOK, "EventPage", &page)
		if len(page.Items) != 1 || page.Items[0].ID != ev.ID || page.Next == nil {
			t.Fatalf("first page: %+v", page)
		}
		e.get("/associations/commons/events?limit=1&cursor="+*page.Next, "").ok(t, http.StatusOK, "EventPage", &page)
		if len(page.Items) != 1 || page.Items[0].ID != later.ID || page.Next != nil {
			t.Fatalf("second page: %+v", page)
		}
		e.get("/associations/commons/events?to="+day(8), "").ok(t, http.StatusOK, "EventPage", &page)
		if len(page.Items) != 1 {
			t.Fatalf("until %s: %+v", day(8), page)
		}
		p := e.get("/associations/commons/events?from=soon&cursor=x", "").problem(t, http.StatusBadRequest, "invalid-input")
		sameFields(t, p, map[string]string{"from": "invalid-time"})
		e.get("/associations/nowhere/events", "").problem(t, http.StatusNotFound, "association-not-found")

		var cancelled eventReply
		e.post("/events/"+ev.ID+"/cancel", aliceTok, "").ok(t, http.StatusOK, "Event", &cancelled)
		if cancelled.Status != "cancelled" || cancelled.Sequence != 2 {
			t.Fatalf("cancelled: %+v", cancelled)
		}
		e.post("/events/"+ev.ID+"/cancel", aliceTok, "").problem(t, http.StatusConflict, "event-cancelled")
	})
}

func TestEvents_RefuseBadInput(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		_, bobTok := e.person("bob")
		_, carolTok := e.person("carol")
		full := e.newEvent(aliceTok, 7, map[string]any{"capacity": 3})
		e.post("/events/"+full.ID+"/participation", bobTok, `{"visible": true}`).ok(t, http.StatusCreated, "Participation", nil)
		e.post("/events/"+full.ID+"/participation", carolTok, "").ok(t, http.StatusCreated, "Participation", nil)
		cancelled := e.newEvent(aliceTok, 7, nil)
		e.post("/events/"+cancelled.ID+"/cancel", aliceTok, "").ok(t, http.StatusOK, "Event", nil)
		past := e.newEvent(aliceTok, -3, nil)

		cases := []struct {
			name, method, path, token, body string
			status                          int
			code                            string
			fields                          map[string]string
		}{
			{"end before start", "POST", "/associations/commons/events", aliceTok,
				eventBody(7, map[string]any{"end": day(6) + "T10:00"}), 400, "invalid-input", map[string]string{"end": "end-before-start"}},
			{"unknown timezone", "POST", "/associations/commons/events", aliceTok,
				eventBody(7, map[string]any{"timezone": "Mars/Olympus_Mons"}), 400, "invalid-input", map[string]string{"timezone": "unknown-timezone"}},
			{"coordinates out of range", "POST", "/associations/commons/events", aliceTok,
				`{"name": "Pole", "start": "` + day(7) + `T10:00", "end": "` + day(7) + `T11:00", "timezone": "UTC",
				"place": {"latitude": 91, "longitude": -181}}`, 400, "invalid-input",
				map[string]string{"place.latitude": "out-of-range", "place.longitude": "out-of-range"}},
			{"oversized description", "POST", "/associations/commons/events", aliceTok,
				eventBody(7, map[string]any{"description": strings.Repeat("a", 10_001)}), 400, "invalid-input", map[string]string{"description": "too-long"}},
			{"capacity below participants", "PATCH", "/events/" + full.ID, aliceTok, `{"capacity": 1}`, 400, "invalid-input",
				map[string]string{"capacity": "below-participants"}},
			{"unknown field", "POST", "/associations/commons/events", aliceTok, eventBody(7, map[string]any{"colour": "green"}), 400, "unknown-field", nil},
			{"joining a cancelled event", "POST", "/events/" + cancelled.ID + "/participation", bobTok, "", 409, "event-cancelled", nil},
			{"joining a past event", "POST", "/events/" + past.ID + "/participation", bobTok, "", 409, "event-over", nil},
			{"double join", "POST", "/events/" + full.ID + "/participation", bobTok, `{"visible": false}`, 409, "already-participating", nil},
			{"leaving without taking part", "DELETE", "/events/" + past.ID + "/participation", bobTok, "", 404, "participant-not-found", nil},
			{"a member creates", "POST", "/associations/commons/events", bobTok, eventBody(7, nil), 403, "board-only", nil},
			{"anonymous creates", "POST", "/associations/commons/events", "", eventBody(7, nil), 401, "unauthenticated", nil},
			{"a member changes", "PATCH", "/events/" + full.ID, bobTok, `{"name": "Mine"}`, 403, "board-only", nil},
			{"a member cancels", "POST", "/events/" + full.ID + "/cancel", bobTok, "", 403, "board-only", nil},
			{"a member approves", "POST", "/events/" + full.ID + "/participants/carol/approve", bobTok, "", 403, "board-only", nil},
			{"a member sees the waiting list", "GET", "/events/" + full.ID + "/participants?state=waitlisted", bobTok, "", 403, "board-only", nil},
			{"unknown state", "GET", "/events/" + full.ID + "/participants?state=maybe", aliceTok, "", 400, "invalid-input", map[string]string{"state": "invalid-choice"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := e.do(request{method: c.method, path: c.path, token: c.token, body: c.body}).problem(t, c.status, c.code)
				if c.fields != nil {
					sameFields(t, p, c.fields)
				}
			})
		}
		var got eventReply
		e.get("/events/"+full.ID, "").ok(t, http.StatusOK, "Event", &got)
		if got.Capacity != 3 || got.Name != "Garden day" || got.ParticipantCount != 2 || got.Sequence != 0 {
			t.Fatalf("a refused change was applied: %+v", got)
		}
	})
}

func TestEvents_ParticipationFlow(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		alice, aliceTok := e.person("alice")
		e.association(alice, "commons")
		tokens := map[string]string{}
		for _, name := range []string{"bob", "carol", "dave"} {
			_, tokens[name] = e.person(name)
		}
		ev := e.newEvent(aliceTok, 7, map[string]any{"capacity": 1, "join_mode": "approval"})
		for _, name := range []string{"bob", "carol", "dave"} {
			var p participationReply
			e.post("/events/"+ev.ID+"/participation", tokens[name], fmt.Sprintf(`{"visible": %v}`, name != "carol")).
				ok(t, http.StatusCreated, "Participation", &p)
			if p.State != "pending" {
				t.Fatalf("%s: %+v", name, p)
			}
		}
		var list participantsReply
		e.get("/events/"+ev.ID+"/participants?state=pending", aliceTok).ok(t, http.StatusOK, "ParticipantPage", &list)
		if len(list.Items) != 3 || list.PendingCount != 3 {
			t.Fatalf("the board's queue: %+v", list)
		}
		var p participationReply
		e.post("/events/"+ev.ID+"/participants/carol/approve", aliceTok, "").ok(t, http.StatusOK, "Participation", &p)
		if p.State != "participant" {
			t.Fatalf("carol approved: %+v", p)
		}
		e.post("/events/"+ev.ID+"/participants/bob/approve", aliceTok, "").ok(t, http.StatusOK, "Participation", &p)
		if p.State != "waitlisted" {
			t.Fatalf("bob approved when full: %+v", p)
		}
		e.post("/events/"+ev.ID+"/participants/dave/reject", aliceTok, "").ok(t, http.StatusOK, "Participation", &p)
		e.post("/events/"+ev.ID+"/participants/nobody/approve", aliceTok, "").problem(t, http.StatusNotFound, "participant-not-found")
		e.post("/events/"+ev.ID+"/participants/carol/approve", aliceTok, "").problem(t, http.StatusConflict, "participation-not-pending")

		// carol chose not to be shown: the list has the count, not her name.
		e.get("/events/"+ev.ID+"/participants", "").ok(t, http.StatusOK, "ParticipantPage", &list)
		if list.ParticipantCount != 1 || list.WaitlistCount != 1 || len(list.Items) != 0 || list.Remaining == nil || *list.Remaining != 0 {
			t.Fatalf("public list: %+v", list)
		}
		// carol leaves: bob, waiting, takes her place.
		if r := e.del("/events/"+ev.ID+"/participation", tokens["carol"]); r.status != http.StatusNoContent {
			t.Fatalf("leave: %d %s", r.status, r.body)
		}
		e.get("/events/"+ev.ID+"/participation", tokens["bob"]).ok(t, http.StatusOK, "Participation", &p)
		if p.State != "participant" {
			t.Fatalf("bob after carol left: %+v", p)
		}
		e.get("/events/"+ev.ID+"/participants", "").ok(t, http.StatusOK, "ParticipantPage", &list)
		if list.ParticipantCount != 1 || list.WaitlistCount != 0 || len(list.Items) != 1 || *list.Items[0].Handle != "bob" {
			t.Fatalf("public list: %+v", list)
		}
		e.post("/events/"+ev.ID+"/participation", tokens["dave"], "").problem(t, http.StatusConflict, "participation-rejected")
	})
}
