package store

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// TimelineRow is one line of a timeline: a note with its author, and the
// boost that brought it there when it came by one (Booster* set); with its
// counts of likes and boosts and whether the viewer liked or boosted it.
// EntryID orders the timeline: the note's id, or the boost's.
type TimelineRow struct {
	NoteRow `bun:",extend"`

	EntryID         uuid.UUID  `bun:"entry_id,type:uuid"`
	AuthorName      string     `bun:"author_name"`
	BoosterID       *uuid.UUID `bun:"booster_id,type:uuid"`
	BoosterURI      string     `bun:"booster_uri"`
	BoosterUsername string     `bun:"booster_username"`
	BoosterHost     string     `bun:"booster_host"`
	BoosterURL      string     `bun:"booster_url"`
	BoosterName     string     `bun:"booster_name"`
	BoosterLocal    bool       `bun:"booster_local"`
	Likes           int        `bun:"likes"`
	Boosts          int        `bun:"boosts"`
	Liked           bool       `bun:"liked"`
	Boosted         bool       `bun:"boosted"`
	// Replies counts the note's live public and unlisted replies;
	// ParentAuthorID is the author of the note it replies to, when that
	// note is stored here; Bookmarked, whether the viewer bookmarked it.
	Replies        int        `bun:"replies"`
	ParentAuthorID *uuid.UUID `bun:"parent_author_id,type:uuid"`
	Bookmarked     bool       `bun:"bookmarked"`
}

// TimelineViewer is who reads a timeline. A zero Actor is a visitor, who
// reads public and unlisted notes only. Otherwise the viewer reads, besides
// those, the notes of Actor, of the associations whose board Account is on
// (a membership of Status in one of BoardRoles), the notes that mention
// ActorURI, and the followers-only notes of the actors Actor follows.
type TimelineViewer struct {
	Actor      uuid.UUID
	ActorURI   string
	Account    uuid.UUID
	BoardRoles []string
	Status     string
	// Follows is how many actors Actor follows (Actors.OfAccountFollowing):
	// the home timeline reads a busy member's page another way. Zero reads
	// it actor by actor.
	Follows int
}

// TimelinePage is where a page starts: the entries before (newest first) or
// after (oldest first) the entry Cursor; uuid.Nil starts at the end. Limit
// is how many rows to return at most.
//
// Since and Ascend are Mastodon's paging, on the timelines read newest
// first: Since keeps only the entries after it (since_id); Ascend reads
// the page from Since up, oldest first, Cursor staying the upper bound
// (min_id: the entries just after Since).
type TimelinePage struct {
	Cursor uuid.UUID
	Limit  int
	Since  uuid.UUID
	Ascend bool
}

// maxUUID is above every id: the open upper end of an ascending range.
var maxUUID = uuid.Max

// The reactions that timelines count, by their kind.
const (
	likeKind  = "Like"
	boostKind = "Announce"
)

// part is a piece of SQL with its arguments, in the order of its "?".
type part struct {
	sql  string
	args []any
}

func frag(s string, args ...any) part { return part{s, args} }

// join concatenates parts with sep.
func join(sep string, parts ...part) part {
	var out part
	for i, p := range parts {
		if i > 0 {
			out.sql += sep
		}
		out.sql += p.sql
		out.args = append(out.args, p.args...)
	}
	return out
}

// followedBy is the condition that follower follows (an accepted follow)
// the actor col. It is a correlated EXISTS rather than an IN list on
// purpose: it drives no index, so that the planners keep walking the
// timeline's own index newest first and stop at the page's end.
func followedBy(follower uuid.UUID, col string) part {
	return frag("EXISTS (SELECT 1 FROM follows AS f WHERE f.follower_id = ? AND f.followed_id = "+col+
		" AND f.state = 'accepted')", follower)
}

// followedHere is the condition that a local actor follows the actor col.
func followedHere(col string) part {
	return frag("EXISTS (SELECT 1 FROM follows AS lf JOIN actors AS la ON la.id = lf.follower_id " +
		"WHERE lf.followed_id = " + col + " AND lf.state = 'accepted' AND la.local = TRUE)")
}

