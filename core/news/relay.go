package news

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// Relay is an association passing a member's note on to its followers, as
// FEP-1b12 groups do (DESIGN §4, §5): the Announce of the note itself when
// it is posted, then of its Update or Delete. By is the association,
// ActivityID the Announce's id, Inboxes its followers' (shared) inboxes.
type Relay struct {
	By         Author
	ActivityID string
	Inboxes    []string
}

// relaysOfPost records and returns the Announces of the new note n by the
// local associations it is addressed to (in to or cc, or mentioned) of
// which its author is an active member. Only public and unlisted notes are
// announced, and each by an association once: its boost of the note, kept
// with the other reactions, is the record, so that counts and timelines
// see it as any boost.
func (s *Service) relaysOfPost(ctx context.Context, tx store.Tx, n Note, author store.Actor) ([]Relay, error) {
	if n.Visibility != Public && n.Visibility != Unlisted {
		return nil, nil
	}
	to, cc := n.Audience()
	local := s.policy.BaseURL + "/actors/"
	var relays []Relay
	seen := map[string]bool{}
	for _, uri := range slices.Concat(to, cc, n.MentionURIs()) {
		if seen[uri] || !strings.HasPrefix(uri, local) {
			continue
		}
		seen[uri] = true
		group, err := tx.Actors().ByURI(ctx, uri)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if ok, err := passesOn(ctx, tx, group, author); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		boost := store.Reaction{ID: newID(), ActorID: group.ID, NoteID: n.ID, CreatedAt: s.now()}
		boost.ActivityID = s.policy.BaseURL + "/activities/" + boost.ID.String()
		added, err := Boost.repo(tx).Add(ctx, &boost)
		if err != nil {
			return nil, err
		}
		if !added {
			continue
		}
		r, err := relayBy(ctx, tx, group, boost.ActivityID)
		if err != nil {
			return nil, err
		}
		relays = append(relays, r)
	}
	return relays, nil
}

// relaysOfChange returns the Announces of the Update or Delete (kind) of
// the local note n by the associations that announced it. An Update is
// passed on only while its author is still an active member, so that a
// former member cannot speak through the association by editing; a Delete
// always is.
func (s *Service) relaysOfChange(ctx context.Context, tx store.Tx, n Note, author store.Actor, kind string) ([]Relay, error) {
	groups, err := Boost.repo(tx).LocalAssociations(ctx, n.ID)
	if err != nil {
		return nil, err
	}
	var relays []Relay
	for _, group := range groups {
		if kind == "Update" {
			if ok, err := passesOn(ctx, tx, group, author); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
		}
		r, err := relayBy(ctx, tx, group, s.policy.BaseURL+"/activities/"+newID().String())
		if err != nil {
			return nil, err
		}
		relays = append(relays, r)
	}
	return relays, nil
}

// passesOn tells whether the local actor group is an association that
// passes on the notes of author: author is one of its active members.
// Memberships are of local accounts: a remote actor is no member (yet).
func passesOn(ctx context.Context, tx store.Tx, group, author store.Actor) (bool, error) {
	if !group.Local || group.AssociationID == nil || group.DeletedAt != nil || author.AccountID == nil || group.ID == author.ID {
		return false, nil
	}
	m, err := tx.Associations().Membership(ctx, *group.AssociationID, *author.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return m.Status == membership.MemberActive, nil
}

func relayBy(ctx context.Context, tx store.Tx, group store.Actor, activityID string) (Relay, error) {
	inboxes, err := tx.Follows().FollowerInboxes(ctx, group.ID)
	if err != nil {
		return Relay{}, err
	}
	return Relay{By: *authorOf(group), ActivityID: activityID, Inboxes: inboxes}, nil
}
