package membership

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Errors of following.
var (
	ErrFollowSelf     = core.New(core.KindInvalid, "follow-self", "you cannot follow yourself")
	ErrNoSuchFollow   = core.New(core.KindNotFound, "follow-not-found", "no such follow")
	ErrNoActorAccount = errors.New("the account has no actor")
)

// FollowListItem is one line of a person's follows.
type FollowListItem struct {
	ID               uuid.UUID
	FollowedURI      string
	FollowedUsername string
	FollowedHost     string
	State            string
	ActivityID       string
}

// Follow makes the local account by follow target. A local target answers
// at once; a remote one is sent a Follow, and the follow stays pending until
// its server accepts. Following again returns the existing follow.
func (s *Service) Follow(ctx context.Context, by Account, target Actor) (FollowListItem, error) {
	var out FollowListItem
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoActorAccount, err)
		}
		if me.ID == target.ID {
			return ErrFollowSelf
		}
		if err := RefuseBlocked(ctx, tx, me, target.URI); err != nil {
			return err
		}
		if row, err := tx.Actors().ByID(ctx, target.ID); err != nil {
			return err
		} else if row.DeletedAt != nil {
			return ErrActorDeleted
		}
		out = FollowListItem{FollowedURI: target.URI, FollowedUsername: target.Username, FollowedHost: target.Host}
		if existing, err := tx.Follows().Between(ctx, me.ID, target.ID); err == nil {
			out.ID, out.State, out.ActivityID = existing.ID, existing.State, existing.ActivityID
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		now := s.now()
		row := store.Follow{ID: newID(), FollowerID: me.ID, FollowedID: target.ID, State: FollowPending, CreatedAt: now, UpdatedAt: now}
		row.ActivityID = s.policy.BaseURL + "/activities/" + row.ID.String()
		if target.Local {
			row.State = FollowAccepted
			if target.AssociationID != nil {
				a, err := tx.Associations().ByName(ctx, target.Username)
				if err != nil {
					return err
				}
				if st, err := decodeSettings(a.Settings); err != nil {
					return err
				} else if st.FollowApproval {
					row.State = FollowPending
				}
			}
		}
		if err := tx.Follows().Save(ctx, &row); err != nil {
			return err
		}
		out.ID, out.State, out.ActivityID = row.ID, row.State, row.ActivityID
		if target.Local {
			followed, err := tx.Actors().ByID(ctx, target.ID)
			if err != nil {
				return err
			}
			return notifyFollow(ctx, tx, now, row.State, followed, me)
		}
		return s.publish(ctx, tx, Publication{Type: "Follow", Actor: actorFrom(me), To: []Actor{target},
			Follow: &FollowRef{ActivityID: row.ActivityID, Follower: me.URI, Followed: target.URI}})
	})
	if err != nil {
		return FollowListItem{}, fmt.Errorf("follow %s: %w", target.URI, err)
	}
	return out, nil
}

// Unfollow ends by's follow id; a remote followed actor is sent the Undo.
func (s *Service) Unfollow(ctx context.Context, by Account, id uuid.UUID) error {
	return s.db.InTx(ctx, func(tx store.Tx) error {
		me, err := tx.Actors().OfAccount(ctx, by.ID)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrNoActorAccount, err)
		}
		f, err := tx.Follows().ByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && f.FollowerID != me.ID) {
			return ErrNoSuchFollow
		}
		if err != nil {
			return err
		}
		if err := tx.Follows().Delete(ctx, me.ID, f.FollowedID); err != nil {
			return err
		}
		target, err := s.actorByID(ctx, tx, f.FollowedID)
		if err != nil || target.Local {
			return err
		}
		return s.publish(ctx, tx, Publication{Type: "Undo", Actor: actorFrom(me), To: []Actor{target},
			Follow: &FollowRef{ActivityID: f.ActivityID, Follower: me.URI, Followed: target.URI}})
	})
}

// Follows lists whom by follows, newest first.
func (s *Service) Follows(ctx context.Context, by Account) ([]FollowListItem, error) {
	me, err := s.db.Actors().OfAccount(ctx, by.ID)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoActorAccount, err)
	}
	rows, err := s.db.Follows().OfFollower(ctx, me.ID, MaxPageSize)
	if err != nil {
		return nil, err
	}
	list := make([]FollowListItem, len(rows))
	for i, r := range rows {
		list[i] = FollowListItem{ID: r.ID, FollowedURI: r.FollowedURI, FollowedUsername: r.FollowedUsername,
			FollowedHost: r.FollowedHost, State: r.State, ActivityID: r.ActivityID}
	}
	return list, nil
}

// ReceiveFollowAnswer records the answer of the remote actor signerURI to
// a local actor's Follow: accepted, or refused (the follow is removed). The
// answer counts only from the followed actor itself, for a follow it has.
func (s *Service) ReceiveFollowAnswer(ctx context.Context, signerURI string, accepted bool, ref FollowRef) error {
	if ref.Followed != "" && ref.Followed != signerURI {
		return nil // an answer on someone else's behalf: ignored
	}
	return s.db.InTx(ctx, func(tx store.Tx) error {
		followed, err := tx.Actors().ByURI(ctx, signerURI)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		follower, err := tx.Actors().ByURI(ctx, ref.Follower)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !follower.Local) {
			return nil
		}
		if err != nil {
			return err
		}
		f, err := tx.Follows().Between(ctx, follower.ID, followed.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if ref.ActivityID != "" && ref.ActivityID != f.ActivityID {
			return nil // an answer to another (older) Follow
		}
		if !accepted {
			return tx.Follows().Delete(ctx, follower.ID, followed.ID)
		}
		return tx.Follows().SetState(ctx, f.ID, FollowAccepted, s.now())
	})
}

func (s *Service) actorByID(ctx context.Context, tx store.Tx, id uuid.UUID) (Actor, error) {
	row, err := tx.Actors().ByID(ctx, id)
	if err != nil {
		return Actor{}, err
	}
	return actorFrom(row), nil
}

// FollowerOfActivity returns the follower of the Follow activityID that
// this instance sent, or "" when it sent no such Follow.
func (s *Service) FollowerOfActivity(ctx context.Context, activityID string) (string, error) {
	f, err := s.db.Follows().ByActivityID(ctx, activityID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	a, err := s.db.Actors().ByID(ctx, f.FollowerID)
	if err != nil || !a.Local {
		return "", err
	}
	return a.URI, nil
}

// FollowPage is one page of a collection of actor ids.
type FollowPage struct {
	Total int
	Items []string
	Next  uuid.UUID // cursor of the next page; uuid.Nil at the end
}

// FollowCollection returns a page of the accepted followers of the local actor
// name (followers == true) or of those it follows.
func (s *Service) FollowCollection(ctx context.Context, name string, followers bool, after uuid.UUID, limit int) (FollowPage, error) {
	a, err := s.LocalActor(ctx, name)
	if err != nil {
		return FollowPage{}, err
	}
	limit = clampLimit(limit)
	f := s.db.Follows()
	var page FollowPage
	var ids []uuid.UUID
	if followers {
		page.Total, err = f.CountFollowers(ctx, a.ID)
		if err == nil {
			page.Items, ids, err = f.FollowerURIs(ctx, a.ID, after, limit+1)
		}
	} else {
		page.Total, err = f.CountFollowing(ctx, a.ID)
		if err == nil {
			page.Items, ids, err = f.FollowingURIs(ctx, a.ID, after, limit+1)
		}
	}
	if err != nil {
		return FollowPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = ids[limit-1]
	}
	return page, nil
}
