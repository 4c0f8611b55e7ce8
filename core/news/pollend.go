package news

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// maxEndedPerRun bounds the polls one run of PublishEndedPolls closes.
const maxEndedPerRun = 100

// PollEnds rings when a local poll is posted, so that the scheduler looks
// again at NextPollEnd.
func (s *Service) PollEnds() <-chan struct{} { return s.pollEnds.C() }

// NextPollEnd is the earliest end of a local poll whose final counts have
// not gone out; ok is false when there is none.
func (s *Service) NextPollEnd(ctx context.Context) (time.Time, bool, error) {
	t, ok, err := s.db.Polls().NextEnd(ctx)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next poll end: %w", err)
	}
	return t, ok, nil
}

// PublishEndedPolls sends, for each local poll that has ended, an Update
// of its Question with the final counts to the note's audience and to
// the remote actors who voted, as Mastodon does when its polls end (their
// servers then tell the voters). Each goes out once, even with several
// processes (store.Polls.ClaimEnded). It returns how many it sent.
func (s *Service) PublishEndedPolls(ctx context.Context) (int, error) {
	ids, err := s.db.Polls().Ended(ctx, s.now(), maxEndedPerRun)
	if err != nil {
		return 0, fmt.Errorf("ended polls: %w", err)
	}
	sent := 0
	for _, id := range ids {
		err := s.db.InTx(ctx, func(tx store.Tx) error {
			claimed, err := tx.Polls().ClaimEnded(ctx, id)
			if err != nil || !claimed {
				return err
			}
			ok, err := s.publishEnd(ctx, tx, id)
			if ok {
				sent++
			}
			return err
		})
		if err != nil {
			return sent, fmt.Errorf("end of the poll of %s: %w", id, err)
		}
	}
	return sent, nil
}

// publishEnd queues the Update of the ended poll of the note id; false
// when there is none to send (a deleted note).
func (s *Service) publishEnd(ctx context.Context, tx store.Tx, id uuid.UUID) (bool, error) {
	row, err := tx.Notes().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (row.DeletedAt != nil || !row.Local)) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	n, err := s.load(ctx, tx, row)
	if err != nil {
		return false, err
	}
	voters, err := tx.Polls().Voters(ctx, id)
	if err != nil {
		return false, err
	}
	targets, err := mentionedActors(ctx, tx, append(n.MentionURIs(), voters...))
	if err != nil {
		return false, err
	}
	inboxes, err := s.inboxes(ctx, tx, n, targets)
	if err != nil {
		return false, err
	}
	// The Update carries the moment of the end, not an edit of the text:
	// the note itself keeps its own updated time.
	now := s.now()
	n.Updated = &now
	return true, s.publish(ctx, tx, Publication{Type: "Update", Note: n, Inboxes: dedupe(inboxes)})
}

// dedupe keeps the first of each inbox.
func dedupe(list []string) []string {
	seen := make(map[string]bool, len(list))
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
