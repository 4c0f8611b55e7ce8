package store

import "context"

// RepliesToURI is the page p of the notes replying to the object uri (a
// proposal: not a note, so its replies have no in_reply_to_id) that v may
// read, deleted ones left out, oldest first. The condition that
// in_reply_to is not empty is the one of the partial index
// notes_in_reply_to_idx, stated for SQLite to use it.
func (r Notes) RepliesToURI(ctx context.Context, v TimelineViewer, uri string, p TimelinePage) ([]TimelineRow, error) {
	a := noteArm("notes AS n", join(" AND ",
		frag("n.in_reply_to = ? AND n.in_reply_to <> '' AND n.deleted_at IS NULL", uri), v.readable()))
	return r.timeline(ctx, v.Actor, p, true, a)
}
