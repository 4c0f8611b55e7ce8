package api

import (
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/projects"
)

// The network catalogue merges local and partners' tasks on their ids
// (UUIDv7, in time order) so that one cursor pages through both.
func TestMergeNewest(t *testing.T) {
	ids := make([]uuid.UUID, 6)
	for i := range ids {
		ids[i] = uuid.Must(uuid.NewV7()) // ids[5] is the newest
	}
	tasks := func(is ...int) []projects.Task {
		out := make([]projects.Task, len(is))
		for i, n := range is {
			out[i] = projects.Task{ID: ids[n]}
		}
		return out
	}
	tests := []struct {
		name      string
		local     []projects.Task
		localMore bool
		partners  []projects.Task
		limit     int
		want      []int
		wantNext  bool
	}{
		{"no partners", tasks(5, 3), false, nil, 3, []int{5, 3}, false},
		{"interleaved, all fit", tasks(5, 2), false, tasks(4, 1), 5, []int{5, 4, 2, 1}, false},
		{"interleaved, cut", tasks(5, 2), false, tasks(4, 3), 3, []int{5, 4, 3}, true},
		{"local has more", tasks(5), true, tasks(1), 2, []int{5, 1}, true},
		{"partners filled their page", tasks(0), false, tasks(4, 3), 2, []int{4, 3}, true},
		{"the same task twice", tasks(5, 2), false, tasks(5), 3, []int{5, 2}, false},
		{"nothing", nil, false, nil, 3, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, next := mergeNewest(tc.local, tc.localMore, tc.partners, tc.limit)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d tasks, want %v", len(got), tc.want)
			}
			for i, n := range tc.want {
				if got[i].ID != ids[n] {
					t.Fatalf("task %d is not ids[%d]", i, n)
				}
			}
			if (next != uuid.Nil) != tc.wantNext || (tc.wantNext && next != got[len(got)-1].ID) {
				t.Fatalf("next %s, want one: %v", next, tc.wantNext)
			}
		})
	}
}
