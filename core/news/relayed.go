package news

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// ReceiveRelayed stores the public note in that the subscribed relay
// relayID passed on, so that it shows in the network timeline though
// nobody here follows its author. in must have been fetched from its
// origin (Origin's checks: its author lives on its host and is stored);
// nothing a relay embeds is trusted. Only public notes are kept
// (ErrUnsolicited otherwise); a note stored already stays as it is, and is
// marked relayed.
func (s *Service) ReceiveRelayed(ctx context.Context, relayID uuid.UUID, in RemoteNote) (Note, error) {
	if s.isLocal(in.URI) {
		return Note{}, fmt.Errorf("receive relayed %s: %w", in.URI, ErrNotAuthor)
	}
	var out Note
	err := s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := s.remoteAuthor(ctx, tx, in.AttributedTo, in)
		if err != nil {
			return err
		}
		if VisibilityOf(in.To, in.CC, author.Followers) != Public {
			return ErrUnsolicited
		}
		if out, err = s.storeRemoteAs(ctx, tx, author, in, nil, true); err != nil {
			return err
		}
		if out.Deleted != nil {
			return ErrNoSuchNote
		}
		return tx.Relays().MarkRelayed(ctx, out.ID, relayID, s.now())
	})
	if err != nil {
		return Note{}, fmt.Errorf("receive relayed %s: %w", in.URI, err)
	}
	return out, nil
}
