package mastodon

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Idempotency-Key: a client that posts a status and loses the answer
// posts it again with the same key, and must get the same status back
// rather than a second one. Mastodon keeps a key an hour per account, in
// Redis. Holon runs as one process, so the keys live in its memory: a
// restart forgets them, which only matters to a retry across the restart,
// and keeps the store free of a table that expires by the hour. The map is
// bounded (maxIdempotencyKeys): when full, the oldest keys go first.
const (
	idempotencyTTL     = time.Hour
	maxIdempotencyKeys = 10_000
	maxIdempotencyKey  = 256 // bytes of a key that is remembered
)

type idempotencyKey struct {
	account uuid.UUID
	key     string
}

// idempotentPost is one post under a key: done closes once the post is
// finished; then id is the status made (uuid.Nil if the post failed, and
// the key is forgotten so that the client may try again).
type idempotentPost struct {
	done chan struct{}
	id   uuid.UUID
	at   time.Time
}

type idempotency struct {
	mu    sync.Mutex
	posts map[idempotencyKey]*idempotentPost
	order []idempotencyKey // oldest first, to evict
}

func newIdempotency() *idempotency {
	return &idempotency{posts: map[idempotencyKey]*idempotentPost{}}
}

// do runs post once per account and key within the hour: a repeated call
// waits for the first one and returns its status id, with first false.
// An empty or oversized key runs post each time.
func (c *idempotency) do(ctx context.Context, account uuid.UUID, key string, post func() (uuid.UUID, error)) (id uuid.UUID, first bool, err error) {
	if key == "" || len(key) > maxIdempotencyKey {
		id, err = post()
		return id, true, err
	}
	k := idempotencyKey{account, key}
	now := time.Now()
	c.mu.Lock()
	if p, ok := c.posts[k]; ok && now.Sub(p.at) < idempotencyTTL {
		c.mu.Unlock()
		select {
		case <-p.done:
		case <-ctx.Done():
			return uuid.Nil, false, ctx.Err()
		}
		if p.id != uuid.Nil {
			return p.id, false, nil
		}
		return c.do(ctx, account, key, post) // the first failed: try anew
	}
	p := &idempotentPost{done: make(chan struct{}), at: now}
	c.posts[k] = p
	c.order = append(c.order, k)
	c.evict(now)
	c.mu.Unlock()

	id, err = post()
	c.mu.Lock()
	p.id = id
	if err != nil && c.posts[k] == p {
		delete(c.posts, k)
	}
	c.mu.Unlock()
	close(p.done)
	return id, true, err
}

// evict drops the expired keys and, over the bound, the oldest; c.mu is
// held.
func (c *idempotency) evict(now time.Time) {
	drop := 0
	for drop < len(c.order) {
		k := c.order[drop]
		p, ok := c.posts[k]
		if ok && now.Sub(p.at) < idempotencyTTL && len(c.order)-drop <= maxIdempotencyKeys {
			break
		}
		if ok && (now.Sub(p.at) >= idempotencyTTL || len(c.order)-drop > maxIdempotencyKeys) {
			delete(c.posts, k)
		}
		drop++
	}
	c.order = c.order[drop:]
}
