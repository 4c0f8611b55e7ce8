package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/web/webtest"
)

// frenchMember signs up name with French as their language and joins the
// association.
func (w *work) frenchMember(name string) *browser {
	w.t.Helper()
	b := newBrowser(w.t, w.in)
	b.post("/signup", url.Values{"username": {name}, "display_name": {displayName(name)},
		"email": {name + "@example.org"}, "password": {password}, "locale": {"fr"}}).redirectsTo(w.t, "/")
	b.post("/@"+w.assoc+"/join", nil).redirectsTo(w.t, "/@"+w.assoc)
	return b
}

// TestGovernancePages_RenderInBothLanguages: every governance page speaks
// the reader's language.
func TestGovernancePages_RenderInBothLanguages(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		fanny := w.frenchMember("fanny")
		w.periods("72h", "168h", "168h")
		debated := w.propose(w.alice, url.Values{"title": {"Paint the door"}})
		w.periods("0s", "168h", "168h")
		voting := w.propose(w.alice, url.Values{"title": {"Open on Sundays"}, "body": {"We open.\n\nAll day."}})
		cases := []struct {
			name, path string
			en, fr     string
		}{
			{"register", "/@commons/decisions", "Decisions of The Commons", "Décisions de The Commons"},
			{"proposal in debate", "/proposals/" + debated, "This proposal is still in debate: ballots open with the consensus round.",
				"Cette proposition est encore en débat : le vote s’ouvre avec le tour de consensus."},
			{"proposal voting", "/proposals/" + voting, "Count so far of the Consensus round", "Décompte en cours du tour « Consensus »"},
			{"new proposal", "/@commons/proposals/new", "New proposal", "Nouvelle proposition"},
			{"voting instructions", "/@commons/delegations", "My voting instructions in The Commons", "Mes consignes de vote dans The Commons"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.bob.get(c.path).want(t, http.StatusOK).contains(t, c.en)
				fanny.get(c.path).want(t, http.StatusOK).contains(t, c.fr)
			})
		}
	})
}

// TestProposalPage_BallotThroughTheForm: a member casts and changes a
// ballot through the form, the live tally follows, and a member who
// delegates sees the way their vote goes.
func TestProposalPage_BallotThroughTheForm(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		w.periods("0s", "168h", "168h")
		id := w.propose(w.alice, url.Values{"title": {"Open on Sundays"}})
		if w.bob.get("/proposals/"+id).want(t, http.StatusOK).byID("position-agree") == nil {
			t.Fatal("no ballot form for a member")
		}
		w.ballot(w.bob, id, consensusBallot("agree", "Good idea"))
		p := w.bob.get("/proposals/"+id+"?done=voted").want(t, http.StatusOK)
		p.contains(t, "Your ballot is recorded.", "Good idea")
		if got := p.text(t, "my-ballot"); !strings.Contains(got, "Your ballot: I agree") {
			t.Errorf("#my-ballot reads %q", got)
		}
		if got := p.text(t, "count-agree") + p.text(t, "participation-text"); got != "11 of 4 voters" {
			t.Errorf("agree and participation read %q", got)
		}
		w.ballot(w.bob, id, consensusBallot("object", "Sundays are for rest"))
		p = w.bob.get("/proposals/"+id).want(t, http.StatusOK)
		if p.text(t, "count-agree") != "0" || p.text(t, "count-object") != "1" || !hasAttr(p.byID("position-object"), "checked") {
			t.Errorf("a changed ballot: agree %s, object %s", p.text(t, "count-agree"), p.text(t, "count-object"))
		}
		w.rita.post("/@commons/delegations", url.Values{"delegates_all": {"@bob"}}).redirectsTo(t, "/@commons/delegations?done=saved")
		if got := w.rita.get("/proposals/"+id).want(t, http.StatusOK).text(t, "vote-chain"); got != "@rita @bob" {
			t.Errorf("rita's vote goes %q, want @rita @bob", got)
		}
		p = w.bob.get("/proposals/"+id).want(t, http.StatusOK)
		if got := p.text(t, "my-carried"); got != "1 other member’s vote goes through yours." {
			t.Errorf("#my-carried reads %q", got)
		}
		if got := p.text(t, "carriers"); !strings.Contains(got, "@bob — carries 1 vote") {
			t.Errorf("#carriers reads %q", got)
		}

		refused := []struct {
			name   string
			by     *browser
			form   url.Values
			status int
			want   string
		}{
			{"an unknown position", w.bob, consensusBallot("maybe", ""), http.StatusUnprocessableEntity, "Choose one of the proposed values."},
			{"a ballot for another round", w.bob, url.Values{"phase": {"value_vote"}, "scores[0]": {"3"}, "scores[1]": {"1"}},
				http.StatusUnprocessableEntity, "This ballot was for another round"},
			{"a ballot by a non-member", w.eve, consensusBallot("agree", ""), http.StatusForbidden, "Only the association’s members may see or do this."},
		}
		for _, c := range refused {
			t.Run(c.name, func(t *testing.T) {
				c.by.post("/proposals/"+id+"/ballots", c.form).want(t, c.status).contains(t, c.want)
			})
		}
		w.visitor.post("/proposals/"+id+"/ballots", consensusBallot("agree", "")).redirectsTo(t, "/login?next=%2Fproposals%2F"+id)
	})
}

