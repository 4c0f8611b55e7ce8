-- Mastodon's Account entity carries statuses_count and last_status_at for
-- every author on a page of statuses (store/account_stats.go,
-- AuthorStatsOf): counted from this index alone, without reading the
-- notes themselves.
CREATE INDEX notes_author_stats_idx ON notes (author_id, visibility, published_at) WHERE deleted_at IS NULL;

--bun:split

-- Most notes reply to nothing. Indexed with them, the NULLs made SQLite's
-- statistics say that a note has as many replies as there are notes, and
-- the count of a page's replies then read the whole table for each note
-- (0.4 s a home page on an instance with few replies). Replies only.
DROP INDEX notes_in_reply_to_id_idx;

--bun:split

CREATE INDEX notes_in_reply_to_id_idx ON notes (in_reply_to_id, id) WHERE in_reply_to_id IS NOT NULL;
