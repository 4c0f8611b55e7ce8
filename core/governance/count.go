package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// MaxListedObjectors bounds the objectors a count names; Object counts
// them all.
const MaxListedObjectors = 100

// Count is a voting phase's count as published: the Result of the pure
// tally without the chains, the rules it applied and the objectors by
// their actor ids.
type Count struct {
	Outcome             string   `json:"outcome"`
	Winner              int      `json:"winner"`
	Quorum              float64  `json:"quorum"`
	Majority            float64  `json:"majority"`
	Eligible            int      `json:"eligible"`
	Participants        int      `json:"participants"`
	Direct              int      `json:"direct"`
	Delegated           int      `json:"delegated"`
	Agree               int      `json:"agree,omitempty"`
	Abstain             int      `json:"abstain,omitempty"`
	Object              int      `json:"object,omitempty"`
	Objectors           []string `json:"objectors,omitempty"`
	BeneficiaryObjected bool     `json:"beneficiary_objected,omitempty"`
	Totals              []int    `json:"totals,omitempty"`
	Top                 []int    `json:"top,omitempty"`
	Vetoed              []bool   `json:"vetoed,omitempty"`
}

// inputs is everything a phase's count reads, as stored: the roll (who
// could vote, the ballot box), the voting instructions, the holders of
// roles, the members suspended since the opening, the beneficiaries.
type inputs struct {
	options       int
	rolls         []store.RollPage
	instructions  []store.InstructionPage
	roles         map[string][]int32
	suspended     []int32
	beneficiaries []int32
}

// liveInputs reads the inputs of an open phase: the voting instructions,
// roles and suspensions as they stand now (changes apply to open votes).
func liveInputs(ctx context.Context, tx store.Tx, p store.Proposal, phase string) (inputs, error) {
	in, _, err := rollInputs(ctx, tx, p, phase)
	if err != nil {
		return inputs{}, err
	}
	if in.instructions, err = tx.Instructions().Pages(ctx, p.AssociationID); err != nil {
		return inputs{}, err
	}
	if in.suspended, err = tx.Voters().SuspendedNumbers(ctx, p.AssociationID); err != nil {
		return inputs{}, err
	}
	holders, err := tx.Voters().RoleHolders(ctx, p.AssociationID, []string{RoleBoard, RoleTreasurer})
	if err != nil {
		return inputs{}, err
	}
	in.roles = map[string][]int32{}
	for _, h := range holders {
		in.roles[RoleBoard] = append(in.roles[RoleBoard], h.Number)
		if h.Role == RoleTreasurer {
			in.roles[RoleTreasurer] = append(in.roles[RoleTreasurer], h.Number)
		}
	}
	return in, nil
}

// frozenInputs reads the inputs a closed phase's count read.
func frozenInputs(ctx context.Context, tx store.Tx, p store.Proposal, phase string) (inputs, error) {
	in, ph, err := rollInputs(ctx, tx, p, phase)
	if err != nil {
		return inputs{}, err
	}
	if ph.Roles == nil || ph.Suspended == nil {
		return inputs{}, fmt.Errorf("phase %s of proposal %s was not counted", phase, p.ID)
	}
	if in.instructions, err = tx.Instructions().Frozen(ctx, p.ID, phase); err != nil {
		return inputs{}, err
	}
	if err := json.Unmarshal([]byte(*ph.Roles), &in.roles); err != nil {
		return inputs{}, fmt.Errorf("roles of a count: %w", err)
	}
	if err := json.Unmarshal([]byte(*ph.Suspended), &in.suspended); err != nil {
		return inputs{}, fmt.Errorf("suspensions of a count: %w", err)
	}
	return in, nil
}

func rollInputs(ctx context.Context, tx store.Tx, p store.Proposal, phase string) (inputs, store.ProposalPhase, error) {
	var in inputs
	var options []string
	if err := json.Unmarshal([]byte(p.Options), &options); err != nil {
		return inputs{}, store.ProposalPhase{}, fmt.Errorf("options of proposal %s: %w", p.ID, err)
	}
	in.options = len(options)
	ph, err := tx.Proposals().Phase(ctx, p.ID, phase)
	if err != nil {
		return inputs{}, store.ProposalPhase{}, err
	}
	if err := json.Unmarshal([]byte(ph.Beneficiaries), &in.beneficiaries); err != nil {
		return inputs{}, store.ProposalPhase{}, fmt.Errorf("beneficiaries of a phase: %w", err)
	}
	if in.rolls, err = tx.Rolls().Pages(ctx, p.ID, phase); err != nil {
		return inputs{}, store.ProposalPhase{}, err
	}
	return in, ph, nil
}

