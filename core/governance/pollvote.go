package governance

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// PollVote is a vote in a proposal's poll as Mastodon sends it
// (docs/vocabulary.md §5.8): a Note named after the option chosen, in reply
// to the proposal's Question.
type PollVote struct {
	Proposal string // the Question's id (the Note's inReplyTo)
	// Voter is the actor who voted; the caller has checked that they
	// signed the vote and that it is theirs.
	Voter  string
	Option string // the Note's name
}

// What came of a poll vote.
const (
	// PollVoteCounted: the vote is the member's ballot in the consensus
	// round.
	PollVoteCounted = "counted"
	// PollVoteOutside: the voter is not a member; the vote is kept apart
	// and never counted (Tally.Outside).
	PollVoteOutside = "outside"
)

// ProposalID returns the id of the local proposal whose id on the wire is
// uri; ok is false when uri is not one of this instance's proposals.
func (s *Service) ProposalID(uri string) (id uuid.UUID, ok bool) {
	rest, found := strings.CutPrefix(uri, s.policy.BaseURL+"/proposals/")
	if !found || len(rest) != 36 {
		return uuid.Nil, false
	}
	id, err := uuid.Parse(rest)
	return id, err == nil
}

// ReceivePollVote takes a vote in the poll of a local proposal. The poll
// asks the consensus round's question, so its options are the positions:
// agree, abstain, object. An eligible member's vote is their ballot, the
// last one standing, as if cast here; a vote from someone who is not a
// member is kept apart as an outside vote, shown but never counted. A vote
// in another phase (ErrInDebate, ErrWrongPhase), after the deadline
// (ErrPhaseEnded), on a closed proposal (ErrProposalClosed), for an option
// the round does not have (ErrUnknownOption), or from a member who may not
// vote (ErrVotingSuspended, ErrInProbation,
// ErrNotInElectorate) is refused. Someone who is not a member any more,
// or not yet, votes outside.
func (s *Service) ReceivePollVote(ctx context.Context, v PollVote) (string, error) {
	id, ok := s.ProposalID(v.Proposal)
	if !ok {
		return "", ErrNoSuchProposal
	}
	var result string
	err := s.db.InTx(ctx, func(tx store.Tx) (err error) {
		result, err = s.pollVote(ctx, tx, id, v)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("poll vote of %s on proposal %s: %w", v.Voter, id, err)
	}
	return result, nil
}

// pollVote takes v in the poll of proposal id, in tx (ReceivePollVote).
func (s *Service) pollVote(ctx context.Context, tx store.Tx, id uuid.UUID, v PollVote) (string, error) {
	var result string
	err := func() error {
		p, err := proposalForBallot(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.checkOpen(p, PhaseConsensus); err != nil {
			return err
		}
		if positionCode(v.Option) == noChoice {
			return ErrUnknownOption
		}
		m, err := memberByActor(ctx, tx, p.AssociationID, v.Voter)
		if errors.Is(err, store.ErrNotFound) || (err == nil && m.Status != membership.MemberActive) {
			// Not a member (any more, or not yet).
			result = PollVoteOutside
			return tx.OutsideVotes().Record(ctx, &store.OutsideVote{ProposalID: p.ID, Actor: v.Voter,
				Option: v.Option, ReceivedAt: s.now()})
		}
		if err != nil {
			return err
		}
		if m.VotingSuspended {
			return ErrVotingSuspended
		}
		result = PollVoteCounted
		_, err = s.cast(ctx, tx, p, v.Voter, &m, BallotInput{Phase: PhaseConsensus, Position: v.Option})
		return err
	}()
	return result, err
}
