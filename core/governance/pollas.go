package governance

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// PollVoteAs takes a local account's answer in the poll of proposal id
// (Mastodon's client API: a vote in the poll the proposal shows). It is
// the same vote as one received from another server (ReceivePollVote): an
// eligible member's answer is their consensus ballot, as if cast with
// Vote; a person who is not a member votes outside, never counted; a
// member in probation, suspended or outside the electorate is refused.
func (s *Service) PollVoteAs(ctx context.Context, by membership.Account, id uuid.UUID, option string) (string, error) {
	var result string
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		actor, err := actorOf(ctx, tx, by)
		if err != nil {
			return err
		}
		result, err = s.pollVote(ctx, tx, id, PollVote{Proposal: s.ProposalURI(id), Voter: actor, Option: option})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("poll vote of %s on proposal %s: %w", by.Username, id, err)
	}
	return result, nil
}

// OwnPollAnswer returns by's answer in the consensus round of proposal
// id: their ballot's position (counted true), or their outside vote
// (counted false); "" when they gave none.
func (s *Service) OwnPollAnswer(ctx context.Context, by membership.Account, id uuid.UUID) (option string, counted bool, err error) {
	actor, err := actorOf(ctx, s.db.Tx, by)
	if errors.Is(err, ErrNoActor) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("poll answer of %s on %s: %w", by.Username, id, err)
	}
	b, err := s.db.Ballots().Of(ctx, id, PhaseConsensus, actor)
	switch {
	case err == nil:
		return b.Position, true, nil
	case !errors.Is(err, store.ErrNotFound):
		return "", false, fmt.Errorf("poll answer of %s on %s: %w", by.Username, id, err)
	}
	o, err := s.db.OutsideVotes().Of(ctx, id, actor)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("poll answer of %s on %s: %w", by.Username, id, err)
	}
	return o.Option, false, nil
}