// electorate builds the pure tally's input from the stored one. Voters are
// indexed by their number; the category picks each voter's instruction.
func (in inputs) electorate(phase, category string) (*Electorate, error) {
	n := int32(0)
	if k := len(in.rolls); k > 0 {
		n = (in.rolls[k-1].Page + 1) * PageSize
	}
	if k := len(in.instructions); k > 0 {
		n = max(n, (in.instructions[k-1].Page+1)*PageSize)
	}
	e := &Electorate{Voters: make([]Voter, n), Roles: in.roles}
	for i := range e.Voters {
		e.Voters[i].Ballot = -1
	}
	width := boxWidth(phase, in.options)
	// Scores of every ballot side by side, so that a million ballots are
	// one allocation.
	var flat []int
	if phase == PhaseValueVote {
		ballots := 0
		for _, pg := range in.rolls {
			for off := 0; off < PageSize; off++ {
				if off*width < len(pg.Choices) && pg.Choices[off*width] != noChoice && isEligible(pg.Eligible, off) {
					ballots++
				}
			}
		}
		flat = make([]int, 0, ballots*in.options)
		e.Ballots = make([]Ballot, 0, ballots)
	}
	for _, pg := range in.rolls {
		if len(pg.Choices) != PageSize*width || len(pg.Eligible) != PageSize/8 {
			return nil, fmt.Errorf("roll page %d of phase %s: %w", pg.Page, phase, errBadPage)
		}
		base := pg.Page * PageSize
		for off := 0; off < PageSize; off++ {
			if !isEligible(pg.Eligible, off) {
				continue
			}
			v := &e.Voters[base+int32(off)]
			v.Eligible = true
			c := pg.Choices[off*width : (off+1)*width]
			if c[0] == noChoice {
				continue
			}
			var b Ballot
			if phase == PhaseValueVote {
				start := len(flat)
				for _, x := range c {
					flat = append(flat, int(x))
				}
				b.Scores = flat[start:len(flat):len(flat)]
			} else if int(c[0]) < len(positionCodes) {
				b.Position = positionCodes[c[0]]
			} else {
				continue
			}
			v.Ballot = int32(len(e.Ballots))
			e.Ballots = append(e.Ballots, b)
		}
	}
	for _, s := range in.suspended {
		if s >= 0 && s < n {
			e.Voters[s].Eligible = false
		}
	}
	roles := map[string]string{}
	for _, pg := range in.instructions {
		base := pg.Page * PageSize
		// Only eligible members without a ballot of their own follow
		// anyone: the others' instructions are not even decoded.
		skip := func(off int) bool {
			v := &e.Voters[base+int32(off)]
			return !v.Eligible || v.Ballot >= 0
		}
		err := decodeInstructions(pg.Data, category, skip, roles, func(off int, delegates []Delegate) {
			e.Voters[base+int32(off)].Delegates = delegates
		})
		if err != nil {
			return nil, fmt.Errorf("instruction page %d: %w", pg.Page, err)
		}
	}
	for _, b := range in.beneficiaries {
		if b >= 0 && b < n {
			e.Voters[b].Beneficiary = true
		}
	}
	return e, nil
}

// rulesFor returns association's thresholds for category: its own, or the
// defaults.
func rulesFor(ctx context.Context, tx store.Tx, association uuid.UUID, category string) (Rules, error) {
	list, err := tx.GovernanceRules().Of(ctx, association)
	if err != nil {
		return Rules{}, err
	}
	for _, r := range list {
		if r.Category == category {
			return Rules{Quorum: r.Quorum, Majority: r.Majority}, nil
		}
	}
	return DefaultRules(category), nil
}

// counted is a phase's count with what it was made of.
type counted struct {
	in       inputs
	e        *Electorate
	result   Result
	count    Count
	category string
}

