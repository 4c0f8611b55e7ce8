package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

// eventForm is a valid event in Lyon, on 10 May 2030 from 14:00 to 17:00
// Paris time.
func eventForm(name string) url.Values {
	return url.Values{"event_name": {name}, "event_summary": {"Plant and share"},
		"event_description": {"We plant the beds.\n\nThen we eat together."},
		"event_start":       {"2030-05-10T14:00"}, "event_end": {"2030-05-10T17:00"}, "event_timezone": {"Europe/Paris"},
		"event_place_name": {"Community garden"}, "event_place_street_address": {"3 rue des Lilas"},
		"event_place_postal_code": {"69001"}, "event_place_locality": {"Lyon"}, "event_place_country": {"France"},
		"event_place_latitude": {"45.764"}, "event_place_longitude": {"4,8357"}, "event_online_link": {""},
		"event_capacity": {""}, "event_join_mode": {"free"}, "event_status": {"confirmed"},
		"event_category": {"COMMUNITY"}, "event_tags": {"garden, Food"}}
}

// createEvent creates an event as b (the board) and returns its id.
func createEvent(t *testing.T, b *browser, assoc string, form url.Values) string {
	t.Helper()
	return idFrom(t, b.post("/@"+assoc+"/events/new", form), "/events/")
}

