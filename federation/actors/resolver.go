package actors

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/fetch"
)

// Directory is what the resolver needs of the membership service.
type Directory interface {
	ActorByKeyID(ctx context.Context, keyID string) (membership.Actor, error)
	SaveRemoteActor(ctx context.Context, in membership.RemoteActor) (membership.Actor, error)
}

// Fetcher gets remote documents (fetch.Client).
type Fetcher interface {
	Get(ctx context.Context, rawURL string) (fetch.Document, error)
}

// RefetchInterval is the least time between two forced refetches of one
// key: a flood of badly signed requests must not become a flood of fetches.
const RefetchInterval = time.Minute

// ErrRefetchTooSoon is returned when a key was refetched less than
// RefetchInterval ago.
var ErrRefetchTooSoon = errors.New("key refetched too recently")

// Resolver finds the actor owning a key, from the store or by fetching it.
// It implements httpsig.KeyFetcher.
type Resolver struct {
	dir   Directory
	fetch Fetcher
	clock core.Clock

	mu        sync.Mutex
	refetched map[string]time.Time
}

// NewResolver returns a resolver saving what it fetches through dir.
func NewResolver(dir Directory, f Fetcher, clock core.Clock) *Resolver {
	return &Resolver{dir: dir, fetch: f, clock: clock, refetched: map[string]time.Time{}}
}

// PublicKey returns the owner and the public key of keyID: the stored one,
// or, when it is unknown or refresh is set (the stored key failed to
// verify: it may have been rotated), a freshly fetched one.
func (r *Resolver) PublicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	stored, err := r.dir.ActorByKeyID(ctx, keyID)
	switch {
	case err == nil && (!refresh || stored.Local):
		return keyOf(stored)
	case err != nil && core.KindOf(err) != core.KindNotFound:
		return "", nil, err
	}
	if refresh && !r.mayRefetch(keyID) {
		return "", nil, fmt.Errorf("key %s: %w", keyID, ErrRefetchTooSoon)
	}
	a, err := r.fetchKey(ctx, keyID)
	if err != nil {
		return "", nil, err
	}
	return keyOf(a)
}

func keyOf(a membership.Actor) (string, crypto.PublicKey, error) {
	pub, err := membership.ParsePublicKey(a.PublicKeyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("key of %s: %w", a.URI, err)
	}
	return a.URI, pub, nil
}

// fetchKey fetches the document at keyID and, if it is a bare key, its
// owner; the owner must be on the key's host and must name keyID as its key.
func (r *Resolver) fetchKey(ctx context.Context, keyID string) (membership.Actor, error) {
	u, err := url.Parse(keyID)
	if err != nil || u.Host == "" {
		return membership.Actor{}, fmt.Errorf("key id %q is not an absolute URL", keyID)
	}
	u.Fragment = ""
	doc, err := r.fetch.Get(ctx, u.String())
	if err != nil {
		return membership.Actor{}, fmt.Errorf("fetch key %s: %w", keyID, err)
	}
	parsed, err := ParseActor(doc.Raw)
	if errors.Is(err, ErrNotActor) || (err == nil && parsed.KeyID != keyID) {
		owner, oerr := parseKeyDocument(doc.Raw)
		if oerr != nil {
			return membership.Actor{}, fmt.Errorf("fetch key %s: %w", keyID, oerr)
		}
		if owner == doc.URL || !sameHost(owner, keyID) {
			return membership.Actor{}, fmt.Errorf("fetch key %s: owner %s is not on the key's host", keyID, owner)
		}
		if doc, err = r.fetch.Get(ctx, owner); err != nil {
			return membership.Actor{}, fmt.Errorf("fetch owner of key %s: %w", keyID, err)
		}
		parsed, err = ParseActor(doc.Raw)
	}
	if err != nil {
		return membership.Actor{}, fmt.Errorf("fetch key %s: %w", keyID, err)
	}
	if parsed.KeyID != keyID {
		return membership.Actor{}, fmt.Errorf("fetch key %s: the actor %s names another key (%s)", keyID, parsed.URI, parsed.KeyID)
	}
	return r.dir.SaveRemoteActor(ctx, parsed)
}

// mayRefetch notes a forced refetch of keyID and reports whether one is
// allowed now.
func (r *Resolver) mayRefetch(keyID string) bool {
	now := r.clock.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if last, ok := r.refetched[keyID]; ok && now.Sub(last) < RefetchInterval {
		return false
	}
	if len(r.refetched) > 10_000 { // bounded: forget everything old
		for k, t := range r.refetched {
			if now.Sub(t) >= RefetchInterval {
				delete(r.refetched, k)
			}
		}
	}
	r.refetched[keyID] = now
	return true
}
