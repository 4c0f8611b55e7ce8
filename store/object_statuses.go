package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Kinds of ObjectStatusRow: the first path segment of a local object's id.
const (
	ObjectProject  = "projects"
	ObjectTask     = "tasks"
	ObjectEvent    = "events"
	ObjectProposal = "proposals"
)

// ObjectStatusRow is one object an association published — a project, a
// task out of draft, an event, a proposal, or this instance's copy of a
// partner's project, task or event — as the Mastodon client API lists it:
// a status of the association's group account. A local object's words are
// composed from its own row by the caller; a copy's are the ones its
// origin sent (Name, Summary, URI, URL), which this row carries.
type ObjectStatusRow struct {
	ID       uuid.UUID `bun:"id,type:uuid"`
	Kind     string    `bun:"kind"`
	Remote   bool      `bun:"remote"`
	ActorID  uuid.UUID `bun:"actor_id,type:uuid"` // the association's actor
	ActorURI string    `bun:"actor_uri"`
	// AssociationID is a local object's association; uuid.Nil for a copy.
	AssociationID uuid.UUID `bun:"association_id,type:uuid"`
	Published     time.Time `bun:"published"`
	URI           string    `bun:"uri"`
	URL           string    `bun:"url"`
	Name          string    `bun:"name"`
	Summary       string    `bun:"summary"`
}

// ObjectStatusQuery selects the objects of Associations (local ones, by
// association id) and of Partners (copies, by the partner's actor id)
// between Mastodon's bounds: ids below MaxID, above SinceID or MinID
// (uuid.Nil: no bound). With MinID the page is the oldest Limit rows after
// it, otherwise the newest; both come newest first.
type ObjectStatusQuery struct {
	Associations []uuid.UUID
	Partners     []uuid.UUID
	MaxID        uuid.UUID
	SinceID      uuid.UUID
	MinID        uuid.UUID
	Limit        int
}

// ObjectStatuses reads the objects shown as statuses.
type ObjectStatuses struct{ tx Tx }

// ObjectStatuses returns the repository of objects shown as statuses.
func (t Tx) ObjectStatuses() ObjectStatuses { return ObjectStatuses{t} }

// objectArm is one kind of object in the union: its table, the column
// naming its association (an association's id for a local object, its
// actor's for a copy) and when it was published.
type objectArm struct {
	kind, table, owner, published, where string
	remote                               bool
}

var objectArms = []objectArm{
	{kind: ObjectProject, table: "projects", owner: "association_id", published: "created_at"},
	// A draft task is not published yet (federation serves it as 404).
	{kind: ObjectTask, table: "tasks", owner: "association_id", published: "created_at", where: " AND o.status <> 'draft'"},
	{kind: ObjectEvent, table: "events", owner: "association_id", published: "created_at"},
	{kind: ObjectProposal, table: "proposals", owner: "association_id", published: "created_at"},
	{kind: ObjectProject, table: "remote_projects", owner: "association_actor_id", published: "published_at", remote: true},
	{kind: ObjectTask, table: "remote_tasks", owner: "association_actor_id", published: "published_at", remote: true},
	{kind: ObjectEvent, table: "remote_events", owner: "association_actor_id", published: "published_at", remote: true},
}

// columns are what an arm reads: a local object's words are left empty.
func (a objectArm) columns() string {
	if a.remote {
		return "'" + a.kind + "' AS kind, o.id, TRUE AS remote, ac.id AS actor_id, ac.uri AS actor_uri, NULL AS association_id, " +
			"o.published_at AS published, o.uri, o.url, o.name, o.summary FROM " + a.table + " AS o JOIN actors AS ac ON ac.id = o.association_actor_id"
	}
	return "'" + a.kind + "' AS kind, o.id, FALSE AS remote, ac.id AS actor_id, ac.uri AS actor_uri, o.association_id, o." + a.published + " AS published, " +
		"'' AS uri, '' AS url, '' AS name, '' AS summary FROM " + a.table + " AS o JOIN actors AS ac ON ac.association_id = o.association_id"
}

// shown is the condition that the association's actor (ac) may be shown:
// neither deleted nor suspended, and a partner on no blocked domain, as
// the network's catalogue and agenda show them.
func (a objectArm) shown() string {
	s := " AND ac.deleted_at IS NULL AND ac.suspended_at IS NULL"
	if a.remote {
		s += " AND " + unblockedHost("ac.host")
	}
	return s
}

