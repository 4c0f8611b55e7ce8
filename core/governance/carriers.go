package governance

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
	// The members of circles, as a slice: parent is asked twice for every
	// voter, too often for a map.
	inCircle := make([]bool, n)
	for j := range r.paths {
		inCircle[j] = true
	}
	parent := func(i int32) int32 {
		if r.Source[i] < 0 || r.Source[i] == i || inCircle[i] {
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
// voter order), with the number each carries. The order is a counting sort
// on how many each carries: two passes over the voters, where sorting a
// few hundred thousand carriers by comparison took tens of milliseconds.
func carriers(r Result) (list []int32, carried []int32) {
	carried = carriedAll(r)
	most := int32(0)
	for _, c := range carried {
		most = max(most, c)
	}
	// at[c]: where the first carrier of c votes goes in the list.
	at := make([]int32, most+1)
	for _, c := range carried {
		at[c]++
	}
	next := int32(0)
	for c := most; c > 0; c-- {
		at[c], next = next, next+at[c]
	}
	if next == 0 {
		return nil, carried
	}
	list = make([]int32, next)
	for v, c := range carried {
		if c > 0 {
			list[at[c]] = int32(v)
			at[c]++
		}
	}
	return list, carried
}
