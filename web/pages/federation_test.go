package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// settle runs the instances' delivery workers and inbox processors until
// nothing is left to do.
func settle(t *testing.T, instances ...*webtest.Instance) {
	t.Helper()
	ctx := context.Background()
	for range 10 {
		busy := 0
		for _, in := range instances {
			n, err := in.Federation.Delivery.DeliverDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			m, err := in.Federation.Processor.ProcessDue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			busy += n + m
		}
		if busy == 0 {
			return
		}
	}
	t.Fatal("the instances never settled")
}

// A person on one instance follows an association on another from the
// follows page, and its news reaches their home timeline.
func TestFederation_FollowAnAssociationElsewhereAndReadItsNews(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.1", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			aHost := a.Config.Server.Host

			alice := newBrowser(t, a)
			alice.signUp("alice")
			alice.createAssociation("jardin")

			bob := newBrowser(t, b)
			bob.signUp("bob")
			bob.get("/follows").want(t, http.StatusOK)
			bob.post("/follows", url.Values{"action": {"follow"}, "target": {"jardin@" + aHost}}).redirectsTo(t, "/follows?done=followed")
			bob.get("/follows?done=followed").want(t, http.StatusOK).contains(t, "@jardin@"+aHost, "waiting for an answer")
			settle(t, a, b)
			bob.get("/follows").want(t, http.StatusOK).contains(t, "@jardin@"+aHost, "following")
			profile := bob.get("/@jardin@"+aHost).want(t, http.StatusOK)
			profile.contains(t, "You follow this account.")

			alice.compose(url.Values{"content": {"Harvest festival on **Sunday**, everyone welcome #jardin"},
				"author": {"jardin"}, "back": {"/@jardin"}}).redirectsTo(t, "/@jardin?done=posted")
			settle(t, a, b)

			home := bob.get("/").want(t, http.StatusOK)
			home.contains(t, "Harvest festival on <strong>Sunday</strong>", "@jardin@"+aHost)
			note := newest(t, b, "bob")
			path := "/@jardin@" + aHost + "/notes/" + note.ID.String()
			home.contains(t, path)
			bob.get(path).want(t, http.StatusOK).contains(t, "Harvest festival")
			bob.get("/@jardin@"+aHost).want(t, http.StatusOK).contains(t, "Harvest festival")
			newBrowser(t, b).get("/network").want(t, http.StatusOK).contains(t, "Harvest festival")

			// bob likes it from his home: the like reaches the association's instance
			bob.post(path, url.Values{"action": {"like"}, "back": {"/"}}).redirectsTo(t, "/")
			settle(t, a, b)
			alice.get("/@jardin").want(t, http.StatusOK).contains(t, "1 like")
		})
	}
}