func TestEventPages_CreateEditCancel(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		w.visitor.get("/@commons").want(t, http.StatusOK).contains(t, `href="/@commons/events"`)
		w.visitor.get("/@commons/events").want(t, http.StatusOK).contains(t, "No upcoming event.")
		w.alice.get("/@commons/events").want(t, http.StatusOK).contains(t, `href="/@commons/events/new"`)
		w.bob.get("/@commons/events").want(t, http.StatusOK).lacks(t, `href="/@commons/events/new"`)
		w.alice.get("/@commons/events/new").want(t, http.StatusOK).contains(t, `type="datetime-local"`, `value="Europe/Paris"`)
		w.bob.get("/@commons/events/new").want(t, http.StatusForbidden)
		w.bob.post("/@commons/events/new", eventForm("Planting day")).want(t, http.StatusForbidden)

		// Bad input: each error next to its field, what was typed kept,
		// nothing created.
		bad := eventForm("")
		bad.Set("event_end", "2030-05-10T12:00")
		bad.Set("event_place_latitude", "91")
		bad.Set("event_capacity", "many")
		p := w.alice.post("/@commons/events/new", bad).want(t, http.StatusUnprocessableEntity)
		if attr(p.byID("event_capacity"), "aria-invalid") != "true" || p.byID("event_capacity-error") == nil {
			t.Errorf("the unreadable capacity is not shown on its field:\n%s", p.Body)
		}
		bad.Set("event_capacity", "")
		p = w.alice.post("/@commons/events/new", bad).want(t, http.StatusUnprocessableEntity)
		for _, id := range []string{"event_name-error", "event_end-error", "event_place_latitude-error"} {
			if p.byID(id) == nil {
				t.Errorf("no %s:\n%s", id, p.Body)
			}
		}
		if attr(p.byID("event_place_locality"), "value") != "Lyon" {
			t.Error("the refused form lost the town")
		}
		noPlace := eventForm("Online talk")
		for _, f := range []string{"event_place_name", "event_place_street_address", "event_place_postal_code",
			"event_place_locality", "event_place_country", "event_place_latitude", "event_place_longitude"} {
			noPlace.Set(f, "")
		}
		w.alice.post("/@commons/events/new", noPlace).want(t, http.StatusUnprocessableEntity).
			contains(t, "Give a place, an online link or both.")
		w.visitor.get("/@commons/events").contains(t, "No upcoming event.")

		id := createEvent(t, w.alice, "commons", eventForm("Planting day"))
		p = w.visitor.get("/events/"+id).want(t, http.StatusOK)
		p.contains(t, "Planting day", "Plant and share", "2030-05-10 14:00", "17:00", "Europe/Paris (CEST)",
			"Community garden", "3 rue des Lilas", "69001 Lyon", "https://www.openstreetmap.org/?mlat=45.764&amp;mlon=4.8357",
			"#food", "#garden", "Community", "open to all", "No limit", "0 participants", "Sign in to take part",
			"<p>We plant the beds.</p>", "<p>Then we eat together.</p>")
		p.lacks(t, `id="edit-event"`, `id="cancel"`, `id="requests"`)
		// The page is the event's id as a browser asks for it.
		req, err := http.NewRequest(http.MethodGet, in.URL+"/events/"+id, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
		resp, err := webtest.Browser().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("a browser asking for /events/%s gets %d %s", id, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get("/events/"+id).want(t, http.StatusOK).contains(t, "Quand", "Lieu", "Ouvrir le lieu sur OpenStreetMap",
			"Vie locale", "ouverte à tous", "Sans limite", "0 participant")
		fr.get("/@commons/events").want(t, http.StatusOK).contains(t, "Agenda", "Planting day", "Événements passés")
		w.visitor.get("/@commons/events").want(t, http.StatusOK).contains(t, "Planting day", `href="/events/`+id+`"`)
		w.visitor.get("/@commons/events?past=1").want(t, http.StatusOK).contains(t, "No past event.")
		w.visitor.get("/@commons/events?cursor=nope").want(t, http.StatusBadRequest)

		// The board edits it: the form holds the event, times in its zone.
		p = w.alice.get("/events/"+id+"/edit").want(t, http.StatusOK)
		if attr(p.byID("event_start"), "value") != "2030-05-10T14:00" || attr(p.byID("event_place_longitude"), "value") != "4.8357" {
			t.Errorf("the edit form does not hold the event:\n%s", p.Body)
		}
		w.bob.get("/events/"+id+"/edit").want(t, http.StatusForbidden)
		edit := eventForm("Planting and picnic")
		edit.Set("event_capacity", "2")
		edit.Set("event_timezone", "Mars/Olympus")
		w.alice.post("/events/"+id+"/edit", edit).want(t, http.StatusUnprocessableEntity).
			contains(t, "Choose a time zone such as Europe/Paris.")
		edit.Set("event_timezone", "America/Montreal")
		w.alice.post("/events/"+id+"/edit", edit).redirectsTo(t, "/events/"+id+"?done=updated")
		w.visitor.get("/events/"+id).contains(t, "Planting and picnic", "America/Montreal (EDT)", "2 places left (out of 2)")

		// Cancelling asks for a confirmation.
		p = w.alice.post("/events/"+id+"/cancel", url.Values{}).want(t, http.StatusUnprocessableEntity)
		if p.byID("confirm-error") == nil {
			t.Errorf("no confirmation asked:\n%s", p.Body)
		}
		w.bob.post("/events/"+id+"/cancel", url.Values{"confirm": {"on"}}).want(t, http.StatusForbidden)
		w.alice.post("/events/"+id+"/cancel", url.Values{"confirm": {"on"}}).redirectsTo(t, "/events/"+id+"?done=cancelled")
		p = w.visitor.get("/events/"+id).want(t, http.StatusOK)
		p.contains(t, "This event is cancelled.", "one can no longer take part")
		w.alice.get("/events/"+id).lacks(t, `id="edit-event"`, `id="cancel"`)
		w.alice.get("/events/"+id+"/edit").want(t, http.StatusConflict)
		w.bob.post("/events/"+id+"/participation", url.Values{"visible": {"on"}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "This event is cancelled.")
		w.visitor.get("/events/not-an-id").want(t, http.StatusNotFound)
		w.visitor.get("/events/0190d0a2-0000-7000-8000-000000000000").want(t, http.StatusNotFound)
	})
}

func TestEventPages_ParticipateApproveAndNames(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		form := eventForm("Assembly")
		form.Set("event_join_mode", "approval")
		id := createEvent(t, w.alice, "commons", form)
		path := "/events/" + id

		p := w.bob.get(path).want(t, http.StatusOK)
		p.contains(t, "Ask to take part", "Show my name in the list of participants")
		w.bob.post(path+"/participation", url.Values{"visible": {"on"}}).redirectsTo(t, path+"?done=participating")
		p = w.bob.get(path+"?done=participating").want(t, http.StatusOK)
		if got := p.text(t, "my-state"); !strings.Contains(got, "Your request waits for the board’s answer") || !strings.Contains(got, "your name is shown") {
			t.Errorf("bob's state reads %q", got)
		}
		w.bob.post(path+"/participation", url.Values{}).want(t, http.StatusUnprocessableEntity).
			contains(t, "You already take part")
		w.eve.post(path+"/participation", url.Values{}).redirectsTo(t, path+"?done=participating")
		w.tom.post(path+"/participation", url.Values{"visible": {"on"}}).redirectsTo(t, path+"?done=participating")
		w.visitor.get(path).contains(t, "No participant to show.")
		w.bob.post(path+"/requests", url.Values{"participant": {"bob"}, "decision": {"approve"}}).want(t, http.StatusForbidden)

		// The board answers the requests with the buttons.
		p = w.alice.get(path).want(t, http.StatusOK)
		if got := p.text(t, "requests"); !strings.Contains(got, "@bob") || !strings.Contains(got, "@eve") {
			t.Errorf("the requests read %q", got)
		}
		p.contains(t, "3 requests to answer")
		w.alice.post(path+"/requests", url.Values{"participant": {"bob"}, "decision": {"maybe"}}).
			want(t, http.StatusUnprocessableEntity)
		for _, who := range []string{"bob", "eve"} {
			w.alice.post(path+"/requests", url.Values{"participant": {who}, "decision": {"approve"}}).redirectsTo(t, path+"?done=decided")
		}
		w.alice.post(path+"/requests", url.Values{"participant": {"tom"}, "decision": {"reject"}}).redirectsTo(t, path+"?done=decided")
		w.alice.post(path+"/requests", url.Values{"participant": {"bob"}, "decision": {"approve"}}).
			want(t, http.StatusUnprocessableEntity)

		// Bob chose to be shown, Eve did not: others see Bob only, the
		// board both.
		p = w.visitor.get(path).want(t, http.StatusOK)
		p.contains(t, "2 participants")
		if got := p.text(t, "participants"); !strings.Contains(got, "@bob") || strings.Contains(got, "@eve") {
			t.Errorf("the visitor's list reads %q", got)
		}
		if got := w.alice.get(path).text(t, "participants"); !strings.Contains(got, "@eve") || !strings.Contains(got, "name hidden from others") {
			t.Errorf("the board's list reads %q", got)
		}
		eve := w.eve.get(path)
		if got := eve.text(t, "my-state"); !strings.Contains(got, "You take part in this event") || !strings.Contains(got, "your name is hidden") {
			t.Errorf("eve's state reads %q", got)
		}
		tom := w.tom.get(path)
		if got := tom.text(t, "my-state"); !strings.Contains(got, "The board declined your participation") {
			t.Errorf("tom's state reads %q", got)
		}
		tom.lacks(t, `id="leave"`, `id="participate"`)

		// Bob leaves through the button.
		w.bob.post(path+"/leave", url.Values{}).redirectsTo(t, path+"?done=left")
		p = w.visitor.get(path)
		p.contains(t, "1 participant", "No participant to show.")
		w.bob.get(path+"?done=left").contains(t, "You no longer take part in this event.", `id="participate"`)
		w.bob.post(path+"/leave", url.Values{}).want(t, http.StatusNotFound)
	})
}

func TestEventPages_WaitingList(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		form := eventForm("Workshop")
		form.Set("event_capacity", "1")
		path := "/events/" + createEvent(t, w.alice, "commons", form)
		w.visitor.post(path+"/participation", url.Values{"visible": {"on"}}).redirectsTo(t, "/login?next="+url.QueryEscape(path))
		w.bob.post(path+"/participation", url.Values{"visible": {"on"}}).redirectsTo(t, path+"?done=participating")
		w.eve.post(path+"/participation", url.Values{"visible": {"on"}}).redirectsTo(t, path+"?done=participating")
		p := w.eve.get(path).want(t, http.StatusOK)
		p.contains(t, "You are on the waiting list", "0 places left (out of 1)", "1 participant, 1 on the waiting list")
		// When Bob leaves, Eve takes his place.
		w.bob.post(path+"/leave", url.Values{}).redirectsTo(t, path+"?done=left")
		w.eve.get(path).contains(t, "You take part in this event", "0 places left (out of 1)")
		if got := w.visitor.get(path).text(t, "participants"); !strings.Contains(got, "@eve") || strings.Contains(got, "@bob") {
			t.Errorf("the list reads %q", got)
		}
	})
}
