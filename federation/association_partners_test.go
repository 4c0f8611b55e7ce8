package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/internal/fixtures"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// partnersOf returns association name's partners on in through the API, as
// the holder of token sees them (anyone, for ""): acct → state.
func partnersOf(t *testing.T, in *webtest.Instance, token, name string) map[string]string {
	t.Helper()
	path := "/associations/" + name + "/partners"
	var status int
	var body map[string]any
	if token == "" {
		status, body = getJSON(t, in.URL+"/api/holon/v1"+path)
	} else {
		status, body = api(t, in, token, "GET", path, nil)
	}
	if status != http.StatusOK {
		t.Fatalf("partners of %s: %d %v", name, status, body)
	}
	got := map[string]string{}
	items, _ := body["items"].([]any)
	for _, it := range items {
		p := it.(map[string]any)
		got[p["acct"].(string)] = p["state"].(string)
	}
	return got
}

// followState is the state of follower's follow of followed as in knows it.
func followState(t *testing.T, in *webtest.Instance, follower, followed string) string {
	t.Helper()
	st, err := in.Members.FollowState(context.Background(), follower, followed)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Two associations on two instances become partners, each board adding
// the other by name@host: the Follows are the associations' own (signed
// with their keys), answered by Accepts; once mutual, what B's association
// publishes (a note, a task) reaches A's network views, because a local
// actor of A (the association) follows it. A's board ends the partnership:
// the Undo and the Reject remove both follows on both instances.
func TestAssociationPartners_BetweenTwoInstances(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			alice, aliceToken := account(t, a, "alice")
			zoe, zoeToken := account(t, b, "zoe")
			_, yanToken := account(t, b, "yan")
			if _, err := a.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Members.CreateAssociation(ctx, zoe, membership.NewAssociation{Name: "orchard"}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Members.UpdateAssociation(ctx, zoe, "orchard", membership.AssociationChange{
				Settings: membership.SettingsChange{BoardMayEvaluateProjects: ptr(true), FollowApproval: ptr(true)}}); err != nil {
				t.Fatal(err)
			}
			garden, orchard := a.Config.BaseURL()+"/actors/garden", b.Config.BaseURL()+"/actors/orchard"
			gardenAcct, orchardAcct := "garden@"+a.Config.Server.Host, "orchard@"+b.Config.Server.Host

			// Only the board, only associations.
			if status, body := api(t, b, yanToken, "POST", "/associations/orchard/partners", map[string]any{"target": gardenAcct}); status != http.StatusForbidden {
				t.Fatalf("a non-member adds a partner: %d %v", status, body)
			}
			if status, body := api(t, a, aliceToken, "POST", "/associations/garden/partners", map[string]any{"target": "zoe@" + b.Config.Server.Host}); status != http.StatusBadRequest ||
				!strings.Contains(body["detail"].(string), "not an association") {
				t.Fatalf("a person as partner: %d %v", status, body)
			}

			// A's board adds orchard: garden's Follow, signed by garden.
			status, body := api(t, a, aliceToken, "POST", "/associations/garden/partners", map[string]any{"target": orchardAcct})
			if status != http.StatusAccepted || body["state"] != membership.PartnerRequested || body["actor"] != orchard {
				t.Fatalf("A adds orchard: %d %v", status, body)
			}
			if sent := lastSent(t, a); sent["type"] != "Follow" || sent["actor"] != garden || sent["object"] != orchard {
				t.Fatalf("A sent %v", sent)
			}
			settle(t, a, b)
			// Orchard approves follows, so garden's waits for its board,
			// which sees an offer.
			if st := followState(t, b, garden, orchard); st != membership.FollowPending {
				t.Fatalf("on B, garden's follow of orchard: %q", st)
			}
			if got := partnersOf(t, b, zoeToken, "orchard"); got[gardenAcct] != membership.PartnerOffered {
				t.Fatalf("B's board sees %v", got)
			}
			// B's board adds garden: that accepts garden's follow and
			// follows back, with no second approval on A.
			if status, body := api(t, b, zoeToken, "POST", "/associations/orchard/partners", map[string]any{"target": gardenAcct}); status != http.StatusAccepted {
				t.Fatalf("B adds garden: %d %v", status, body)
			}
			settle(t, a, b)
			for _, side := range []struct {
				in             *webtest.Instance
				token, name    string
				other, actor   string
				otherActorAcct string
			}{{a, aliceToken, "garden", orchard, garden, orchardAcct}, {b, zoeToken, "orchard", garden, orchard, gardenAcct}} {
				if st := followState(t, side.in, side.actor, side.other); st != membership.FollowAccepted {
					t.Fatalf("%s follows %s: %q", side.actor, side.other, st)
				}
				if st := followState(t, side.in, side.other, side.actor); st != membership.FollowAccepted {
					t.Fatalf("%s follows %s: %q", side.other, side.actor, st)
				}
				if got := partnersOf(t, side.in, side.token, side.name); len(got) != 1 || got[side.otherActorAcct] != membership.PartnerMutual {
					t.Fatalf("%s's partners: %v", side.name, got)
				}
				if got := partnersOf(t, side.in, "", side.name); got[side.otherActorAcct] != membership.PartnerMutual {
					t.Fatalf("%s's partners, public: %v", side.name, got)
				}
			}

			// Orchard publishes a note and a task: they reach A's network
			// views.
			note, err := b.News.Post(ctx, zoe, news.PostInput{Author: "orchard", Content: "Apple picking on Saturday"})
			if err != nil {
				t.Fatal(err)
			}
			p, err := b.Projects.Propose(ctx, zoe, "orchard", projects.ProjectInput{Name: ptr("Old orchard"),
				Summary: ptr("Save the old trees"), Licence: ptr("CC-BY-SA-4.0"), Architecture: ptr("centralised")})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Projects.Evaluate(ctx, zoe, p.ID, projects.Accept, "yes"); err != nil {
				t.Fatal(err)
			}
			task, err := b.Projects.AddTask(ctx, zoe, p.ID, projects.TaskInput{Name: "Prune the pear trees", Category: "other",
				DoneCriteria: []string{"Twelve trees pruned"}, Budget: "120.00", EstimatedEffort: "8h", MaxReservation: "168h",
				Reviewers: []string{orchard}})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			status, timeline := api(t, a, aliceToken, "GET", "/timelines/network", nil)
			if status != http.StatusOK || !strings.Contains(jsonText(timeline), note.URI) {
				t.Fatalf("A's network timeline lacks orchard's note %s: %d %v", note.URI, status, timeline)
			}
			taskURI := b.Config.BaseURL() + "/tasks/" + task.ID.String()
			list, _, err := a.Projects.NetworkCatalogue(ctx, projects.CatalogueQuery{Status: "open"})
			if err != nil || len(list) != 1 || list[0].URI != taskURI || list[0].Association != orchard {
				t.Fatalf("A's network catalogue: %+v %v", list, err)
			}

			// A's board ends it: both follows go, on both sides.
			if status, body := api(t, a, aliceToken, "DELETE", "/associations/garden/partners/"+url.PathEscape(orchardAcct), nil); status != http.StatusNoContent {
				t.Fatalf("A ends: %d %v", status, body)
			}
			settle(t, a, b)
			for _, in := range []*webtest.Instance{a, b} {
				for _, pair := range [][2]string{{garden, orchard}, {orchard, garden}} {
					if st := followState(t, in, pair[0], pair[1]); st != "" {
						t.Fatalf("on %s, %s still follows %s: %q", in.Config.Server.Host, pair[0], pair[1], st)
					}
				}
			}
			if got := partnersOf(t, a, aliceToken, "garden"); len(got) != 0 {
				t.Fatalf("garden's partners after the end: %v", got)
			}
			if got := partnersOf(t, b, zoeToken, "orchard"); len(got) != 0 {
				t.Fatalf("orchard's partners after the end: %v", got)
			}
			if status, body := api(t, a, aliceToken, "DELETE", "/associations/garden/partners/"+url.PathEscape(orchardAcct), nil); status != http.StatusNotFound {
				t.Fatalf("A ends again: %d %v", status, body)
			}
		})
	}
}

