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

// ErrNoSuchFollowRequest is returned for a follow that is not waiting for
// the board's answer (or not of this association).
var ErrNoSuchFollowRequest = core.New(core.KindNotFound, "follow-request-not-found", "no such request to follow this association")

// FollowRequest is a follow of an association waiting for its board's
// approval (the association's settings ask for it), or just answered.
type FollowRequest struct {
	ID          uuid.UUID
	FollowerURI string
	Username    string
	Host        string
	DisplayName string
	Local       bool
	ActivityID  string
	State       string // FollowPending, FollowAccepted or FollowRejected
	RequestedAt time.Time
}

func followRequestFrom(r store.FollowerRow) FollowRequest {
	return FollowRequest{ID: r.ID, FollowerURI: r.FollowerURI, Username: r.FollowerUsername, Host: r.FollowerHost,
		DisplayName: r.FollowerDisplayName, Local: r.FollowerLocal, ActivityID: r.ActivityID, State: r.State, RequestedAt: r.CreatedAt}
}

// FollowRequests lists the follows of association name waiting for its
// board, oldest first, limit at a time after the cursor; next is the
// cursor of the following page, uuid.Nil at the end. Only the board sees
// them.
func (s *Service) FollowRequests(ctx context.Context, by Account, name string, after uuid.UUID, limit int) (list []FollowRequest, next uuid.UUID, err error) {
	a, err := s.Association(ctx, name)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if err := requireBoard(ctx, s.db.Tx, a.ID, by); err != nil {
		return nil, uuid.Nil, err
	}
	actor, err := s.db.Actors().OfAssociation(ctx, a.ID)
	if err != nil {
		return nil, uuid.Nil, err
	}
	limit = clampLimit(limit)
	rows, err := s.db.Follows().Pending(ctx, actor.ID, after, limit+1)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	list = make([]FollowRequest, len(rows))
	for i, r := range rows {
		list[i] = followRequestFrom(r)
	}
	return list, next, nil
}

// AnswerFollowRequest records the board's answer to the request to follow
// id of association name: accepted, or refused (the follow is removed).
// A remote follower's server is sent the Accept or the Reject of its
// original Follow in the same transaction.
func (s *Service) AnswerFollowRequest(ctx context.Context, by Account, name string, id uuid.UUID, accept bool) (FollowRequest, error) {
	var out FollowRequest
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		a, err := lockAssociation(ctx, tx, name)
		if err != nil {
			return err
		}
		if err := requireBoard(ctx, tx, a.ID, by); err != nil {
			return err
		}
		me, err := tx.Actors().OfAssociation(ctx, a.ID)
		if err != nil {
			return err
		}
		f, err := tx.Follows().ByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (f.FollowedID != me.ID || f.State != FollowPending)) {
			return ErrNoSuchFollowRequest
		}
		if err != nil {
			return err
		}
		follower, err := tx.Actors().ByID(ctx, f.FollowerID)
		if err != nil {
			return err
		}
		out = followRequestFrom(store.FollowerRow{Follow: f, FollowerURI: follower.URI, FollowerUsername: follower.Username,
			FollowerHost: follower.Host, FollowerDisplayName: follower.DisplayName, FollowerLocal: follower.Local})
		answer, action := "Accept", "follow.accept"
		if accept {
			out.State = FollowAccepted
			err = tx.Follows().SetState(ctx, f.ID, FollowAccepted, s.now())
		} else {
			answer, action, out.State = "Reject", "follow.reject", FollowRejected
			err = tx.Follows().Delete(ctx, f.FollowerID, f.FollowedID)
		}
		if err != nil {
			return err
		}
		if err := recordBoard(ctx, tx, a.ID, by, action, Handle(follower.Username, follower.Host, follower.Local), nil); err != nil {
			return err
		}
		if follower.Local {
			return nil
		}
		return s.publish(ctx, tx, Publication{Type: answer, Actor: actorFrom(me), To: []Actor{actorFrom(follower)},
			Follow: &FollowRef{ActivityID: f.ActivityID, Follower: follower.URI, Followed: me.URI}})
	})
	if err != nil {
		return FollowRequest{}, fmt.Errorf("answer request to follow %s: %w", name, err)
	}
	return out, nil
}
