package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// The reads the Mastodon client API adds to the timelines: the same rows,
// through the same page query (timeline), so that every status a client
// sees costs the same single query whatever list it comes from.

// PublicFilter narrows the public timeline as Mastodon's
// /api/v1/timelines/public does: Local keeps the notes written here only,
// Remote those received only, OnlyMedia those with images.
type PublicFilter struct {
	Local, Remote, OnlyMedia bool
}

// withMedia is the condition that the note n carries images.
const withMedia = "EXISTS (SELECT 1 FROM note_attachments AS na WHERE na.note_id = n.id)"

// PublicTimeline is the page p of the public notes this instance shows
// (those of NetworkTimeline, without the boosts: Mastodon's public
// timeline has none), newest first.
func (r Notes) PublicTimeline(ctx context.Context, viewer uuid.UUID, f PublicFilter, p TimelinePage) ([]TimelineRow, error) {
	where := join("",
		frag("n.visibility = 'public' AND n.deleted_at IS NULL AND (n.local = TRUE OR "), followedHere("n.author_id"),
		frag(" OR EXISTS (SELECT 1 FROM relayed_notes AS rn WHERE rn.note_id = n.id)) AND "+unblockedActor("n.author_id")+" AND "),
		heard("n.author_id", true))
	switch {
	case f.Local && !f.Remote:
		where = join(" AND ", where, frag("n.local = TRUE"))
	case f.Remote && !f.Local:
		where = join(" AND ", where, frag("n.local = FALSE"))
	}
	if f.OnlyMedia {
		where = join(" AND ", where, frag(withMedia))
	}
	return r.timeline(ctx, viewer, p, false, noteArm("notes AS n", where))
}

// ActorFilter narrows an actor's timeline as Mastodon's
// /api/v1/accounts/:id/statuses does.
type ActorFilter struct {
	NoReplies bool   // leave out the replies to others (a reply to itself, a thread, stays)
	NoBoosts  bool   // leave out its boosts
	Tag       string // only its notes carrying this hashtag (and no boosts)
	OnlyMedia bool   // only its notes with images (and no boosts)
}

// ActorStatuses is ActorTimeline narrowed by f.
func (r Notes) ActorStatuses(ctx context.Context, v TimelineViewer, actor uuid.UUID, f ActorFilter, p TimelinePage) ([]TimelineRow, error) {
	where := join(" AND ", frag("n.author_id = ? AND n.deleted_at IS NULL", actor), v.readable(), heard("n.author_id", false))
	if f.NoReplies {
		where = join(" AND ", where, frag("(n.in_reply_to = '' OR EXISTS (SELECT 1 FROM notes AS sp"+
			" WHERE sp.id = n.in_reply_to_id AND sp.author_id = n.author_id))"))
	}
	if f.Tag != "" {
		where = join(" AND ", where, frag("EXISTS (SELECT 1 FROM note_tags AS at WHERE at.note_id = n.id AND at.name = ?)", f.Tag))
	}
	if f.OnlyMedia {
		where = join(" AND ", where, frag(withMedia))
	}
	arms := []arm{noteArm("notes AS n", where)}
	if !f.NoBoosts && f.Tag == "" && !f.OnlyMedia {
		arms = append(arms, boostArm(join(" AND ", frag("r.actor_id = ?", actor), heard("r.actor_id", false), heard("n.author_id", false))))
	}
	return r.timeline(ctx, v.Actor, p, false, arms...)
}

// LikedTimeline is the page p of the notes v's actor liked, that it may
// still read, most recently liked first: each entry's id is the like's.
func (r Notes) LikedTimeline(ctx context.Context, v TimelineViewer, p TimelinePage) ([]TimelineRow, error) {
	if v.Actor == uuid.Nil {
		return nil, fmt.Errorf("liked timeline: no viewer")
	}
	a := arm{cols: "r.id AS entry_id, r.note_id AS note_id, n.author_id AS actor_id, 0 AS boost", key: "r.id",
		from:  frag("reactions AS r JOIN notes AS n ON n.id = r.note_id"),
		where: join(" AND ", frag("r.kind = '"+likeKind+"' AND r.actor_id = ? AND n.deleted_at IS NULL", v.Actor), v.readable())}
	return r.timeline(ctx, v.Actor, p, false, a)
}

