-- Blocks between actors: a local person blocking anyone, or a remote actor
-- blocking a local one (a received Block). While a block stands, the two
-- do not follow each other and the blocked actor's activities do not
-- reach the blocker. The Block activity's id is kept for its Undo.
CREATE TABLE blocks (
	id          {{.UUID}} PRIMARY KEY,
	blocker_id  {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	blocked_id  {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	activity_id text NOT NULL,
	created_at  {{.Timestamp}} NOT NULL,
	UNIQUE (blocker_id, blocked_id)
);

--bun:split

CREATE INDEX blocks_blocked_idx ON blocks (blocked_id);

--bun:split

-- Reports for the moderators: made by local persons, or received as Flag
-- activities from other servers (activity_id is then the Flag's id, which
-- makes a replayed Flag one report). target is the reported actor; the
-- reported notes are in report_notes. The reporter is shown to the
-- instance's moderators only.
CREATE TABLE reports (
	id          {{.UUID}} PRIMARY KEY,
	activity_id text NOT NULL UNIQUE,
	reporter_id {{.UUID}} REFERENCES actors (id) ON DELETE SET NULL,
	target_id   {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	comment     text NOT NULL,
	local       {{.Bool}} NOT NULL,
	forwarded   {{.Bool}} NOT NULL DEFAULT FALSE,
	state       text NOT NULL,
	resolved_by {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	resolved_at {{.Timestamp}},
	created_at  {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX reports_target_idx ON reports (target_id, id);

--bun:split

CREATE TABLE report_notes (
	report_id {{.UUID}} NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	note_id   {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	PRIMARY KEY (report_id, note_id)
);