// heard is the condition that the actor col is not suspended by the
// moderators (nor silenced, when public: the public views leave out the
// silenced too).
func heard(col string, public bool) part {
	cond := "mx.suspended_at IS NOT NULL"
	if public {
		cond += " OR mx.silenced_at IS NOT NULL"
	}
	return frag("NOT EXISTS (SELECT 1 FROM actors AS mx WHERE mx.id = " + col + " AND (" + cond + "))")
}

// boards selects the actors of the associations whose board v is on.
func (v TimelineViewer) boards() part {
	roles := v.BoardRoles
	if len(roles) == 0 {
		roles = []string{""}
	}
	return frag("SELECT ba.id FROM actors AS ba JOIN memberships AS bm ON bm.association_id = ba.association_id "+
		"WHERE bm.account_id = ? AND bm.status = ? AND bm.role IN (?)", v.Account, v.Status, bun.In(roles))
}

// readable is the condition that v may read the note n (visibility rules,
// as core's mayRead decides them for one note).
func (v TimelineViewer) readable() part {
	if v.Actor == uuid.Nil {
		return frag("n.visibility IN ('public', 'unlisted')")
	}
	return join("", frag("(n.visibility IN ('public', 'unlisted') OR n.author_id = ?", v.Actor),
		frag(" OR n.author_id IN ("), v.boards(), frag(")"),
		frag(" OR EXISTS (SELECT 1 FROM note_mentions AS vm WHERE vm.note_id = n.id AND vm.href = ?)", v.ActorURI),
		frag(" OR (n.visibility = 'followers' AND "), followedBy(v.Actor, "n.author_id"), frag("))"))
}

// arm is one source of entries, newest (or oldest) first: it selects
// entry_id, note_id, actor_id (the booster, or the author) and boost (1 for
// a boost) from what from joins, where where holds, ordered by key, which
// is the entry's id.
type arm struct {
	cols  string // entry_id, note_id, actor_id, boost
	from  part
	where part
	key   string
	// also is a column equal to key that the page's bounds apply to as
	// well: the joined note's id, when key is a mention's or a tag's, so
	// that a merge join walks the notes from the page's start, not from
	// the table's end.
	also string
}

const (
	noteCols  = "n.id AS entry_id, n.id AS note_id, n.author_id AS actor_id, 0 AS boost"
	boostCols = "r.id AS entry_id, r.note_id AS note_id, r.actor_id AS actor_id, 1 AS boost"
)

func noteArm(from string, where part) arm {
	return arm{cols: noteCols, from: frag(from), where: where, key: "n.id"}
}

func boostArm(where part) arm {
	return arm{cols: boostCols, from: frag("reactions AS r JOIN notes AS n ON n.id = r.note_id"), key: "r.id",
		where: join(" AND ", frag("r.kind = '"+boostKind+"' AND n.deleted_at IS NULL AND n.visibility IN ('public', 'unlisted')"), where)}
}

// timeline runs the page query: each arm limited to the page on its own
// (so that each can walk its index), their union limited again, and the
// notes, authors, boosters and counts joined to what is left.
func (r Notes) timeline(ctx context.Context, viewer uuid.UUID, p TimelinePage, asc bool, arms ...arm) ([]TimelineRow, error) {
	if p.Limit < 1 {
		return nil, fmt.Errorf("timeline: limit %d", p.Limit)
	}
	q, _ := timelineQuery(viewer, p, asc, arms...)
	var rows []TimelineRow
	if err := r.tx.idb.NewRaw(q.sql, q.args...).Scan(ctx, &rows); err != nil {
		return nil, notFound(err, "read timeline")
	}
	return rows, nil
}

