package instance

import (
	"context"
	"fmt"
)

// MaxPeers bounds the list of known instances given at once.
const MaxPeers = 1000

// Peers returns the hosts of the other instances whose actors this one
// knows, alphabetically, at most MaxPeers: what Mastodon publishes as its
// peers.
func (s *Service) Peers(ctx context.Context) ([]string, error) {
	hosts, err := s.db.PeerHosts(ctx, MaxPeers)
	if err != nil {
		return nil, fmt.Errorf("peers: %w", err)
	}
	return hosts, nil
}
