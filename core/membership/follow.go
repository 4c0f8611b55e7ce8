package membership

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/notify"
	"github.com/holon-network/holon/store"
)

// States of a follow.
const (
	FollowPending  = "pending" // waiting for the followed actor's approval
	FollowAccepted = "accepted"
	// FollowRejected is the answer to a Follow refused at once (a block
	// stands between the two); no follow is kept.
	FollowRejected = "rejected"
)

// Follow is one actor following another.
type Follow struct {
	ID         uuid.UUID
	Follower   Actor
	Followed   Actor
	ActivityID string
	State      string
	CreatedAt  time.Time
}

// Publication is an activity a rule asks to publish, in the transaction of
// the change that causes it (DESIGN §1: the transactional outbox). core
// says what happened; federation writes the activity and queues its
// delivery.
type Publication struct {
	Type   string // ActivityStreams type: "Accept", "Reject"…
	Actor  Actor  // the local actor it is from
	To     []Actor
	Follow *FollowRef // what an Accept or Reject answers
	// Join is the Join of an association that a Join or a Leave sends, or
	// that an Accept or a Reject answers (docs/vocabulary.md §5.10).
	Join *JoinRef
	// Summary is the one line a Reject gives of why.
	Summary string
	Block   *BlockRef  // the Block published, or withdrawn by an Undo
	Report  *ReportRef // what a Flag reports
	// Profile is the actor's profile, for an Update of the actor itself
	// (its document is published whole). A Delete with neither Follow nor
	// Profile deletes the actor.
	Profile *Profile
	// Inboxes are delivered to besides To's: the followers' servers of an
	// Update or a Delete of the actor.
	Inboxes []string
}

// JoinRef names a Join activity: its id, the member who sent it and the
// association joined.
type JoinRef struct {
	ActivityID, Member, Association string
}

// FollowRef names a Follow activity.
type FollowRef struct {
	ActivityID, Follower, Followed string
}

// Publisher queues publications inside the caller's transaction.
type Publisher interface {
	Publish(ctx context.Context, tx store.Tx, p Publication) error
}

// UsePublisher sets who turns publications into activities. It is set once,
// at wiring, before the service is used by several goroutines.
func (s *Service) UsePublisher(p Publisher) { s.publisher = p }

var errNoPublisher = errors.New("federation is not wired: nothing can be published")

func (s *Service) publish(ctx context.Context, tx store.Tx, p Publication) error {
	if s.publisher == nil {
		return errNoPublisher
	}
	return s.publisher.Publish(ctx, tx, p)
}

// ActorByURI returns the actor, local or remote, whose id is uri.
func (s *Service) ActorByURI(ctx context.Context, uri string) (Actor, error) {
	row, err := s.db.Actors().ByURI(ctx, uri)
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return Actor{}, err
	}
	return actorFrom(row), nil
}

