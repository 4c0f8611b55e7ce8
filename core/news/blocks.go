package news

import (
	"context"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// refuseBlocked returns membership.ErrBlocked when a block stands between
// the actor and the actor otherURI (whichever blocks the other): a like, a
// boost or a reply of one does not reach the other.
func refuseBlocked(ctx context.Context, tx store.Tx, actor store.Actor, otherURI string) error {
	apart, err := tx.Blocks().Apart(ctx, actor.ID)
	if err != nil {
		return err
	}
	if apart[otherURI] {
		return membership.ErrBlocked
	}
	return nil
}