// TestProposalPages_PhasesMoveOutcomesAndRegister: an allocation adopted
// by consensus shows what it executed, on its page, in the register and
// in the ledger; a proposal objected to goes to the value vote, whose
// form scores each option.
func TestProposalPages_PhasesMoveOutcomesAndRegister(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		project := w.project("Shared garden")
		task := w.task(project, "Dig the beds", "other", "100.00")
		w.donate("500.00", "general", "Dora", true)
		w.periods("0s", "1s", "168h")
		fund := w.propose(w.alice, url.Values{"category": {"budget_allocation"}, "title": {"Fund the digging"},
			"actions[0].kind": {"allocate"}, "actions[0].task": {task}, "actions[0].amount": {"60.00"}, "actions[0].from": {"general"}})
		colour := w.propose(w.alice, url.Values{"title": {"Colour of the door"}, "options": {"Green\nBlue\nRed"}})
		for _, who := range []string{"alice", "tom", "bob", "rita"} {
			w.voteInCore(who, fund, governance.BallotInput{Position: governance.Agree})
		}
		w.voteInCore("bob", colour, governance.BallotInput{Position: governance.Object, Reason: "Not green"})
		w.advanceAfter(*w.proposalOf(colour).Deadline)

		p := w.visitor.get("/proposals/"+fund).want(t, http.StatusOK)
		if got := p.text(t, "outcome"); !strings.Contains(got, "Adopted in the Consensus round.") {
			t.Errorf("#outcome reads %q", got)
		}
		if got := p.text(t, "actions"); !strings.Contains(got, "Allocate 60.00 EUR to the task Dig the beds") ||
			!strings.Contains(got, "done") || !strings.Contains(got, "see it in the ledger") {
			t.Errorf("#actions reads %q", got)
		}
		p.contains(t, "Count of the Consensus round", "Outcome of the count: adopted.")
		register := w.visitor.get("/@commons/decisions").want(t, http.StatusOK)
		if got := register.text(t, "decided-proposals"); !strings.Contains(got, "Fund the digging") || !strings.Contains(got, "done") {
			t.Errorf("the register's decided proposals read %q", got)
		}
		if got := register.text(t, "open-proposals"); !strings.Contains(got, "Colour of the door") || !strings.Contains(got, "Value vote") {
			t.Errorf("the register's open proposals read %q", got)
		}
		// How the association decides is public, the board's own powers included.
		if got := register.text(t, "decision-rules"); !strings.Contains(got, "The board may allocate up to 1,000.00 EUR alone") ||
			!strings.Contains(got, "goes straight to a consensus round of 1 minute") ||
			!strings.Contains(got, "Statutes") || !strings.Contains(got, "60 %") || !strings.Contains(got, "highest total") {
			t.Errorf("the register's rules read %q", got)
		}
		w.visitor.get("/@commons/ledger?kind=allocation").want(t, http.StatusOK).contains(t, `href="/proposals/`+fund+`">Fund the digging</a>`)

		page := w.bob.get("/proposals/"+colour).want(t, http.StatusOK)
		if page.byID("score-2-5") == nil {
			t.Fatalf("no value vote form:\n%s", page.Body)
		}
		w.bob.post("/proposals/"+colour+"/ballots", url.Values{"phase": {"value_vote"}, "scores[0]": {"1"}, "scores[2]": {"2"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "This field is required.")
		w.ballot(w.bob, colour, url.Values{"phase": {"value_vote"}, "scores[0]": {"1"}, "scores[1]": {"5"}, "scores[2]": {"2"}})
		p = w.bob.get("/proposals/"+colour).want(t, http.StatusOK)
		if got := p.text(t, "my-scores"); got != "Green: 1 Blue: 5 Red: 2" {
			t.Errorf("#my-scores reads %q", got)
		}
		if got := p.text(t, "option-totals"); !strings.Contains(got, "Blue 5 1") {
			t.Errorf("#option-totals reads %q", got)
		}
		if !hasAttr(p.byID("score-1-5"), "checked") {
			t.Error("the form does not hold bob's ballot")
		}
	})
}

