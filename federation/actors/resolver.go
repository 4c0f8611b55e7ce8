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

// ErrActorDeleted is returned for the key of an actor that deleted itself.
var ErrActorDeleted = errors.New("the actor was deleted")

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
	inflight  map[string]chan struct{} // keys being refetched, closed when done
	keys      map[string]cachedKey     // by key id
}

// cachedKey is a key as the store or its owner's server gave it, at.
type cachedKey struct {
	owner string
	pub   crypto.PublicKey
	at    time.Time
}

// NewResolver returns a resolver saving what it fetches through dir.
func NewResolver(dir Directory, f Fetcher, clock core.Clock) *Resolver {
	return &Resolver{dir: dir, fetch: f, clock: clock, refetched: map[string]time.Time{},
		inflight: map[string]chan struct{}{}, keys: map[string]cachedKey{}}
}

// PublicKey returns the owner and the public key of keyID: the one read
// within KeyCacheTTL, the stored one, or, when it is unknown or refresh is
// set (the known key failed to verify: it may have been rotated), a freshly
// fetched one. A key is refetched at most once per RefetchInterval, and by
// one request at a time: the others wait for that fetch and take what it
// stored (a burst of activities signed with a rotated key must not all fail
// but the first).
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

// Forget drops what is remembered of keyID, so that its next use reads
// the store (where its actor may now be deleted).
func (r *Resolver) Forget(keyID string) {
	r.mu.Lock()
	delete(r.keys, keyID)
	r.mu.Unlock()
}

// publicKey is PublicKey without the memory.
func (r *Resolver) publicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	stored, err := r.dir.ActorByKeyID(ctx, keyID)
	switch {
	case err == nil && stored.DeletedAt != nil:
		// Deleted for good: refused without asking its server again.
		return "", nil, fmt.Errorf("key %s: %w", keyID, ErrActorDeleted)
	case err == nil && (!refresh || stored.Local):
		return keyOf(stored)
	case err != nil && core.KindOf(err) != core.KindNotFound:
		return "", nil, err
	}
	var a membership.Actor
	if refresh {
		a, err = r.refetchKey(ctx, keyID)
	} else {
		a, err = r.fetchKey(ctx, keyID)
	}
	if err != nil {
		return "", nil, err
	}
	return keyOf(a)
}

// refetchKey fetches keyID again, unless it was within RefetchInterval or
// is being fetched now: then it returns what is stored (after that fetch).
func (r *Resolver) refetchKey(ctx context.Context, keyID string) (membership.Actor, error) {
	r.mu.Lock()
	if done, ok := r.inflight[keyID]; ok {
		r.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return membership.Actor{}, ctx.Err()
		}
		return r.storedKey(ctx, keyID)
	}
	now := r.clock.Now()
	if last, ok := r.refetched[keyID]; ok && now.Sub(last) < RefetchInterval {
		r.mu.Unlock()
		return r.storedKey(ctx, keyID)
	}
	r.noteRefetch(keyID, now)
	done := make(chan struct{})
	r.inflight[keyID] = done
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.inflight, keyID)
		r.mu.Unlock()
		close(done)
	}()
	return r.fetchKey(ctx, keyID)
}

// storedKey returns the stored owner of keyID, which a recent fetch saved.
func (r *Resolver) storedKey(ctx context.Context, keyID string) (membership.Actor, error) {
	a, err := r.dir.ActorByKeyID(ctx, keyID)
	if core.KindOf(err) == core.KindNotFound {
		return membership.Actor{}, fmt.Errorf("key %s: %w", keyID, ErrRefetchTooSoon)
	}
	if err == nil && a.DeletedAt != nil {
		return membership.Actor{}, fmt.Errorf("key %s: %w", keyID, ErrActorDeleted)
	}
	return a, err
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

// mayRefetch notes a forced refetch of what id names (a key or an actor)
// and reports whether one is allowed now.
func (r *Resolver) mayRefetch(id string) bool {
	now := r.clock.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if last, ok := r.refetched[id]; ok && now.Sub(last) < RefetchInterval {
		return false
	}
	r.noteRefetch(id, now)
	return true
}

// noteRefetch records a refetch of id at now; r.mu is held.
func (r *Resolver) noteRefetch(id string, now time.Time) {
	if len(r.refetched) > 10_000 { // bounded: forget everything old
		for k, t := range r.refetched {
			if now.Sub(t) >= RefetchInterval {
				delete(r.refetched, k)
			}
		}
	}
	r.refetched[id] = now
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

// Refresh fetches the actor uri again from its server and stores what it
// serves now (its profile and key): for an Update that claims a new key,
// which is taken from the origin, never from the activity. Refreshes of
// one actor are at most one per RefetchInterval.
func (r *Resolver) Refresh(ctx context.Context, uri string) (membership.Actor, error) {
	if !r.mayRefetch(uri) {
		return membership.Actor{}, fmt.Errorf("actor %s: %w", uri, ErrRefetchTooSoon)
	}
	doc, err := r.fetch.Get(ctx, uri)
	if err != nil {
		return membership.Actor{}, fmt.Errorf("refresh actor %s: %w", uri, err)
	}
	parsed, err := ParseActor(doc.Raw)
	if err != nil {
		return membership.Actor{}, fmt.Errorf("refresh actor %s: %w", uri, err)
	}
	if parsed.URI != uri {
		return membership.Actor{}, fmt.Errorf("refresh actor %s: its server serves %s there", uri, parsed.URI)
	}
	return r.dir.SaveRemoteActor(ctx, parsed)
}
