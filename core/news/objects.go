package news

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// An association's projects, tasks, events and proposals are no notes,
// but Mastodon apps only know statuses: the client API shows each as a
// status of the association's group account. They are read where they
// are kept (a read model over their own tables, store/object_statuses.go),
// not copied into notes when published: a copy would go stale at every
// change of state, and the object's UUIDv7 already orders it among the
// notes, so a timeline merges both streams by id.

// ErrNoSuchObject answers for an id that names no object, or one its
// association does not show the viewer.
var ErrNoSuchObject = core.New(core.KindNotFound, "object-not-found", "no such object")

// Object kinds, the first path segment of their ids.
const (
	ObjectProject  = store.ObjectProject
	ObjectTask     = store.ObjectTask
	ObjectEvent    = store.ObjectEvent
	ObjectProposal = store.ObjectProposal
)

// Bounds of the objects' pages.
const (
	MaxObjectPage = 40 // Mastodon's own maximum for a timeline page
	// MaxFollowedOwners bounds how many followed associations a home
	// timeline draws objects from (the latest followed).
	MaxFollowedOwners = 1000
)

// ObjectEntry is one object an association published, as a timeline lists
// it: Actor is the association's actor. A local object's words are its
// own document's to compose (Name, Summary, URI and URL are empty); a
// partner's copy carries the ones its origin sent. Visibility is Public,
// or Followers for a members-only association's object shown to a member
// (its members are its audience).
type ObjectEntry struct {
	ID         uuid.UUID
	Kind       string
	Remote     bool
	Actor      uuid.UUID
	ActorURI   string
	Published  time.Time
	URI, URL   string
	Name       string
	Summary    string
	Visibility string
}

// objectQuery is r over the associations' objects (Limit at most
// MaxObjectPage, which a Limit out of range reads). With Min the page is
// the oldest after it, otherwise the newest; both come newest first.
func (r Range) objectQuery() store.ObjectStatusQuery {
	if r.Limit <= 0 || r.Limit > MaxObjectPage {
		r.Limit = MaxObjectPage
	}
	return store.ObjectStatusQuery{MaxID: r.Max, SinceID: r.Since, MinID: r.Min, Limit: r.Limit}
}

// AssociationObjects lists the objects of the association whose actor is
// actor (local, or a partner whose copies are kept), newest first: none
// of a members-only association's unless viewer is an active member.
func (s *Service) AssociationObjects(ctx context.Context, viewer *membership.Account, actor uuid.UUID, r Range) ([]ObjectEntry, error) {
	a, err := s.db.Actors().ByID(ctx, actor)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoSuchActor
	}
	if err != nil {
		return nil, fmt.Errorf("objects of actor %s: %w", actor, err)
	}
	q := r.objectQuery()
	private := map[uuid.UUID]bool{}
	switch {
	case a.AssociationID != nil:
		ok, public, err := membership.MayRead(ctx, s.db.Tx, viewer, *a.AssociationID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return []ObjectEntry{}, nil // as an account without public posts
		}
		q.Associations, private[*a.AssociationID] = []uuid.UUID{*a.AssociationID}, !public
	case !a.Local:
		q.Partners = []uuid.UUID{a.ID}
	default:
		return []ObjectEntry{}, nil // a person publishes no objects
	}
	return s.objects(ctx, q, private)
}

// HomeObjects lists the objects of the associations viewer follows, newest
// first: the part of its home timeline that is not notes. A visitor has
// no home.
func (s *Service) HomeObjects(ctx context.Context, viewer *membership.Account, r Range) ([]ObjectEntry, error) {
	v, err := s.timelineViewer(ctx, viewer)
	if err != nil || v.Actor == uuid.Nil {
		return []ObjectEntry{}, err
	}
	local, remote, err := s.db.ObjectStatuses().FollowedOwners(ctx, v.Actor, MaxFollowedOwners)
	if err != nil {
		return nil, fmt.Errorf("home objects: %w", err)
	}
	q := r.objectQuery()
	q.Partners = remote
	private := map[uuid.UUID]bool{}
	for _, id := range local {
		// Following a members-only association is no membership.
		ok, public, err := membership.MayRead(ctx, s.db.Tx, viewer, id)
		if err != nil {
			return nil, err
		}
		if ok {
			q.Associations = append(q.Associations, id)
			private[id] = !public
		}
	}
	if len(q.Associations) == 0 && len(q.Partners) == 0 {
		return []ObjectEntry{}, nil // a member who follows no association reads no object
	}
	return s.objects(ctx, q, private)
}

// objects runs q; private tells the local associations that show their
// records to their members only.
func (s *Service) objects(ctx context.Context, q store.ObjectStatusQuery, private map[uuid.UUID]bool) ([]ObjectEntry, error) {
	rows, err := s.db.ObjectStatuses().List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]ObjectEntry, len(rows))
	for i, row := range rows {
		out[i] = objectEntry(row, private[row.AssociationID])
	}
	return out, nil
}

// PublishedObject returns object id as viewer may read it: ErrNoSuchObject when
// it names no object, or one of a members-only association viewer is no
// active member of.
func (s *Service) PublishedObject(ctx context.Context, viewer *membership.Account, id uuid.UUID) (ObjectEntry, error) {
	row, err := s.db.ObjectStatuses().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ObjectEntry{}, ErrNoSuchObject
	}
	if err != nil {
		return ObjectEntry{}, err
	}
	public := true
	if !row.Remote {
		var ok bool
		ok, public, err = membership.MayRead(ctx, s.db.Tx, viewer, row.AssociationID)
		if err != nil {
			return ObjectEntry{}, err
		}
		if !ok {
			return ObjectEntry{}, ErrNoSuchObject // never say that it exists
		}
	}
	return objectEntry(row, !public), nil
}

func objectEntry(row store.ObjectStatusRow, private bool) ObjectEntry {
	e := ObjectEntry{ID: row.ID, Kind: row.Kind, Remote: row.Remote, Actor: row.ActorID, ActorURI: row.ActorURI,
		Published: row.Published, URI: row.URI, URL: row.URL, Name: row.Name, Summary: row.Summary, Visibility: Public}
	if private {
		e.Visibility = Followers
	}
	return e
}
