-- Boosts (Announce) of notes, by local or remote actors. One boost per
-- actor and note; the Announce activity's id is kept to match its Undo.
CREATE TABLE boosts (
	id          {{.UUID}} PRIMARY KEY,
	actor_id    {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	note_id     {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	activity_id text NOT NULL,
	created_at  {{.Timestamp}} NOT NULL,
	UNIQUE (actor_id, note_id)
);

--bun:split

CREATE INDEX boosts_note_idx ON boosts (note_id);
