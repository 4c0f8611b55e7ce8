package delivery

import (
	"context"
	"crypto/rsa"
)

// Keys gives the signing key of a local actor (membership.Service does).
// An error of kind core.KindNotFound means there is no such actor: its
// deliveries are dropped. Any other error is retried.
//
// It is asked at each delivery, not kept here: a rotated key must be used
// at once, by every process (membership reads the stored key and keeps
// only the parsing).
type Keys interface {
	SigningKey(ctx context.Context, name string) (keyID string, key *rsa.PrivateKey, err error)
}
