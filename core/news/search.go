package news

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSearchResults bounds one page of a search.
const MaxSearchResults = 40

// SearchTags returns the hashtags of notes stored here that start with
// prefix ('#' aside, case aside), in order: at most limit (up to
// MaxSearchResults) after skipping offset.
func (s *Service) SearchTags(ctx context.Context, prefix string, limit, offset int) ([]string, error) {
	prefix = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(prefix), "#"))
	if prefix == "" || !utf8.ValidString(prefix) || utf8.RuneCountInString(prefix) > MaxTagLength {
		return []string{}, nil
	}
	limit = max(1, min(limit, MaxSearchResults))
	tags, err := s.db.Notes().SearchTags(ctx, prefix, limit, max(0, offset))
	if err != nil {
		return nil, fmt.Errorf("search hashtags %q: %w", prefix, err)
	}
	return tags, nil
}
