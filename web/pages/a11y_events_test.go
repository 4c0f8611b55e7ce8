package pages_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

// visitEventPages walks the agenda and event pages, empty and full, for
// the board, participants and visitors, with their forms refused, for the
// checks of every page (accessibility, no inline code).
func visitEventPages(t *testing.T, in *webtest.Instance, pages map[string]*page) {
	t.Helper()
	w := newWorkNamed(t, in, "fete", "felix", "fanny", "fred", "flora", "fay")
	fr := newBrowser(t, in)
	fr.lang = "fr"
	pages["agenda, empty"] = w.visitor.get("/@fete/events")
	pages["agenda, past, empty, French"] = fr.get("/@fete/events?past=1")
	pages["new event"] = w.alice.get("/@fete/events/new")
	bad := eventForm("")
	bad.Set("event_end", "2000-01-01T00:00")
	bad.Set("event_place_latitude", "x")
	bad.Set("event_capacity", "-1")
	pages["new event, errors"] = w.alice.post("/@fete/events/new", bad)
	form := eventForm("Harvest party")
	form.Set("event_join_mode", "approval")
	form.Set("event_capacity", "1")
	form.Set("event_online_link", "https://meet.example/harvest")
	id := createEvent(t, w.alice, "fete", form)
	path := "/events/" + id
	pages["agenda, board"] = w.alice.get("/@fete/events")
	pages["event, created, board"] = w.alice.get(path + "?done=created")
	pages["event, visitor"] = w.visitor.get(path)
	pages["event, visitor, French"] = fr.get(path)
	pages["event, member"] = w.bob.get(path)
	w.bob.post(path+"/participation", url.Values{"visible": {"on"}}).redirectsTo(t, path+"?done=participating")
	w.eve.post(path+"/participation", url.Values{}).redirectsTo(t, path+"?done=participating")
	pages["event, pending"] = w.bob.get(path + "?done=participating")
	pages["event, participation error"] = w.bob.post(path+"/participation", url.Values{})
	pages["event, requests, board"] = w.alice.get(path)
	pages["event, decision error"] = w.alice.post(path+"/requests", url.Values{"participant": {"nobody"}, "decision": {"approve"}})
	w.alice.post(path+"/requests", url.Values{"participant": {"fred"}, "decision": {"approve"}}).redirectsTo(t, path+"?done=decided")
	w.alice.post(path+"/requests", url.Values{"participant": {"fay"}, "decision": {"approve"}}).redirectsTo(t, path+"?done=decided")
	pages["event, participant"] = w.bob.get(path)
	pages["event, waitlisted"] = w.eve.get(path)
	pages["event, full, board"] = w.alice.get(path + "?done=decided")
	pages["edit event"] = w.alice.get(path + "/edit")
	pages["edit event, errors"] = w.alice.post(path+"/edit", url.Values{"event_timezone": {"Nowhere"}, "event_place_longitude": {"200"}})
	pages["event, cancel error"] = w.alice.post(path+"/cancel", url.Values{})
	w.alice.post(path+"/cancel", url.Values{"confirm": {"on"}}).redirectsTo(t, path+"?done=cancelled")
	pages["event, cancelled"] = w.visitor.get(path)
	pages["event, cancelled, board"] = w.alice.get(path + "?done=cancelled")
	pages["agenda, one event"] = w.visitor.get("/@fete/events")
	// The network agenda: empty, full (with a partner's copy), in French,
	// and with its filters refused.
	pages["network agenda, nothing matches"] = w.visitor.get("/network/events?tag=nothing")
	partnerCopies(t, in, "felix", 1)
	pages["network agenda"] = w.visitor.get("/network/events?cancelled=1")
	pages["network agenda, French"] = fr.get("/network/events?from=2030-01-01")
	pages["network agenda, errors"] = w.visitor.get("/network/events?from=soon&to=2000-01-01&tag=" + strings.Repeat("t", 60))
}
