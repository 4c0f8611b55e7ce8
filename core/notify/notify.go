package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// The types of notification, named as Mastodon names them.
const (
	Mention       = "mention"        // a note mentions the account (a reply mentions the parent's author)
	Favourite     = "favourite"      // an actor liked the account's note
	Reblog        = "reblog"         // an actor boosted the account's note
	Follow        = "follow"         // an actor follows the account
	FollowRequest = "follow_request" // an actor asks to follow the account
	Update        = "update"         // a note the account boosted was edited
)

// Types are the notification types Holon writes.
var Types = []string{Mention, Favourite, Reblog, Follow, FollowRequest, Update}

// Bounds of a page.
const (
	DefaultLimit = 40
	MaxLimit     = 80
	// MaxTypes bounds the types a query names (Mastodon knows about a
	// dozen).
	MaxTypes = 32
)

// ErrNoSuchNotification is the answer for a notification that is not the
// account's, as for one that does not exist.
var ErrNoSuchNotification = core.New(core.KindNotFound, "notification-not-found", "no such notification")

// Record notifies the local account of the actor to that the actor from
// did kind, about the note when it is not nil, inside the caller's
// transaction tx. It does nothing when to is not a local person (an
// association or a remote actor has no account to notify), when from is to,
// when a block stands between them, when from is suspended, or silenced
// and not followed by to. Recording the same thing twice notifies once,
// but for an Update: the newest edit replaces the former notification, so
// that it shows again at the top.
func Record(ctx context.Context, tx store.Tx, at time.Time, kind string, to, from store.Actor, note *uuid.UUID) error {
	if !to.Local || to.AccountID == nil || to.DeletedAt != nil || from.ID == to.ID {
		return nil
	}
	// The caller's row may come from a query that does not read the
	// moderation state: read it afresh.
	from, err := tx.Actors().ByID(ctx, from.ID)
	if err != nil {
		return fmt.Errorf("notify %s of %s: %w", to.Username, kind, err)
	}
	if from.SuspendedAt != nil || from.DeletedAt != nil {
		return nil
	}
	if from.SilencedAt != nil {
		f, err := tx.Follows().Between(ctx, to.ID, from.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && f.State != "accepted") {
			return nil
		}
		if err != nil {
			return fmt.Errorf("notify %s of %s: %w", to.Username, kind, err)
		}
	}
	apart, err := tx.Blocks().Apart(ctx, to.ID)
	if err != nil {
		return fmt.Errorf("notify %s of %s: %w", to.Username, kind, err)
	}
	if apart[from.URI] {
		return nil
	}
	if kind == Update && note != nil {
		if err := tx.Notifications().Forget(ctx, *to.AccountID, kind, from.ID, *note); err != nil {
			return fmt.Errorf("notify %s of %s: %w", to.Username, kind, err)
		}
	}
	n := store.Notification{ID: uuid.Must(uuid.NewV7()), AccountID: *to.AccountID, Type: kind, ActorID: from.ID,
		NoteID: note, CreatedAt: at.UTC()}
	if _, err := tx.Notifications().Add(ctx, &n); err != nil {
		return fmt.Errorf("notify %s of %s: %w", to.Username, kind, err)
	}
	return nil
}