// countPhase counts phase of proposal p from in.
func countPhase(ctx context.Context, tx store.Tx, p store.Proposal, phase string, in inputs) (counted, error) {
	e, err := in.electorate(phase, p.Category)
	if err != nil {
		return counted{}, err
	}
	rules, err := rulesFor(ctx, tx, p.AssociationID, p.Category)
	if err != nil {
		return counted{}, err
	}
	var r Result
	if phase == PhaseValueVote {
		r = CountValueVote(e, in.options, rules)
	} else {
		r = CountConsensus(e, rules)
	}
	c := Count{Outcome: r.Outcome, Winner: r.Winner, Quorum: rules.Quorum, Majority: rules.Majority,
		Eligible: r.Eligible, Participants: r.Participants, Direct: r.Direct, Delegated: r.Delegated,
		Agree: r.Agree, Abstain: r.Abstain, Object: r.Object, BeneficiaryObjected: r.BeneficiaryObjected,
		Totals: r.Totals, Top: r.Top, Vetoed: r.Vetoed}
	listed := r.Objectors[:min(len(r.Objectors), MaxListedObjectors)]
	if len(listed) > 0 {
		actors, err := tx.Voters().Actors(ctx, p.AssociationID, listed)
		if err != nil {
			return counted{}, err
		}
		for _, o := range listed {
			c.Objectors = append(c.Objectors, actors[o])
		}
	}
	return counted{in: in, e: e, result: r, count: c, category: p.Category}, nil
}

// Tally is the count of a proposal's voting phase: live while the phase
// is open, as closed otherwise.
type Tally struct {
	ProposalID uuid.UUID
	Phase      string
	Final      bool
	Options    []string
	Count      Count
	// Carriers are the members others' votes go through, most first, at
	// most MaxListedCarriers of them; CarrierCount counts them all.
	Carriers     []Carrier
	CarrierCount int
	// Outside counts the poll votes of people outside the electorate (a
	// Mastodon user who is not a member answering the Question), by
	// position, in the consensus round: shown apart, never counted.
	Outside OutsideVotes
}

// OutsideVotes are the positions of the poll votes that do not count.
type OutsideVotes struct {
	Agree, Abstain, Object int
}

// Total is how many outside votes there are.
func (o OutsideVotes) Total() int { return o.Agree + o.Abstain + o.Object }

// votingPhase returns the phase of p whose count is shown: the current one
// while voting, the last voting one once closed; "" when p never reached a
// vote (in debate, or withdrawn during it).
func votingPhase(ctx context.Context, tx store.Tx, p store.Proposal) (phase string, live bool, err error) {
	if p.Phase == PhaseConsensus || p.Phase == PhaseValueVote {
		return p.Phase, true, nil
	}
	phases, err := tx.Proposals().Phases(ctx, p.ID)
	if err != nil {
		return "", false, err
	}
	for i := len(phases) - 1; i >= 0; i-- {
		ph := phases[i]
		if ph.Phase != PhaseDebate && ph.Roles != nil {
			return ph.Phase, false, nil
		}
	}
	return "", false, nil
}

// load counts proposal id's voting phase (votingPhase).
func (s *Service) load(ctx context.Context, id uuid.UUID) (store.Proposal, string, bool, counted, error) {
	tx := s.db.Tx
	p, err := tx.Proposals().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Proposal{}, "", false, counted{}, ErrNoSuchProposal
	}
	if err != nil {
		return store.Proposal{}, "", false, counted{}, err
	}
	phase, live, c, err := loadCount(ctx, tx, p)
	return p, phase, live, c, err
}

// loadCount counts p's voting phase (votingPhase) as tx sees it.
func loadCount(ctx context.Context, tx store.Tx, p store.Proposal) (string, bool, counted, error) {
	phase, live, err := votingPhase(ctx, tx, p)
	if err != nil || phase == "" {
		return phase, live, counted{}, err
	}
	var in inputs
	if live {
		in, err = liveInputs(ctx, tx, p, phase)
	} else {
		in, err = frozenInputs(ctx, tx, p, phase)
	}
	if err != nil {
		return phase, live, counted{}, err
	}
	c, err := countPhase(ctx, tx, p, phase, in)
	return phase, live, c, err
}

// Tally counts proposal id: the current phase as it stands (the live
// tally), or the last voting phase as it was closed. A proposal that never
// reached a vote has an empty tally.
func (s *Service) Tally(ctx context.Context, id uuid.UUID) (Tally, error) {
	p, err := s.db.Proposals().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Tally{}, fmt.Errorf("tally of proposal %s: %w", id, ErrNoSuchProposal)
	}
	if err != nil {
		return Tally{}, fmt.Errorf("tally of proposal %s: %w", id, err)
	}
	t, err := tallyOf(ctx, s.db.Tx, p)
	if err != nil {
		return Tally{}, fmt.Errorf("tally of proposal %s: %w", id, err)
	}
	return t, nil
}

