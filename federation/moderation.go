package federation

import (
	"context"

	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/vocab"
)

// block records that the remote actor blocks a local one (core ends their
// follows both ways and stops delivering to the blocker). A Block of
// someone who is not here is done with.
func (h handlers) block(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	return settled(h.members.ReceiveBlock(ctx, a.Actor, vocab.IDOf(doc["object"]), a.ActivityID))
}

// flag records a report sent by another server (Mastodon sends it from its
// instance actor): the object lists the reported actor and notes, the
// content is the comment. core keeps what is local and bounds the rest; a
// Flag about nobody here is done with.
func (h handlers) flag(ctx context.Context, a store.InboxActivity, doc map[string]any) error {
	content, _ := doc["content"].(string)
	return settled(h.members.ReceiveFlag(ctx, a.Actor, a.ActivityID, ids(doc["object"]), content))
}
