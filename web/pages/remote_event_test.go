package pages_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/agenda"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store/storetest"
	"github.com/holon-network/holon/web/webtest"
)

// On b, bob opens the copy of an event of garden (on a, which he follows):
// organised by garden@a, with a link to the original; he asks to take part
// with the form (sent, pending), and once a's board declines he reads the
// organiser's answer and its reason, in English and in French; then he
// forgets it. A cancelled copy offers no form.
func TestRemoteEventPage_JoinFromThePage(t *testing.T) {
	for _, driver := range storetest.Drivers {
		t.Run(string(driver), func(t *testing.T) {
			ctx := context.Background()
			a := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.2", nil)
			b := webtest.StartOn(t, storetest.Open(t, driver), "127.0.0.3", nil)
			ada, err := a.Members.CreateAccount(ctx, membership.NewAccount{Username: "ada", Email: "ada@example.org", Password: "long enough pw"}, membership.RoleUser)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Members.CreateAssociation(ctx, ada, membership.NewAssociation{Name: "garden"}); err != nil {
				t.Fatal(err)
			}
			bob := newBrowser(t, b)
			bob.signUp("bob")
			bob.post("/follows", url.Values{"action": {"follow"}, "target": {"garden@" + a.Config.Server.Host}}).redirectsTo(t, "/follows?done=followed")
			settle(t, a, b)

			s := func(v string) *string { return &v }
			start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
			e, err := a.Events.Create(ctx, ada, "garden", agenda.EventInput{Name: s("Board meeting"), Description: s("We decide the beds."),
				Start: s(start.Format(time.RFC3339)), End: s(start.Add(2 * time.Hour).Format(time.RFC3339)), Timezone: s("Europe/Paris"),
				Place: &agenda.PlaceInput{Name: "Shed", Locality: "Lyon"}, JoinMode: s(agenda.JoinApproval)})
			if err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			kept, err := b.Events.RemoteEventByURI(ctx, e.URI)
			if err != nil {
				t.Fatal(err)
			}
			path := "/events/" + kept.ID.String()
			handle := "@garden@" + a.Config.Server.Host

			shown := map[string]*page{}
			visitor := newBrowser(t, b)
			shown["visitor"] = visitor.get(path)
			shown["visitor"].want(t, http.StatusOK).contains(t, "Board meeting", "Organised by", handle, `href="`+e.URI+`"`,
				"<p>We decide the beds.</p>", "Shed", "Lyon", "Sign in to take part")
			p := bob.get(path).want(t, http.StatusOK)
			p.contains(t, `action="`+path+`/participation"`, "Ask to take part")
			bob.post(path+"/participation", url.Values{}).redirectsTo(t, path+"?done=participating")
			p = bob.get(path+"?done=participating").want(t, http.StatusOK)
			shown["pending"] = p
			p.contains(t, "Your request was sent to the organiser.", "Your request waits for the organiser’s answer")
			p.lacks(t, `id="participate"`)
			settle(t, a, b)
			if _, err := a.Events.Reject(ctx, ada, e.ID, "bob@"+b.Config.Server.Host); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			shown["rejected"] = bob.get(path)
			shown["rejected"].want(t, http.StatusOK).contains(t, "The organiser declined your participation",
				"the organisers declined the participation", "Forget this answer")
			acc, err := b.Members.Account(ctx, "bob")
			if err != nil {
				t.Fatal(err)
			}
			if acc, err = b.Members.UpdateProfile(ctx, acc, membership.ProfileChange{Locale: s("fr")}); err != nil {
				t.Fatal(err)
			}
			shown["rejected, French"] = bob.get(path)
			shown["rejected, French"].want(t, http.StatusOK).contains(t, `lang="fr"`, "Organisé par", "L’organisateur a refusé votre participation")
			if _, err = b.Members.UpdateProfile(ctx, acc, membership.ProfileChange{Locale: s("en")}); err != nil {
				t.Fatal(err)
			}
			bob.post(path+"/leave", url.Values{}).redirectsTo(t, path+"?done=left")
			p = bob.get(path).want(t, http.StatusOK)
			p.contains(t, "Ask to take part")
			p.lacks(t, `id="my-state"`)

			if _, err := a.Events.Cancel(ctx, ada, e.ID); err != nil {
				t.Fatal(err)
			}
			settle(t, a, b)
			p = bob.get(path).want(t, http.StatusOK)
			p.contains(t, "This event is over or cancelled")
			p.lacks(t, `id="participate"`)
			shown["refused"] = bob.post(path+"/participation", url.Values{})
			shown["refused"].want(t, http.StatusUnprocessableEntity).contains(t, "This event is cancelled.")
			for name, p := range shown {
				t.Run(name, func(t *testing.T) {
					checkAccessible(t, p)
					for _, banned := range []string{" style=", "<script", "javascript:"} {
						if strings.Contains(strings.ToLower(p.Body), banned) {
							t.Errorf("page holds %q", banned)
						}
					}
				})
			}
		})
	}
}
