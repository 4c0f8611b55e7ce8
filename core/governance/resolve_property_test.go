package governance

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// bruteChain is the rule of resolve written as plainly as possible: from
// voter v, with path the members already on the way, try each delegate in
// order, passing over those on the way, those without voting rights and
// those whose own way finds nothing. It is exponential; the property test
// keeps electorates small.
func bruteChain(e *Electorate, path []int32) []int32 {
	v := path[len(path)-1]
	if !e.Voters[v].Eligible {
		return nil
	}
	if e.Voters[v].Ballot >= 0 {
		return path
	}
	var tries []int32
	for k, d := range e.Voters[v].Delegates {
		if k == MaxDelegates {
			break
		}
		if d.Role != "" {
			tries = append(tries, e.Roles[d.Role]...)
		} else {
			tries = append(tries, d.Voter)
		}
	}
	for _, d := range tries {
		if d == v || slices.Contains(path, d) || !e.Voters[d].Eligible {
			continue
		}
		if found := bruteChain(e, append(slices.Clone(path), d)); found != nil {
			return found
		}
	}
	return nil
}

func TestResolveMatchesTheRule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 9).Draw(t, "voters")
		e := &Electorate{Roles: map[string][]int32{}}
		holders := rapid.SliceOfN(rapid.Int32Range(0, int32(n-1)), 0, 3).Draw(t, "board")
		e.Roles["board"] = holders
		for i := range n {
			v := Voter{Actor: string(rune('A' + i)), Eligible: rapid.Float64Range(0, 1).Draw(t, "eligible") < 0.85, Ballot: -1}
			if rapid.Float64Range(0, 1).Draw(t, "votes") < 0.3 {
				v.Ballot = int32(len(e.Ballots))
				e.Ballots = append(e.Ballots, Ballot{Position: Agree})
			}
			for range rapid.IntRange(0, 3).Draw(t, "delegates") {
				if rapid.Float64Range(0, 1).Draw(t, "role") < 0.15 {
					v.Delegates = append(v.Delegates, Delegate{Role: "board"})
				} else {
					v.Delegates = append(v.Delegates, Delegate{Voter: rapid.Int32Range(0, int32(n-1)).Draw(t, "delegate")})
				}
			}
			e.Voters = append(e.Voters, v)
		}
		r := CountConsensus(e, Rules{})
		participants := 0
		for i := range n {
			want := bruteChain(e, []int32{int32(i)})
			got := r.Chain(int32(i))
			if !slices.Equal(got, want) {
				t.Fatalf("voter %d: chain %v, the rule says %v", i, got, want)
			}
			if want != nil {
				participants++
				if r.Source[i] != want[len(want)-1] {
					t.Fatalf("voter %d: source %d, chain ends at %d", i, r.Source[i], want[len(want)-1])
				}
			}
		}
		if r.Participants != participants {
			t.Fatalf("participants %d, chains %d", r.Participants, participants)
		}
	})
}
