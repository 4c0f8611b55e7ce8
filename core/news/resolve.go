package news

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Resolve returns the note whose id on the wire is uri, as by may see it
// (a search with resolve=true): one stored here is read as Get reads it;
// a remote one not stored yet is fetched from its origin and kept, when
// it is public or unlisted, though it concerns nobody here, since a local
// person asked for it. A note of this instance is never fetched.
func (s *Service) Resolve(ctx context.Context, by membership.Account, uri string) (Note, error) {
	row, err := s.db.Notes().ByURI(ctx, uri)
	switch {
	case err == nil:
		return s.Get(ctx, &by, row.ID)
	case !errors.Is(err, store.ErrNotFound):
		return Note{}, fmt.Errorf("resolve %s: %w", uri, err)
	case s.isLocal(uri) || !core.IsHTTPURL(uri):
		return Note{}, ErrNoSuchNote
	}
	in, err := s.fetchNote(ctx, uri)
	if err != nil {
		return Note{}, fmt.Errorf("resolve %s: %w", uri, err)
	}
	var out Note
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := s.remoteAuthor(ctx, tx, in.AttributedTo, in)
		if err != nil {
			return err
		}
		if v := VisibilityOf(in.To, in.CC, author.Followers); v != Public && v != Unlisted {
			return ErrNoSuchNote
		}
		out, err = s.storeRemoteAs(ctx, tx, author, in, nil, true)
		return err
	})
	if err != nil {
		return Note{}, fmt.Errorf("resolve %s: %w", uri, err)
	}
	if out.Deleted != nil {
		return Note{}, ErrNoteDeleted
	}
	return out, nil
}