// TestDelegationsPage_ChangeInstructions: a member names delegates per
// scope, by handle or role word; what core refuses shows next to the
// list, in the reader's language, and changes nothing.
func TestDelegationsPage_ChangeInstructions(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		w.bob.post("/@commons/delegations", url.Values{"delegates_all": {"@alice\ntreasurer"}, "delegates_budget_allocation": {"tom"}}).
			redirectsTo(t, "/@commons/delegations?done=saved")
		p := w.bob.get("/@commons/delegations?done=saved").want(t, http.StatusOK)
		p.contains(t, "Your voting instructions are saved.")
		if got := textareaValue(p, "delegates_all"); got != "@alice\ntreasurer" {
			t.Errorf("every category: %q", got)
		}
		if got := textareaValue(p, "delegates_budget_allocation"); got != "@tom" {
			t.Errorf("budget allocation: %q", got)
		}
		fanny := w.frenchMember("fanny")
		fanny.post("/@commons/delegations", url.Values{"delegates_all": {"bureau"}}).redirectsTo(t, "/@commons/delegations?done=saved")
		if got := textareaValue(fanny.get("/@commons/delegations"), "delegates_all"); got != "bureau" {
			t.Errorf("fanny's role word reads back %q", got)
		}
		refused := []struct {
			name  string
			by    *browser
			field string
			value string
			want  string
		}{
			{"oneself", w.bob, "delegates_general", "@bob", "You cannot delegate your vote to yourself."},
			{"a person not found", w.bob, "delegates_all", "@nobody", "A delegate was not found"},
			{"a person who is not a member", w.bob, "delegates_statutes", "@eve", "Each delegate must be a member of the association."},
			{"oneself, in French", fanny, "delegates_all", "@fanny", "Vous ne pouvez pas vous déléguer votre propre voix."},
		}
		for _, c := range refused {
			t.Run(c.name, func(t *testing.T) {
				p := c.by.post("/@commons/delegations", url.Values{c.field: {c.value}}).want(t, http.StatusUnprocessableEntity)
				if got := p.text(t, c.field+"-error"); !strings.Contains(got, c.want) {
					t.Errorf("the error next to %s reads %q", c.field, got)
				}
			})
		}
		if got := textareaValue(w.bob.get("/@commons/delegations"), "delegates_all"); got != "@alice\ntreasurer" {
			t.Errorf("a refused change changed the instructions: %q", got)
		}
		w.visitor.get("/@commons/delegations").redirectsTo(t, "/login?next=%2F%40commons%2Fdelegations")
		w.eve.get("/@commons/delegations").want(t, http.StatusForbidden)
	})
}

// textareaValue is the text the text area id holds.
func textareaValue(p *page, id string) string {
	n := p.byID(id)
	if n == nil || n.FirstChild == nil {
		return ""
	}
	return strings.TrimPrefix(n.FirstChild.Data, "\n")
}

// TestGovernancePages_MembersOnlyAssociation: an association that shows
// its records to its members only keeps its proposals and decisions from
// everyone else.
func TestGovernancePages_MembersOnlyAssociation(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		form := settingsForm()
		form.Set("visibility", "members")
		form.Set("debate_period", "0s")
		w.alice.post("/@commons/settings", form).redirectsTo(t, "/@commons/settings?saved=1")
		id := w.propose(w.alice, url.Values{"title": {"Secret plan"}})
		for _, path := range []string{"/proposals/" + id, "/@commons/decisions"} {
			for name, b := range map[string]*browser{"visitor": w.visitor, "non-member": w.eve} {
				t.Run(name+" "+path, func(t *testing.T) {
					p := b.get(path).want(t, http.StatusForbidden)
					p.contains(t, "This association shows its proposals and decisions to its members only.")
					p.lacks(t, "Secret plan")
				})
			}
			w.bob.get(path).want(t, http.StatusOK).contains(t, "Secret plan")
		}
	})
}