// timelineQuery is the page query of timeline, and the order it reads
// the entries in (ASC or DESC).
func timelineQuery(viewer uuid.UUID, p TimelinePage, asc bool, arms ...arm) (part, string) {
	dir := "DESC"
	var lower, upper uuid.UUID // exclusive bounds; uuid.Nil: none
	switch {
	case asc:
		dir, lower = "ASC", p.Cursor
	case p.Ascend:
		dir, lower, upper = "ASC", p.Since, p.Cursor
	default:
		lower, upper = p.Since, p.Cursor
	}
	limit := strconv.Itoa(p.Limit)
	var union []part
	for i, a := range arms {
		where := a.where
		for _, col := range []string{a.key, a.also} {
			if col == "" {
				continue
			}
			if lower != uuid.Nil {
				where = join(" AND ", where, frag(col+" > ?", lower))
			}
			if upper != uuid.Nil {
				where = join(" AND ", where, frag(col+" < ?", upper))
			}
		}
		union = append(union, join("",
			frag("SELECT * FROM (SELECT "+a.cols+" FROM "), a.from, frag(" WHERE "),
			where,
			frag(" ORDER BY "+a.key+" "+dir+" LIMIT "+limit+") AS arm"+strconv.Itoa(i))))
	}
	q := join("",
		frag(`SELECT note.*,
	a.uri AS author_uri, a.username AS author_username, a.host AS author_host,
	a.url AS author_url, a.followers AS author_followers, a.local AS author_local,
	COALESCE(NULLIF(a.display_name, ''), aacc.display_name, aasn.display_name, '') AS author_name,
	e.entry_id AS entry_id,
	b.id AS booster_id, b.uri AS booster_uri, b.username AS booster_username, b.host AS booster_host,
	b.url AS booster_url, b.local AS booster_local,
	COALESCE(NULLIF(b.display_name, ''), bacc.display_name, basn.display_name, '') AS booster_name,
	(SELECT count(*) FROM reactions AS cl WHERE cl.note_id = note.id AND cl.kind = '`+likeKind+`') AS likes,
	(SELECT count(*) FROM reactions AS cb WHERE cb.note_id = note.id AND cb.kind = '`+boostKind+`') AS boosts,
	EXISTS (SELECT 1 FROM reactions AS vl WHERE vl.kind = '`+likeKind+`' AND vl.actor_id = ? AND vl.note_id = note.id) AS liked,
	EXISTS (SELECT 1 FROM reactions AS vb WHERE vb.kind = '`+boostKind+`' AND vb.actor_id = ? AND vb.note_id = note.id) AS boosted,
	(SELECT count(*) FROM notes AS rn WHERE rn.in_reply_to_id = note.id AND rn.deleted_at IS NULL
		AND rn.visibility IN ('public', 'unlisted')) AS replies,
	pn.author_id AS parent_author_id,
	EXISTS (SELECT 1 FROM bookmarks AS vk WHERE vk.actor_id = ? AND vk.note_id = note.id) AS bookmarked
FROM (SELECT u.entry_id, u.note_id, u.actor_id, u.boost FROM (`, viewer, viewer, viewer),
		join(" UNION ", union...),
		frag(`) AS u ORDER BY u.entry_id `+dir+` LIMIT `+limit+`) AS e
JOIN notes AS note ON note.id = e.note_id
JOIN actors AS a ON a.id = note.author_id
LEFT JOIN accounts AS aacc ON aacc.id = a.account_id
LEFT JOIN associations AS aasn ON aasn.id = a.association_id
LEFT JOIN actors AS b ON e.boost = 1 AND b.id = e.actor_id
LEFT JOIN accounts AS bacc ON bacc.id = b.account_id
LEFT JOIN associations AS basn ON basn.id = b.association_id
LEFT JOIN notes AS pn ON pn.id = note.in_reply_to_id
ORDER BY e.entry_id `+dir))
	return q, dir
}

