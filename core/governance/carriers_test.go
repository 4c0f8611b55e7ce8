package governance

import (
	"testing"

	"pgregory.net/rapid"
)

// carriedAll counts for every voter what carried counts for one, on
// random electorates with chains, roles and circles.
func TestCarriedAllMatchesCarried(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 7).Draw(t, "voters")
		e := &Electorate{Roles: map[string][]int32{}}
		e.Roles["board"] = rapid.SliceOfN(rapid.Int32Range(0, int32(n-1)), 0, 3).Draw(t, "board")
		for range n {
			v := Voter{Eligible: rapid.Float64Range(0, 1).Draw(t, "eligible") < 0.9, Ballot: -1}
			if rapid.Float64Range(0, 1).Draw(t, "votes") < 0.2 {
				v.Ballot = int32(len(e.Ballots))
				e.Ballots = append(e.Ballots, Ballot{Position: Agree})
			}
			for range rapid.IntRange(1, 3).Draw(t, "delegates") {
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
		for v := range int32(n) {
			if want := carried(r, v); int(all[v]) != want {
				t.Fatalf("voter %d carries %d, carried says %d", v, all[v], want)
			}
		}
	})
}

func TestCarriers_MostFirst(t *testing.T) {
	// 0 votes; 1 and 2 follow 0; 3 follows 1; 4 votes; 5 follows 4.
	e := &Electorate{Ballots: []Ballot{{Position: Agree}, {Position: Object}}}
	for i, d := range [][]Delegate{nil, {{Voter: 0}}, {{Voter: 0}}, {{Voter: 1}}, nil, {{Voter: 4}}} {
		v := Voter{Eligible: true, Ballot: -1, Delegates: d}
		switch i {
		case 0:
			v.Ballot = 0
		case 4:
			v.Ballot = 1
		}
		e.Voters = append(e.Voters, v)
	}
	list, carried := carriers(CountConsensus(e, Rules{}))
	want := []int32{0, 1, 4}
	if len(list) != len(want) {
		t.Fatalf("carriers %v, want %v", list, want)
	}
	for i, v := range want {
		if list[i] != v {
			t.Fatalf("carriers %v, want %v", list, want)
		}
	}
	if carried[0] != 3 || carried[1] != 1 || carried[4] != 1 {
		t.Fatalf("carried %v", carried)
	}
}
