-- Bookmarks: the notes an actor keeps to read again (Mastodon's
-- bookmarks). Private to the actor's account: never federated, never
-- counted. One per actor and note; the id (UUIDv7) orders the list, most
-- recent first, as clients page through it.
CREATE TABLE bookmarks (
	id         {{.UUID}} PRIMARY KEY,
	actor_id   {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	note_id    {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	created_at {{.Timestamp}} NOT NULL,
	UNIQUE (actor_id, note_id)
);

--bun:split

CREATE INDEX bookmarks_actor_idx ON bookmarks (actor_id, id);