// TestGovernancePages_RefusalsShownTranslated: what core refuses shows on
// the page, next to the field concerned, in the reader's language.
func TestGovernancePages_RefusalsShownTranslated(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		fanny := w.frenchMember("fanny")
		w.periods("72h", "168h", "168h")
		id := w.propose(w.alice, url.Values{"title": {"Paint the door"}})
		cases := []struct {
			name   string
			by     *browser
			path   string
			form   url.Values
			status int
			field  string // the error's element, or "" for the page
			want   string
		}{
			{"no title", w.bob, "/@commons/proposals/new", url.Values{"category": {"general"}}, http.StatusUnprocessableEntity,
				"title-error", "This field is required."},
			{"no title, in French", fanny, "/@commons/proposals/new", url.Values{"category": {"general"}}, http.StatusUnprocessableEntity,
				"title-error", "Ce champ est obligatoire."},
			{"options with actions", w.bob, "/@commons/proposals/new", url.Values{"category": {"settings"}, "title": {"Shorter debates"},
				"options": {"A\nB"}, "actions[0].kind": {"change_setting"}, "actions[0].setting": {"debate_period"}, "actions[0].value": {"24h"}},
				http.StatusUnprocessableEntity, "options-error", "A proposal with actions is adopted or rejected"},
			{"an action in another category", w.bob, "/@commons/proposals/new", url.Values{"category": {"general"}, "title": {"Shorter debates"},
				"actions[1].kind": {"change_setting"}, "actions[1].setting": {"debate_period"}, "actions[1].value": {"24h"}},
				http.StatusUnprocessableEntity, "actions[1]-error", "This action goes in a proposal of another category"},
			{"a setting's bad value, in French", fanny, "/@commons/proposals/new", url.Values{"category": {"settings"}, "title": {"Débat"},
				"actions[0].kind": {"change_setting"}, "actions[0].setting": {"debate_period"}, "actions[0].value": {"soon"}},
				http.StatusUnprocessableEntity, "actions[0]-error", "Cette valeur ne convient pas à ce réglage."},
			{"a ballot in debate", w.bob, "/proposals/" + id + "/ballots", consensusBallot("agree", ""), http.StatusUnprocessableEntity,
				"form-error", "This proposal is still in debate"},
			{"a withdrawal by another", fanny, "/proposals/" + id + "/withdrawal", url.Values{}, http.StatusForbidden,
				"", "Seul l’auteur de la proposition peut la retirer."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := c.by.post(c.path, c.form).want(t, c.status)
				if c.field == "" {
					p.contains(t, c.want)
					return
				}
				if got := p.text(t, c.field); !strings.Contains(got, c.want) {
					t.Errorf("#%s reads %q, want %q", c.field, got, c.want)
				}
			})
		}
		w.alice.post("/proposals/"+id+"/withdrawal", nil).redirectsTo(t, "/proposals/"+id+"?done=withdrawn")
		w.alice.get("/proposals/"+id+"?done=withdrawn").want(t, http.StatusOK).contains(t, "The proposal is withdrawn.", "Withdrawn by its author.")
	})
}

// TestTaskPage_AllocationAboveTheLimitOffersAProposal: an allocation above
// what the board may allocate alone is refused with a button that opens
// the proposal form filled in; made, the proposal carries the allocation.
func TestTaskPage_AllocationAboveTheLimitOffersAProposal(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		project := w.project("Shared garden")
		task := w.task(project, "Dig the beds", "other", "100.00")
		p := w.tom.post("/tasks/"+task+"/allocations", url.Values{"amount": {"5000.00"}, "from": {"general"}}).want(t, http.StatusUnprocessableEntity)
		p.contains(t, "This allocation is above what the board may allocate alone: it needs a proposal.")
		button := p.byID("propose-allocation")
		if button == nil {
			t.Fatalf("no proposal offered:\n%s", p.Body)
		}
		prefill := url.Values{}
		walk(button, func(n *htmlNode) bool {
			if n.Data == "input" {
				prefill.Set(attr(n, "name"), attr(n, "value"))
			}
			return true
		})
		form := w.tom.post(attr(button, "action"), prefill).want(t, http.StatusOK)
		if got := attr(form.byID("title"), "value"); got != "Allocate 5000.00 EUR to “Dig the beds”" {
			t.Errorf("title %q", got)
		}
		if got := attr(form.byID("actions[0].amount"), "value"); got != "5000.00" {
			t.Errorf("amount %q", got)
		}
		form.lacks(t, `role="alert"`)
		prefill.Del("prefill")
		id := w.propose(w.tom, prefill)
		if got := w.tom.get("/proposals/"+id).want(t, http.StatusOK).text(t, "actions"); !strings.Contains(got, "Allocate 5,000.00 EUR to the task Dig the beds") {
			t.Errorf("#actions reads %q", got)
		}
	})
}

