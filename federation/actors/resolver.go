package actors

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/federation/fetch"
)

// Directory is what the resolver needs of the membership service.
type Directory interface {
	ActorByKeyID(ctx context.Context, keyID string) (membership.Actor, error)
	ActorByURI(ctx context.Context, uri string) (membership.Actor, error)
	LocalActor(ctx context.Context, name string) (membership.Actor, error)
	SaveRemoteActor(ctx context.Context, in membership.RemoteActor) (membership.Actor, error)
}

// Fetcher gets remote documents (fetch.Client).
type Fetcher interface {
	Get(ctx context.Context, rawURL string) (fetch.Document, error)
	WebFinger(ctx context.Context, acct string) (string, error)
}

// RefetchInterval is the least time between two forced refetches of one
// key: a flood of badly signed requests must not become a flood of fetches.
const RefetchInterval = time.Minute

// KeyCacheTTL is how long a key read from the store is then used from
// memory. Every signed request names a key, and reading it from the store
// cost about twice the RSA check itself (BENCHMARKS.md, issue 3). A key
// rotated under the same id is still picked up at once: a signature that
// fails with the remembered key makes the verifier ask again with refresh,
// which bypasses the memory. Changes made in the store by other means (an
// actor deleted, a profile refetched) are seen within the TTL.
const KeyCacheTTL = time.Minute

// maxCachedKeys bounds the memory of keys; past it, it starts afresh.
const maxCachedKeys = 10_000

// ErrRefetchTooSoon is returned when a key was refetched less than
// RefetchInterval ago.
var ErrRefetchTooSoon = errors.New("key refetched too recently")

// Resolver finds the actor owning a key, from the store or by fetching it.
// It implements httpsig.KeyFetcher.
type Resolver struct {
	// LocalHost is this instance's host: accounts on it are looked up in
	// the store, never over the network.
	LocalHost string

	dir   Directory
	fetch Fetcher
	clock core.Clock

	mu        sync.Mutex
	refetched map[string]time.Time
	keys      map[string]cachedKey // by key id
}

// cachedKey is a key as the store or its owner's server gave it, at.
type cachedKey struct {
	owner string
	pub   crypto.PublicKey
	at    time.Time
}

// NewResolver returns a resolver saving what it fetches through dir.
func NewResolver(dir Directory, f Fetcher, clock core.Clock) *Resolver {
	return &Resolver{dir: dir, fetch: f, clock: clock, refetched: map[string]time.Time{}, keys: map[string]cachedKey{}}
}

// PublicKey returns the owner and the public key of keyID: the one read
// within KeyCacheTTL, the stored one, or, when it is unknown or refresh is
// set (the known key failed to verify: it may have been rotated), a freshly
// fetched one.
func (r *Resolver) PublicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	now := r.clock.Now()
	if !refresh {
		r.mu.Lock()
		k, ok := r.keys[keyID]
		r.mu.Unlock()
		if ok && now.Sub(k.at) < KeyCacheTTL && !now.Before(k.at) {
			return k.owner, k.pub, nil
		}
	}
	owner, pub, err := r.publicKey(ctx, keyID, refresh)
	if err != nil {
		return "", nil, err
	}
	r.mu.Lock()
	if len(r.keys) >= maxCachedKeys {
		clear(r.keys)
	}
	r.keys[keyID] = cachedKey{owner: owner, pub: pub, at: now}
	r.mu.Unlock()
	return owner, pub, nil
}

func (r *Resolver) publicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
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
		if owner == doc.URL || !core.SameHost(owner, keyID) {
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

// MaxQuery bounds what Lookup accepts.
const MaxQuery = 2048

// ErrBadQuery is returned for a lookup that is neither name@host nor a URL.
var ErrBadQuery = core.New(core.KindInvalid, "bad-actor-query", "give an account as name@host, or the URL of an actor")

// Lookup finds the actor named by q: "name@host" (with or without "@" or
// "acct:" in front), or an actor's URL. Remote actors are fetched and
// stored on first use.
func (r *Resolver) Lookup(ctx context.Context, q string) (membership.Actor, error) {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > MaxQuery {
		return membership.Actor{}, ErrBadQuery
	}
	if strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://") {
		return r.Actor(ctx, q)
	}
	acct := strings.TrimPrefix(strings.TrimPrefix(q, "acct:"), "@")
	name, host, ok := strings.Cut(acct, "@")
	if !ok || name == "" || host == "" {
		return membership.Actor{}, ErrBadQuery
	}
	if strings.EqualFold(host, r.LocalHost) {
		return r.dir.LocalActor(ctx, strings.ToLower(name))
	}
	uri, err := r.fetch.WebFinger(ctx, acct)
	if err != nil {
		return membership.Actor{}, unreachable(acct, err)
	}
	return r.Actor(ctx, uri)
}

// Actor returns the actor whose id is uri, from the store or fetched (and
// then stored).
func (r *Resolver) Actor(ctx context.Context, uri string) (membership.Actor, error) {
	a, err := r.dir.ActorByURI(ctx, uri)
	if err == nil || core.KindOf(err) != core.KindNotFound {
		return a, err
	}
	doc, err := r.fetch.Get(ctx, uri)
	if err != nil {
		return membership.Actor{}, unreachable(uri, err)
	}
	parsed, err := ParseActor(doc.Raw)
	if err != nil {
		return membership.Actor{}, core.New(core.KindInvalid, "not-an-actor", fmt.Sprintf("%s is not an actor Holon can follow: %v", uri, err))
	}
	return r.dir.SaveRemoteActor(ctx, parsed)
}

// unreachable tells a person why a remote account could not be found.
func unreachable(what string, err error) error {
	if errors.Is(err, fetch.ErrNotFound) || errors.Is(err, fetch.ErrGone) || errors.Is(err, fetch.ErrNoActor) {
		return &core.Error{Kind: core.KindNotFound, Code: "remote-actor-not-found", Detail: fmt.Sprintf("no account %s was found", what), Err: err}
	}
	return &core.Error{Kind: core.KindUnavailable, Code: "remote-unreachable", Detail: fmt.Sprintf("the server of %s could not be reached or refused: try again later", what), Err: err}
}
