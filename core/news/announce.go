package news

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/store"
)

// Origin fetches notes from the servers they live on: federation's signed,
// SSRF-guarded fetcher. A copy of a note that another actor passes on (an
// Announce's embedded object, a group's Announce of a Create) is never
// trusted: the note is fetched from its origin instead.
type Origin interface {
	// FetchNote returns the Note, Article or Page uri as its server serves
	// it now (its URI may differ from uri when the server names it by
	// another id), attributed to an actor on that server, which is stored
	// here once FetchNote returns. It fails with an error wrapping
	// ErrGoneAtOrigin when the server answers 404 or 410 or serves a
	// Tombstone, with one of another core kind when it serves something
	// else, and with an error of no core kind when it could not be asked
	// (worth trying again later).
	FetchNote(ctx context.Context, uri string) (RemoteNote, error)
}

// UseOrigin sets who fetches notes from their origin. It is set once, at
// wiring, before the service is used by several goroutines.
func (s *Service) UseOrigin(o Origin) { s.origin = o }

// Errors of fetching notes from their origin.
var (
	ErrGoneAtOrigin = core.New(core.KindNotFound, "note-gone-at-origin", "the note's server says it is gone")
	ErrNotANote     = core.New(core.KindInvalid, "not-a-note", "the object is not a note, an article or a page")
	errNoOrigin     = errors.New("federation is not wired: no note can be fetched")
)

// ReceiveAnnounce records the remote actorURI's boost (its Announce
// activityID) of the note noteURI. A note not stored here is fetched from
// its origin and stored, as a received Create would be, when a local actor
// follows the booster: that is what makes it concern someone here
// (ErrUnsolicited otherwise, before any fetch). Only public and unlisted
// notes are boosted (ErrNotBoostable). A note of this instance is never
// fetched: when it is not stored, ErrNoSuchNote.
func (s *Service) ReceiveAnnounce(ctx context.Context, actorURI, activityID, noteURI string) error {
	if s.isLocal(noteURI) || s.isStored(ctx, noteURI) {
		return s.ReceiveReaction(ctx, actorURI, noteURI, activityID, Boost)
	}
	booster, err := s.db.Actors().ByURI(ctx, actorURI)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoSuchActor
	}
	if err != nil {
		return err
	}
	if followed, err := s.db.Notes().AuthorHasLocalFollower(ctx, booster.ID); err != nil {
		return err
	} else if !followed {
		return fmt.Errorf("receive boost of %s by %s: %w", noteURI, actorURI, ErrUnsolicited)
	}
	in, err := s.fetchNote(ctx, noteURI)
	if err != nil {
		return fmt.Errorf("receive boost of %s by %s: %w", noteURI, actorURI, err)
	}
	err = s.db.InTx(ctx, func(tx store.Tx) error {
		author, err := s.remoteAuthor(ctx, tx, in.AttributedTo, in)
		if err != nil {
			return err
		}
		if v := VisibilityOf(in.To, in.CC, author.Followers); v != Public && v != Unlisted {
			return ErrNotBoostable
		}
		n, err := s.storeRemote(ctx, tx, author, in, &booster)
		if err != nil {
			return err
		}
		if n.Deleted != nil {
			return ErrNoSuchNote
		}
		_, err = Boost.repo(tx).Add(ctx, &store.Reaction{ID: newID(), ActorID: booster.ID, NoteID: n.ID,
			ActivityID: activityID, CreatedAt: s.now()})
		return err
	})
	if err != nil {
		return fmt.Errorf("receive boost of %s by %s: %w", noteURI, actorURI, err)
	}
	return nil
}

// ReceiveCreateOf stores the note noteURI that the remote actorURI created
// and sent by its id only: the note is fetched from its origin, then
// received as ReceiveCreate receives it.
func (s *Service) ReceiveCreateOf(ctx context.Context, actorURI, noteURI string) (Note, error) {
	if s.isLocal(noteURI) {
		return Note{}, ErrNotAuthor
	}
	if s.isStored(ctx, noteURI) {
		return s.ByURI(ctx, noteURI)
	}
	in, err := s.fetchNote(ctx, noteURI)
	if err != nil {
		return Note{}, fmt.Errorf("receive note %s from %s: %w", noteURI, actorURI, err)
	}
	return s.ReceiveCreate(ctx, actorURI, in)
}

// ReceiveRelayedUpdate applies the edit of the stored remote note noteURI
// that a group passed on (an Announce of an Update, as Lemmy and FEP-1b12
// groups send): the note is fetched again from its origin, whose version
// is the one kept. A note not stored here is left alone (ErrNoSuchNote).
func (s *Service) ReceiveRelayedUpdate(ctx context.Context, noteURI string) (Note, error) {
	if _, err := s.storedRemote(ctx, noteURI); err != nil {
		return Note{}, fmt.Errorf("receive relayed update of %s: %w", noteURI, err)
	}
	in, err := s.fetchNote(ctx, noteURI)
	if err != nil {
		return Note{}, fmt.Errorf("receive relayed update of %s: %w", noteURI, err)
	}
	if in.URI != noteURI {
		return Note{}, fmt.Errorf("receive relayed update of %s: its origin names it %s: %w", noteURI, in.URI, ErrNoSuchNote)
	}
	return s.ReceiveUpdate(ctx, in.AttributedTo, in)
}

// ReceiveRelayedDelete deletes the stored remote note noteURI that a group
// says was deleted (an Announce of a Delete), once its origin confirms it:
// the server answers 404 or 410, or serves a Tombstone. Otherwise the note
// stays (ErrNotAuthor: the group may not delete it).
func (s *Service) ReceiveRelayedDelete(ctx context.Context, noteURI string) error {
	row, err := s.storedRemote(ctx, noteURI)
	if err != nil {
		return fmt.Errorf("receive relayed delete of %s: %w", noteURI, err)
	}
	_, err = s.fetchNote(ctx, noteURI)
	switch {
	case err == nil:
		return fmt.Errorf("receive relayed delete of %s: its origin still serves it: %w", noteURI, ErrNotAuthor)
	case !errors.Is(err, ErrGoneAtOrigin):
		return fmt.Errorf("receive relayed delete of %s: %w", noteURI, err)
	}
	return s.ReceiveDelete(ctx, row.AuthorURI, noteURI)
}

// storedRemote is the live remote note uri stored here.
func (s *Service) storedRemote(ctx context.Context, uri string) (store.NoteRow, error) {
	row, err := s.db.Notes().ByURI(ctx, uri)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.NoteRow{}, ErrNoSuchNote
	case err != nil:
		return store.NoteRow{}, err
	case row.Local || s.isLocal(uri):
		return store.NoteRow{}, ErrNotAuthor
	case row.DeletedAt != nil:
		return store.NoteRow{}, ErrNoteDeleted
	}
	return row, nil
}

func (s *Service) fetchNote(ctx context.Context, uri string) (RemoteNote, error) {
	if s.origin == nil {
		return RemoteNote{}, errNoOrigin
	}
	if !core.IsHTTPURL(uri) {
		return RemoteNote{}, core.New(core.KindInvalid, "bad-note-id", "the note's id is not a URL")
	}
	return s.origin.FetchNote(ctx, uri)
}

// isLocal tells whether uri is on this instance's host.
func (s *Service) isLocal(uri string) bool { return core.SameHost(uri, s.policy.BaseURL) }

// isStored tells whether a note uri is stored here, deleted or not. A
// failure to read counts as not stored: the caller then fetches.
func (s *Service) isStored(ctx context.Context, uri string) bool {
	_, err := s.db.Notes().ByURI(ctx, uri)
	return err == nil
}
