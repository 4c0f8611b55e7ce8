package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// FollowCounts are an actor's accepted followers and follows.
type FollowCounts struct {
	Followers, Following int
}

// CountsOf counts the accepted followers and follows of each of actors, in
// two grouped queries whatever their number: a page of accounts costs no
// more than one. An actor without any is left out of the map.
func (r Follows) CountsOf(ctx context.Context, actors []uuid.UUID) (map[uuid.UUID]FollowCounts, error) {
	out := make(map[uuid.UUID]FollowCounts, len(actors))
	if len(actors) == 0 {
		return out, nil
	}
	type count struct {
		ID uuid.UUID `bun:"id,type:uuid"`
		N  int       `bun:"n"`
	}
	for _, side := range []string{"followed_id", "follower_id"} {
		var rows []count
		err := r.tx.idb.NewSelect().Model((*Follow)(nil)).
			ColumnExpr(side+" AS id, count(*) AS n").
			Where(side+" IN (?)", bun.In(actors)).Where("state = ?", "accepted").
			GroupExpr(side).Scan(ctx, &rows)
		if err != nil {
			return nil, notFound(err, "count follows")
		}
		for _, c := range rows {
			fc := out[c.ID]
			if side == "followed_id" {
				fc.Followers = c.N
			} else {
				fc.Following = c.N
			}
			out[c.ID] = fc
		}
	}
	return out, nil
}

// AuthorStats is how many notes an actor wrote and when the last one was
// published.
type AuthorStats struct {
	ID    uuid.UUID  `bun:"id,type:uuid"`
	Notes int        `bun:"n"`
	Last  *time.Time `bun:"last"`
}

// AuthorStatsOf counts the live notes of each of authors whose visibility
// is one of visibilities, in one grouped query. An author without any is
// left out.
func (r Notes) AuthorStatsOf(ctx context.Context, authors []uuid.UUID, visibilities []string) (map[uuid.UUID]AuthorStats, error) {
	out := make(map[uuid.UUID]AuthorStats, len(authors))
	if len(authors) == 0 {
		return out, nil
	}
	var rows []AuthorStats
	err := r.tx.idb.NewSelect().TableExpr("notes").
		ColumnExpr("author_id AS id, count(*) AS n, max(published_at) AS last").
		Where("author_id IN (?)", bun.In(authors)).Where("deleted_at IS NULL").
		Where("visibility IN (?)", bun.In(visibilities)).
		GroupExpr("author_id").Scan(ctx, &rows)
	if err != nil {
		return nil, notFound(err, "count notes")
	}
	for _, s := range rows {
		out[s.ID] = s
	}
	return out, nil
}

// PeerHosts returns up to limit hosts of the remote actors this instance
// knows, in alphabetical order.
func (t Tx) PeerHosts(ctx context.Context, limit int) ([]string, error) {
	hosts := []string{}
	err := t.idb.NewSelect().Model((*Actor)(nil)).ColumnExpr("DISTINCT host").
		Where("local = ?", false).OrderExpr("host").Limit(int64(limit)).Scan(ctx, &hosts)
	if err != nil {
		return nil, notFound(err, "list peer hosts")
	}
	return hosts, nil
}

// Around returns the follows, in any state, of me to any of others and of
// any of others to me.
func (r Follows) Around(ctx context.Context, me uuid.UUID, others []uuid.UUID) ([]Follow, error) {
	list := []Follow{}
	if len(others) == 0 {
		return list, nil
	}
	err := r.tx.idb.NewSelect().Model(&list).
		Where("(follower_id = ? AND followed_id IN (?)) OR (followed_id = ? AND follower_id IN (?))",
			me, bun.In(others), me, bun.In(others)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "follows around an actor")
	}
	return list, nil
}

// Around returns the blocks of me against any of others and of any of
// others against me.
func (r Blocks) Around(ctx context.Context, me uuid.UUID, others []uuid.UUID) ([]Block, error) {
	list := []Block{}
	if len(others) == 0 {
		return list, nil
	}
	err := r.tx.idb.NewSelect().Model(&list).
		Where("(blocker_id = ? AND blocked_id IN (?)) OR (blocked_id = ? AND blocker_id IN (?))",
			me, bun.In(others), me, bun.In(others)).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "blocks around an actor")
	}
	return list, nil
}

// LocalProfileRow is what a local actor's profile shows from its account
// or its association: the name, an association's summary and settings.
type LocalProfileRow struct {
	ID          uuid.UUID `bun:"id,type:uuid"`
	DisplayName *string   `bun:"display_name"`
	Summary     *string   `bun:"summary"`
	Settings    *string   `bun:"settings"`
}

