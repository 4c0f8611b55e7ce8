package governance

import (
	"testing"

	"pgregory.net/rapid"
)

// TestCarriedAllMatchesCarried: counting every voter's carried votes at
// once finds, for each voter, what walking every chain for that voter
// alone finds (carried), circles included.
func TestCarriedAllMatchesCarried(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 12).Draw(t, "voters")
		e := &Electorate{Roles: map[string][]int32{}}
		e.Roles["board"] = rapid.SliceOfN(rapid.Int32Range(0, int32(n-1)), 0, 3).Draw(t, "board")
		for range n {
			v := Voter{Eligible: rapid.Float64Range(0, 1).Draw(t, "eligible") < 0.9, Ballot: -1}
			if rapid.Float64Range(0, 1).Draw(t, "votes") < 0.25 {
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
		all := carriedAll(r)
		for v := range n {
			if want := carried(r, int32(v)); all[v] != want {
				t.Fatalf("voter %d carries %d votes, carried says %d", v, all[v], want)
			}
		}
	})
}
