package membership

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Reads of actors as client applications show them (the Mastodon API):
// one actor by its id or handle, the counts and relationships of a page
// of actors in a fixed number of queries.

// MaxActorsAtOnce bounds the actors one batched read takes.
const MaxActorsAtOnce = 80

// ActorByID returns the actor, local or remote, whose row is id:
// ErrNoSuchActor when there is none, ErrActorDeleted (with the actor) when
// it was deleted or is suspended here.
func (s *Service) ActorByID(ctx context.Context, id uuid.UUID) (Actor, error) {
	row, err := s.db.Actors().ByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return Actor{}, fmt.Errorf("actor %s: %w", id, err)
	}
	if row.DeletedAt != nil {
		return actorFrom(row), ErrActorDeleted
	}
	if row.SuspendedAt != nil {
		return actorFrom(row), errActorSuspended
	}
	return actorFrom(row), nil
}

// ActorByHandle returns the actor already known here named name on host;
// a host that is empty or this instance's names a local actor. Nothing is
// fetched: an actor never seen is ErrNoSuchActor.
func (s *Service) ActorByHandle(ctx context.Context, name, host string) (Actor, error) {
	name, host = strings.ToLower(strings.TrimSpace(name)), strings.ToLower(strings.TrimSpace(host))
	if name == "" || len(name)+len(host) > 500 {
		return Actor{}, ErrNoSuchActor
	}
	if host == "" || host == strings.ToLower(s.policy.Host) {
		return s.LocalActor(ctx, name)
	}
	row, err := s.db.Actors().ByHandle(ctx, name, host)
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, ErrNoSuchActor
	}
	if err != nil {
		return Actor{}, fmt.Errorf("actor %s@%s: %w", name, host, err)
	}
	if row.DeletedAt != nil {
		return actorFrom(row), ErrActorDeleted
	}
	if row.SuspendedAt != nil {
		return actorFrom(row), errActorSuspended
	}
	return actorFrom(row), nil
}

// ActorsByID returns the live actors among ids (unknown, deleted and
// suspended ones left out), in the order of ids.
func (s *Service) ActorsByID(ctx context.Context, ids []uuid.UUID) ([]Actor, error) {
	ids = ids[:min(len(ids), MaxActorsAtOnce)]
	rows, err := s.db.Actors().ByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("actors by id: %w", err)
	}
	byID := make(map[uuid.UUID]store.Actor, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]Actor, 0, len(rows))
	for _, id := range ids {
		if r, ok := byID[id]; ok && r.DeletedAt == nil && r.SuspendedAt == nil {
			out = append(out, actorFrom(r))
			delete(byID, id) // an id asked twice is answered once
		}
	}
	return out, nil
}

// Standing is what a profile card shows of an actor besides its document:
// its accepted followers and follows, whether it approves its followers
// one by one, and, for a local actor, its profile's name and summary
// (plain text), which its account or association holds.
type Standing struct {
	Followers, Following int
	Locked               bool
	DisplayName          string
	Summary              string
}

// Standings returns the standing of each of actors (at most
// MaxActorsAtOnce), in three queries whatever their number.
func (s *Service) Standings(ctx context.Context, actors []Actor) (map[uuid.UUID]Standing, error) {
	actors = actors[:min(len(actors), MaxActorsAtOnce)]
	ids := make([]uuid.UUID, 0, len(actors))
	var local []uuid.UUID
	for _, a := range actors {
		ids = append(ids, a.ID)
		if a.Local {
			local = append(local, a.ID)
		}
	}
	counts, err := s.db.Follows().CountsOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("standings: %w", err)
	}
	profiles, err := s.db.Actors().LocalProfilesOf(ctx, local)
	if err != nil {
		return nil, fmt.Errorf("standings: %w", err)
	}
	out := make(map[uuid.UUID]Standing, len(ids))
	for _, id := range ids {
		c := counts[id]
		out[id] = Standing{Followers: c.Followers, Following: c.Following}
	}
	for _, p := range profiles {
		st := out[p.ID]
		if p.DisplayName != nil {
			st.DisplayName = *p.DisplayName
		}
		if p.Summary != nil {
			st.Summary = *p.Summary
		}
		if p.Settings != nil {
			set, err := decodeSettings(*p.Settings)
			if err != nil {
				return nil, fmt.Errorf("standings: %w", err)
			}
			st.Locked = set.FollowApproval // an association asks its board
		}
		out[p.ID] = st
	}
	return out, nil
}

// Relationship is how the person by and another actor stand: by's follow
// of it (FollowPending, FollowAccepted or ""), its follow of by, and the
// blocks either way.
type Relationship struct {
	Following, FollowedBy string
	Blocking, BlockedBy   bool
}

