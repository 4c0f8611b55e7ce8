package governance

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
)

// Carrier is a member through whom other members' votes go in a phase's
// count: a delegate, and how many votes they carry.
type Carrier struct {
	Actor string
	// Carried counts the other members whose vote goes through this one.
	Carried int
	// Direct: the carrier cast a ballot of their own, which counts for
	// those they carry; otherwise they pass the votes on.
	Direct bool
}

// MaxCarriers bounds the carriers one call lists.
const MaxCarriers = 100

// Carriers lists the members through whom others' votes go in proposal
// id's voting phase (live while it is open, as counted once closed), those
// who carry most first, at most limit (MaxCarriers at most). A proposal
// that never reached a vote has none.
func (s *Service) Carriers(ctx context.Context, id uuid.UUID, limit int) ([]Carrier, error) {
	_, phase, _, c, err := s.load(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("carriers of proposal %s: %w", id, err)
	}
	if phase == "" {
		return []Carrier{}, nil
	}
	limit = min(max(limit, 1), MaxCarriers)
	counts := carriedAll(c.result)
	var top []int32
	for v, n := range counts {
		if n > 0 {
			top = append(top, int32(v))
		}
	}
	slices.SortFunc(top, func(a, b int32) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
	})
	top = top[:min(len(top), limit)]
	out := make([]Carrier, 0, len(top))
	if len(top) == 0 {
		return out, nil
	}
	p, err := s.db.Proposals().ByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("carriers of proposal %s: %w", id, err)
	}
	actors, err := s.db.Voters().Actors(ctx, p.AssociationID, top)
	if err != nil {
		return nil, fmt.Errorf("carriers of proposal %s: %w", id, err)
	}
	for _, v := range top {
		out = append(out, Carrier{Actor: actors[v], Carried: counts[v], Direct: c.result.Source[v] == v})
	}
	return out, nil
}

// carriedAll counts, for every voter, the other voters whose vote goes
// through theirs (carried, for all voters at once, in time linear in the
// electorate and the circles' paths).
//
// Outside circles a vote's chain follows the via pointers: the voters who
// pass their vote on by via form trees, rooted at the direct voters and at
// the members of circles (whose whole chain is kept in paths). A voter
// carries the votes of their tree below them, and the members on a circle
// member's path carry that member's whole tree.
func carriedAll(r Result) []int {
	n := len(r.Source)
	parent := make([]int32, n)
	indegree := make([]int32, n)
	size := make([]int, n) // the voter and those below them in their tree
	for v := range n {
		parent[v] = noVote
		if r.Source[v] < 0 {
			continue
		}
		size[v] = 1
		if _, inCircle := r.paths[int32(v)]; r.Source[v] != int32(v) && !inCircle {
			parent[v] = r.Via[v]
			indegree[r.Via[v]]++
		}
	}
	// Leaves first: each voter adds their tree to their parent's once
	// every voter below them has added theirs.
	queue := make([]int32, 0, n)
	for v := range n {
		if indegree[v] == 0 {
			queue = append(queue, int32(v))
		}
	}
	for len(queue) > 0 {
		v := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if p := parent[v]; p >= 0 {
			size[p] += size[v]
			if indegree[p]--; indegree[p] == 0 {
				queue = append(queue, p)
			}
		}
	}
	out := make([]int, n)
	for v := range n {
		if size[v] > 0 {
			out[v] = size[v] - 1
		}
	}
	for m, path := range r.paths {
		for _, k := range path[1:] {
			if k != m {
				out[k] += size[m]
			}
		}
	}
	return out
}