// TestProjectPage_EvaluationByProposal: where the board may not evaluate
// projects alone, a member proposes to accept one from its page.
func TestProjectPage_EvaluationByProposal(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		w.alice.post("/@commons/settings", settingsForm()).redirectsTo(t, "/@commons/settings?saved=1")
		project := idFrom(t, w.bob.post("/@commons/projects/new", projectForm("Orchard")), "/projects/")
		w.alice.post("/projects/"+project+"/evaluation", url.Values{"verdict": {"accept"}}).
			want(t, http.StatusUnprocessableEntity).contains(t, "This association evaluates projects by a proposal")
		p := w.rita.get("/projects/"+project).want(t, http.StatusOK)
		button := p.byID("propose-accept_project")
		if button == nil {
			t.Fatalf("no proposal offered:\n%s", p.Body)
		}
		prefill := url.Values{}
		walk(button, func(n *htmlNode) bool {
			if n.Data == "input" {
				prefill.Set(attr(n, "name"), attr(n, "value"))
			}
			return true
		})
		prefill.Del("prefill")
		id := w.propose(w.rita, prefill)
		if got := w.rita.get("/proposals/"+id).want(t, http.StatusOK).text(t, "actions"); got != "Accept the project Orchard" {
			t.Errorf("#actions reads %q", got)
		}
	})
}

// TestProposalPage_Debate: a member replies to a proposal from its page;
// the reply shows in its debate.
func TestProposalPage_Debate(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		id := w.propose(w.alice, url.Values{"title": {"Open on Sundays"}})
		p := w.bob.get("/proposals/"+id).want(t, http.StatusOK)
		compose := p.byID("compose")
		if compose == nil {
			t.Fatal("no reply form for a member")
		}
		var inReplyTo string
		walk(compose, func(n *htmlNode) bool {
			if attr(n, "name") == "in_reply_to" {
				inReplyTo = attr(n, "value")
			}
			return true
		})
		w.bob.post("/compose", url.Values{"content": {"Sundays suit me"}, "visibility": {"public"}, "in_reply_to": {inReplyTo},
			"back": {"/proposals/" + id}}).redirectsTo(t, "/proposals/"+id+"?done=posted")
		p = w.visitor.get("/proposals/"+id).want(t, http.StatusOK)
		if got := p.text(t, "debate"); !strings.Contains(got, "Sundays suit me") || !strings.Contains(got, "@bob") {
			t.Errorf("#debate reads %q", got)
		}
		if p.byID("compose") != nil {
			t.Error("a visitor is offered the reply form")
		}
	})
}

// TestGovernancePages_Linked: the association's page links its decisions
// and, for members, the proposal form and their instructions; a person's
// own page links their instructions.
func TestGovernancePages_Linked(t *testing.T) {
	webtest.Each(t, nil, func(t *testing.T, in *webtest.Instance) {
		w := newWork(t, in)
		for _, c := range []struct {
			b       *browser
			path    string
			ids     []string
			absent  []string
			linksTo string
		}{
			{w.visitor, "/@commons", []string{"decisions-link"}, []string{"new-proposal-link", "delegations-link"}, ""},
			{w.bob, "/@commons", []string{"decisions-link", "new-proposal-link", "delegations-link"}, nil, ""},
			{w.bob, "/@bob", nil, nil, "/@commons/delegations"},
		} {
			p := c.b.get(c.path).want(t, http.StatusOK)
			for _, id := range c.ids {
				if p.byID(id) == nil {
					t.Errorf("%s lacks #%s", c.path, id)
				}
			}
			for _, id := range c.absent {
				if p.byID(id) != nil {
					t.Errorf("%s shows #%s", c.path, id)
				}
			}
			if c.linksTo != "" {
				p.contains(t, `href="`+c.linksTo+`"`)
			}
		}
		w.visitor.get("/@bob").want(t, http.StatusOK).lacks(t, "/@commons/delegations")
	})
}
