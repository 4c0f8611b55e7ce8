package governance

import (
	"math/rand/v2"
	"testing"
)

// millionMembers builds the electorate of the benchmark: 1,000,000
// members, 30 % delegating along chains of up to 20, some chains closed
// into circles, a fifth of the delegators with an override for budget
// allocations, roles among the delegates, half of the others voting.
func millionMembers(n int) (*Electorate, [][]Instruction) {
	rng := rand.New(rand.NewPCG(1, 2))
	e := &Electorate{Voters: make([]Voter, n), Roles: map[string][]int32{
		"treasurer": {7},
		"board":     {11, 13, 17, 19, 23},
	}}
	instructions := make([][]Instruction, n)
	perm := rng.Perm(n)
	delegating := perm[:n*3/10]
	others := perm[n*3/10:]
	for i := range e.Voters {
		e.Voters[i] = Voter{Eligible: rng.IntN(50) != 0, Ballot: -1}
	}
	votes := make([]bool, n)
	vote := func(i int) { votes[i] = true }
	for _, i := range others {
		if rng.IntN(2) == 0 {
			vote(i)
		}
	}
	random := func() Delegate {
		if rng.IntN(20) == 0 {
			return Delegate{Role: []string{"treasurer", "board"}[rng.IntN(2)]}
		}
		return Delegate{Voter: int32(rng.IntN(n))}
	}
	for start := 0; start < len(delegating); {
		length := 1 + rng.IntN(20)
		end := min(start+length, len(delegating))
		chain := delegating[start:end]
		for k, i := range chain {
			var next Delegate
			switch {
			case k+1 < len(chain):
				next = Delegate{Voter: int32(chain[k+1])}
			case rng.IntN(100) == 0: // a circle back to the chain's head
				next = Delegate{Voter: int32(chain[0])}
			default:
				next = Delegate{Voter: int32(others[rng.IntN(len(others))])}
			}
			all := Instruction{Delegates: []Delegate{next}}
			for range rng.IntN(3) {
				all.Delegates = append(all.Delegates, random())
			}
			instructions[i] = []Instruction{all}
			if rng.IntN(5) == 0 {
				instructions[i] = append(instructions[i], Instruction{Scope: "budget_allocation",
					Delegates: []Delegate{random(), next}})
			}
			if rng.IntN(10) == 0 {
				vote(i)
			}
		}
		start = end
	}
	// Ballots in members' order, their scores side by side, as a loader
	// reading them by member would hand them over.
	flat := make([]int, 0, 3*n/2)
	for i, voted := range votes {
		if !voted {
			continue
		}
		flat = append(flat, rng.IntN(6), rng.IntN(6), rng.IntN(6))
		e.Voters[i].Ballot = int32(len(e.Ballots))
		e.Ballots = append(e.Ballots, Ballot{Scores: flat[len(flat)-3 : len(flat) : len(flat)]})
	}
	return e, instructions
}

// BenchmarkTally1M counts a value vote of 1,000,000 members: resolving the
// delegations and summing the scores. Choosing each member's instruction
// for the category is the loader's part (BenchmarkInstructionFor1M).
func BenchmarkTally1M(b *testing.B) {
	e, instructions := millionMembers(1_000_000)
	for i := range e.Voters {
		e.Voters[i].Delegates = InstructionFor(instructions[i], "budget_allocation")
	}
	b.ReportAllocs()
	var r Result
	for b.Loop() {
		r = CountValueVote(e, 3, Rules{Quorum: 0.1})
	}
	b.ReportMetric(float64(r.Participants), "participants")
	b.ReportMetric(float64(r.Delegated), "delegated")
	b.ReportMetric(float64(len(r.paths)), "in-circles")
}

// BenchmarkInstructionFor1M chooses 1,000,000 members' instructions for a
// category, as loading an electorate does.
func BenchmarkInstructionFor1M(b *testing.B) {
	e, instructions := millionMembers(1_000_000)
	for b.Loop() {
		for i := range e.Voters {
			e.Voters[i].Delegates = InstructionFor(instructions[i], "budget_allocation")
		}
	}
}
