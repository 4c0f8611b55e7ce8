package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// TestGovernance_ConsensusAdoptsAndExecutes follows a proposal through
// the API: proposed with an allocation, agreed by the members, the live
// tally, a ballot refused after the deadline, then closed by the
// scheduler: adopted, its allocation in the ledger, the count in the
// proposal's phases and the register.
func TestGovernance_ConsensusAdoptsAndExecutes(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "2s", "2s")
		task := c.task(t, c.project(t), "300.00", "")
		c.donate(t, `{"amount": "1000.00", "target": "general"}`)

		p := c.propose(t, c.holderTok, fmt.Sprintf(`{"category": "budget_allocation", "title": "Fund the routers",
			"body": "They are ready.", "actions": [{"kind": "allocate", "task": %q, "amount": "300.00"}]}`, task.ID))
		if p.Phase != "consensus" || p.Deadline == nil || p.Author != c.uri(c.holder) || p.Association != c.name ||
			!slices.Equal(p.Options, []string{"adopt", "reject"}) || len(p.Actions) != 1 || p.Actions[0].Amount != "300.00" ||
			p.Actions[0].From != "general" || p.Project == nil || p.Outcome != nil || len(p.Phases) != 1 || p.Phases[0].Electorate != 4 {
			t.Fatalf("proposal %+v", p)
		}
		for _, tok := range []string{c.boardTok, c.treasurerTok, c.holderTok} {
			c.vote(t, tok, p.ID, `{"position": "agree", "reason": "good"}`, http.StatusCreated)
		}
		live := c.tally(t, p.ID)
		if live.Final || live.Phase != "consensus" || live.Count == nil || live.Count.Participants != 3 ||
			live.Count.Eligible != 4 || live.Count.Positions == nil || live.Count.Positions.Agree != 3 || live.Count.Outcome != "adopted" {
			t.Fatalf("live tally %+v", live)
		}

		c.pastDeadline(t, p)
		e.post("/proposals/"+p.ID+"/ballots", c.carolTok, `{"position": "object"}`).problem(t, http.StatusConflict, "phase-ended")
		c.advance(t, 1)

		p = c.proposal(t, p.ID)
		o := p.Outcome
		if p.Phase != "adopted" || p.Deadline != nil || o == nil || o.Result != "adopted" || *o.DecidedBy != "consensus" ||
			*o.Option != 0 || len(o.Actions) != 1 || o.Actions[0].Status != "done" || o.Actions[0].Transaction == nil {
			t.Fatalf("adopted proposal %+v, outcome %+v", p, o)
		}
		if len(p.Phases) != 1 || p.Phases[0].ClosedAt == nil || p.Phases[0].Count == nil || p.Phases[0].Count.Outcome != "adopted" {
			t.Fatalf("phases %+v", p.Phases)
		}
		var funding struct {
			Donations []struct{ In string }
		}
		e.get("/tasks/"+task.ID+"/funding", "").ok(t, http.StatusOK, "TaskFunding", &funding)
		if len(funding.Donations) != 1 || funding.Donations[0].In != "300.00" {
			t.Fatalf("funding of the task %+v", funding)
		}
		if final := c.tally(t, p.ID); !final.Final || final.Count.Participants != 3 {
			t.Fatalf("final tally %+v", final)
		}

		// The register, whole and narrowed.
		c.propose(t, c.carolTok, `{"category": "general", "title": "Plant a hedge"}`)
		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"", []string{"Plant a hedge", "Fund the routers"}},
			{"?phase=adopted", []string{"Fund the routers"}},
			{"?phase=consensus", []string{"Plant a hedge"}},
			{"?category=budget_allocation&phase=adopted", []string{"Fund the routers"}},
			{"?category=statutes", nil},
		} {
			var page struct {
				Items []apiProposal
				Next  *string
			}
			e.get("/associations/"+c.name+"/proposals"+tt.query, "").ok(t, http.StatusOK, "ProposalPage", &page)
			var titles []string
			for _, it := range page.Items {
				titles = append(titles, it.Title)
			}
			if !slices.Equal(titles, tt.want) || page.Next != nil {
				t.Errorf("register%s: %v, want %v", tt.query, titles, tt.want)
			}
		}
		var first struct {
			Items []apiProposal
			Next  *string
		}
		e.get("/associations/"+c.name+"/proposals?limit=1", "").ok(t, http.StatusOK, "ProposalPage", &first)
		if len(first.Items) != 1 || first.Next == nil {
			t.Fatalf("first page %+v", first)
		}
		var second struct{ Items []apiProposal }
		e.get("/associations/"+c.name+"/proposals?limit=1&cursor="+*first.Next, "").ok(t, http.StatusOK, "ProposalPage", &second)
		if len(second.Items) != 1 || second.Items[0].Title != "Fund the routers" {
			t.Fatalf("second page %+v", second)
		}
	})
}

