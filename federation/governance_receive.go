package federation

import (
	"context"

	"github.com/rs/zerolog"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/federation/inbox"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// maxVotesPerActivity bounds the votes one Create may carry: a poll has
// at most that many options.
const maxVotesPerActivity = governance.MaxOptions

// voteHandlers take the votes Mastodon users cast in the polls of this
// instance's proposals (docs/vocabulary.md §5.8): a Create of a Note named
// after the option, in reply to the Question, or of several such Notes
// (one per option chosen). The inbox has checked that the actor signed the
// activity and that the Notes live on the actor's host. What is not a vote
// on a proposal here goes on to the handler registered before.
type voteHandlers struct {
	votes *governance.Service
	log   zerolog.Logger
}

// register wraps the Create handler p has.
func (h voteHandlers) register(p *inbox.Processor) {
	p.Handle("Create", h.create(p.Handler("Create")))
}

func (h voteHandlers) create(next inbox.Handler) inbox.Handler {
	return func(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
		votes := h.pollVotes(doc["object"])
		if len(votes) == 0 {
			return orNothing(ctx, next, a, doc)
		}
		for i, obj := range votes {
			log := h.log.With().Str("activity", a.ActivityID).Str("actor", a.Actor).
				Str("proposal", vocab.IDOf(obj["inReplyTo"])).Logger()
			if i == maxVotesPerActivity {
				log.Info().Msg("poll votes past the number of options ignored")
				break
			}
			// The voter is whoever signed: a vote attributed to anyone
			// else is not theirs to cast.
			if by := ids(obj["attributedTo"]); len(by) != 1 || by[0] != a.Actor {
				log.Info().Strs("attributed_to", by).Msg("poll vote refused: not attributed to the actor who sent it")
				continue
			}
			option, _ := obj["name"].(string)
			result, err := h.votes.ReceivePollVote(ctx, governance.PollVote{Proposal: vocab.IDOf(obj["inReplyTo"]),
				Voter: a.Actor, Option: option})
			switch {
			case core.KindOf(err) != 0:
				e, _ := core.As(err)
				log.Info().Err(err).Str("code", e.Code).Str("option", line(option, vocab.MaxNameLength)).Msg("poll vote refused")
			case err != nil:
				return err // the database failing: retried
			default:
				log.Info().Str("option", option).Str("result", result).Msg("poll vote received")
			}
		}
		return nil
	}
}

// pollVotes returns the poll votes among the object(s) of a Create that
// answer one of this instance's proposals; nil when there are none.
func (h voteHandlers) pollVotes(object any) []map[string]any {
	var out []map[string]any
	for _, o := range list(object) {
		obj, ok := o.(map[string]any)
		if !ok || !isPollVote(obj) {
			continue
		}
		if _, local := h.votes.ProposalID(vocab.IDOf(obj["inReplyTo"])); local {
			out = append(out, obj)
		}
		if len(out) > maxVotesPerActivity {
			break // enough to tell that there are too many
		}
	}
	return out
}
