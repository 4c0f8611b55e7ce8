package membership

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Errors of blocking.
var (
	ErrBlockSelf   = core.New(core.KindInvalid, "block-self", "you cannot block yourself")
	ErrNoSuchBlock = core.New(core.KindNotFound, "block-not-found", "no such block")
	// ErrBlocked refuses what one actor does to another when a block
	// stands between them, whichever blocks the other.
	ErrBlocked = core.New(core.KindForbidden, "blocked", "a block stands between you and this actor")
)

// BlockRef names a Block activity: its id, who blocks and who is blocked.
type BlockRef struct {
	ActivityID, Blocker, Blocked string
}

// Block is one of a person's blocks.
type Block struct {
	ID              uuid.UUID
	BlockedURI      string
	BlockedUsername string
	BlockedHost     string
	ActivityID      string
	CreatedAt       time.Time
}

// Block makes the person by block target: they stop following each other
// (by's follow of a remote target is undone on its server), and from then
// on what target does no longer reaches by, nor what by publishes target
// (store.Blocks.Apart). A remote target's server is sent the Block.
// Blocking again returns the existing block, with created false.
func (s *Service) Block(ctx context.Context, by Account, target Actor) (b Block, created bool, err error) {
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoActorAccount, err)
		}
		if me.ID == target.ID {
			return ErrBlockSelf
		}
		b = Block{BlockedURI: target.URI, BlockedUsername: target.Username, BlockedHost: target.Host}
		if existing, err := tx.Blocks().Between(ctx, me.ID, target.ID); err == nil {
			b.ID, b.ActivityID, b.CreatedAt = existing.ID, existing.ActivityID, existing.CreatedAt
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		row := store.Block{ID: newID(), BlockerID: me.ID, BlockedID: target.ID, CreatedAt: s.now()}
		row.ActivityID = s.policy.BaseURL + "/activities/" + row.ID.String()
		if added, err := tx.Blocks().Add(ctx, &row); err != nil {
			return err
		} else if !added {
			// A concurrent Block of the same actor came first, and
			// published: its block is the one.
			existing, err := tx.Blocks().Between(ctx, me.ID, target.ID)
			b.ID, b.ActivityID, b.CreatedAt = existing.ID, existing.ActivityID, existing.CreatedAt
			return err
		}
		created = true
		b.ID, b.ActivityID, b.CreatedAt = row.ID, row.ActivityID, row.CreatedAt
		mine, err := removeFollowsBetween(ctx, tx, me.ID, target.ID)
		if err != nil || target.Local {
			return err
		}
		if mine != nil {
			// Not every server reads a Block as the end of the blocker's
			// follow: the Undo says it.
			if err := s.publish(ctx, tx, Publication{Type: "Undo", Actor: actorFrom(me), To: []Actor{target},
				Follow: &FollowRef{ActivityID: mine.ActivityID, Follower: me.URI, Followed: target.URI}}); err != nil {
				return err
			}
		}
		return s.publish(ctx, tx, Publication{Type: "Block", Actor: actorFrom(me), To: []Actor{target},
			Block: &BlockRef{ActivityID: row.ActivityID, Blocker: me.URI, Blocked: target.URI}})
	})
	if err != nil {
		return Block{}, false, fmt.Errorf("block %s: %w", target.URI, err)
	}
	return b, created, nil
}

// removeFollowsBetween ends the follows of a and b of each other, and
// returns a's follow of b as it was, if there was one.
func removeFollowsBetween(ctx context.Context, tx store.Tx, a, b uuid.UUID) (*store.Follow, error) {
	var mine *store.Follow
	if f, err := tx.Follows().Between(ctx, a, b); err == nil {
		mine = &f
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	for _, pair := range [][2]uuid.UUID{{a, b}, {b, a}} {
		if err := tx.Follows().Delete(ctx, pair[0], pair[1]); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return mine, nil
}

// Unblock lifts by's block id; a remote blocked actor's server is sent
// the Undo.
func (s *Service) Unblock(ctx context.Context, by Account, id uuid.UUID) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoActorAccount, err)
		}
		b, err := tx.Blocks().ByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && b.BlockerID != me.ID) {
			return ErrNoSuchBlock
		}
		if err != nil {
			return err
		}
		if err := tx.Blocks().Remove(ctx, me.ID, b.BlockedID); err != nil {
			return err
		}
		target, err := s.actorByID(ctx, tx, b.BlockedID)
		if err != nil || target.Local {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Undo", Actor: actorFrom(me), To: []Actor{target},
			Block: &BlockRef{ActivityID: b.ActivityID, Blocker: me.URI, Blocked: target.URI}})
	})
}