// Relationships returns by's relationship with each of others (at most
// MaxActorsAtOnce), in two queries whatever their number.
func (s *Service) Relationships(ctx context.Context, by Account, others []uuid.UUID) (map[uuid.UUID]Relationship, error) {
	others = others[:min(len(others), MaxActorsAtOnce)]
	me, err := s.db.Actors().OfAccount(ctx, by.ID)
	if err != nil {
		return nil, fmt.Errorf("relationships: %w: %v", ErrNoActorAccount, err)
	}
	follows, err := s.db.Follows().Around(ctx, me.ID, others)
	if err != nil {
		return nil, fmt.Errorf("relationships: %w", err)
	}
	blocks, err := s.db.Blocks().Around(ctx, me.ID, others)
	if err != nil {
		return nil, fmt.Errorf("relationships: %w", err)
	}
	out := make(map[uuid.UUID]Relationship, len(others))
	for _, f := range follows {
		if f.FollowerID == me.ID {
			r := out[f.FollowedID]
			r.Following = f.State
			out[f.FollowedID] = r
		} else {
			r := out[f.FollowerID]
			r.FollowedBy = f.State
			out[f.FollowerID] = r
		}
	}
	for _, b := range blocks {
		if b.BlockerID == me.ID {
			r := out[b.BlockedID]
			r.Blocking = true
			out[b.BlockedID] = r
		} else {
			r := out[b.BlockerID]
			r.BlockedBy = true
			out[b.BlockerID] = r
		}
	}
	return out, nil
}

// Window bounds a page read newest first, as client applications page:
// before MaxID, after SinceID, or just after MinID (reading forward);
// zero ids bound nothing.
type Window struct {
	MaxID, SinceID, MinID uuid.UUID
	Limit                 int
}

// FollowEdge is one accepted follow of a page: its id, the page's cursor,
// and the actor on the other side.
type FollowEdge struct {
	ID, Actor uuid.UUID
}

// FollowEdges returns a page of the accepted followers of actor
// (followers true) or of those it follows, newest first. A remote actor's
// are those known here.
func (s *Service) FollowEdges(ctx context.Context, actor uuid.UUID, followers bool, w Window) ([]FollowEdge, error) {
	sw := store.Window{MaxID: w.MaxID, SinceID: w.SinceID, MinID: w.MinID, Limit: max(1, min(w.Limit, MaxActorsAtOnce))}
	rows, err := s.db.Follows().Edges(ctx, actor, followers, sw)
	if err != nil {
		return nil, fmt.Errorf("follows of %s: %w", actor, err)
	}
	edges := make([]FollowEdge, len(rows))
	for i, r := range rows {
		edges[i] = FollowEdge{ID: r.ID, Actor: r.Actor}
	}
	return edges, nil
}

// BoardFollowRequest is a request to follow an association whose board
// the person sits on.
type BoardFollowRequest struct {
	Association string
	FollowRequest
}

// RequestsToBoard lists the requests to follow the associations whose
// board by sits on, at most limit, oldest first within each association.
// A person is followed at once here, so only associations have requests.
func (s *Service) RequestsToBoard(ctx context.Context, by Account, limit int) ([]BoardFollowRequest, error) {
	limit = clampLimit(limit)
	ms, err := s.AssociationsOf(ctx, by)
	if err != nil {
		return nil, fmt.Errorf("requests to follow: %w", err)
	}
	out := []BoardFollowRequest{}
	for _, m := range ms {
		if len(out) >= limit {
			break
		}
		if !(Member{Role: m.Role, Status: m.Status}).IsBoard() {
			continue
		}
		list, _, err := s.FollowRequests(ctx, by, m.Name, uuid.Nil, limit-len(out))
		if err != nil {
			return nil, fmt.Errorf("requests to follow %s: %w", m.Name, err)
		}
		for _, r := range list {
			out = append(out, BoardFollowRequest{Association: m.Name, FollowRequest: r})
		}
	}
	return out, nil
}

// AnswerRequestsOf answers every request of the actor followerURI to
// follow an association whose board by sits on, and returns how many it
// answered: ErrNoSuchFollowRequest when there was none.
func (s *Service) AnswerRequestsOf(ctx context.Context, by Account, followerURI string, accept bool) (int, error) {
	reqs, err := s.RequestsToBoard(ctx, by, MaxPageSize)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range reqs {
		if r.FollowerURI != followerURI {
			continue
		}
		if _, err := s.AnswerFollowRequest(ctx, by, r.Association, r.ID, accept); err != nil {
			return n, err
		}
		n++
	}
	if n == 0 {
		return 0, ErrNoSuchFollowRequest
	}
	return n, nil
}

// MaxFamiliar bounds the familiar followers given for one request.
const MaxFamiliar = MaxActorsAtOnce

// FamiliarFollowers returns, for each of others (at most
// MaxActorsAtOnce), the actors by follows that follow it: MaxFamiliar at
// most in all, in one query.
func (s *Service) FamiliarFollowers(ctx context.Context, by Account, others []uuid.UUID) (map[uuid.UUID][]uuid.UUID, error) {
	others = others[:min(len(others), MaxActorsAtOnce)]
	me, err := s.db.Actors().OfAccount(ctx, by.ID)
	if err != nil {
		return nil, fmt.Errorf("familiar followers: %w: %v", ErrNoActorAccount, err)
	}
	rows, err := s.db.Follows().FamiliarFollowers(ctx, me.ID, others, MaxFamiliar)
	if err != nil {
		return nil, fmt.Errorf("familiar followers: %w", err)
	}
	out := make(map[uuid.UUID][]uuid.UUID, len(others))
	for _, f := range rows {
		out[f.Of] = append(out[f.Of], f.Actor)
	}
	return out, nil
}
