package mastodon

import (
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/news"
)

// media_ids are read as UUIDs, blanks skipped, one past the bound at most
// (news refuses too many); a malformed id is refused.
func TestParseMediaIDs(t *testing.T) {
	id := uuid.Must(uuid.NewV7()).String()
	many := make([]string, 1000)
	for i := range many {
		many[i] = id
	}
	tests := []struct {
		name string
		in   []string
		want int
		bad  bool
	}{
		{"none", nil, 0, false},
		{"two and a blank", []string{id, " ", id}, 2, false},
		{"a thousand", many, news.MaxAttachments + 1, false},
		{"malformed", []string{id, "123456"}, 0, true},
	}
	for _, tt := range tests {
		got, err := parseMediaIDs(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && len(got) != tt.want) {
			t.Errorf("%s: %d ids, %v", tt.name, len(got), err)
		}
	}
}

// focus is "x,y" within -1…1; empty is the centre.
func TestParseFocus(t *testing.T) {
	tests := []struct {
		in   string
		x, y float64
		bad  bool
	}{
		{"", 0, 0, false},
		{"0.5,-0.25", 0.5, -0.25, false},
		{" -1 , 1 ", -1, 1, false},
		{"1.5,0", 0, 0, true},
		{"0.5", 0, 0, true},
		{"NaN,0", 0, 0, true},
		{"a,b", 0, 0, true},
	}
	for _, tt := range tests {
		x, y, err := parseFocus(tt.in)
		if (err != nil) != tt.bad || (!tt.bad && (x != tt.x || y != tt.y)) {
			t.Errorf("%q: %v %v %v", tt.in, x, y, err)
		}
	}
}
