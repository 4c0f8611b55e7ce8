package governance

import (
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// The rule again (TestResolveMatchesTheRule), with the few members who take
// part spread among a few hundred bystanders, eligible or not, without a
// ballot or delegates: the members' bitmaps and the delegators' numbers
// then span several words of 64 members, and delegates may be bystanders.
// The electorate comes from a drawn seed: rapid's own draws favour small
// numbers, which would keep everyone in the first word.
func TestResolveMatchesTheRule_Spread(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 0))
		chance := func(p float64) bool { return rng.Float64() < p }
		total, active := 65+rng.IntN(200), 1+rng.IntN(9)
		// The active members' numbers, in order, one in each stretch of
		// total/active members.
		var at []int32
		for i := range active {
			stretch := total / active
			at = append(at, int32(i*stretch+rng.IntN(stretch)))
		}
		anyone := func() int32 {
			if chance(0.1) {
				return int32(rng.IntN(total)) // most likely a bystander
			}
			return at[rng.IntN(active)]
		}
		e := &Electorate{Voters: make([]Voter, total), Roles: map[string][]int32{}}
		for i := range e.Voters {
			e.Voters[i] = Voter{Eligible: i%3 != 0, Ballot: -1}
		}
		for range rng.IntN(4) {
			e.Roles["board"] = append(e.Roles["board"], anyone())
		}
		for _, a := range at {
			v := &e.Voters[a]
			v.Eligible = chance(0.85)
			if chance(0.3) {
				v.Ballot = int32(len(e.Ballots))
				e.Ballots = append(e.Ballots, Ballot{Position: Agree})
			}
			for range rng.IntN(4) {
				if chance(0.15) {
					v.Delegates = append(v.Delegates, Delegate{Role: "board"})
				} else {
					v.Delegates = append(v.Delegates, Delegate{Voter: anyone()})
				}
			}
		}
		r := CountConsensus(e, Rules{})
		participants := 0
		for i := range int32(total) {
			want := bruteChain(e, []int32{i})
			if got := r.Chain(i); !slices.Equal(got, want) {
				t.Fatalf("voter %d: chain %v, the rule says %v", i, got, want)
			}
			if want != nil {
				participants++
			}
		}
		if r.Participants != participants {
			t.Fatalf("participants %d, chains %d", r.Participants, participants)
		}
	})
}