// jsonText is v as JSON, to look for a value anywhere in it.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A Lemmy community is a Group: an association's board may add it as a
// partner, a Lemmy user not. The community answers the association's own
// Follow with Lemmy's Accept (the fixture), which the association records;
// the partnership stays requested, for a community follows no one. A
// Reject (Mastodon's, the fixture) later removes the follow; added again
// then ended, the community is sent the Undo of the association's Follow.
func TestAssociationPartners_LemmyCommunity(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			lemmy := startLemmy(t, "127.0.0.3")
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			alice, aliceToken := account(t, peer, "alice")
			if _, err := peer.Members.CreateAssociation(context.Background(), alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			garden := peer.Config.BaseURL() + "/actors/garden"
			community, picard := lemmy.base+"/c/tenforward", lemmy.base+"/u/picard"

			status, body := api(t, peer, aliceToken, "POST", "/associations/garden/partners", map[string]any{"target": picard})
			if errs, _ := body["errors"].([]any); status != http.StatusBadRequest || len(errs) != 1 ||
				errs[0].(map[string]any)["field"] != "target" || errs[0].(map[string]any)["code"] != "not-an-association" {
				t.Fatalf("a Lemmy user as partner: %d %v", status, body)
			}
			add := func() map[string]any {
				t.Helper()
				if status, body := api(t, peer, aliceToken, "POST", "/associations/garden/partners", map[string]any{"target": community}); status != http.StatusAccepted ||
					body["state"] != membership.PartnerRequested {
					t.Fatalf("add the community: %d %v", status, body)
				}
				delivered(t, peer, 1)
				follow := lemmy.lastReceived()
				if follow["type"] != "Follow" || follow["actor"] != garden || follow["object"] != community {
					t.Fatalf("the community received %v", follow)
				}
				return follow
			}
			follow := add()
			accept := lemmy.fixture("lemmy-accept-follow.json")
			accept["id"], accept["actor"], accept["to"], accept["object"] = lemmy.base+"/activities/accept/1", community, []string{garden}, follow
			if got := lemmy.send("/c/tenforward", peer.URL+"/inbox", accept); got != http.StatusAccepted {
				t.Fatalf("Accept: %d", got)
			}
			processed(t, peer, 1)
			if st := followState(t, peer, garden, community); st != membership.FollowAccepted {
				t.Fatalf("garden's follow after Lemmy's Accept: %q", st)
			}
			if got := partnersOf(t, peer, aliceToken, "garden"); len(got) != 1 || got["tenforward@"+strings.TrimPrefix(lemmy.base, "http://")] != membership.PartnerRequested {
				t.Fatalf("garden's partners: %v", got)
			}

			reject := fixtures.JSON(t, "mastodon-reject-follow.json")
			reject["id"], reject["actor"], reject["object"] = lemmy.base+"/activities/reject/1", community, follow
			delete(reject, "signature")
			if got := lemmy.send("/c/tenforward", peer.URL+"/inbox", reject); got != http.StatusAccepted {
				t.Fatalf("Reject: %d", got)
			}
			processed(t, peer, 1)
			if st := followState(t, peer, garden, community); st != "" {
				t.Fatalf("garden's follow after the Reject: %q", st)
			}
			if got := partnersOf(t, peer, aliceToken, "garden"); len(got) != 0 {
				t.Fatalf("garden's partners after the Reject: %v", got)
			}

			follow = add()
			status, body = api(t, peer, aliceToken, "DELETE", "/associations/garden/partners/"+url.PathEscape(community), nil)
			if status != http.StatusNoContent {
				t.Fatalf("end: %d %v", status, body)
			}
			delivered(t, peer, 1)
			undo := lemmy.lastReceived()
			inner, _ := undo["object"].(map[string]any)
			if undo["type"] != "Undo" || undo["actor"] != garden || inner["id"] != follow["id"] || inner["actor"] != garden || inner["object"] != community {
				t.Fatalf("the community received %v", undo)
			}
		})
	}
}