// HomeTimeline is the page p of the home timeline of the viewer v: the
// notes of v's actor, of the actors it follows, the notes that mention it
// and the public replies to its notes, and the boosts by v's actor and by
// the actors it follows; each as v may read it, newest first.
//
// The notes and boosts of followed actors are found actor by actor: the
// page's worth of each one's newest, read off its own index, then merged.
// The work grows with the number of actors followed, not with how many
// notes the instance holds nor how old they are.
func (r Notes) HomeTimeline(ctx context.Context, v TimelineViewer, p TimelinePage) ([]TimelineRow, error) {
	if v.Actor == uuid.Nil {
		return nil, fmt.Errorf("home timeline: no viewer")
	}
	own := noteArm("notes AS n", frag("n.author_id = ? AND n.deleted_at IS NULL", v.Actor))
	// A followed actor's notes that v reads: not its direct ones (those
	// that mention v come by the mentions), unless v speaks for it.
	shown := func(n string) part {
		return join("", frag(n+".deleted_at IS NULL AND ("+n+".visibility <> 'direct' OR "+n+".author_id IN ("),
			v.boards(), frag(")) AND "), heard(n+".author_id", false))
	}
	boostable := func(r, n string) part {
		return join(" AND ", frag(r+".kind = '"+boostKind+"' AND "+n+".deleted_at IS NULL AND "+n+".visibility IN ('public', 'unlisted')"),
			heard(n+".author_id", false))
	}
	follows := frag("f.follower_id = ? AND f.state = 'accepted'", v.Actor)
	limit := strconv.Itoa(p.Limit)
	var followed, followedBoosts arm
	if r.tx.driver.joinsLateral() {
		followed = arm{cols: noteCols, key: "n.id", where: follows, from: join("",
			frag("follows AS f CROSS JOIN LATERAL (SELECT n.id, n.author_id FROM notes AS n WHERE n.author_id = f.followed_id AND "),
			shown("n"), p.bounds("n.id"), frag(" ORDER BY n.id "+p.dir()+" LIMIT "+limit+") AS n"))}
		followedBoosts = arm{cols: boostCols, key: "r.id", where: follows, from: join("",
			frag("follows AS f CROSS JOIN LATERAL (SELECT r.id, r.note_id, r.actor_id FROM reactions AS r"+
				" JOIN notes AS n ON n.id = r.note_id WHERE r.actor_id = f.followed_id AND "), boostable("r", "n"), p.bounds("r.id"),
			frag(" ORDER BY r.id "+p.dir()+" LIMIT "+limit+") AS r"))}
	} else {
		// SQLite: CROSS JOIN makes follows the outer loop, and the bound
		// (each actor's page-th newest before the cursor, or oldest after
		// Since when ascending) is computed once per followed actor, as the
		// start of its index range.
		cmp, open := ">=", uuid.Nil
		if p.Ascend {
			cmp, open = "<=", maxUUID
		}
		offset := " ORDER BY %s " + p.dir() + " LIMIT 1 OFFSET " + strconv.Itoa(p.Limit-1) + "), ?)"
		followed = noteArm("follows AS f CROSS JOIN notes AS n", join("", follows, frag(" AND n.author_id = f.followed_id AND "), shown("n"),
			frag(" AND n.id "+cmp+" COALESCE((SELECT n2.id FROM notes AS n2 WHERE n2.author_id = f.followed_id AND "), shown("n2"),
			p.bounds("n2.id"), frag(fmt.Sprintf(offset, "n2.id"), open)))
		followedBoosts = arm{cols: boostCols, from: frag("follows AS f CROSS JOIN reactions AS r JOIN notes AS n ON n.id = r.note_id"), key: "r.id",
			where: join("", follows, frag(" AND r.actor_id = f.followed_id AND "), boostable("r", "n"),
				frag(" AND r.id "+cmp+" COALESCE((SELECT r2.id FROM reactions AS r2 JOIN notes AS n2 ON n2.id = r2.note_id"+
					" WHERE r2.actor_id = f.followed_id AND "), boostable("r2", "n2"), p.bounds("r2.id"),
				frag(fmt.Sprintf(offset, "r2.id"), open))}
	}
	mentions := noteArm("note_mentions AS m JOIN notes AS n ON n.id = m.note_id",
		join(" AND ", frag("m.href = ? AND n.deleted_at IS NULL", v.ActorURI), heard("n.author_id", false)))
	mentions.key, mentions.also = "m.note_id", "n.id"
	replies := noteArm("notes AS pn JOIN notes AS n ON n.in_reply_to_id = pn.id",
		join(" AND ", frag("pn.author_id = ? AND n.deleted_at IS NULL AND n.visibility IN ('public', 'unlisted')", v.Actor),
			heard("n.author_id", false)))
	ownBoosts := boostArm(frag("r.actor_id = ?", v.Actor))
	// First the instance's newest entries (the window): a member who
	// follows many actors finds its page among them, whatever the number
	// of its follows. When it does not (a quiet page), actor by actor.
	if int64(v.Follows) >= busyFollows.Load() {
		rows, exact, err := r.homeWindow(ctx, v, p, shown, boostable, own, mentions, replies, ownBoosts)
		if err != nil || exact {
			return rows, err
		}
	}
	return r.timeline(ctx, v.Actor, p, false, own, followed, mentions, replies, ownBoosts, followedBoosts)
}