// Blocks lists by's blocks, newest first, limit at a time before the
// cursor; next is the cursor of the following page, uuid.Nil at the end.
func (s *Service) Blocks(ctx context.Context, by Account, before uuid.UUID, limit int) (list []Block, next uuid.UUID, err error) {
	me, err := s.db.Actors().OfAccount(ctx, by.ID)
	if err != nil {
		return nil, uuid.Nil, fmt.Errorf("%w: %v", ErrNoActorAccount, err)
	}
	limit = clampLimit(limit)
	rows, err := s.db.Blocks().OfBlocker(ctx, me.ID, before, limit+1)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	list = make([]Block, len(rows))
	for i, r := range rows {
		list[i] = Block{ID: r.ID, BlockedURI: r.BlockedURI, BlockedUsername: r.BlockedUsername, BlockedHost: r.BlockedHost,
			ActivityID: r.ActivityID, CreatedAt: r.CreatedAt}
	}
	return list, next, nil
}

// ReceiveBlock records that the remote actor blockerURI blocks the local
// actor blockedURI (a received Block): their follows of each other end,
// and what the local actor publishes is no longer delivered to the
// blocker. A Block of someone who is not here is ErrNoSuchActor.
func (s *Service) ReceiveBlock(ctx context.Context, blockerURI, blockedURI, activityID string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		blocker, blocked, err := blockParties(ctx, tx, blockerURI, blockedURI)
		if err != nil {
			return err
		}
		if _, err := tx.Blocks().Add(ctx, &store.Block{ID: newID(), BlockerID: blocker.ID, BlockedID: blocked.ID,
			ActivityID: activityID, CreatedAt: s.now()}); err != nil {
			return err
		}
		_, err = removeFollowsBetween(ctx, tx, blocker.ID, blocked.ID)
		return err
	})
	if err != nil {
		return fmt.Errorf("receive block of %s by %s: %w", blockedURI, blockerURI, err)
	}
	return nil
}

// ReceiveUnblock lifts the remote actor blockerURI's block of the local
// actor blockedURI (an Undo of the Block). Lifting a block that does not
// exist changes nothing.
func (s *Service) ReceiveUnblock(ctx context.Context, blockerURI, blockedURI string) error {
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		blocker, blocked, err := blockParties(ctx, tx, blockerURI, blockedURI)
		if err != nil {
			return err
		}
		if err := tx.Blocks().Remove(ctx, blocker.ID, blocked.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("receive unblock of %s by %s: %w", blockedURI, blockerURI, err)
	}
	return nil
}

// blockParties are the remote blocker and the local actor it blocks.
func blockParties(ctx context.Context, tx store.Tx, blockerURI, blockedURI string) (blocker, blocked store.Actor, err error) {
	blocker, err = tx.Actors().ByURI(ctx, blockerURI)
	if errors.Is(err, store.ErrNotFound) || (err == nil && blocker.Local) {
		return store.Actor{}, store.Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return store.Actor{}, store.Actor{}, err
	}
	blocked, err = tx.Actors().ByURI(ctx, blockedURI)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !blocked.Local) {
		return store.Actor{}, store.Actor{}, ErrNoSuchActor
	}
	return blocker, blocked, err
}

// followBlocked settles a Follow between actors a block may stand
// between. The followed actor's block refuses it. A block by the follower
// itself is lifted: following again says it wants to hear from them, and
// the Undo of its Block must have been lost.
func followBlocked(ctx context.Context, tx store.Tx, follower, followed store.Actor) (bool, error) {
	if _, err := tx.Blocks().Between(ctx, followed.ID, follower.ID); err == nil {
		return true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	if err := tx.Blocks().Remove(ctx, follower.ID, followed.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	return false, nil
}

// RefuseBlocked returns ErrBlocked when a block stands between the actor
// a and the actor b (whichever blocks the other), inside tx: neither
// follows, likes, boosts nor replies to the other. Core packages call it
// before acting on another's behalf.
func RefuseBlocked(ctx context.Context, tx store.Tx, a store.Actor, b string) error {
	apart, err := tx.Blocks().Apart(ctx, a.ID)
	if err != nil {
		return err
	}
	if apart[b] {
		return ErrBlocked
	}
	return nil
}