// tallyOf counts p as tx sees it (Tally).
func tallyOf(ctx context.Context, tx store.Tx, p store.Proposal) (Tally, error) {
	phase, live, c, err := loadCount(ctx, tx, p)
	if err != nil {
		return Tally{}, err
	}
	t := Tally{ProposalID: p.ID, Phase: phase, Final: !live}
	if err := json.Unmarshal([]byte(p.Options), &t.Options); err != nil {
		return Tally{}, err
	}
	if phase == "" {
		t.Phase, t.Final = p.Phase, !Open(p.Phase)
		return t, nil
	}
	t.Count = c.count
	if phase == PhaseConsensus {
		counts, err := tx.OutsideVotes().Counts(ctx, p.ID)
		if err != nil {
			return Tally{}, err
		}
		t.Outside = OutsideVotes{Agree: counts[Agree], Abstain: counts[Abstain], Object: counts[Object]}
	}
	list, carried := carriers(c.result)
	t.CarrierCount = len(list)
	list = list[:min(len(list), MaxListedCarriers)]
	if len(list) == 0 {
		return t, nil
	}
	actors, err := tx.Voters().Actors(ctx, p.AssociationID, list)
	if err != nil {
		return Tally{}, err
	}
	for _, v := range list {
		t.Carriers = append(t.Carriers, Carrier{Actor: actors[v], Carried: int(carried[v]), Direct: c.result.Source[v] == v})
	}
	return t, nil
}

// VoteUse is how one member's vote was used in a phase.
type VoteUse struct {
	Phase string
	// Eligible: the member could vote in this phase.
	Eligible bool
	// Chain is the way the vote went: the member, their delegate, …, the
	// member whose ballot counted (the member alone for a direct ballot);
	// empty when it counted for nothing.
	Chain []string
	// Carried counts the other members whose vote went through this one.
	Carried int
}

// VoteOf tells how actor's vote is used in proposal id's voting phase
// (live while it is open, as counted once closed), and how many others'
// votes go through theirs.
func (s *Service) VoteOf(ctx context.Context, actor string, id uuid.UUID) (VoteUse, error) {
	p, phase, _, c, err := s.load(ctx, id)
	if err != nil {
		return VoteUse{}, fmt.Errorf("vote of %s on proposal %s: %w", actor, id, err)
	}
	use := VoteUse{Phase: phase}
	if phase == "" {
		use.Phase = p.Phase
		return use, nil
	}
	number, err := s.db.Voters().Number(ctx, p.AssociationID, actor)
	if errors.Is(err, store.ErrNotFound) || (err == nil && int(number) >= len(c.e.Voters)) {
		return use, nil
	}
	if err != nil {
		return VoteUse{}, fmt.Errorf("vote of %s on proposal %s: %w", actor, id, err)
	}
	use.Eligible = c.e.Voters[number].Eligible
	chain := c.result.Chain(number)
	if len(chain) > 0 {
		actors, err := s.db.Voters().Actors(ctx, p.AssociationID, chain)
		if err != nil {
			return VoteUse{}, fmt.Errorf("vote of %s on proposal %s: %w", actor, id, err)
		}
		for _, k := range chain {
			use.Chain = append(use.Chain, actors[k])
		}
	}
	use.Carried = carried(c.result, number)
	return use, nil
}

// carried counts the voters other than v whose vote goes through v: v is
// on their chain. Each chain is walked once, remembering the answer for
// every voter on it.
func carried(r Result, v int32) int {
	const through, not = 1, 2
	state := make([]uint8, len(r.Source))
	var walked []int32
	n := 0
	for i := range r.Source {
		if r.Source[i] < 0 || int32(i) == v {
			continue
		}
		walked = walked[:0]
		j, res := int32(i), uint8(0)
		for res == 0 {
			switch path, inCircle := r.paths[j]; {
			case state[j] != 0:
				res = state[j]
			case j == v:
				res = through
			case inCircle:
				res = not
				if slices.Contains(path, v) {
					res = through
				}
			case r.Source[j] == j || r.Source[j] < 0:
				res = not
			default:
				walked = append(walked, j)
				j = r.Via[j]
			}
		}
		for _, k := range walked {
			state[k] = res
		}
		if res == through {
			n++
		}
	}
	return n
}
