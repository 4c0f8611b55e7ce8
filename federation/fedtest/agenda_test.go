package fedtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/holon-network/holon/federation/fedtest"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store"
)

// The agenda issue's "done when", on three running instances. garden (on
// A) and orchard (on B) become partners by name@host, each board adding
// the other. An event garden creates on A, with four places, is then in
// B's network agenda, and its update in B's copy; A serves it to anyone
// as an Event that reads as Mobilizon's own do (the terms of Mobilizon's fixture, with the same
// kinds of values). Three people on B join through B's copy, one on C
// through the event's address and one on A, all at once: A counts four
// participants and one on the waiting list, exactly, and each person's
// own instance says which they are. The iCalendar feeds of A (the
// association's) and of B (the network's, with the partner's event)
// parse with an iCalendar library that did not write them. Last, garden
// cancels the event, and the copies on B and on C say so.
func TestAgenda_AcrossRunningInstances(t *testing.T) {
	t.Parallel()
	eachDriver(t, func(t *testing.T, driver store.Driver) {
		lap := stopwatch(t)
		c := fedtest.New(t, driver)
		in := c.StartAll([]string{"a", "b", "c"})
		a, b, cc := in[0], in[1], in[2]
		users := fedtest.NewUsers(t, fedtest.Account{In: a, Name: "ada"}, fedtest.Account{In: a, Name: "abe"},
			fedtest.Account{In: b, Name: "bob"}, fedtest.Account{In: b, Name: "bea"}, fedtest.Account{In: b, Name: "ben"},
			fedtest.Account{In: cc, Name: "carol"})
		ada, abe, bob, bea, ben, carol := users[0], users[1], users[2], users[3], users[4], users[5]
		lap("three instances")

		// Partners: each board adds the other by name@host.
		call(t, ada, "POST", "/associations", object{"name": "garden"}, http.StatusCreated)
		call(t, bob, "POST", "/associations", object{"name": "orchard"}, http.StatusCreated)
		garden, orchard := "garden@"+a.Host, "orchard@"+b.Host
		partnerAdded(t, ada, "garden", orchard)
		partnerAdded(t, bob, "orchard", garden)
		for _, side := range []struct {
			u           *fedtest.User
			association string
			partner     string
		}{{ada, "garden", orchard}, {bob, "orchard", garden}} {
			fedtest.Eventually(t, within, side.association+"'s partnership is mutual", func() error {
				got := call(t, side.u, "GET", "/associations/"+side.association+"/partners", nil, http.StatusOK)
				for _, p := range list(got, "items") {
					if p["acct"] == side.partner && p["state"] == "mutual" {
						return nil
					}
				}
				return fmt.Errorf("partners %v", got)
			})
		}
		lap("garden and orchard partners")

		// garden's event, four places.
		day := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
		ev := call(t, ada, "POST", "/associations/garden/events", object{
			"name": "Seed swap", "summary": "Bring the seeds you saved", "start": day + "T14:00", "end": day + "T17:30",
			"description": "Seeds of the season, swapped by the handful.", "timezone": "Europe/Paris", "capacity": 4, "tags": []string{"seeds"},
			"place": object{"name": "Community hall", "street_address": "3 rue des Lilas", "locality": "Lyon",
				"postal_code": "69001", "country": "France", "latitude": 45.767, "longitude": 4.834},
		}, http.StatusCreated)
		eventURI, _ := ev["uri"].(string)
		eventID, _ := ev["id"].(string)

		// B's network agenda shows it, as garden's, with its place.
		var copyID string
		fedtest.Eventually(t, within, "the event is in B's network agenda", func() error {
			got := call(t, bob, "GET", "/network/events?tag=seeds", nil, http.StatusOK)
			for _, e := range list(got, "items") {
				if e["uri"] == eventURI {
					copyID, _ = e["id"].(string)
					if e["remote"] != true || e["handle"] != garden {
						return fmt.Errorf("the event in B's agenda is not garden's: %v", e)
					}
					return nil
				}
			}
			return fmt.Errorf("B's network agenda %v", got)
		})
		lap("the event in B's network agenda")

		// garden changes it: B's copy follows.
		call(t, ada, "PATCH", "/events/"+eventID, object{"description": "Seeds of the season, and jars to take them home."}, http.StatusOK)
		fedtest.Eventually(t, within, "B's copy is updated", func() error {
			got := call(t, bob, "GET", "/events/"+copyID, nil, http.StatusOK)
			if !strings.Contains(fmt.Sprint(got["description"]), "jars") {
				return fmt.Errorf("B's copy: %v", got["description"])
			}
			return nil
		})
		lap("the update reaches B")

		// A Mobilizon-shaped consumer reads it: the document has the terms
		// Mobilizon's own event has, with values of the same kinds.
		doc := fetchActivity(t, eventURI)
		checkMobilizonShape(t, doc)
		if doc["name"] != "Seed swap" || doc["timezone"] != "Europe/Paris" || doc["maximumAttendeeCapacity"] != float64(4) {
			t.Errorf("the event's document: %v", doc)
		}

		// Five people join at once: three on B through its copy, carol on
		// C through the event's address, abe on A.
		carolsID, _ := call(t, carol, "GET", "/resolve?q="+url.QueryEscape(eventURI), nil, http.StatusOK)["id"].(string)
		joins := []struct {
			u     *fedtest.User
			event string
			want  int
		}{
			{bob, copyID, http.StatusAccepted}, {bea, copyID, http.StatusAccepted}, {ben, copyID, http.StatusAccepted},
			{carol, carolsID, http.StatusAccepted}, {abe, eventID, http.StatusCreated},
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(joins))
		for _, j := range joins {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, raw, err := j.u.Do("POST", "/events/"+j.event+"/participation", object{}, nil)
				if err == nil && status != j.want {
					err = fmt.Errorf("%s joins: HTTP %d, want %d: %s", j.u.Name, status, j.want, raw)
				}
				if err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}

		// A counts exactly: four participants, one waiting.
		fedtest.Eventually(t, within, "A counts every join", func() error {
			got := call(t, ada, "GET", "/events/"+eventID, nil, http.StatusOK)
			if got["participant_count"] != float64(4) || got["waitlist_count"] != float64(1) {
				return fmt.Errorf("counts on A: %v participants, %v waiting", got["participant_count"], got["waitlist_count"])
			}
			return nil
		})
		// Each remote person's instance knows where they stand: four
		// accepted in all (abe's own, on A, counts as one), the fifth
		// still waiting for a place.
		states := map[string]int{}
		fedtest.Eventually(t, within, "the remote participations are answered", func() error {
			clear(states)
			for _, j := range joins[:4] {
				got := call(t, j.u, "GET", "/events/"+j.event, nil, http.StatusOK)
				p, _ := got["my_participation"].(map[string]any)
				states[fmt.Sprint(p["state"])]++
			}
			if abeState := call(t, abe, "GET", "/events/"+eventID+"/participation", nil, http.StatusOK)["state"]; abeState == "participant" {
				states["participant"]++
			} else {
				states[fmt.Sprint(abeState)]++
			}
			if states["participant"] != 4 {
				return fmt.Errorf("states %v", states)
			}
			return nil
		})
		if n := states["pending"] + states["waitlisted"]; n != 1 {
			t.Errorf("states %v: one person should be waiting", states)
		}
		if got := fetchActivity(t, eventURI); got["participantCount"] != float64(4) {
			t.Errorf("the document's participantCount %v, want 4", got["participantCount"])
		}
		lap("five joins from three instances, counted on A")

		// The iCalendar feeds: A's association's, and B's network feed
		// with the partner's event.
		for _, feed := range []struct {
			u    *fedtest.User
			path string
		}{{ada, "/associations/garden/events.ics"}, {bob, "/network/events.ics"}} {
			status, raw := feed.u.Call(t, "GET", feed.path, nil, nil)
			if status != http.StatusOK {
				t.Fatalf("%s on %s: HTTP %d %s", feed.path, feed.u.In.Name, status, raw)
			}
			checkCalendarHas(t, raw, eventURI, "Seed swap", "Europe/Paris")
		}
		lap("iCalendar feeds")

		// garden cancels: the partner's copy and carol's, on C, say so.
		call(t, ada, "POST", "/events/"+eventID+"/cancel", nil, http.StatusOK)
		for _, copyOf := range []struct {
			u  *fedtest.User
			id string
		}{{bob, copyID}, {carol, carolsID}} {
			fedtest.Eventually(t, within, copyOf.u.In.Name+"'s copy is cancelled", func() error {
				if got := call(t, copyOf.u, "GET", "/events/"+copyOf.id, nil, http.StatusOK); got["status"] != "cancelled" {
					return fmt.Errorf("status %v", got["status"])
				}
				return nil
			})
		}
		lap("the cancellation reaches B and C")
	})
}

