package news

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// MaxAuthorsAtOnce bounds the authors one AuthorStats read takes.
const MaxAuthorsAtOnce = 80

// AuthorStats is how many notes an author has published and when the last
// was.
type AuthorStats struct {
	Notes int
	Last  *time.Time
}

// AuthorStats counts the live notes of each of authors, in one query.
// Direct notes are left out, as Mastodon leaves them out of its
// statuses_count.
func (s *Service) AuthorStats(ctx context.Context, authors []uuid.UUID) (map[uuid.UUID]AuthorStats, error) {
	authors = authors[:min(len(authors), MaxAuthorsAtOnce)]
	rows, err := s.db.Notes().AuthorStatsOf(ctx, authors, []string{Public, Unlisted, Followers})
	if err != nil {
		return nil, fmt.Errorf("author stats: %w", err)
	}
	out := make(map[uuid.UUID]AuthorStats, len(rows))
	for id, r := range rows {
		out[id] = AuthorStats{Notes: r.Notes, Last: r.Last}
	}
	return out, nil
}
