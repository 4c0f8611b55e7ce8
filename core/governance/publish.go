package governance

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Publication is a proposal to publish, in the transaction that changes it
// (DESIGN §1): its Create when it is made, an Update at each change of
// phase and when it closes, and an Update with the new counts after
// ballots, at most once per interval (PublishCounts).
type Publication struct {
	Type     string // Create or Update
	Proposal Proposal
	// Phases are the phases it went through, the current one last.
	Phases []PhaseRecord
	// Tally is the count it shows: the current phase's as it stands, or
	// the last voting phase's as closed.
	Tally Tally
}

// Publisher queues publications inside the caller's transaction;
// federation provides it.
type Publisher interface {
	Publish(ctx context.Context, tx store.Tx, p Publication) error
}

// DefaultCountsEvery is how often at most the counts of a proposal are
// published again after ballots, when UsePublisher is given no interval.
const DefaultCountsEvery = time.Minute

// UsePublisher sets who turns publications into activities, and how often
// at most a proposal's counts are published again after ballots (every;
// DefaultCountsEvery when zero), so that a thousand ballots make a few
// Updates, not a thousand. It is set once, at wiring, before the service
// is used by several goroutines. Without one nothing is published.
func (s *Service) UsePublisher(p Publisher, every time.Duration) {
	if every <= 0 {
		every = DefaultCountsEvery
	}
	s.publisher, s.countsEvery = p, every
}

// publish hands p, as it is now in tx, to the publisher. What it publishes
// carries the current counts: none wait any more.
func (s *Service) publish(ctx context.Context, tx store.Tx, kind string, p store.Proposal) error {
	if s.publisher == nil {
		return nil
	}
	pub, err := publicationOf(ctx, tx, kind, p)
	if err != nil {
		return fmt.Errorf("publish %s of proposal %s: %w", kind, p.ID, err)
	}
	if err := tx.CountChanges().Clear(ctx, p.ID); err != nil {
		return err
	}
	if err := s.publisher.Publish(ctx, tx, pub); err != nil {
		return fmt.Errorf("publish %s of proposal %s: %w", kind, p.ID, err)
	}
	return nil
}

func publicationOf(ctx context.Context, tx store.Tx, kind string, p store.Proposal) (Publication, error) {
	proposal, err := proposalFrom(p)
	if err != nil {
		return Publication{}, err
	}
	phases, err := phasesOf(ctx, tx, p.ID)
	if err != nil {
		return Publication{}, err
	}
	t, err := tallyOf(ctx, tx, p)
	if err != nil {
		return Publication{}, err
	}
	return Publication{Type: kind, Proposal: proposal, Phases: phases, Tally: t}, nil
}

// Publication returns proposal id as it is published now: what its id
// answers with.
func (s *Service) Publication(ctx context.Context, id uuid.UUID) (Publication, error) {
	p, err := s.db.Proposals().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Publication{}, ErrNoSuchProposal
	}
	if err != nil {
		return Publication{}, fmt.Errorf("proposal %s: %w", id, err)
	}
	pub, err := publicationOf(ctx, s.db.Tx, "Update", p)
	if err != nil {
		return Publication{}, fmt.Errorf("proposal %s: %w", id, err)
	}
	return pub, nil
}

// countsChanged notes, in a ballot's transaction, that proposal's counts
// changed: PublishCounts publishes them.
func (s *Service) countsChanged(ctx context.Context, tx store.Tx, proposal uuid.UUID) error {
	if s.publisher == nil {
		return nil
	}
	tx.AfterCommit(s.deadlines.Ring)
	return tx.CountChanges().Mark(ctx, proposal, s.now())
}

// PublishCounts publishes again (an Update) every open proposal whose
// counts ballots changed at least the interval ago, one transaction each,
// and returns how many it published. Several processes may run it at once:
// each change is claimed with its row locked (SKIP LOCKED on PostgreSQL).
// A proposal that cannot be published is left for the next run without
// holding up the others; the errors are returned.
func (s *Service) PublishCounts(ctx context.Context) (int, error) {
	if s.publisher == nil {
		return 0, nil
	}
	return s.eachDue(ctx, "publish counts", func(tx store.Tx, failed []uuid.UUID) (uuid.UUID, bool, error) {
		c, err := tx.CountChanges().ClaimDue(ctx, s.now().Add(-s.countsEvery), failed)
		if errors.Is(err, store.ErrNotFound) {
			return uuid.Nil, false, nil
		}
		if err != nil {
			return uuid.Nil, false, err
		}
		// The proposal's lock waits for the ballots being written and
		// holds off new ones until this commits: every ballot is in the
		// counts published, or marks them changed again after.
		p, err := tx.Proposals().ByIDForUpdate(ctx, c.ProposalID)
		if err != nil {
			return c.ProposalID, false, err
		}
		if !Open(p.Phase) {
			// Its closing published the final counts.
			return p.ID, false, tx.CountChanges().Clear(ctx, p.ID)
		}
		return p.ID, true, s.publish(ctx, tx, "Update", p)
	})
}

// NextCountsDue returns when the next changed counts are due to be
// published, so that the scheduler can wake then; ok is false when none
// wait.
func (s *Service) NextCountsDue(ctx context.Context) (t time.Time, ok bool, err error) {
	if s.publisher == nil {
		return time.Time{}, false, nil
	}
	t, err = s.db.CountChanges().Oldest(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next counts due: %w", err)
	}
	return t.Add(s.countsEvery), true, nil
}
