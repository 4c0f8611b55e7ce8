package actors

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"sync"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/federation/httpsig"
)

// Keys is what signing needs of the membership service.
type Keys interface {
	SigningKey(ctx context.Context, name string) (keyID string, key *rsa.PrivateKey, err error)
}

// InstanceSigner signs the instance's GET requests with the instance
// actor's key (fetch.Signer). The key is read once, then kept in memory.
type InstanceSigner struct {
	keys  Keys
	name  string
	clock core.Clock

	mu    sync.Mutex
	keyID string
	key   *rsa.PrivateKey
}

// NewInstanceSigner signs as the local actor named name (the host).
func NewInstanceSigner(keys Keys, name string, clock core.Clock) *InstanceSigner {
	return &InstanceSigner{keys: keys, name: name, clock: clock}
}

// SignGET signs r as the instance actor.
func (s *InstanceSigner) SignGET(r *http.Request) error {
	keyID, key, err := s.load(r.Context())
	if err != nil {
		return err
	}
	return httpsig.SignGET(r, keyID, key, s.clock.Now())
}

func (s *InstanceSigner) load(ctx context.Context) (string, *rsa.PrivateKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key == nil {
		keyID, key, err := s.keys.SigningKey(ctx, s.name)
		if err != nil {
			return "", nil, fmt.Errorf("load the instance actor's key: %w", err)
		}
		s.keyID, s.key = keyID, key
	}
	return s.keyID, s.key, nil
}