// homeWindow is how many of the instance's newest notes, and newest
// reactions, the home timeline looks among first for the followed
// actors' notes and boosts: 2,000 by default.
// busyFollows is how many follows make the home timeline look in the
// window first: 50 by default.
var homeWindow, busyFollows atomic.Int64

func init() {
	homeWindow.Store(2000)
	busyFollows.Store(50)
}

// SetHomeWindow changes the home timeline's window and how many follows
// make it look there, and returns what restores them: tests make the
// window small, to read pages past it, and look there whatever the
// follows.
func SetHomeWindow(size, follows int) (restore func()) {
	oldSize, oldFollows := homeWindow.Swap(int64(size)), busyFollows.Swap(int64(follows))
	return func() {
		homeWindow.Store(oldSize)
		busyFollows.Store(oldFollows)
	}
}

// homeWindow reads the page p of the home timeline with the followed
// actors' notes and boosts taken from the window only: the homeWindow
// newest notes and reactions past the page's start (oldest, when
// ascending), walked down the primary keys, kept when a follow matches. The
// page is exact when it is full and its last entry is within both
// windows: an entry outside them comes after it, so it would not be on
// the page. Walking the window costs the same for 1 follow or 5,000; the
// actor-by-actor query costs follows × page size, tens of milliseconds
// for a member who follows hundreds.
//
// Only a member who follows busyFollows actors or more reads its page so:
// one who follows a few quiet actors would walk the window in vain. (The
// choice was tried inside the statement, each way's arms guarded by the
// count: PostgreSQL then misjudged the window's walk, 10 times slower.)
func (r Notes) homeWindow(ctx context.Context, v TimelineViewer, p TimelinePage, shown func(string) part,
	boostable func(string, string) part, arms ...arm) ([]TimelineRow, bool, error) {
	size := int(homeWindow.Load())
	// The window's last id in each table; NULL when the table holds fewer
	// past the page's start: the window then holds them all.
	edge := func(table string) part {
		return join("", frag("(SELECT e.id FROM "+table+" AS e WHERE e.id IS NOT NULL"), p.bounds("e.id"),
			frag(" ORDER BY e.id "+p.dir()+" LIMIT 1 OFFSET "+strconv.Itoa(size-1)+")"))
	}
	// Each arm walks its table's primary key from the page's start and
	// stops at the page's end, or at the window's edge: at most the
	// window's rows, fewer when the followed actors are busy.
	cmp, open := ">", uuid.Nil
	if p.Ascend {
		cmp, open = "<", maxUUID
	}
	inWindow := func(col, table string) part {
		return join("", frag(col+" "+cmp+" COALESCE("), edge(table), frag(", ?)", open))
	}
	followed := noteArm("notes AS n", join(" AND ", inWindow("n.id", "notes"), followedBy(v.Actor, "n.author_id"), shown("n")))
	followedBoosts := arm{cols: boostCols, key: "r.id", from: frag("reactions AS r JOIN notes AS n ON n.id = r.note_id"),
		where: join(" AND ", inWindow("r.id", "reactions"), followedBy(v.Actor, "r.actor_id"), boostable("r", "n"))}
	page, dir := timelineQuery(v.Actor, p, false, append(arms, followed, followedBoosts)...)
	// The edges come with the page, in the same statement: computed once
	// (they do not depend on the row), they keep the page at one query.
	q := join("", frag("SELECT t.*, "), edge("notes"), frag(" AS notes_edge, "), edge("reactions"),
		frag(" AS reactions_edge FROM ("), page, frag(") AS t ORDER BY t.entry_id "+dir))
	var wrows []struct {
		TimelineRow   `bun:",extend"`
		NotesEdge     *uuid.UUID `bun:"notes_edge,type:uuid"`
		ReactionsEdge *uuid.UUID `bun:"reactions_edge,type:uuid"`
	}
	if err := r.tx.idb.NewRaw(q.sql, q.args...).Scan(ctx, &wrows); err != nil {
		return nil, false, notFound(err, "read home timeline")
	}
	rows := make([]TimelineRow, len(wrows))
	for i, w := range wrows {
		rows[i] = w.TimelineRow
	}
	if len(rows) == 0 {
		return rows, false, nil // nothing to tell the edges by: actor by actor
	}
	edges := wrows[0]
	if len(rows) < p.Limit {
		// A short page is whole when the windows held every entry.
		return rows, edges.NotesEdge == nil && edges.ReactionsEdge == nil, nil
	}
	last := rows[len(rows)-1].EntryID
	within := func(edge *uuid.UUID) bool {
		switch {
		case edge == nil:
			return true
		case p.Ascend:
			return bytes.Compare(last[:], edge[:]) < 0
		}
		return bytes.Compare(last[:], edge[:]) > 0
	}
	return rows, within(edges.NotesEdge) && within(edges.ReactionsEdge), nil
}

