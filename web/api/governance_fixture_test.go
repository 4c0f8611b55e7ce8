package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/holon-network/holon/core/membership"
)

// council is a studio whose members decide together: founder (board),
// treasurer, holder and carol. Proposals open straight in the consensus
// round (no debate), which lasts consensus; the value vote lasts
// valueVote.
type council struct {
	*studio
	carol    membership.Account
	carolTok string
}

func newCouncil(t *testing.T, e env, consensus, valueVote string) *council {
	t.Helper()
	c := &council{studio: newStudio(t, e)}
	c.carol, c.carolTok = e.person("carol")
	e.join(c.carol, c.name)
	zero := "0s"
	e.settings(c.board, c.name, membership.SettingsChange{DebatePeriod: &zero, ConsensusPeriod: &consensus, ValueVotePeriod: &valueVote})
	return c
}

type apiProposal struct {
	ID, URI, Association, Author, Category, Title, Body, Phase string
	Options                                                    []string
	Actions                                                    []struct {
		Kind, From, Amount, Currency string
		Task, Project                *string
	}
	Project  *string
	Deadline *string
	Periods  struct {
		Debate, Consensus string
		ValueVote         string `json:"value_vote"`
	}
	Outcome *struct {
		Result     string
		DecidedBy  *string `json:"decided_by"`
		Option     *int
		OptionName *string `json:"option_name"`
		Reason     *string
		Actions    []struct {
			Kind, Status string
			Code         *string
			Transaction  *string
		}
	}
	Phases []struct {
		Phase      string
		EndsAt     string  `json:"ends_at"`
		ClosedAt   *string `json:"closed_at"`
		Electorate int
		Count      *apiCount
	}
}

type apiCount struct {
	Outcome                                   string
	Winner                                    *int
	Eligible, Participants, Direct, Delegated int
	Positions                                 *struct{ Agree, Abstain, Object int }
	Objectors                                 []string
	Results                                   []struct {
		Option     string
		Total, Top int
		Vetoed     bool
	}
}

type apiBallot struct {
	ID, Proposal, Phase, Voter, Reason string
	Position                           *string
	Scores                             map[string]int
	CastAt                             string `json:"cast_at"`
	UpdatedAt                          string `json:"updated_at"`
}

type apiBallotPage struct {
	Phase string
	Items []apiBallot
	Next  *string
}

type apiTally struct {
	Proposal, Phase string
	Final           bool
	Options         []string
	Count           *apiCount
	Carriers        []struct {
		Actor   string
		Carried int
		Direct  bool
	}
	CarrierCount int `json:"carrier_count"`
}

type apiMyVote struct {
	Proposal, Phase, Voter string
	Ballot                 *apiBallot
	Eligible, Counted      bool
	Chain                  []string
	Carried                int
}

// propose opens a proposal as tok's account.
func (c *council) propose(t *testing.T, tok, body string) apiProposal {
	t.Helper()
	var p apiProposal
	c.e.post("/associations/"+c.name+"/proposals", tok, body).ok(t, http.StatusCreated, "Proposal", &p)
	return p
}

func (c *council) proposal(t *testing.T, id string) apiProposal {
	t.Helper()
	var p apiProposal
	c.e.get("/proposals/"+id, c.boardTok).ok(t, http.StatusOK, "Proposal", &p)
	return p
}

// vote casts tok's ballot and expects status (201 for a first ballot, 200
// for a replacement).
func (c *council) vote(t *testing.T, tok, id, body string, status int) apiBallot {
	t.Helper()
	var b apiBallot
	c.e.post("/proposals/"+id+"/ballots", tok, body).ok(t, status, "Ballot", &b)
	return b
}

func (c *council) tally(t *testing.T, id string) apiTally {
	t.Helper()
	var tl apiTally
	c.e.get("/proposals/"+id+"/tally", "").ok(t, http.StatusOK, "Tally", &tl)
	return tl
}

func (c *council) myVote(t *testing.T, tok, id string) apiMyVote {
	t.Helper()
	var v apiMyVote
	c.e.get("/proposals/"+id+"/ballots/me", tok).ok(t, http.StatusOK, "MyVote", &v)
	return v
}

// pastDeadline waits until p's current phase has ended: the webtest
// instance runs on the system clock, and its phases last two seconds.
func (c *council) pastDeadline(t *testing.T, p apiProposal) {
	t.Helper()
	if p.Deadline == nil {
		t.Fatal("the proposal has no deadline")
	}
	end, err := time.Parse(time.RFC3339Nano, *p.Deadline)
	if err != nil {
		t.Fatal(err)
	}
	if wait := time.Until(end); wait > 2100*time.Millisecond {
		t.Fatalf("the phase ends in %s: too long to wait", wait)
	} else {
		time.Sleep(wait + 10*time.Millisecond)
	}
}

// advance runs the scheduler's step once and expects it to move n
// proposals on.
func (c *council) advance(t *testing.T, n int) {
	t.Helper()
	moved, err := c.e.Governance.AdvanceDue(context.Background())
	if err != nil || moved != n {
		t.Fatalf("AdvanceDue moved %d (%v), want %d", moved, err, n)
	}
}

// backdateMembers makes every membership of the association a day old,
// so that a probation period set afterwards concerns only those who join
// later.
func (c *council) backdateMembers(t *testing.T) {
	t.Helper()
	a, err := c.e.Members.Association(context.Background(), c.name)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.e.DB.Bun().NewRaw("UPDATE memberships SET joined_at = ? WHERE association_id = ?",
		time.Now().Add(-24*time.Hour).UTC(), a.ID).Exec(context.Background())
	if err != nil {
		t.Fatal(err)
	}
}
