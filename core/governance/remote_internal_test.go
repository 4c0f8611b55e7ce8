package governance

import (
	"errors"
	"slices"
	"testing"

	"github.com/holon-network/holon/store"
)

// A ballot from elsewhere names options: they are placed in the order of
// the proposal's, each scored once, none unknown.
func TestBallotFromNames_PlacesScoresByOption(t *testing.T) {
	p := store.Proposal{Options: `["North corner","Beside the shed","Nowhere"]`}
	score := func(pairs ...any) []NamedScore {
		var out []NamedScore
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, NamedScore{Option: pairs[i].(string), Score: pairs[i+1].(int)})
		}
		return out
	}
	tests := []struct {
		name   string
		scores []NamedScore
		want   []int
		err    bool
	}{
		{"in another order", score("Nowhere", 0, "North corner", 4, "Beside the shed", 1), []int{4, 1, 0}, false},
		{"an option twice", score("Nowhere", 0, "Nowhere", 4, "Beside the shed", 1), nil, true},
		{"an unknown option", score("Nowhere", 0, "North", 4, "Beside the shed", 1), nil, true},
		{"an option left out", score("Nowhere", 0, "Beside the shed", 1), nil, true},
		{"off the scale", score("Nowhere", 0, "North corner", 6, "Beside the shed", 1), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ballotFromNames(p, ReceivedBallot{Phase: PhaseValueVote, Scores: tt.scores})
			if (err != nil) != tt.err || !slices.Equal(in.Scores, tt.want) {
				t.Fatalf("got %v, %v", in.Scores, err)
			}
			if tt.err && !errors.Is(err, ErrUnknownOption) && tt.name != "off the scale" {
				t.Fatalf("refused with %v", err)
			}
		})
	}
}
