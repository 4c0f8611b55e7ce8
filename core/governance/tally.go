package governance

import (
	"slices"
)

// Positions of the consensus round.
const (
	Agree   = "agree"
	Abstain = "abstain"
	Object  = "object"
)

// Voter is one member as a phase counts them.
type Voter struct {
	Actor string
	// Eligible: past probation and not suspended when the phase opened.
	// Only eligible members vote or carry others' votes.
	Eligible bool
	// Beneficiary of the project the proposal concerns (DESIGN §4:
	// beneficiaries' consent).
	Beneficiary bool
	// Ballot is the index of the member's own ballot in Electorate.Ballots,
	// or -1 when they cast none in this phase.
	Ballot int32
	// Delegates are the member's voting instructions for the proposal's
	// category (InstructionFor), in order of preference.
	Delegates []Delegate
}

// Ballot is one member's answer in a phase: a Position in the consensus
// round, Scores (one per option, 0..Scale) in the value vote.
type Ballot struct {
	Position string
	Scores   []int
}

// Electorate is everything a phase's count needs, as plain values.
type Electorate struct {
	Voters  []Voter
	Ballots []Ballot
	// Roles lists, per role, the voters who hold it when the vote is
	// counted, in the order their delegators try them.
	Roles map[string][]int32
}

// Rules are an association's thresholds for one category of proposals.
type Rules struct {
	// Quorum is the share of eligible members who must take part (their own
	// ballot or a delegated one), in [0, 1].
	Quorum float64
	// Majority is the share of counted value-vote ballots that must place
	// the winner among their highest scores, in [0, 1]; 0 is plain score
	// voting.
	Majority float64
}

// Outcome of a phase's count.
const (
	OutcomeAdopted   = "adopted"    // consensus reached, or the value vote has a winner
	OutcomeNoQuorum  = "no_quorum"  // too few took part
	OutcomeObjection = "objection"  // consensus round: someone objected (or nobody agreed)
	OutcomeNoWinner  = "no_winner"  // value vote: no option meets the rules
	OutcomeTie       = "tie"        // value vote: options tied through every tie-break
	OutcomeEmpty     = "no_options" // value vote without options
)

// Result is a phase's count.
type Result struct {
	Outcome string
	// Winner is the index of the winning option in the value vote, -1
	// otherwise.
	Winner int
	// Eligible and Participants: members who could vote, and those whose
	// vote counted (directly or through a delegate).
	Eligible, Participants int
	Direct, Delegated      int
	// Consensus round.
	Agree, Abstain, Object int
	// Objectors are the voters whose counted position is object, own or
	// delegated; BeneficiaryObjected says one of them is a beneficiary.
	Objectors           []int32
	BeneficiaryObjected bool
	// Value vote: per option, the sum of counted scores, how many counted
	// ballots place it among their highest scores, and whether a majority
	// of the beneficiaries who took part scored it lowest (it cannot win).
	Totals, Top []int
	Vetoed      []bool
	// Source and Via tell, per voter, whose ballot counted for them and the
	// next member on the way (themselves for a direct ballot; -1 when their
	// vote went nowhere). Chain reads the whole path.
	Source, Via []int32
	paths       map[int32][]int32
}

// Chain is the path voter i's vote followed: i, their delegate, that
// delegate's delegate… ending with the member whose ballot counted; nil
// when it counted for nothing.
func (r Result) Chain(i int32) []int32 {
	if r.Source[i] < 0 {
		return nil
	}
	res := resolution{source: r.Source, via: r.Via, paths: r.paths}
	return res.chainOutside(i)
}

// CountConsensus counts a consensus round: adopted when the quorum is met,
// at least one counted agree and no counted objection.
func CountConsensus(e *Electorate, rules Rules) Result {
	r, w := count(e)
	defer w.release()
	for i, s := range r.Source {
		if s < 0 {
			continue
		}
		switch e.Ballots[w.ballot[s]].Position {
		case Agree:
			r.Agree++
		case Abstain:
			r.Abstain++
		case Object:
			r.Object++
			r.Objectors = append(r.Objectors, int32(i))
			if w.flags[i]&flagBeneficiary != 0 {
				r.BeneficiaryObjected = true
			}
		}
	}
	switch {
	case !quorate(r, rules):
		r.Outcome = OutcomeNoQuorum
	case r.Object > 0 || r.Agree == 0:
		r.Outcome = OutcomeObjection
	default:
		r.Outcome = OutcomeAdopted
	}
	return r
}