// TestGovernance_ValueVoteWithScores: an objection sends the proposal to
// the value vote, where each voter scores every option by name; the
// highest total wins.
func TestGovernance_ValueVoteWithScores(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		c := newCouncil(t, e, "2s", "2s")
		p := c.propose(t, c.boardTok, `{"category": "general", "title": "Where does the compost go?", "options": ["north", "south", "east"]}`)
		c.vote(t, c.boardTok, p.ID, `{"position": "agree"}`, http.StatusCreated)
		c.vote(t, c.carolTok, p.ID, `{"position": "object", "reason": "too close to the well"}`, http.StatusCreated)
		c.pastDeadline(t, p)
		c.advance(t, 1)
		p = c.proposal(t, p.ID)
		if p.Phase != "value_vote" || len(p.Phases) != 2 || p.Phases[0].Count == nil || p.Phases[0].Count.Outcome != "objection" ||
			!slices.Equal(p.Phases[0].Count.Objectors, []string{c.uri(c.carol)}) {
			t.Fatalf("after the objection %+v", p)
		}

		for _, tt := range []struct {
			name, body string
			status     int
			code       string
			fields     map[string]string
		}{
			{"score above the scale", `{"scores": {"north": 6, "south": 0, "east": 0}}`, 400, "invalid-input", map[string]string{"scores": "out-of-scale"}},
			{"negative score", `{"scores": {"north": -1, "south": 0, "east": 0}}`, 400, "invalid-input", map[string]string{"scores": "out-of-scale"}},
			{"fraction", `{"scores": {"north": 2.5, "south": 0, "east": 0}}`, 400, "invalid-input", map[string]string{"scores.north": "out-of-scale"}},
			{"score as text", `{"scores": {"north": "5", "south": 0, "east": 0}}`, 400, "invalid-input", map[string]string{"scores.north": "out-of-scale"}},
			{"an option left out", `{"scores": {"north": 5, "south": 1}}`, 400, "invalid-input", map[string]string{"scores": "one-score-per-option"}},
			{"unknown option", `{"scores": {"north": 5, "south": 1, "west": 2}}`, 400, "invalid-input", map[string]string{"scores.west": "unknown-option"}},
			{"option twice", `{"scores": {"north": 5, "north": 1, "south": 0}}`, 400, "invalid-input", map[string]string{"scores.north": "repeated-field"}},
			{"scores as a list", `{"scores": [5, 1, 0]}`, 400, "wrong-type", map[string]string{"scores": "wrong-type"}},
			{"a position in the value vote", `{"position": "agree"}`, 400, "invalid-input", map[string]string{"scores": "one-score-per-option"}},
			{"meant for the consensus round", `{"phase": "consensus", "position": "agree"}`, 409, "wrong-phase", nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				pr := e.post("/proposals/"+p.ID+"/ballots", c.holderTok, tt.body).problem(t, tt.status, tt.code)
				if tt.fields != nil {
					sameFields(t, pr, tt.fields)
				}
			})
		}

		north := c.vote(t, c.boardTok, p.ID, `{"phase": "value_vote", "scores": {"north": 5, "south": 1, "east": 0}}`, http.StatusCreated)
		if north.Phase != "value_vote" || north.Position != nil || north.Scores["north"] != 5 || north.Scores["south"] != 1 || len(north.Scores) != 3 {
			t.Fatalf("ballot %+v", north)
		}
		c.vote(t, c.holderTok, p.ID, `{"scores": {"east": 0, "south": 5, "north": 4}}`, http.StatusCreated)
		c.vote(t, c.carolTok, p.ID, `{"scores": {"north": 0, "south": 3, "east": 2}}`, http.StatusCreated)
		live := c.tally(t, p.ID)
		if live.Phase != "value_vote" || live.Final || live.Count == nil || len(live.Count.Results) != 3 ||
			live.Count.Results[0].Total != 9 || live.Count.Results[1].Total != 9 || live.Count.Results[2].Total != 2 ||
			live.Count.Results[1].Top != 2 || live.Count.Positions != nil {
			t.Fatalf("live tally %+v", live.Count)
		}

		c.pastDeadline(t, p)
		c.advance(t, 1)
		p = c.proposal(t, p.ID)
		// north and south tie on 9; south is scored highest by more ballots.
		if p.Phase != "adopted" || *p.Outcome.DecidedBy != "value_vote" || *p.Outcome.Option != 1 || *p.Outcome.OptionName != "south" {
			t.Fatalf("outcome %+v", p.Outcome)
		}

		// The ballots of each phase are published, in pages.
		var vv apiBallotPage
		e.get("/proposals/"+p.ID+"/ballots", "").ok(t, http.StatusOK, "BallotPage", &vv)
		if vv.Phase != "value_vote" || len(vv.Items) != 3 || vv.Next != nil || vv.Items[0].Scores["north"] != 5 {
			t.Fatalf("value vote ballots %+v", vv)
		}
		var cons apiBallotPage
		e.get("/proposals/"+p.ID+"/ballots?phase=consensus&limit=1", "").ok(t, http.StatusOK, "BallotPage", &cons)
		if len(cons.Items) != 1 || cons.Next == nil || *cons.Items[0].Position != "agree" {
			t.Fatalf("consensus ballots, first page %+v", cons)
		}
		e.get("/proposals/"+p.ID+"/ballots?phase=consensus&limit=1&cursor="+*cons.Next, "").ok(t, http.StatusOK, "BallotPage", &cons)
		if len(cons.Items) != 1 || cons.Next != nil || cons.Items[0].Voter != c.uri(c.carol) || cons.Items[0].Reason != "too close to the well" {
			t.Fatalf("consensus ballots, second page %+v", cons)
		}
	})
}
