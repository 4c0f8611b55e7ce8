package membership

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSearchResults bounds one page of a search.
const MaxSearchResults = 40

// SearchActors returns the actors known here (local ones first) whose
// name or display name starts with prefix, case aside: at most limit
// (up to MaxSearchResults) after skipping offset. It never fetches: a
// remote actor shows only once someone here met it. Deleted and suspended
// actors are left out.
func (s *Service) SearchActors(ctx context.Context, prefix string, limit, offset int) ([]Actor, error) {
	prefix = strings.TrimPrefix(strings.TrimSpace(prefix), "@")
	if prefix == "" || !utf8.ValidString(prefix) {
		return []Actor{}, nil
	}
	limit = max(1, min(limit, MaxSearchResults))
	rows, err := s.db.Actors().SearchActors(ctx, prefix, limit, max(0, offset))
	if err != nil {
		return nil, fmt.Errorf("search actors %q: %w", prefix, err)
	}
	out := make([]Actor, len(rows))
	for i, r := range rows {
		out[i] = actorFrom(r)
	}
	return out, nil
}