// A Group that asks to follow an association (Lemmy's Follow, the
// fixture, sent by a community) is offered as a partner to its board,
// which completes it by adding the Group: the Accept of its Follow and the
// association's own Follow go out. Its Undo (Lemmy's, the fixture) takes
// its side back.
func TestAssociationPartners_AGroupAsksFirst(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			lemmy := startLemmy(t, "127.0.0.3")
			peer := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			alice, aliceToken := account(t, peer, "alice")
			if _, err := peer.Members.CreateAssociation(ctx, alice, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			if _, err := peer.Members.UpdateAssociation(ctx, alice, "garden", membership.AssociationChange{
				Settings: membership.SettingsChange{FollowApproval: ptr(true)}}); err != nil {
				t.Fatal(err)
			}
			garden, community := peer.Config.BaseURL()+"/actors/garden", lemmy.base+"/c/tenforward"
			acct := "tenforward@" + strings.TrimPrefix(lemmy.base, "http://")

			follow := lemmy.fixture("lemmy-follow.json")
			// The fixture's ids live on Lemmy's other test host: moved to the site.
			follow["id"], follow["actor"], follow["to"], follow["object"] = lemmy.base+"/activities/follow/1", community, []string{garden}, garden
			if got := lemmy.send("/c/tenforward", peer.URL+"/inbox", follow); got != http.StatusAccepted {
				t.Fatalf("Follow: %d", got)
			}
			processed(t, peer, 1)
			if got := partnersOf(t, peer, aliceToken, "garden"); len(got) != 1 || got[acct] != membership.PartnerOffered {
				t.Fatalf("garden's board sees %v", got)
			}
			if got := partnersOf(t, peer, "", "garden"); len(got) != 0 {
				t.Fatalf("the public sees %v", got)
			}

			// By its link: the site serves no WebFinger.
			if status, body := api(t, peer, aliceToken, "POST", "/associations/garden/partners", map[string]any{"target": community}); status != http.StatusAccepted ||
				body["state"] != membership.PartnerRequested {
				t.Fatalf("add the community: %d %v", status, body)
			}
			if st := followState(t, peer, community, garden); st != membership.FollowAccepted {
				t.Fatalf("the community's follow once added: %q", st)
			}
			delivered(t, peer, 2)
			lemmy.mu.Lock()
			got := lemmy.received[len(lemmy.received)-2:]
			lemmy.mu.Unlock()
			types := map[string]map[string]any{}
			for _, doc := range got {
				types[doc["type"].(string)] = doc
			}
			accept, ours := types["Accept"], types["Follow"]
			if accept == nil || accept["actor"] != garden || accept["object"].(map[string]any)["id"] != follow["id"] ||
				ours == nil || ours["actor"] != garden || ours["object"] != community {
				t.Fatalf("the community received %v", got)
			}

			undo := lemmy.fixture("lemmy-undo-follow.json")
			undo["id"], undo["actor"], undo["to"], undo["object"] = lemmy.base+"/activities/undo/1", community, []string{garden}, follow
			if got := lemmy.send("/c/tenforward", peer.URL+"/inbox", undo); got != http.StatusAccepted {
				t.Fatalf("Undo: %d", got)
			}
			processed(t, peer, 1)
			if st := followState(t, peer, community, garden); st != "" {
				t.Fatalf("the community's follow after its Undo: %q", st)
			}
			if got := partnersOf(t, peer, aliceToken, "garden"); len(got) != 1 || got[acct] != membership.PartnerRequested {
				t.Fatalf("after the Undo garden's board sees %v", got)
			}
		})
	}
}
