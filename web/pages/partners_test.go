package pages_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/holon-network/holon/web/webtest"
)

// The board of commons adds the bakery as a partner on the partners page,
// the bakery's board adds commons back, and commons' board ends it; a
// member sees only the mutual partnership and no form, and may not act.
func TestPartners_TheBoardAddsAndEnds(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		alice, bea, bob, visitor := newBrowser(t, in), newBrowser(t, in), newBrowser(t, in), newBrowser(t, in)
		alice.signUp("alice")
		alice.createAssociation("commons")
		bea.signUp("bea")
		bea.createAssociation("bakery")
		bob.signUp("bob")
		bob.post("/@commons/join", nil).redirectsTo(t, "/@commons")
		host := in.Config.Server.Host
		page := "/@commons/partners"

		visitor.get("/@commons").want(t, http.StatusOK).contains(t, `href="`+page+`"`)
		visitor.get(page).want(t, http.StatusOK).contains(t, "Partners of The commons", "No partner yet.")
		bob.get(page).want(t, http.StatusOK).lacks(t, `id="add-partner"`)
		alice.get(page).want(t, http.StatusOK).contains(t, `id="add-partner"`, "Add a partner (name@host)")

		visitor.post(page, url.Values{"action": {"add"}, "target": {"bakery@" + host}}).redirectsTo(t, "/login?next="+url.QueryEscape(page))
		bob.post(page, url.Values{"action": {"add"}, "target": {"bakery@" + host}}).want(t, http.StatusForbidden)
		alice.post(page, url.Values{"action": {"add"}, "target": {"bob@" + host}}).want(t, http.StatusUnprocessableEntity).
			contains(t, "Only an association can be a partner")
		alice.post(page, url.Values{"action": {"add"}, "target": {""}}).want(t, http.StatusUnprocessableEntity)
		alice.post(page, url.Values{"action": {"dance"}}).want(t, http.StatusUnprocessableEntity).contains(t, "Choose one of the proposed values.")

		alice.post(page, url.Values{"action": {"add"}, "target": {"bakery@" + host}}).redirectsTo(t, page+"?done=added")
		alice.get(page+"?done=added").want(t, http.StatusOK).contains(t, "The association is asked to be a partner", "@bakery@"+host, "asked, waiting for them to follow back")
		bob.get(page).want(t, http.StatusOK).contains(t, "No partner yet.")
		bea.get("/@bakery/partners").want(t, http.StatusOK).contains(t, "@commons@"+host, "they asked to be a partner", "Decline")

		bea.post("/@bakery/partners", url.Values{"action": {"add"}, "target": {in.Config.BaseURL() + "/actors/commons"}}).redirectsTo(t, "/@bakery/partners?done=added")
		mutual := bob.get(page).want(t, http.StatusOK)
		mutual.contains(t, "@bakery@"+host, ">partner<")
		mutual.lacks(t, "End the partnership")

		bob.post(page, url.Values{"action": {"end"}, "target": {"bakery@" + host}}).want(t, http.StatusForbidden)
		alice.post(page, url.Values{"action": {"end"}, "target": {"bakery@" + host}}).redirectsTo(t, page+"?done=ended")
		alice.get(page+"?done=ended").want(t, http.StatusOK).contains(t, "The partnership is ended", "No partner yet.")
		bea.get("/@bakery/partners").want(t, http.StatusOK).contains(t, "No partner yet.")
		alice.post(page, url.Values{"action": {"end"}, "target": {"bakery@" + host}}).want(t, http.StatusNotFound).
			contains(t, "This association is not a partner")

		fr := newBrowser(t, in)
		fr.lang = "fr"
		fr.get(page).want(t, http.StatusOK).contains(t, "Partenaires de The commons", "Pas encore de partenaire.")
	})
}

// visitPartnerPages adds the partners pages to visitEveryPage's walk:
// alice is on the board of commons, bob a member.
func visitPartnerPages(t *testing.T, in *webtest.Instance, alice, bob *browser, pages map[string]*page) {
	t.Helper()
	alice.createAssociation("partnerco")
	alice.post("/@commons/partners", url.Values{"action": {"add"}, "target": {"partnerco@" + in.Config.Server.Host}}).redirectsTo(t, "/@commons/partners?done=added")
	pages["partners, board"] = alice.get("/@commons/partners?done=added")
	pages["partners, error"] = alice.post("/@commons/partners", url.Values{"action": {"add"}, "target": {"nobody"}})
	pages["partners, member"] = bob.get("/@commons/partners")
}