// bounds is the condition " AND col < Cursor AND col > Since" of a
// newest-first page, each part when set.
func (p TimelinePage) bounds(col string) part {
	var out part
	if p.Cursor != uuid.Nil {
		out = join("", out, frag(" AND "+col+" < ?", p.Cursor))
	}
	if p.Since != uuid.Nil {
		out = join("", out, frag(" AND "+col+" > ?", p.Since))
	}
	return out
}

// dir is the order in which a newest-first timeline reads the page.
func (p TimelinePage) dir() string {
	if p.Ascend {
		return "ASC"
	}
	return "DESC"
}

// NetworkTimeline is the page p of the public activity this instance
// sees: the public notes of local actors and of the remote actors someone
// here follows, and their boosts of public notes; newest first. The
// content of actors on blocked domains (silenced or suspended) is left out.
func (r Notes) NetworkTimeline(ctx context.Context, viewer uuid.UUID, p TimelinePage) ([]TimelineRow, error) {
	notes := noteArm("notes AS n", join("",
		frag("n.visibility = 'public' AND n.deleted_at IS NULL AND (n.local = TRUE OR "), followedHere("n.author_id"),
		frag(" OR EXISTS (SELECT 1 FROM relayed_notes AS rn WHERE rn.note_id = n.id)) AND "+unblockedActor("n.author_id")+" AND "), heard("n.author_id", true)))
	boosts := boostArm(join("", frag("n.visibility = 'public' AND (EXISTS (SELECT 1 FROM actors AS ra WHERE ra.id = r.actor_id AND ra.local = TRUE) OR "),
		followedHere("r.actor_id"), frag(") AND "+unblockedActor("r.actor_id")+" AND "+unblockedActor("n.author_id")+" AND "),
		heard("r.actor_id", true), frag(" AND "), heard("n.author_id", true)))
	return r.timeline(ctx, viewer, p, false, notes, boosts)
}

