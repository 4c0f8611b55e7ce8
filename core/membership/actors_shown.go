package membership

import (
	"context"
	"fmt"

	"github.com/holon-network/holon/store"
)

// ActorsByURIs returns the actors known here among uris, by uri, in one
// read: a page of notes names its authors, boosters and mentioned actors
// at once. Each one's DisplayName is the name to show: a local person's
// account's, an association's, a remote actor's own, else its username.
func (s *Service) ActorsByURIs(ctx context.Context, uris []string) (map[string]Actor, error) {
	rows, err := s.db.Actors().ShownByURIs(ctx, uris)
	if err != nil {
		return nil, fmt.Errorf("actors of a page: %w", err)
	}
	out := make(map[string]Actor, len(rows))
	for _, r := range rows {
		a := actorFrom(r.Actor)
		a.DisplayName = shownName(r)
		out[a.URI] = a
	}
	return out, nil
}

func shownName(r store.ShownActor) string {
	if r.ShownName != "" {
		return r.ShownName
	}
	return r.Username
}
