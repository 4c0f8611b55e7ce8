package actors

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/federation/httpsig"
)

// Keys is what signing needs of the membership service.
type Keys interface {
	SigningKey(ctx context.Context, name string) (keyID string, key *rsa.PrivateKey, err error)
}

// InstanceSigner signs the instance's GET requests with the instance
// actor's key (fetch.Signer). The key is asked for at each request, so that
// a rotated key is used at once (membership keeps the parsed key).
type InstanceSigner struct {
	keys  Keys
	name  string
	clock core.Clock
}

// NewInstanceSigner signs as the local actor named name (the host).
func NewInstanceSigner(keys Keys, name string, clock core.Clock) *InstanceSigner {
	return &InstanceSigner{keys: keys, name: name, clock: clock}
}

// SignGET signs r as the instance actor.
func (s *InstanceSigner) SignGET(r *http.Request) error {
	keyID, key, err := s.keys.SigningKey(r.Context(), s.name)
	if err != nil {
		return fmt.Errorf("load the instance actor's key: %w", err)
	}
	return httpsig.SignGET(r, keyID, key, s.clock.Now())
}
