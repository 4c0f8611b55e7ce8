package governance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// MaxReason bounds the reason a voter may give with a ballot.
const MaxReason = 2000

// BallotInput is a voter's answer: a Position (agree, abstain or object)
// in the consensus round, Scores (one per option, 0 to MaxScore, in the
// order of the options) in the value vote.
type BallotInput struct {
	// Phase, when given, is the phase the voter answers: a ballot meant
	// for another phase than the current one is refused (ErrWrongPhase).
	Phase    string
	Position string
	Scores   []int
	Reason   string
}

// Cast is a ballot as recorded: the last one of a voter in a phase.
type Cast struct {
	ID         uuid.UUID
	ProposalID uuid.UUID
	Phase      string
	Voter      string // actor id
	Position   string
	Scores     []int
	Reason     string
	CastAt     time.Time // the voter's first ballot in the phase
	UpdatedAt  time.Time // their last
}

func castFrom(b store.Ballot) (Cast, error) {
	c := Cast{ID: b.ID, ProposalID: b.ProposalID, Phase: b.Phase, Voter: b.Voter, Position: b.Position,
		Reason: b.Reason, CastAt: b.CastAt, UpdatedAt: b.UpdatedAt}
	if err := json.Unmarshal([]byte(b.Scores), &c.Scores); err != nil {
		return Cast{}, fmt.Errorf("ballot %s scores: %w", b.ID, err)
	}
	return c, nil
}

// checkShape checks what can be checked of in without the proposal.
func (in *BallotInput) checkShape(fe *fieldErrors) {
	in.Reason = fe.Text("reason", in.Reason, MaxReason, false)
	switch {
	case in.Position != "" && len(in.Scores) > 0:
		fe.Add("position", "position-or-scores", "give a position in the consensus round or scores in the value vote, not both")
	case in.Position == "" && len(in.Scores) == 0:
		fe.Add("position", "required", "give a position (agree, abstain or object) or scores")
	case in.Position != "" && positionCode(in.Position) == noChoice:
		fe.Add("position", "invalid-choice", "must be agree, abstain or object")
	case len(in.Scores) > MaxOptions:
		fe.Add("scores", "too-many", fmt.Sprintf("at most %d scores", MaxOptions))
	case slices.ContainsFunc(in.Scores, func(x int) bool { return x < 0 || x > MaxScore }):
		fe.Add("scores", "out-of-scale", fmt.Sprintf("each score is from 0 to %d", MaxScore))
	}
}

// proposalForBallot reads proposal id for a ballot, share-locked: its
// phase cannot close while the ballot is written.
func proposalForBallot(ctx context.Context, tx store.Tx, id uuid.UUID) (store.Proposal, error) {
	p, err := tx.Proposals().ByIDForShare(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Proposal{}, ErrNoSuchProposal
	}
	return p, err
}

// Vote casts by's ballot on proposal id, in its current phase, replacing
// their earlier ballot in that phase. by must be a member now, with voting
// rights not suspended, and have been in the phase's electorate when it
// opened (past probation); the phase must not have ended.
func (s *Service) Vote(ctx context.Context, by membership.Account, id uuid.UUID, in BallotInput) (Cast, error) {
	var fe fieldErrors
	in.checkShape(&fe)
	if err := fe.Err(); err != nil {
		return Cast{}, err
	}
	var out Cast
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		p, err := proposalForBallot(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.checkOpen(p, in.Phase); err != nil {
			return err
		}
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		m, err := memberOf(ctx, tx, p.AssociationID, by)
		if err != nil {
			return err
		}
		if m.VotingSuspended {
			return ErrVotingSuspended
		}
		out, err = s.cast(ctx, tx, p, actor, &m, in)
		return err
	})
	if err != nil {
		return Cast{}, fmt.Errorf("vote on proposal %s: %w", id, err)
	}
	return out, nil
}

// checkOpen refuses a ballot on p unless p is in a voting phase (the one
// the voter means, if they say) before its deadline.
func (s *Service) checkOpen(p store.Proposal, phase string) error {
	switch {
	case !Open(p.Phase):
		return ErrProposalClosed
	case p.Phase == PhaseDebate:
		return ErrInDebate
	case phase != "" && phase != p.Phase:
		return ErrWrongPhase
	case p.Deadline == nil || !s.now().Before(*p.Deadline):
		return ErrPhaseEnded
	}
	return nil
}