// BookmarkTimeline is the page p of the notes v's actor bookmarked, that
// it may still read, most recently bookmarked first: each entry's id is
// the bookmark's.
func (r Notes) BookmarkTimeline(ctx context.Context, v TimelineViewer, p TimelinePage) ([]TimelineRow, error) {
	if v.Actor == uuid.Nil {
		return nil, fmt.Errorf("bookmarks: no viewer")
	}
	a := arm{cols: "k.id AS entry_id, k.note_id AS note_id, n.author_id AS actor_id, 0 AS boost", key: "k.id",
		from:  frag("bookmarks AS k JOIN notes AS n ON n.id = k.note_id"),
		where: join(" AND ", frag("k.actor_id = ? AND n.deleted_at IS NULL", v.Actor), v.readable())}
	return r.timeline(ctx, v.Actor, p, false, a)
}

// BoostEntry is the timeline row of actor's boost of note, as v sees it.
func (r Notes) BoostEntry(ctx context.Context, v TimelineViewer, actor, note uuid.UUID) (TimelineRow, error) {
	rows, err := r.timeline(ctx, v.Actor, TimelinePage{Limit: 1}, false,
		boostArm(frag("r.actor_id = ? AND r.note_id = ?", actor, note)))
	if err != nil {
		return TimelineRow{}, err
	}
	if len(rows) == 0 {
		return TimelineRow{}, fmt.Errorf("boost of %s: %w", note, ErrNotFound)
	}
	return rows[0], nil
}

// MaxThreadDepth bounds how far up and down a thread Ancestors and
// Descendants walk.
const MaxThreadDepth = 40

// Ancestors returns the notes note replies to, up its thread (at most
// MaxThreadDepth), that v may read and are not deleted, in id order.
func (r Notes) Ancestors(ctx context.Context, v TimelineViewer, note uuid.UUID) ([]TimelineRow, error) {
	up := frag("n.id IN (WITH RECURSIVE up (id, depth) AS ("+
		"SELECT s.in_reply_to_id, 1 FROM notes AS s WHERE s.id = ? AND s.in_reply_to_id IS NOT NULL"+
		" UNION ALL SELECT p.in_reply_to_id, up.depth + 1 FROM notes AS p JOIN up ON p.id = up.id"+
		" WHERE p.in_reply_to_id IS NOT NULL AND up.depth < ?) SELECT id FROM up)", note, MaxThreadDepth)
	a := noteArm("notes AS n", join(" AND ", up, frag("n.deleted_at IS NULL"), v.readable(), heard("n.author_id", false)))
	return r.timeline(ctx, v.Actor, TimelinePage{Limit: MaxThreadDepth}, true, a)
}

// Descendants returns at most limit of the replies to note and the
// replies to those, down its thread (at most MaxThreadDepth levels), that
// v may read and are not deleted, in id order.
func (r Notes) Descendants(ctx context.Context, v TimelineViewer, note uuid.UUID, limit int) ([]TimelineRow, error) {
	down := frag("n.id IN (WITH RECURSIVE down (id, depth) AS ("+
		"SELECT c.id, 1 FROM notes AS c WHERE c.in_reply_to_id = ?"+
		" UNION ALL SELECT c.id, down.depth + 1 FROM notes AS c JOIN down ON c.in_reply_to_id = down.id"+
		" WHERE down.depth < ?) SELECT id FROM down)", note, MaxThreadDepth)
	a := noteArm("notes AS n", join(" AND ", down, frag("n.deleted_at IS NULL"), v.readable(), heard("n.author_id", false)))
	return r.timeline(ctx, v.Actor, TimelinePage{Limit: limit}, true, a)
}