// TagTimeline is the page p of the public notes tagged name, newest first,
// but for those of actors on blocked domains.
func (r Notes) TagTimeline(ctx context.Context, viewer uuid.UUID, name string, p TimelinePage) ([]TimelineRow, error) {
	tagged := noteArm("note_tags AS t JOIN notes AS n ON n.id = t.note_id",
		join(" AND ", frag("t.name = ? AND n.visibility = 'public' AND n.deleted_at IS NULL AND "+unblockedActor("n.author_id"), name), heard("n.author_id", true)))
	tagged.key, tagged.also = "t.note_id", "n.id"
	return r.timeline(ctx, viewer, p, false, tagged)
}

// ActorTimeline is the page p of what the actor did, as v may read it:
// its notes and its boosts, newest first.
func (r Notes) ActorTimeline(ctx context.Context, v TimelineViewer, actor uuid.UUID, p TimelinePage) ([]TimelineRow, error) {
	notes := noteArm("notes AS n", join(" AND ", frag("n.author_id = ? AND n.deleted_at IS NULL", actor), v.readable(), heard("n.author_id", false)))
	boosts := boostArm(join(" AND ", frag("r.actor_id = ?", actor), heard("r.actor_id", false), heard("n.author_id", false)))
	return r.timeline(ctx, v.Actor, p, false, notes, boosts)
}

// TimelineNotes returns the notes ids that v may read, deleted ones too,
// as timelines show them, in id order.
func (r Notes) TimelineNotes(ctx context.Context, v TimelineViewer, ids ...uuid.UUID) ([]TimelineRow, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	a := noteArm("notes AS n", join(" AND ", frag("n.id IN (?)", bun.In(ids)), v.readable()))
	return r.timeline(ctx, v.Actor, TimelinePage{Limit: len(ids)}, true, a)
}

// ThreadReplies is the page p of the replies to the note parent that v may
// read, deleted ones left out, oldest first.
func (r Notes) ThreadReplies(ctx context.Context, v TimelineViewer, parent uuid.UUID, p TimelinePage) ([]TimelineRow, error) {
	a := noteArm("notes AS n", join(" AND ", frag("n.in_reply_to_id = ? AND n.deleted_at IS NULL", parent), v.readable()))
	return r.timeline(ctx, v.Actor, p, true, a)
}

// TagsOf returns the hashtags of the notes ids, each note's in name order.
func (r Notes) TagsOf(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]string, error) {
	out := make(map[uuid.UUID][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []NoteTag
	err := r.tx.idb.NewSelect().Model(&rows).Where("note_id IN (?)", bun.In(ids)).OrderExpr("note_id, name").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list hashtags")
	}
	for _, t := range rows {
		out[t.NoteID] = append(out[t.NoteID], t.Name)
	}
	return out, nil
}

// MentionsOf returns the mentions of the notes ids, each note's in href
// order.
func (r Notes) MentionsOf(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]NoteMention, error) {
	out := make(map[uuid.UUID][]NoteMention, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []NoteMention
	err := r.tx.idb.NewSelect().Model(&rows).Where("note_id IN (?)", bun.In(ids)).OrderExpr("note_id, href").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "list mentions")
	}
	for _, m := range rows {
		out[m.NoteID] = append(out[m.NoteID], m)
	}
	return out, nil
}

// NewestEntry returns the greatest id of a note or a boost (uuid.Nil when
// there is none); both are UUIDv7, so it is the latest written.
func (r Notes) NewestEntry(ctx context.Context) (uuid.UUID, error) {
	var ids []uuid.UUID
	err := r.tx.idb.NewRaw("SELECT id FROM (SELECT id FROM (SELECT id FROM notes ORDER BY id DESC LIMIT 1) AS n"+
		" UNION ALL SELECT id FROM (SELECT id FROM reactions WHERE kind = '"+boostKind+"' ORDER BY id DESC LIMIT 1) AS r) AS e"+
		" ORDER BY id DESC LIMIT 1").Scan(ctx, &ids)
	if err != nil {
		return uuid.Nil, notFound(err, "newest entry")
	}
	if len(ids) == 0 {
		return uuid.Nil, nil
	}
	return ids[0], nil
}