// cast records actor's ballot on p, after checking it against the phase
// and the electorate: the ballot box and the ballot's record, in the
// caller's transaction. m is actor's membership when known, to tell a
// member still in probation at the opening.
func (s *Service) cast(ctx context.Context, tx store.Tx, p store.Proposal, actor string, m *membership.Member, in BallotInput) (Cast, error) {
	var options []string
	if err := json.Unmarshal([]byte(p.Options), &options); err != nil {
		return Cast{}, fmt.Errorf("options of proposal %s: %w", p.ID, err)
	}
	var fe fieldErrors
	switch {
	case p.Phase == PhaseConsensus && in.Position == "":
		fe.Add("position", "position-required", "the consensus round asks for a position: agree, abstain or object")
	case p.Phase == PhaseValueVote && len(in.Scores) != len(options):
		fe.Add("scores", "one-score-per-option", fmt.Sprintf("score each of the %d options, in order, from 0 to %d", len(options), MaxScore))
	}
	if err := fe.Err(); err != nil {
		return Cast{}, err
	}
	number, err := tx.Voters().Number(ctx, p.AssociationID, actor)
	if errors.Is(err, store.ErrNotFound) {
		return Cast{}, s.notInElectorate(ctx, tx, p, m)
	}
	if err != nil {
		return Cast{}, err
	}
	page, off := pageOf(number)
	roll, err := tx.Rolls().PageForUpdate(ctx, p.ID, p.Phase, page)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !isEligible(roll.Eligible, off)) {
		return Cast{}, s.notInElectorate(ctx, tx, p, m)
	}
	if err != nil {
		return Cast{}, err
	}
	width := boxWidth(p.Phase, len(options))
	if len(roll.Choices) != PageSize*width {
		return Cast{}, fmt.Errorf("roll page %d of proposal %s: %w", page, p.ID, errBadPage)
	}
	box := roll.Choices[off*width : (off+1)*width]
	if p.Phase == PhaseValueVote {
		for i, x := range in.Scores {
			box[i] = byte(x)
		}
	} else {
		box[0] = positionCode(in.Position)
	}
	if err := tx.Rolls().SetChoices(ctx, &roll); err != nil {
		return Cast{}, err
	}
	now := s.now()
	scores := in.Scores
	if scores == nil {
		scores = []int{}
	}
	b := store.Ballot{ID: newID(), ProposalID: p.ID, Phase: p.Phase, Voter: actor, VoterNumber: number,
		Position: in.Position, Scores: encodeJSON(scores), Reason: in.Reason, CastAt: now, UpdatedAt: now}
	if err := tx.Ballots().Cast(ctx, &b); err != nil {
		return Cast{}, err
	}
	if err := s.countsChanged(ctx, tx, p.ID); err != nil {
		return Cast{}, err
	}
	return castFrom(b)
}

// notInElectorate tells why a member is not in the phase's electorate: in
// probation when it opened, or otherwise not eligible then.
func (s *Service) notInElectorate(ctx context.Context, tx store.Tx, p store.Proposal, m *membership.Member) error {
	if m == nil || m.JoinedAt == nil {
		return ErrNotInElectorate
	}
	ph, err := tx.Proposals().Phase(ctx, p.ID, p.Phase)
	if err != nil {
		return err
	}
	a, err := associationByID(ctx, tx, p.AssociationID)
	if err != nil {
		return err
	}
	if m.VotingFrom(a.Settings).After(ph.StartedAt) {
		return ErrInProbation
	}
	return ErrNotInElectorate
}

// Ballot returns actor's ballot in phase of proposal id.
func (s *Service) Ballot(ctx context.Context, id uuid.UUID, phase, actor string) (Cast, error) {
	b, err := s.db.Ballots().Of(ctx, id, phase, actor)
	if errors.Is(err, store.ErrNotFound) {
		return Cast{}, ErrNoSuchBallot
	}
	if err != nil {
		return Cast{}, fmt.Errorf("ballot on proposal %s: %w", id, err)
	}
	return castFrom(b)
}

// Ballots lists the ballots of phase of proposal id, limit at a time after
// the cursor (-1 for the first page): with the voting instructions, what
// anyone needs to count the phase again.
func (s *Service) Ballots(ctx context.Context, id uuid.UUID, phase string, after int32, limit int) (list []Cast, next int32, err error) {
	limit = clampLimit(limit)
	rows, err := s.db.Ballots().OfPhase(ctx, id, phase, after, limit+1)
	if err != nil {
		return nil, -1, fmt.Errorf("ballots of proposal %s: %w", id, err)
	}
	next = -1
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].VoterNumber
	}
	for _, r := range rows {
		c, err := castFrom(r)
		if err != nil {
			return nil, -1, err
		}
		list = append(list, c)
	}
	return list, next, nil
}
