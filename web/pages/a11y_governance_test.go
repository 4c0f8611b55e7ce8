package pages_test

import (
	"net/url"
	"testing"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/web/webtest"
)

// visitGovernancePages walks the pages of proposals, the register of
// decisions and voting instructions in every state they show (each phase,
// ballots and their refusals, outcomes, forms filled in from another page),
// for the checks of every page (accessibility, no inline code).
func visitGovernancePages(t *testing.T, in *webtest.Instance, pages map[string]*page) {
	t.Helper()
	w := newWorkNamed(t, in, "parish", "petra", "theo", "paul", "rene", "vic")
	project := w.project("Bell tower")
	task := w.task(project, "Oil the bell", "other", "80.00")
	w.donate("300.00", "general", "Dora", true)
	pages["decisions, empty"] = w.visitor.get("/@parish/decisions")
	// Two proposals with a one-second consensus round, moved on below
	// once the other pages are visited: one adopted, one to the value vote.
	w.periods("0s", "1s", "168h")
	fund := w.propose(w.alice, url.Values{"category": {"budget_allocation"}, "title": {"Oil the bell"},
		"actions[0].kind": {"allocate"}, "actions[0].task": {task}, "actions[0].amount": {"40.00"}})
	colour := w.propose(w.alice, url.Values{"title": {"Colour of the bell"}, "options": {"Bronze\nGold"}})
	for _, who := range []string{"petra", "theo", "paul", "rene"} {
		w.voteInCore(who, fund, governance.BallotInput{Position: governance.Agree})
	}
	w.voteInCore("paul", colour, governance.BallotInput{Position: governance.Object})
	w.periods("72h", "168h", "168h")
	debated := w.propose(w.alice, url.Values{"title": {"Ring on Sundays"}, "body": {"Ring at ten.\n\nNot earlier."}})
	w.periods("0s", "168h", "168h")
	voting := w.propose(w.alice, url.Values{"title": {"Open the tower"}})

	pages["new proposal"] = w.bob.get("/@parish/proposals/new")
	pages["new proposal, errors"] = w.bob.post("/@parish/proposals/new", url.Values{"category": {"general"}, "options": {"Only one"},
		"actions[1].kind": {"change_setting"}, "actions[1].setting": {"nothing"}})
	allocation := w.tom.post("/tasks/"+task+"/allocations", url.Values{"amount": {"5000.00"}, "from": {"general"}})
	pages["task, allocation needs a proposal"] = allocation
	pages["new proposal, filled in"] = w.tom.post("/@parish/proposals/new", url.Values{"prefill": {"1"}, "category": {"budget_allocation"},
		"title": {"Allocate"}, "actions[0].kind": {"allocate"}, "actions[0].task": {task}, "actions[0].amount": {"5000.00"}})
	pages["proposal, debate, author"] = w.alice.get("/proposals/" + debated)
	pages["proposal, debate, member"] = w.bob.get("/proposals/" + debated)
	w.ballot(w.bob, voting, consensusBallot("agree", "Yes"))
	w.rita.post("/@parish/delegations", url.Values{"delegates_all": {"@paul"}}).redirectsTo(t, "/@parish/delegations?done=saved")
	pages["proposal, consensus, voted"] = w.bob.get("/proposals/" + voting + "?done=voted")
	pages["proposal, consensus, delegated"] = w.rita.get("/proposals/" + voting)
	pages["proposal, consensus, visitor"] = w.visitor.get("/proposals/" + voting)
	pages["proposal, ballot error"] = w.bob.post("/proposals/"+voting+"/ballots", consensusBallot("maybe", ""))
	pages["proposal, ballot refused to a non-member"] = w.eve.post("/proposals/"+voting+"/ballots", consensusBallot("agree", ""))
	pages["delegations"] = w.rita.get("/@parish/delegations?done=saved")
	pages["delegations, errors"] = w.rita.post("/@parish/delegations", url.Values{"delegates_all": {"@rene"}, "delegates_general": {"@nobody"}})
	fr := w.frenchMember("fleur")
	pages["delegations, French"] = fr.get("/@parish/delegations")
	pages["proposal, French"] = fr.get("/proposals/" + voting)
	pages["new proposal, French errors"] = fr.post("/@parish/proposals/new", url.Values{"category": {"settings"}})

	w.advanceAfter(*w.proposalOf(colour).Deadline)
	pages["proposal, adopted, visitor"] = w.visitor.get("/proposals/" + fund)
	pages["proposal, value vote"] = w.bob.get("/proposals/" + colour)
	pages["proposal, value vote error"] = w.bob.post("/proposals/"+colour+"/ballots", url.Values{"phase": {"value_vote"}, "scores[0]": {"9"}})
	w.ballot(w.bob, colour, url.Values{"phase": {"value_vote"}, "scores[0]": {"2"}, "scores[1]": {"4"}})
	pages["proposal, value vote, voted"] = w.bob.get("/proposals/" + colour + "?done=voted")
	w.alice.post("/proposals/"+debated+"/withdrawal", nil).redirectsTo(t, "/proposals/"+debated+"?done=withdrawn")
	pages["proposal, withdrawn"] = w.alice.get("/proposals/" + debated + "?done=withdrawn")
	pages["decisions"] = w.bob.get("/@parish/decisions")

	settings := settingsForm()
	settings.Set("visibility", "members")
	w.alice.post("/@parish/settings", settings).redirectsTo(t, "/@parish/settings?saved=1")
	orchard := idFrom(t, w.bob.post("/@parish/projects/new", projectForm("Orchard")), "/projects/")
	pages["project, evaluation by proposal"] = w.rita.get("/projects/" + orchard)
	pages["decisions, members only"] = w.visitor.get("/@parish/decisions")
}
