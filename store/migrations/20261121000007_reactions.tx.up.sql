-- Reactions to notes by local or remote actors: likes and boosts
-- (Announce). One of each kind per actor and note; the activity's id is
-- kept to match its Undo.
CREATE TABLE reactions (
	id          {{.UUID}} PRIMARY KEY,
	kind        text NOT NULL,
	actor_id    {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	note_id     {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	activity_id text NOT NULL,
	created_at  {{.Timestamp}} NOT NULL,
	UNIQUE (kind, actor_id, note_id)
);

--bun:split

CREATE INDEX reactions_note_idx ON reactions (note_id, kind);
