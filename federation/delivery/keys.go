package delivery

import (
	"context"
	"crypto/rsa"
	"sync"
	"time"
)

// Keys gives the signing key of a local actor (membership.Service does).
// An error of kind core.KindNotFound means there is no such actor: its
// deliveries are dropped. Any other error is retried.
type Keys interface {
	SigningKey(ctx context.Context, name string) (keyID string, key *rsa.PrivateKey, err error)
}

// keyTTL bounds how long a key is used from memory, so that a rotated key
// is picked up without a restart.
const keyTTL = 10 * time.Minute

// keyCache keeps senders' keys in memory: parsing a PKCS #8 key costs more
// than signing with it.
type keyCache struct {
	keys Keys
	mu   sync.Mutex
	m    map[string]cachedKey
}

type cachedKey struct {
	id     string
	key    *rsa.PrivateKey
	loaded time.Time
}

func newKeyCache(keys Keys) *keyCache {
	return &keyCache{keys: keys, m: map[string]cachedKey{}}
}

func (c *keyCache) get(ctx context.Context, sender string, now time.Time) (string, *rsa.PrivateKey, error) {
	c.mu.Lock()
	k, ok := c.m[sender]
	c.mu.Unlock()
	if ok && now.Sub(k.loaded) < keyTTL && !now.Before(k.loaded) {
		return k.id, k.key, nil
	}
	id, key, err := c.keys.SigningKey(ctx, sender)
	if err != nil {
		return "", nil, err
	}
	c.mu.Lock()
	c.m[sender] = cachedKey{id: id, key: key, loaded: now}
	c.mu.Unlock()
	return id, key, nil
}
