package governance

import (
	"slices"
	"testing"
)

// electorate builds an electorate from a compact description: each voter
// is named by a letter; ballots maps a voter to their ballot; delegates maps
// a voter to their delegates (a letter, or "@role").
type scene struct {
	voters        string
	ineligible    string
	beneficiaries string
	ballots       map[byte]Ballot
	delegates     map[byte][]string
	roles         map[string]string
}

func (s scene) build() *Electorate {
	e := &Electorate{Roles: map[string][]int32{}}
	idx := func(c byte) int32 { return int32(slices.Index([]byte(s.voters), c)) }
	for i := range len(s.voters) {
		c := s.voters[i]
		v := Voter{Actor: string(c), Eligible: !slices.Contains([]byte(s.ineligible), c),
			Beneficiary: slices.Contains([]byte(s.beneficiaries), c), Ballot: -1}
		if b, ok := s.ballots[c]; ok {
			v.Ballot = int32(len(e.Ballots))
			e.Ballots = append(e.Ballots, b)
		}
		for _, d := range s.delegates[c] {
			if d[0] == '@' {
				v.Delegates = append(v.Delegates, Delegate{Role: d[1:]})
			} else {
				v.Delegates = append(v.Delegates, Delegate{Voter: idx(d[0])})
			}
		}
		e.Voters = append(e.Voters, v)
	}
	for role, holders := range s.roles {
		for i := range len(holders) {
			e.Roles[role] = append(e.Roles[role], idx(holders[i]))
		}
	}
	return e
}

// chains renders every voter's chain as letters ("" for no vote).
func chains(e *Electorate, r Result) map[string]string {
	out := map[string]string{}
	for i, v := range e.Voters {
		var s string
		for _, k := range r.Chain(int32(i)) {
			s += e.Voters[k].Actor
		}
		out[v.Actor] = s
	}
	return out
}

var (
	agree  = Ballot{Position: Agree}
	object = Ballot{Position: Object}
)

func TestDelegationChains(t *testing.T) {
	cases := []struct {
		name  string
		scene scene
		want  map[string]string
	}{
		{"a direct ballot counts as itself",
			scene{voters: "AB", ballots: map[byte]Ballot{'A': agree}},
			map[string]string{"A": "A", "B": ""}},
		{"a direct ballot overrides the instruction",
			scene{voters: "AB", ballots: map[byte]Ballot{'A': agree, 'B': object}, delegates: map[byte][]string{'B': {"A"}}},
			map[string]string{"A": "A", "B": "B"}},
		{"transitive",
			scene{voters: "ABC", ballots: map[byte]Ballot{'C': agree}, delegates: map[byte][]string{'A': {"B"}, 'B': {"C"}}},
			map[string]string{"A": "ABC", "B": "BC", "C": "C"}},
		{"a dead end passes to the next delegate",
			scene{voters: "ABCD", ballots: map[byte]Ballot{'D': agree}, delegates: map[byte][]string{'A': {"B", "D"}, 'B': {"C"}}},
			map[string]string{"A": "AD", "B": "", "C": "", "D": "D"}},
		{"a circle with no way out is no vote",
			scene{voters: "ABC", ballots: map[byte]Ballot{'C': agree}, delegates: map[byte][]string{'A': {"B"}, 'B': {"A"}}},
			map[string]string{"A": "", "B": "", "C": "C"}},
		{"each member of a circle goes round it and out",
			scene{voters: "ABXY", ballots: map[byte]Ballot{'X': agree, 'Y': object},
				delegates: map[byte][]string{'A': {"B", "X"}, 'B': {"A", "Y"}}},
			map[string]string{"A": "ABY", "B": "BAX", "X": "X", "Y": "Y"}},
		{"a member following a circle takes the way of the member they name",
			scene{voters: "ABDX", ballots: map[byte]Ballot{'X': agree},
				delegates: map[byte][]string{'A': {"B", "X"}, 'B': {"A"}, 'D': {"B"}}},
			map[string]string{"A": "AX", "B": "BAX", "D": "DBAX", "X": "X"}},
		{"a role is whoever holds it",
			scene{voters: "ATU", ballots: map[byte]Ballot{'T': object, 'U': agree},
				delegates: map[byte][]string{'A': {"@treasurer"}}, roles: map[string]string{"treasurer": "T"}},
			map[string]string{"A": "AT", "T": "T", "U": "U"}},
		{"a role's holders are tried in order",
			scene{voters: "APQ", ballots: map[byte]Ballot{'Q': agree},
				delegates: map[byte][]string{'A': {"@board"}}, roles: map[string]string{"board": "PQ"}},
			map[string]string{"A": "AQ", "P": "", "Q": "Q"}},
		{"a delegate without voting rights is passed over",
			scene{voters: "ABC", ineligible: "B", ballots: map[byte]Ballot{'B': agree, 'C': object},
				delegates: map[byte][]string{'A': {"B", "C"}}},
			map[string]string{"A": "AC", "B": "", "C": "C"}},
		{"a member without voting rights carries nothing and casts nothing",
			scene{voters: "ABC", ineligible: "A", ballots: map[byte]Ballot{'C': agree},
				delegates: map[byte][]string{'A': {"C"}, 'B': {"A"}}},
			map[string]string{"A": "", "B": "", "C": "C"}},
		{"delegating to oneself is ignored",
			scene{voters: "AB", ballots: map[byte]Ballot{'B': agree}, delegates: map[byte][]string{'A': {"A", "B"}}},
			map[string]string{"A": "AB", "B": "B"}},
		{"the treasurer delegating to the treasurer role skips themselves",
			scene{voters: "TB", ballots: map[byte]Ballot{'B': agree},
				delegates: map[byte][]string{'T': {"@treasurer", "B"}}, roles: map[string]string{"treasurer": "T"}},
			map[string]string{"T": "TB", "B": "B"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := c.scene.build()
			r := CountConsensus(e, Rules{})
			got := chains(e, r)
			for k, want := range c.want {
				if got[k] != want {
					t.Errorf("chain of %s = %q, want %q (all: %v)", k, got[k], want, got)
				}
			}
		})
	}
}