// LocalProfilesOf returns the profile rows of those of actors that are
// local persons or associations, in one query.
func (r Actors) LocalProfilesOf(ctx context.Context, actors []uuid.UUID) ([]LocalProfileRow, error) {
	list := []LocalProfileRow{}
	if len(actors) == 0 {
		return list, nil
	}
	err := r.tx.idb.NewSelect().TableExpr("actors AS a").
		ColumnExpr("a.id AS id").
		ColumnExpr("CASE WHEN acc.id IS NOT NULL THEN acc.display_name ELSE asso.display_name END AS display_name").
		ColumnExpr("asso.summary AS summary, asso.settings AS settings").
		Join("LEFT JOIN accounts AS acc ON acc.id = a.account_id").
		Join("LEFT JOIN associations AS asso ON asso.id = a.association_id").
		Where("a.id IN (?)", bun.In(actors)).Where("a.local = ?", true).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "local profiles")
	}
	return list, nil
}

// Window bounds a page newest first as Mastodon's clients ask: before
// MaxID, after SinceID, or just after MinID (the page nearest MinID, for
// reading forward). Zero ids do not bound.
type Window struct {
	MaxID, SinceID, MinID uuid.UUID
	Limit                 int
}

// FollowEdge is one accepted follow of a page: its id (the page's cursor)
// and the actor on the other side.
type FollowEdge struct {
	ID    uuid.UUID `bun:"id,type:uuid"`
	Actor uuid.UUID `bun:"actor,type:uuid"`
}

// Edges returns a page of the accepted follows of actor, newest first:
// its followers (followers true) or those it follows, the deleted left
// out.
func (r Follows) Edges(ctx context.Context, actor uuid.UUID, followers bool, w Window) ([]FollowEdge, error) {
	by, other := "f.follower_id", "f.followed_id"
	if followers {
		by, other = other, by
	}
	list := []FollowEdge{}
	q := r.tx.idb.NewSelect().TableExpr("follows AS f").
		ColumnExpr("f.id AS id, "+other+" AS actor").
		Join("JOIN actors AS a ON a.id = "+other).
		Where(by+" = ?", actor).Where("f.state = ?", "accepted").Where("a.deleted_at IS NULL").
		Limit(int64(w.Limit))
	if w.MaxID != uuid.Nil {
		q = q.Where("f.id < ?", w.MaxID)
	}
	if w.SinceID != uuid.Nil {
		q = q.Where("f.id > ?", w.SinceID)
	}
	if w.MinID != uuid.Nil {
		q = q.Where("f.id > ?", w.MinID).OrderExpr("f.id ASC")
	} else {
		q = q.OrderExpr("f.id DESC")
	}
	if err := q.Scan(ctx, &list); err != nil {
		return nil, notFound(err, "list follows")
	}
	if w.MinID != uuid.Nil { // read forward, shown newest first
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	return list, nil
}

// ByIDs returns the actors among ids, in no particular order.
func (r Actors) ByIDs(ctx context.Context, ids []uuid.UUID) ([]Actor, error) {
	list := []Actor{}
	if len(ids) == 0 {
		return list, nil
	}
	if err := r.tx.idb.NewSelect().Model(&list).ColumnExpr("actor.*").Where("actor.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, notFound(err, "actors")
	}
	return list, nil
}

// SetSummary replaces the summary of the local actor id: a person's bio,
// plain text.
func (r Actors) SetSummary(ctx context.Context, id uuid.UUID, summary string, at time.Time) error {
	res, err := r.tx.idb.NewUpdate().Model((*Actor)(nil)).
		Set("summary = ?", summary).Set("updated_at = ?", at).
		Where("id = ?", id).Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return wrapWrite(err, "set summary")
	}
	return expectOne(res, "set summary")
}

// Familiar is an actor that follows Of and that the asking actor follows.
type Familiar struct {
	Of    uuid.UUID `bun:"of,type:uuid"`
	Actor uuid.UUID `bun:"actor,type:uuid"`
}

// FamiliarFollowers returns, for each of others, the live actors me
// follows that follow it (both follows accepted), at most limit in all.
func (r Follows) FamiliarFollowers(ctx context.Context, me uuid.UUID, others []uuid.UUID, limit int) ([]Familiar, error) {
	list := []Familiar{}
	if len(others) == 0 {
		return list, nil
	}
	err := r.tx.idb.NewSelect().TableExpr("follows AS mine").
		ColumnExpr("theirs.followed_id AS of, mine.followed_id AS actor").
		Join("JOIN follows AS theirs ON theirs.follower_id = mine.followed_id").
		Join("JOIN actors AS a ON a.id = mine.followed_id").
		Where("mine.follower_id = ?", me).Where("mine.state = ?", "accepted").
		Where("theirs.followed_id IN (?)", bun.In(others)).Where("theirs.state = ?", "accepted").
		Where("a.deleted_at IS NULL").
		OrderExpr("theirs.followed_id, mine.id").Limit(int64(limit)).Scan(ctx, &list)
	if err != nil {
		return nil, notFound(err, "familiar followers")
	}
	return list, nil
}