// CountValueVote counts a value vote over options (their number; ballots
// carry one score per option). The winner is the option with the highest
// total score among those the beneficiaries did not veto; a tie on the
// total goes to the option more ballots place first; a tie on both is
// OutcomeTie and nothing is adopted. The winner must then be placed first
// by at least the Majority share of counted ballots, or nothing is
// adopted (OutcomeNoWinner): a qualified majority is never met by falling
// back to a less-liked option.
func CountValueVote(e *Electorate, options int, rules Rules) Result {
	r, w := count(e)
	defer w.release()
	if options <= 0 {
		r.Outcome = OutcomeEmpty
		return r
	}
	r.Totals = make([]int, options)
	r.Top = make([]int, options)
	r.Vetoed = make([]bool, options)
	lowest := make([]int, options)
	beneficiaries := 0
	// The members' flags are a small array: a quick pass finds the few
	// beneficiaries.
	for i, f := range w.flags {
		if f&flagBeneficiary == 0 || r.Source[i] < 0 {
			continue
		}
		s := r.Source[i]
		beneficiaries++
		scores := e.Ballots[w.ballot[s]].Scores
		// A beneficiary who scores every option alike has no lowest.
		if lo := slices.Min(scores); len(scores) == options && lo != slices.Max(scores) {
			for o, v := range scores {
				if v == lo {
					lowest[o]++
				}
			}
		}
	}
	// Each ballot counts as many times as members it speaks for (its
	// weight): read each once, in order.
	totals, top := r.Totals, r.Top
	for b, weight := range w.weight[1:] {
		if weight == 0 {
			continue // its voter was suspended
		}
		scores := e.Ballots[b].Scores
		if len(scores) != options {
			continue // refused when cast; never counted
		}
		hi := scores[0]
		for _, x := range scores[1:] {
			hi = max(hi, x)
		}
		for o, x := range scores {
			totals[o] += int(weight) * x
			top[o] += int(weight) * int(bit(x == hi)) // no branch: which is highest is anyone's guess
		}
	}
	for o := range options {
		r.Vetoed[o] = beneficiaries > 0 && 2*lowest[o] > beneficiaries
	}
	if !quorate(r, rules) {
		r.Outcome = OutcomeNoQuorum
		return r
	}
	best, tied := -1, false
	for o := range options {
		if r.Vetoed[o] {
			continue
		}
		switch {
		case best < 0, r.Totals[o] > r.Totals[best],
			r.Totals[o] == r.Totals[best] && r.Top[o] > r.Top[best]:
			best, tied = o, false
		case r.Totals[o] == r.Totals[best] && r.Top[o] == r.Top[best]:
			tied = true
		}
	}
	switch {
	case best < 0, float64(r.Top[best]) < rules.Majority*float64(r.Participants):
		r.Outcome = OutcomeNoWinner
	case tied:
		r.Outcome = OutcomeTie
	default:
		r.Outcome, r.Winner = OutcomeAdopted, best
	}
	return r
}

// count resolves the delegations and counts who took part, and each
// ballot's weight (scratch.weight). The working arrays it returns go back
// to their pool with release once the caller is done with them.
func count(e *Electorate) (Result, *scratch) {
	w := newScratch()
	res := resolve(e, w)
	r := Result{Winner: -1, Source: res.source, Via: res.via, paths: res.paths,
		Eligible: w.eligible, Direct: w.direct}
	// The members with a ballot were counted reading the electorate; the
	// delegators (a third of the members at most) remain.
	for _, v := range w.graph.voter {
		if s := r.Source[v]; s >= 0 {
			r.Delegated++
			w.weight[w.ballot[s]+1]++
		}
	}
	r.Participants = r.Direct + r.Delegated
	return r, w
}

func quorate(r Result, rules Rules) bool {
	return r.Participants > 0 && float64(r.Participants) >= rules.Quorum*float64(r.Eligible)
}