// partnerAdded has u's board add partner to association.
func partnerAdded(t *testing.T, u *fedtest.User, association, partner string) {
	t.Helper()
	status, raw := u.Call(t, "POST", "/associations/"+association+"/partners", object{"target": partner}, nil)
	if status != http.StatusAccepted && status != http.StatusOK {
		t.Fatalf("%s adds %s as partner: HTTP %d %s", association, partner, status, raw)
	}
}

// fetchActivity GETs uri as ActivityPub JSON, as any server would.
func fetchActivity(t *testing.T, uri string) map[string]any {
	t.Helper()
	req, err := http.NewRequest("GET", uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %s", uri, resp.StatusCode, raw)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("GET %s: %v: %s", uri, err, raw)
	}
	return doc
}

// checkMobilizonShape checks that doc has the terms a Mobilizon event has
// (its fixture), each with a value of the same JSON kind, so that what
// reads Mobilizon's events reads ours.
func checkMobilizonShape(t *testing.T, doc map[string]any) {
	t.Helper()
	var mz map[string]any
	raw, err := os.ReadFile(filepath.Join(fixtures.Dir(t), "mobilizon-event.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &mz); err != nil {
		t.Fatal(err)
	}
	kind := func(v any) string { return fmt.Sprintf("%T", v) }
	for _, term := range []string{"type", "id", "name", "startTime", "endTime", "timezone", "joinMode",
		"maximumAttendeeCapacity", "participantCount", "remainingAttendeeCapacity", "category", "isOnline",
		"attributedTo", "url", "content", "location", "tag", "published", "updated", "ical:status"} {
		want, got := mz[term], doc[term]
		if got == nil {
			t.Errorf("the event has no %q (Mobilizon's has %v)", term, want)
			continue
		}
		if want != nil && kind(want) != kind(got) && !(term == "url" || term == "tag") {
			t.Errorf("%q is a %s, Mobilizon's a %s", term, kind(got), kind(want))
		}
	}
	loc, _ := doc["location"].(map[string]any)
	addr, _ := loc["address"].(map[string]any)
	if loc["type"] != "Place" || addr["type"] != "PostalAddress" || addr["addressLocality"] == nil {
		t.Errorf("location %v, want a Place with a PostalAddress as Mobilizon's", doc["location"])
	}
}

// checkCalendarHas parses feed with emersion/go-ical (Holon writes it with
// arran4/golang-ical) and finds the event uid in it, named name, starting
// in the time zone tz, which the calendar defines.
func checkCalendarHas(t *testing.T, feed, uid, name, tz string) {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader([]byte(feed))).Decode()
	if err != nil {
		t.Fatalf("parse the calendar: %v\n%s", err, feed)
	}
	if err := goical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Fatalf("not a valid calendar: %v", err)
	}
	zones := map[string]bool{}
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			zones[c.Props.Get(goical.PropTimezoneID).Value] = true
		}
	}
	for _, ev := range cal.Events() {
		if got, _ := ev.Props.Text(goical.PropUID); got != uid {
			continue
		}
		if got, _ := ev.Props.Text(goical.PropSummary); got != name {
			t.Errorf("event %s: SUMMARY %q, want %q", uid, got, name)
		}
		start := ev.Props.Get(goical.PropDateTimeStart)
		if start == nil || start.Params.Get(goical.ParamTimezoneID) != tz || !zones[tz] {
			t.Errorf("event %s: DTSTART %+v, want in %s, defined by a VTIMEZONE (zones %v)", uid, start, tz, zones)
		}
		return
	}
	t.Errorf("the calendar has no event %s:\n%s", uid, feed)
}