// List returns the page q selects, newest first, in one query: each arm
// walks its (association, id) index to at most Limit rows, and the union
// keeps the Limit that the bounds ask for, so the cost is bounded by the
// page whatever the number of objects.
func (r ObjectStatuses) List(ctx context.Context, q ObjectStatusQuery) ([]ObjectStatusRow, error) {
	if q.Limit <= 0 || (len(q.Associations) == 0 && len(q.Partners) == 0) {
		return []ObjectStatusRow{}, nil
	}
	order := "DESC"
	if q.MinID != uuid.Nil {
		order = "ASC"
	}
	var b strings.Builder
	var args []any
	b.WriteString("SELECT * FROM (")
	first := true
	for i, a := range objectArms {
		owners := q.Associations
		if a.remote {
			owners = q.Partners
		}
		if len(owners) == 0 {
			continue
		}
		if !first {
			b.WriteString(" UNION ALL ")
		}
		first = false
		b.WriteString("SELECT * FROM (SELECT " + a.columns() + " WHERE o." + a.owner + " IN (?)" + a.where + a.shown())
		args = append(args, bun.In(owners))
		for _, bound := range []struct {
			op string
			id uuid.UUID
		}{{"<", q.MaxID}, {">", q.SinceID}, {">", q.MinID}} {
			if bound.id != uuid.Nil {
				b.WriteString(" AND o.id " + bound.op + " ?")
				args = append(args, bound.id)
			}
		}
		fmt.Fprintf(&b, " ORDER BY o.id %s LIMIT ?) AS a%d", order, i)
		args = append(args, q.Limit)
	}
	b.WriteString(") AS u ORDER BY u.id " + order + " LIMIT ?")
	args = append(args, q.Limit)
	var list []ObjectStatusRow
	if err := r.tx.idb.NewRaw(b.String(), args...).Scan(ctx, &list); err != nil {
		return nil, notFound(err, "objects as statuses")
	}
	if order == "ASC" {
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	if list == nil {
		list = []ObjectStatusRow{}
	}
	return list, nil
}

// ByID returns object id, local or a copy; ErrNotFound when id is none
// of them (a note, say). A UUIDv7 names one row in the whole database, so
// at most one arm answers.
func (r ObjectStatuses) ByID(ctx context.Context, id uuid.UUID) (ObjectStatusRow, error) {
	var b strings.Builder
	var args []any
	for i, a := range objectArms {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString("SELECT " + a.columns() + " WHERE o.id = ?" + a.where + a.shown())
		args = append(args, id)
	}
	var rows []ObjectStatusRow
	if err := r.tx.idb.NewRaw(b.String(), args...).Scan(ctx, &rows); err != nil {
		return ObjectStatusRow{}, fmt.Errorf("object %s: %w", id, notFound(err, "object"))
	}
	if len(rows) == 0 {
		return ObjectStatusRow{}, ErrNotFound
	}
	return rows[0], nil
}

// FollowedOwners returns whose objects follower's home timeline shows: the
// local associations it follows (by association id) and the remote groups
// it follows (by actor id; only a partner's have copies here), at most
// limit of them, those followed last first. Only accepted follows count.
func (r ObjectStatuses) FollowedOwners(ctx context.Context, follower uuid.UUID, limit int) (local, remote []uuid.UUID, err error) {
	var rows []struct {
		ID            uuid.UUID  `bun:"id,type:uuid"`
		AssociationID *uuid.UUID `bun:"association_id,type:uuid"`
		Local         bool       `bun:"local"`
	}
	err = r.tx.idb.NewRaw("SELECT a.id, a.association_id, a.local FROM follows AS f JOIN actors AS a ON a.id = f.followed_id "+
		"WHERE f.follower_id = ? AND f.state = 'accepted' AND (a.association_id IS NOT NULL OR (a.local = FALSE AND a.kind = 'Group')) "+
		"ORDER BY f.id DESC LIMIT ?", follower, limit).Scan(ctx, &rows)
	if err != nil {
		return nil, nil, notFound(err, "followed owners of objects")
	}
	for _, row := range rows {
		switch {
		case row.AssociationID != nil:
			local = append(local, *row.AssociationID)
		case !row.Local:
			remote = append(remote, row.ID)
		}
	}
	return local, remote, nil
}