// ReceiveFollow records that the (known, remote) actor followerURI follows
// the local actor followedURI with the Follow activityID. Persons and the
// instance accept at once; an association asks its board when its settings
// say so, unless the follower is an association it follows or asked to
// follow (a partnership its board started). An accepted follow is answered
// with an Accept in the same transaction, and one the followed actor blocks
// with a Reject (state FollowRejected, nothing kept). A repeated Follow is answered again.
func (s *Service) ReceiveFollow(ctx context.Context, followerURI, followedURI, activityID string) (Follow, error) {
	var out Follow
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		follower, err := tx.Actors().ByURI(ctx, followerURI)
		if err != nil {
			return fmt.Errorf("follower %s: %w", followerURI, err)
		}
		followed, err := tx.Actors().ByURI(ctx, followedURI)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!followed.Local || followed.DeletedAt != nil)) {
			return ErrNoSuchActor
		}
		if err != nil {
			return err
		}
		if blocked, err := followBlocked(ctx, tx, follower, followed); err != nil {
			return err
		} else if blocked {
			out = Follow{Follower: actorFrom(follower), Followed: actorFrom(followed), ActivityID: activityID, State: FollowRejected, CreatedAt: s.now()}
			return s.publish(ctx, tx, Publication{Type: "Reject", Actor: out.Followed, To: []Actor{out.Follower},
				Follow: &FollowRef{ActivityID: activityID, Follower: follower.URI, Followed: followed.URI}})
		}
		state := FollowAccepted
		if followed.AssociationID != nil {
			a, err := tx.Associations().ByName(ctx, followed.Username)
			if err != nil {
				return err
			}
			settings, err := decodeSettings(a.Settings)
			if err != nil {
				return err
			}
			if settings.FollowApproval {
				state = FollowPending
				// The board asked for this partnership (AddPartner): the
				// association following back needs no second approval.
				if follower.Kind == ActorGroup {
					if asked, err := followsOrAsked(ctx, tx, followed.ID, follower.ID); err != nil {
						return err
					} else if asked {
						state = FollowAccepted
					}
				}
			}
		}
		now := s.now()
		row := store.Follow{ID: newID(), FollowerID: follower.ID, FollowedID: followed.ID, ActivityID: activityID,
			State: state, CreatedAt: now, UpdatedAt: now}
		if err := tx.Follows().Save(ctx, &row); err != nil {
			return err
		}
		if err := notifyFollow(ctx, tx, now, state, followed, follower); err != nil {
			return err
		}
		out = Follow{ID: row.ID, Follower: actorFrom(follower), Followed: actorFrom(followed), ActivityID: activityID, State: state, CreatedAt: now}
		if state != FollowAccepted {
			return nil
		}
		return s.publish(ctx, tx, Publication{Type: "Accept", Actor: out.Followed, To: []Actor{out.Follower},
			Follow: &FollowRef{ActivityID: activityID, Follower: follower.URI, Followed: followed.URI}})
	})
	if err != nil {
		return Follow{}, fmt.Errorf("receive follow of %s by %s: %w", followedURI, followerURI, err)
	}
	return out, nil
}

// ReceiveUnfollow ends followerURI's follow of followedURI (an Undo of the
// Follow). Undoing a follow that does not exist changes nothing.
func (s *Service) ReceiveUnfollow(ctx context.Context, followerURI, followedURI string) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		follower, err := tx.Actors().ByURI(ctx, followerURI)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		followed, err := tx.Actors().ByURI(ctx, followedURI)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		err = tx.Follows().Delete(ctx, follower.ID, followed.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	})
}

// FollowState returns the state of followerURI's follow of followedURI, or
// "" when there is none.
func (s *Service) FollowState(ctx context.Context, followerURI, followedURI string) (string, error) {
	follower, err1 := s.db.Actors().ByURI(ctx, followerURI)
	followed, err2 := s.db.Actors().ByURI(ctx, followedURI)
	if errors.Is(err1, store.ErrNotFound) || errors.Is(err2, store.ErrNotFound) {
		return "", nil
	}
	if err := errors.Join(err1, err2); err != nil {
		return "", err
	}
	f, err := s.db.Follows().Between(ctx, follower.ID, followed.ID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return f.State, nil
}

// FollowerCount counts the accepted followers of the local actor name.
func (s *Service) FollowerCount(ctx context.Context, name string) (int, error) {
	a, err := s.LocalActor(ctx, name)
	if err != nil {
		return 0, err
	}
	return s.db.Follows().CountFollowers(ctx, a.ID)
}

// notifyFollow notifies the followed person, when local, of a follow
// (accepted) or a follow request (pending), in the follow's transaction.
func notifyFollow(ctx context.Context, tx store.Tx, at time.Time, state string, followed, follower store.Actor) error {
	kind := notify.Follow
	if state == FollowPending {
		kind = notify.FollowRequest
	}
	return notify.Record(ctx, tx, at, kind, followed, follower, nil)
}
