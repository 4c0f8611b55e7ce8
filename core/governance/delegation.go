package governance

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
	graph *graph
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
// member whose way meets no circle (settle). The few it cannot — those
// whose way meets a circle, and those who follow them — are resolved
// by the strongly connected components of what remains (Tarjan's
// algorithm gives them delegates first too); inside a circle a member's
// way does depend on where it starts, so each member of it searches its
// own, bounded by circleSearchBudget.
func resolve(e *Electorate) resolution {
	n := int32(len(e.Voters))
	g := delegationGraph(e)
	res := resolution{source: make([]int32, n), via: make([]int32, n)}
	for i := range n {
		res.source[i], res.via[i] = noVote, noVote
		if g.final(i) {
			res.source[i], res.via[i] = i, i
		}
	}
	res.graph = g
	state := g.settle(&res)
	g.components(state, func(members []int32) {
		if len(members) == 1 {
			v := members[0]
			for _, d := range g.out(v) {
				if res.source[d] != noVote {
					res.source[v], res.via[v] = res.source[d], d
					return
				}
			}
			return
		}
		search := circleSearch{g: g, res: &res, inCircle: map[int32]bool{}, onPath: map[int32]bool{}}
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

// States of a member in settle.
const (
	unseen   = iota
	walking  // on the current walk
	settled  // its way is known: res holds it
	deferred // its way meets a circle: left to the components
)

// settle resolves, by one depth-first walk over the delegators, every
// member whose way meets no circle, and returns each member's state. A
// walk that meets a member already on it (a circle), or one deferred, is
// deferred whole: its members' ways may depend on where they start.
func (g *graph) settle(res *resolution) []uint8 {
	n := int32(len(g.start) - 1)
	state := make([]uint8, n)
	type frame struct{ v, edge int32 }
	var walk []frame
	for root := range n {
		if state[root] != unseen || !g.delegator(root) {
			continue
		}
		state[root] = walking
		walk = append(walk[:0], frame{root, g.start[root]})
		for len(walk) > 0 {
			f := &walk[len(walk)-1]
			v := f.v
			if f.edge == g.start[v+1] { // no delegate has a vote
				state[v] = settled
				walk = walk[:len(walk)-1]
				continue
			}
			d := g.to[f.edge]
			if g.final(d) {
				res.source[v], res.via[v] = d, d
				state[v] = settled
				walk = walk[:len(walk)-1]
				continue
			}
			if !g.delegator(d) { // no voting rights, or a dead end
				f.edge++
				continue
			}
			switch state[d] {
			case settled:
				if res.source[d] != noVote {
					res.source[v], res.via[v] = res.source[d], d
					state[v] = settled
					walk = walk[:len(walk)-1]
					continue
				}
				f.edge++
			case unseen:
				// Walk into d; back here, d is settled or the walk deferred.
				state[d] = walking
				walk = append(walk, frame{d, g.start[d]})
			default: // walking (a circle) or deferred
				for _, w := range walk {
					state[w.v] = deferred
				}
				walk = walk[:0]
			}
		}
	}
	return state
}

// circleSearch finds the way of one member of a circle: a depth-first
// search over the circle's members not yet on the way, leaving the circle
// for the first delegate outside it who has a vote.
type circleSearch struct {
	g        *graph
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
	for _, d := range s.g.out(v) {
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

// graph is the delegation graph in compressed rows: each eligible member
// without a ballot of their own has their delegates in order, roles
// expanded, themselves left out. flags describes every member in a byte,
// so that the walks, which look delegates up at random, stay in cache.
type graph struct {
	start  []int32 // row i is to[start[i]:start[i+1]]
	to     []int32
	flags  []uint8
	ballot []int32 // each member's ballot index, or -1
}

// Member flags.
const (
	flagEligible uint8 = 1 << iota
	flagBallot
	flagDelegates
	flagBeneficiary
)

// final: an eligible member with a ballot; delegator: an eligible member
// without one who names delegates.
func (g *graph) final(d int32) bool {
	return g.flags[d]&(flagEligible|flagBallot) == flagEligible|flagBallot
}
func (g *graph) delegator(d int32) bool {
	return g.flags[d]&(flagEligible|flagBallot|flagDelegates) == flagEligible|flagDelegates
}

// delegationGraph reads the electorate once, in order.
func delegationGraph(e *Electorate) *graph {
	n := int32(len(e.Voters))
	g := &graph{start: make([]int32, n+1), to: make([]int32, 0, n/2), flags: make([]uint8, n), ballot: make([]int32, n)}
	for i := range n {
		v := &e.Voters[i]
		g.start[i] = int32(len(g.to))
		g.ballot[i] = v.Ballot
		var f uint8
		if v.Eligible {
			f |= flagEligible
		}
		if v.Ballot >= 0 {
			f |= flagBallot
		}
		if v.Beneficiary {
			f |= flagBeneficiary
		}
		if len(v.Delegates) > 0 {
			f |= flagDelegates
		}
		g.flags[i] = f
		if f&(flagEligible|flagBallot|flagDelegates) != flagEligible|flagDelegates {
			continue
		}
		for k, d := range v.Delegates {
			if k == MaxDelegates {
				break
			}
			if d.Role == "" {
				g.add(n, i, d.Voter)
				continue
			}
			for _, h := range e.Roles[d.Role] {
				g.add(n, i, h)
			}
		}
	}
	g.start[n] = int32(len(g.to))
	return g
}

func (g *graph) add(n, from, d int32) {
	if d >= 0 && d < n && d != from {
		g.to = append(g.to, d)
	}
}

// out is v's delegates, in order.
func (g *graph) out(v int32) []int32 { return g.to[g.start[v]:g.start[v+1]] }

// components calls fn with each strongly connected component of the
// deferred members, every component after all those it delegates to
// (Tarjan's algorithm, without recursion so that chains of any length fit
// on the heap). Settled members are final already and skipped.
func (g *graph) components(state []uint8, fn func(members []int32)) {
	n := int32(len(g.start) - 1)
	// One record a member, so that visiting a delegate costs one cache
	// miss: its discovery index, its low link, and whether its component
	// is already out (no longer on the stack).
	type mark struct{ index, low int32 }
	const unvisited, out = -1, -2
	marks := make([]mark, n)
	for i := range marks {
		marks[i].index = unvisited
	}
	var stack []int32
	type frame struct{ v, edge int32 }
	var calls []frame
	next := int32(0)
	for root := range n {
		if marks[root].index != unvisited || state[root] != deferred {
			continue // visited, or settled already
		}
		calls = append(calls[:0], frame{root, g.start[root]})
		marks[root] = mark{next, next}
		next++
		stack = append(stack, root)
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.edge < g.start[v+1] {
				w := g.to[f.edge]
				f.edge++
				if state[w] != deferred {
					continue // a ballot, settled, or passing nothing: nothing to visit
				}
				switch m := &marks[w]; {
				case m.index == unvisited:
					*m = mark{next, next}
					next++
					stack = append(stack, w)
					calls = append(calls, frame{w, g.start[w]})
				case m.low != out:
					marks[v].low = min(marks[v].low, m.index)
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				p := calls[len(calls)-1].v
				marks[p].low = min(marks[p].low, marks[v].low)
			}
			if marks[v].low == marks[v].index {
				k := len(stack) - 1
				for stack[k] != v {
					k--
				}
				members := stack[k:]
				for _, m := range members {
					marks[m].low = out
				}
				fn(members)
				stack = stack[:k]
			}
		}
	}
}
