package governance

import (
	"math"
	"math/bits"
	"slices"
	"sync"
)

// Delegate is one entry of a member's voting instructions: a member of the
// electorate (by index), or a role, meaning whoever holds it when the vote
// is counted ("the treasurer").
type Delegate struct {
	Voter int32  // index into the electorate; ignored when Role is set
	Role  string // a role name; its holders are tried in the order Roles lists them
}

// Instruction is a member's standing voting instruction for one scope: a
// category of proposals, or "" for every category.
type Instruction struct {
	Scope     string
	Delegates []Delegate
}

// MaxDelegates bounds one instruction's list: long enough for any real use,
// short enough that a member cannot make counting slow.
const MaxDelegates = 10

// circleSearchBudget bounds the steps spent finding one member's way out of
// a circle of delegations; past it their vote counts for nothing. Real
// circles are a handful of members and need a few steps.
const circleSearchBudget = 4096

// InstructionFor returns the delegates that apply to a proposal of
// category: the instruction for that category overrides the one for every
// category.
func InstructionFor(list []Instruction, category string) []Delegate {
	var all []Delegate
	for _, in := range list {
		switch in.Scope {
		case category:
			return in.Delegates
		case "":
			all = in.Delegates
		}
	}
	return all
}

// noVote marks a voter whose vote goes nowhere.
const noVote = -1

// resolution is where every voter's vote goes.
type resolution struct {
	source, via []int32
	// paths holds the whole chain of the members of delegation circles,
	// whose way depends on where they start (see resolve).
	paths map[int32][]int32
}

// resolve finds, for every voter, the voter whose direct ballot counts for
// them (source) and the next voter on the way (via); both are noVote when
// the voter's vote goes nowhere.
//
// The rule (docs/governance.md): a direct ballot always counts as itself.
// A member without one follows the first delegate in their list who has a
// vote, their own or one they follow, transitively; a delegate without
// voting rights, a dead end, or a member already on the way (a circle) is
// passed over for the next delegate in the list. Nothing found is no vote.
//
// Outside circles a member's way does not depend on who follows them, so
// each is computed once, delegates first: a depth-first walk settles every
// delegator whose way meets no circle (settle). The few it cannot — those
// whose way meets a circle, and those who follow them — are resolved
// by the strongly connected components of what remains (Tarjan's
// algorithm gives them delegates first too); inside a circle a member's
// way does depend on where it starts, so each member of it searches its
// own, bounded by circleSearchBudget.
func resolve(e *Electorate, w *scratch) resolution {
	g, res := delegationGraph(e, w)
	state := g.settle()
	// The settled ways, into the voters' arrays: delegators are numbered in
	// voter order, so these writes go forward through memory.
	for k, v := range g.voter {
		if state[k] == settled && g.source[k] != noVote {
			res.source[v], res.via[v] = g.source[k], g.member(g.through[k])
		}
	}
	// What remains reads and writes the voters' arrays directly: every
	// delegate it consults is final, settled, a dead end or in an earlier
	// component.
	rest := g.remaining(e, state)
	rest.components(func(members []int32) {
		if len(members) == 1 {
			v := members[0]
			for _, d := range rest.row(v) {
				if res.source[d] != noVote {
					res.source[v], res.via[v] = res.source[d], d
					return
				}
			}
			return
		}
		search := circleSearch{rest: rest, res: &res, inCircle: map[int32]bool{}, onPath: map[int32]bool{}}
		for _, m := range members {
			search.inCircle[m] = true
		}
		for _, m := range members {
			if path := search.from(m); path != nil {
				last := path[len(path)-1]
				res.source[m], res.via[m] = res.source[last], path[1]
				if res.paths == nil {
					res.paths = map[int32][]int32{}
				}
				res.paths[m] = append(path, res.chainOutside(last)[1:]...)
			}
		}
	})
	return res
}

