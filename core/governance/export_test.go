package governance

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// RecountFromRecords counts the open phase of proposal id again from the
// records people read and publish — the ballots' rows and the voting
// instructions' rows — instead of the packed ballot box and instruction
// pages the service counts from; only who may vote is read from the roll,
// its one record. Tests compare the two counts.
func RecountFromRecords(ctx context.Context, db *store.DB, id uuid.UUID) (Result, *Electorate, error) {
	p, err := db.Proposals().ByID(ctx, id)
	if err != nil {
		return Result{}, nil, err
	}
	in, err := liveInputs(ctx, db.Tx, p, p.Phase)
	if err != nil {
		return Result{}, nil, err
	}
	// Keep who may vote; empty the ballot box and forget the pages.
	width := boxWidth(p.Phase, in.options)
	for i := range in.rolls {
		_, empty := newRollPage(width)
		in.rolls[i].Choices = empty
	}
	in.instructions = nil
	e, err := in.electorate(p.Phase, p.Category)
	if err != nil {
		return Result{}, nil, err
	}
	ballots, err := db.Ballots().OfPhase(ctx, id, p.Phase, -1, 1<<20)
	if err != nil {
		return Result{}, nil, err
	}
	for _, b := range ballots {
		v := &e.Voters[b.VoterNumber]
		if !v.Eligible {
			continue
		}
		var scores []int
		if err := json.Unmarshal([]byte(b.Scores), &scores); err != nil {
			return Result{}, nil, err
		}
		v.Ballot = int32(len(e.Ballots))
		e.Ballots = append(e.Ballots, Ballot{Position: b.Position, Scores: scores})
	}
	rows, err := db.Instructions().InRange(ctx, p.AssociationID, 0, int32(len(e.Voters)))
	if err != nil {
		return Result{}, nil, err
	}
	byVoter := map[int32][]Instruction{}
	for _, r := range rows {
		var list []storedDelegate
		if err := json.Unmarshal([]byte(r.Delegates), &list); err != nil {
			return Result{}, nil, err
		}
		ins := Instruction{Scope: r.Scope}
		for _, d := range list {
			ins.Delegates = append(ins.Delegates, Delegate{Voter: d.Number, Role: d.Role})
		}
		byVoter[r.VoterNumber] = append(byVoter[r.VoterNumber], ins)
	}
	for n, list := range byVoter {
		if int(n) < len(e.Voters) {
			e.Voters[n].Delegates = InstructionFor(list, p.Category)
		}
	}
	rules, err := rulesFor(ctx, db.Tx, p.AssociationID, p.Category)
	if err != nil {
		return Result{}, nil, err
	}
	if p.Phase == PhaseValueVote {
		return CountValueVote(e, in.options, rules), e, nil
	}
	return CountConsensus(e, rules), e, nil
}

// CountOpen counts the open phase of proposal id as the service does, from
// the packed pages.
func CountOpen(ctx context.Context, db *store.DB, id uuid.UUID) (Result, error) {
	p, err := db.Proposals().ByID(ctx, id)
	if err != nil {
		return Result{}, err
	}
	in, err := liveInputs(ctx, db.Tx, p, p.Phase)
	if err != nil {
		return Result{}, err
	}
	c, err := countPhase(ctx, db.Tx, p, p.Phase, in)
	return c.result, err
}