func TestInstructionFor(t *testing.T) {
	all := Instruction{Scope: "", Delegates: []Delegate{{Voter: 1}}}
	budget := Instruction{Scope: "budget_allocation", Delegates: []Delegate{{Role: "treasurer"}}}
	cases := []struct {
		name     string
		list     []Instruction
		category string
		want     []Delegate
	}{
		{"none", nil, "general", nil},
		{"for every category", []Instruction{all}, "general", all.Delegates},
		{"the category's own overrides", []Instruction{all, budget}, "budget_allocation", budget.Delegates},
		{"another category's is not used", []Instruction{budget}, "statutes", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := InstructionFor(c.list, c.category); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestCountConsensus(t *testing.T) {
	cases := []struct {
		name        string
		scene       scene
		rules       Rules
		want        string
		agree       int
		object      int
		beneficiary bool
	}{
		{"all agree", scene{voters: "ABC", ballots: map[byte]Ballot{'A': agree, 'B': agree, 'C': agree}}, Rules{Quorum: 0.5}, OutcomeAdopted, 3, 0, false},
		{"delegated agreement counts", scene{voters: "ABC", ballots: map[byte]Ballot{'A': agree}, delegates: map[byte][]string{'B': {"A"}, 'C': {"B"}}}, Rules{Quorum: 1}, OutcomeAdopted, 3, 0, false},
		{"one objection blocks", scene{voters: "ABC", ballots: map[byte]Ballot{'A': agree, 'B': agree, 'C': object}}, Rules{}, OutcomeObjection, 2, 1, false},
		{"a delegated objection blocks", scene{voters: "ABC", ballots: map[byte]Ballot{'A': agree, 'B': object}, delegates: map[byte][]string{'C': {"B"}}}, Rules{}, OutcomeObjection, 1, 2, false},
		{"below the quorum", scene{voters: "ABCD", ballots: map[byte]Ballot{'A': agree}}, Rules{Quorum: 0.5}, OutcomeNoQuorum, 1, 0, false},
		{"at the quorum", scene{voters: "ABCD", ballots: map[byte]Ballot{'A': agree, 'B': agree}}, Rules{Quorum: 0.5}, OutcomeAdopted, 2, 0, false},
		{"everyone abstains: not adopted", scene{voters: "AB", ballots: map[byte]Ballot{'A': {Position: Abstain}, 'B': {Position: Abstain}}}, Rules{}, OutcomeObjection, 0, 0, false},
		{"nobody votes", scene{voters: "AB"}, Rules{}, OutcomeNoQuorum, 0, 0, false},
		{"a beneficiary's objection is marked", scene{voters: "ABC", beneficiaries: "C", ballots: map[byte]Ballot{'A': agree, 'B': agree, 'C': object}}, Rules{}, OutcomeObjection, 2, 1, true},
		{"members without voting rights are not counted", scene{voters: "ABC", ineligible: "C", ballots: map[byte]Ballot{'A': agree, 'B': agree, 'C': object}}, Rules{Quorum: 1}, OutcomeAdopted, 2, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := CountConsensus(c.scene.build(), c.rules)
			if r.Outcome != c.want || r.Agree != c.agree || r.Object != c.object || r.BeneficiaryObjected != c.beneficiary {
				t.Errorf("got %s agree=%d object=%d beneficiary=%v, want %s %d %d %v",
					r.Outcome, r.Agree, r.Object, r.BeneficiaryObjected, c.want, c.agree, c.object, c.beneficiary)
			}
		})
	}
}

func scores(s ...int) Ballot { return Ballot{Scores: s} }

func TestCountValueVote(t *testing.T) {
	cases := []struct {
		name    string
		scene   scene
		options int
		rules   Rules
		want    string
		winner  int
		totals  []int
	}{
		{"highest total wins",
			scene{voters: "ABC", ballots: map[byte]Ballot{'A': scores(5, 0), 'B': scores(4, 1), 'C': scores(0, 5)}},
			2, Rules{}, OutcomeAdopted, 0, []int{9, 6}},
		{"delegated scores count",
			scene{voters: "ABC", ballots: map[byte]Ballot{'A': scores(0, 5), 'B': scores(5, 4)}, delegates: map[byte][]string{'C': {"A"}}},
			2, Rules{}, OutcomeAdopted, 1, []int{5, 14}},
		{"a tie on the total goes to the option more ballots place first",
			scene{voters: "ABC", ballots: map[byte]Ballot{'A': scores(4, 2), 'B': scores(4, 2), 'C': scores(0, 4)}},
			2, Rules{}, OutcomeAdopted, 0, []int{8, 8}},
		{"the tie-break by first places, the other way",
			scene{voters: "ABC", ballots: map[byte]Ballot{'A': scores(2, 4), 'B': scores(2, 4), 'C': scores(4, 0)}},
			2, Rules{}, OutcomeAdopted, 1, []int{8, 8}},
		{"total tie, first-place tie too: a tie, nothing adopted",
			scene{voters: "AB", ballots: map[byte]Ballot{'A': scores(5, 0), 'B': scores(0, 5)}},
			2, Rules{}, OutcomeTie, -1, []int{5, 5}},
		{"a later better option breaks an earlier tie",
			scene{voters: "AB", ballots: map[byte]Ballot{'A': scores(3, 3, 5), 'B': scores(3, 3, 4)}},
			3, Rules{}, OutcomeAdopted, 2, []int{6, 6, 9}},
		{"three fifths majority met",
			scene{voters: "ABCDE", ballots: map[byte]Ballot{'A': scores(5, 0), 'B': scores(5, 0), 'C': scores(5, 0), 'D': scores(0, 5), 'E': scores(0, 5)}},
			2, Rules{Quorum: 0.5, Majority: 0.6}, OutcomeAdopted, 0, []int{15, 10}},
		{"three fifths majority missed: no winner",
			scene{voters: "ABCDE", ballots: map[byte]Ballot{'A': scores(5, 4), 'B': scores(5, 4), 'C': scores(5, 4), 'D': scores(0, 5), 'E': scores(0, 5)}},
			2, Rules{Majority: 0.6}, OutcomeNoWinner, -1, []int{15, 22}},
		{"quorum missed",
			scene{voters: "ABCD", ballots: map[byte]Ballot{'A': scores(5, 0)}},
			2, Rules{Quorum: 0.5}, OutcomeNoQuorum, -1, []int{5, 0}},
		{"an option most beneficiaries score lowest cannot win",
			scene{voters: "ABCDE", beneficiaries: "DE", ballots: map[byte]Ballot{'A': scores(5, 0), 'B': scores(5, 0), 'C': scores(5, 0), 'D': scores(0, 3), 'E': scores(1, 2)}},
			2, Rules{}, OutcomeAdopted, 1, []int{16, 5}},
		{"half of the beneficiaries is not a majority",
			scene{voters: "ABCDE", beneficiaries: "DE", ballots: map[byte]Ballot{'A': scores(5, 0), 'B': scores(5, 0), 'C': scores(5, 0), 'D': scores(0, 3), 'E': scores(3, 0)}},
			2, Rules{}, OutcomeAdopted, 0, []int{18, 3}},
		{"a beneficiary scoring all alike has no lowest",
			scene{voters: "ABD", beneficiaries: "D", ballots: map[byte]Ballot{'A': scores(5, 0), 'B': scores(5, 0), 'D': scores(2, 2)}},
			2, Rules{}, OutcomeAdopted, 0, []int{12, 2}},
		{"every option vetoed: no winner",
			scene{voters: "ABC", beneficiaries: "ABC", ballots: map[byte]Ballot{'A': scores(0, 0, 5), 'B': scores(0, 5, 0), 'C': scores(5, 0, 0)}},
			3, Rules{}, OutcomeNoWinner, -1, []int{5, 5, 5}},
		{"no options", scene{voters: "A", ballots: map[byte]Ballot{'A': scores()}}, 0, Rules{}, OutcomeEmpty, -1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := CountValueVote(c.scene.build(), c.options, c.rules)
			if r.Outcome != c.want || r.Winner != c.winner || !slices.Equal(r.Totals, c.totals) {
				t.Errorf("got %s winner %d totals %v (top %v vetoed %v), want %s %d %v",
					r.Outcome, r.Winner, r.Totals, r.Top, r.Vetoed, c.want, c.winner, c.totals)
			}
		})
	}
}