// chainOutside is the chain of a voter outside every circle: its via
// pointers lead to the ballot, except that a member of a circle carries its
// own path.
func (r *resolution) chainOutside(i int32) []int32 {
	chain := []int32{i}
	for r.source[i] != i {
		if p, ok := r.paths[i]; ok {
			return append(chain, p[1:]...)
		}
		i = r.via[i]
		chain = append(chain, i)
	}
	return chain
}

// scratch is a count's working arrays. They are kept in a pool for the
// next count: for a million members they are about 20 megabytes, and
// allocating them afresh each time makes the collector run, and scan the
// whole electorate, that much more often.
type scratch struct {
	// Every member in a byte (their flags) and their ballot index or -1,
	// read once from the electorate so that the count reads small arrays
	// rather than the voters' records.
	flags  []uint8
	ballot []int32
	// The eligible members, those with a ballot, and per ballot the
	// members it speaks for (its weight: its voter and the votes it
	// carries). weight[b+1] is ballot b's: weight[0] takes every member
	// whose ballot does not count, so that the pass over the voters adds
	// without a branch.
	eligible, direct int
	weight           []int32
	graph            graph
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func newScratch() *scratch { return scratchPool.Get().(*scratch) }

func (w *scratch) release() { scratchPool.Put(w) }

// resize returns buf with length n, reusing its array when it is large
// enough: what it holds is left over from an earlier count.
func resize[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}

// Member flags.
const (
	flagEligible uint8 = 1 << iota // 1: counts eligible members as is
	flagBallot
	flagDelegates
	flagBeneficiary
)

// isFinal: an eligible member with a ballot; isDelegator: an eligible
// member without one who names delegates.
func isFinal(f uint8) bool { return f&(flagEligible|flagBallot) == flagEligible|flagBallot }
func isDelegator(f uint8) bool {
	return f&(flagEligible|flagBallot|flagDelegates) == flagEligible|flagDelegates
}

// bit is 1 for true: flags are set without a branch on each member's
// unpredictable answers.
func bit(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// graph is the delegation graph, reduced to what settling needs. Its nodes
// are the delegators alone, numbered in voter order (a third of the
// members at most in practice), so that the walks, which look delegates up
// at random, touch arrays a fraction of the electorate's size that stay in
// cache. A delegator's row keeps, in order, the delegators they name and
// ends at the first member with a ballot they name, who always has a vote:
// the delegates further on are never tried, and those without voting
// rights or delegates never have a vote.
type graph struct {
	voter []int32 // delegator k is voter voter[k]
	start []int32 // delegator k's row is to[start[k]:start[k+1]]
	// to holds the rows: a delegator's number, or ^d for voter d with a
	// ballot (negative, and only ever last in its row).
	to []int32
	// first is each row's first entry, or emptyRow. The walks of settle,
	// which jump from delegator to delegator at random, mostly read this
	// alone: for a million members it is a megabyte, which stays in cache.
	first []int32
	// Each delegator's way, once settled: the ballot that counts for them
	// (noVote: none), and the entry of their row their vote follows.
	source, through []int32
	state           []uint8 // each delegator's state in settle
	raw             []int32 // where each delegator's list starts in to, while building
	tries           []uint8 // how many entries of their list each delegator tries
	// While building: who has a ballot (is final) and who is a delegator, a
	// bit a member, and rank, the number of delegators before each 64
	// members. Telling what a delegate is, and their number, then reads
	// a few hundred kilobytes that stay in cache rather than arrays of the
	// electorate's size at random.
	finalBits, delegatorBits []uint64
	rank                     []int32
}

// emptyRow is the first entry of a row without any: no voter is ^emptyRow.
const emptyRow = math.MinInt32

// member is the voter a row entry names.
func (g *graph) member(t int32) int32 {
	if t < 0 {
		return ^t
	}
	return g.voter[t]
}

// delegationGraph reads the electorate into the members' flags and the
// delegation graph, and starts the resolution and the count: a member with
// a ballot is their own source, any other has no vote until resolved.
func delegationGraph(e *Electorate, w *scratch) (*graph, resolution) {
	n := len(e.Voters)
	w.flags, w.ballot = resize(w.flags, n), resize(w.ballot, n)
	res := resolution{source: make([]int32, n), via: make([]int32, n)}
	g := &w.graph
	// The members with a ballot are counted here, on the way.
	eligible, direct := 0, 0
	weight := resize(w.weight, len(e.Ballots)+1)
	clear(weight)
	words := (n + 63) / 64
	g.finalBits, g.delegatorBits, g.rank = resize(g.finalBits, words), resize(g.delegatorBits, words), resize(g.rank, words)
	finalBits, delegatorBits, rank := g.finalBits, g.delegatorBits, g.rank
	delegators, tries := resize(g.voter, n), resize(g.tries, n)
	m := 0 // delegators so far
	// 64 members at a time, a word of each bitmap; the block's arrays are
	// sliced alike so that the compiler drops the bounds checks of this
	// loop over a million members. Who votes and who delegates is
	// unpredictable: the loop computes both answers and keeps one, rather
	// than branching on them.
	for word := range words {
		lo, hi := word*64, min(word*64+64, n)
		voters := e.Voters[lo:hi]
		flags, ballot, source, via := w.flags[lo:hi], w.ballot[lo:hi], res.source[lo:hi], res.via[lo:hi]
		rank[word] = int32(m)
		var finalWord, delegatorWord uint64
		for j := range voters {
			v := &voters[j]
			f := bit(v.Eligible)*flagEligible | bit(v.Ballot >= 0)*flagBallot |
				bit(v.Beneficiary)*flagBeneficiary | bit(len(v.Delegates) > 0)*flagDelegates
			final, delegator := bit(isFinal(f)), bit(isDelegator(f))
			i := int32(lo + j)
			self := int32(final)*(i+1) - 1 // i with a ballot, noVote otherwise
			flags[j], ballot[j], source[j], via[j] = f, v.Ballot, self, self
			finalWord |= uint64(final) << j
			delegatorWord |= uint64(delegator) << j
			// Written for everyone, kept for the delegators.
			delegators[m], tries[m] = i, uint8(min(len(v.Delegates), MaxDelegates))
			m += int(delegator)
			eligible += int(f & flagEligible)
			direct += int(final)
			weight[int32(final)*(v.Ballot+1)] += int32(final) // only a counted ballot is read
		}
		finalBits[word], delegatorBits[word] = finalWord, delegatorWord
	}
	delegators, tries = delegators[:m], tries[:m]
	w.eligible, w.direct, w.weight = eligible, direct, weight
	g.voter, g.tries = delegators, tries

	// The delegators' lists, in a loop apart that does little else: each
	// list is wherever the loader allocated it, likely a cache miss, and a
	// short loop whose branches do not wait for the lists (their lengths
	// come from tries) lets the processor wait for many of them at once.
	raw := resize(g.raw, m+1)
	to := gather(g.to[:0], raw, e, delegators, tries)
	// Now that every member is known, the lists are rewritten in place into
	// rows as described at graph (a row is never longer). This loop's
	// branches depend on who votes, which no processor predicts; they are
	// cheap here, where the data is at hand, and would stall the loop above.
	start, first := resize(g.start, m+1), resize(g.first, m)
	next := int32(0)
	for k := range m {
		start[k], first[k] = next, emptyRow
		for _, d := range to[raw[k]:raw[k+1]] {
			word, mask := d/64, uint64(1)<<(d%64)
			if finalBits[word]&mask != 0 {
				to[next] = ^d
				next++
				break
			}
			if dw := delegatorBits[word]; dw&mask != 0 { // numbered after those before
				to[next] = rank[word] + int32(bits.OnesCount64(dw&(mask-1)))
				next++
			}
		}
		if next > start[k] {
			first[k] = to[start[k]]
		}
	}
	start[m] = next
	g.raw, g.start, g.first, g.to = raw, start, first, to[:next]
	return g, res
}

// gather appends to to the delegators' lists (appendDelegates), and sets
// raw[k] to where delegator k's starts, raw[len(delegators)] to the end.
// A function of its own, so that its short loop keeps what it needs in
// registers.
func gather(to, raw []int32, e *Electorate, delegators []int32, tries []uint8) []int32 {
	tries = tries[:len(delegators)]
	for k, v := range delegators {
		raw[k] = int32(len(to))
		to = appendDelegates(to, e, v, int(tries[k]))
	}
	raw[len(delegators)] = int32(len(to))
	return to
}

// appendDelegates appends to to voter v's delegates in the order v tries
// them: the first tries entries of their instruction, min(len,
// MaxDelegates), a role standing for its holders in the order Roles lists
// them; v themselves and numbers outside the electorate are left out.
func appendDelegates(to []int32, e *Electorate, v int32, tries int) []int32 {
	n := int32(len(e.Voters))
	for _, d := range e.Voters[v].Delegates[:tries] {
		if d.Role == "" {
			if d.Voter >= 0 && d.Voter < n && d.Voter != v {
				to = append(to, d.Voter)
			}
			continue
		}
		for _, h := range e.Roles[d.Role] {
			if h >= 0 && h < n && h != v {
				to = append(to, h)
			}
		}
	}
	return to
}

// States of a delegator in settle.
const (
	unseen   = iota
	walking  // on the current walk
	settled  // its way is known: graph.source and graph.through hold it
	deferred // its way meets a circle: left to the components
)

// settle resolves, by one depth-first walk over the delegation graph,
// every delegator whose way meets no circle, and returns each delegator's
// state. A walk that meets a delegator already on it (a circle), or one
// deferred, is deferred whole: its members' ways may depend on where they
// start.
func (g *graph) settle() []uint8 {
	m := len(g.voter)
	g.state, g.source, g.through = resize(g.state, m), resize(g.source, m), resize(g.through, m)
	clear(g.state)
	state, source, through, first, start, to := g.state, g.source, g.through, g.first, g.start, g.to
	// A frame is a delegator on the walk and the position in their row of
	// the entry being tried.
	type frame struct{ k, edge int32 }
	var walk []frame
	for root := range int32(m) {
		if state[root] != unseen {
			continue
		}
		state[root] = walking
		walk = append(walk[:0], frame{root, 0})
		for len(walk) > 0 {
			f := &walk[len(walk)-1]
			k := f.k
			t := first[k]
			if f.edge > 0 { // rarely: the first entry had no vote
				t = emptyRow
				if i := start[k] + f.edge; i < start[k+1] {
					t = to[i]
				}
			}
			if t < 0 { // a member with a ballot, or no delegate has a vote
				source[k], through[k], state[k] = noVote, t, settled
				if t != emptyRow {
					source[k] = ^t
				}
				walk = walk[:len(walk)-1]
				continue
			}
			switch state[t] {
			case settled:
				if s := source[t]; s != noVote {
					source[k], through[k], state[k] = s, t, settled
					walk = walk[:len(walk)-1]
					continue
				}
				f.edge++
			case unseen:
				// Walk into t; back here, t is settled or the walk deferred.
				state[t] = walking
				walk = append(walk, frame{t, 0})
			default: // walking (a circle) or deferred
				for _, w := range walk {
					state[w.k] = deferred
				}
				walk = walk[:0]
			}
		}
	}
	return state
}

// remaining is what settle left: the deferred delegators, in voter order,
// with their whole instructions (appendDelegates) rather than the graph's
// rows cut at the first ballot, so that the circles, and the steps
// searching them costs, are as docs/governance.md counts them.
type remaining struct {
	voter []int32 // in order
	start []int32 // voter[p]'s delegates are to[start[p]:start[p+1]]
	to    []int32
}

func (g *graph) remaining(e *Electorate, state []uint8) *remaining {
	r := &remaining{}
	for k, s := range state {
		if s == deferred {
			r.voter = append(r.voter, g.voter[k])
		}
	}
	if len(r.voter) == 0 {
		return r
	}
	r.start = make([]int32, 0, len(r.voter)+1)
	for _, v := range r.voter {
		r.start = append(r.start, int32(len(r.to)))
		r.to = appendDelegates(r.to, e, v, min(len(e.Voters[v].Delegates), MaxDelegates))
	}
	r.start = append(r.start, int32(len(r.to)))
	return r
}

// position is v's index in r.voter, or -1 when v was not deferred.
func (r *remaining) position(v int32) int32 {
	if p, ok := slices.BinarySearch(r.voter, v); ok {
		return int32(p)
	}
	return -1
}

// row is deferred voter v's delegates.
func (r *remaining) row(v int32) []int32 {
	p := r.position(v)
	return r.to[r.start[p]:r.start[p+1]]
}

// components calls fn with each strongly connected component of the
// deferred delegators, as voters, every component after all those it
// delegates to (Tarjan's algorithm, without recursion so that chains of any
// length fit on the heap). Delegates not deferred are final already and
// skipped.
func (r *remaining) components(fn func(members []int32)) {
	// One record a member, so that visiting a delegate costs one cache
	// miss: its discovery index, its low link, and whether its component
	// is already out (no longer on the stack).
	type mark struct{ index, low int32 }
	const unvisited, out = -1, -2
	marks := make([]mark, len(r.voter))
	for i := range marks {
		marks[i].index = unvisited
	}
	var stack, members []int32
	type frame struct{ p, edge int32 }
	var calls []frame
	next := int32(0)
	for root := range int32(len(r.voter)) {
		if marks[root].index != unvisited {
			continue
		}
		calls = append(calls[:0], frame{root, r.start[root]})
		marks[root] = mark{next, next}
		next++
		stack = append(stack, root)
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			p := f.p
			if f.edge < r.start[p+1] {
				t := r.position(r.to[f.edge])
				f.edge++
				if t < 0 {
					continue // final already: nothing to visit
				}
				switch mk := &marks[t]; {
				case mk.index == unvisited:
					*mk = mark{next, next}
					next++
					stack = append(stack, t)
					calls = append(calls, frame{t, r.start[t]})
				case mk.low != out:
					marks[p].low = min(marks[p].low, mk.index)
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				q := calls[len(calls)-1].p
				marks[q].low = min(marks[q].low, marks[p].low)
			}
			if marks[p].low == marks[p].index {
				i := len(stack) - 1
				for stack[i] != p {
					i--
				}
				members = members[:0]
				for _, c := range stack[i:] {
					marks[c].low = out
					members = append(members, r.voter[c])
				}
				fn(members)
				stack = stack[:i]
			}
		}
	}
}

// circleSearch finds the way of one member of a circle: a depth-first
// search over the circle's members not yet on the way, leaving the circle
// for the first delegate outside it who has a vote. Each delegate tried is
// a step, dead ends included.
type circleSearch struct {
	rest     *remaining
	res      *resolution
	inCircle map[int32]bool
	onPath   map[int32]bool
	steps    int
}

// from returns the path from start to the first member with a vote
// outside the circle (start … exit), or nil.
func (s *circleSearch) from(start int32) []int32 {
	s.steps = 0
	clear(s.onPath)
	return s.walk([]int32{start})
}

func (s *circleSearch) walk(path []int32) []int32 {
	v := path[len(path)-1]
	s.onPath[v] = true
	defer delete(s.onPath, v)
	for _, d := range s.rest.row(v) {
		s.steps++
		if s.steps > circleSearchBudget {
			return nil
		}
		switch {
		case !s.inCircle[d]:
			if s.res.source[d] != noVote {
				return append(path, d)
			}
		case !s.onPath[d]:
			if found := s.walk(append(path, d)); found != nil {
				return found
			}
		}
	}
	return nil
}
