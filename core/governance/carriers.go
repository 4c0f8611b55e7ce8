package governance

import (
	"cmp"
	"slices"
)

// MaxListedCarriers bounds the members a tally names as carrying others'
// votes; CarrierCount counts them all.
const MaxListedCarriers = 100

// Carrier is a member others' votes go through: their delegate, or a
// delegate's delegate.
type Carrier struct {
	Actor string
	// Carried counts the other members whose vote goes through this one.
	Carried int
	// Direct: the member's own ballot counted (the others' votes end
	// with it); otherwise they passed them on.
	Direct bool
}

// carriedAll is carried for every voter at once, in one pass: outside
// circles the via pointers form a forest whose roots are the direct
// ballots and the members of circles (who carry their own path), so a
// voter carries the members of its subtree; and every member on a circle
// member's path carries that member's subtree too.
func carriedAll(r Result) []int32 {
	n := len(r.Source)
	parent := func(i int32) int32 {
		if r.Source[i] < 0 || r.Source[i] == i {
			return noVote
		}
		if _, ok := r.paths[i]; ok {
			return noVote
		}
		return r.Via[i]
	}
	size := make([]int32, n)    // the voter and those under it
	pending := make([]int32, n) // its delegators not yet added
	for i := range int32(n) {
		if r.Source[i] < 0 {
			continue
		}
		size[i] = 1
		if p := parent(i); p >= 0 {
			pending[p]++
		}
	}
	// Leaves first (Kahn's order): a voter is added to its delegate once
	// all of its own delegators are added to it.
	var queue []int32
	for i := range int32(n) {
		if r.Source[i] >= 0 && pending[i] == 0 {
			queue = append(queue, i)
		}
	}
	for k := 0; k < len(queue); k++ {
		v := queue[k]
		if p := parent(v); p >= 0 {
			size[p] += size[v]
			if pending[p]--; pending[p] == 0 {
				queue = append(queue, p)
			}
		}
	}
	out := make([]int32, n)
	for i, s := range size {
		out[i] = max(s-1, 0)
	}
	for j, path := range r.paths {
		for _, v := range path[1:] {
			out[v] += size[j]
		}
	}
	return out
}

// carriers lists the voters who carry others' votes, most first (then in
// voter order), with the number each carries.
func carriers(r Result) (list []int32, carried []int32) {
	carried = carriedAll(r)
	for v, c := range carried {
		if c > 0 {
			list = append(list, int32(v))
		}
	}
	slices.SortStableFunc(list, func(a, b int32) int { return cmp.Compare(carried[b], carried[a]) })
	return list, carried
}
