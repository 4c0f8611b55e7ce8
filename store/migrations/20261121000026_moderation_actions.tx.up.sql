-- Moderation of accounts and actors, local or remote. A silenced actor's
-- posts are left out of the public views (network, hashtags); a suspended
-- one is cut off: a local account may not log in and its actor answers
-- 410 Gone, a remote actor's activities are refused at the inbox. Both
-- are undone by clearing the column.
ALTER TABLE actors ADD COLUMN silenced_at {{.Timestamp}};

--bun:split

ALTER TABLE actors ADD COLUMN suspended_at {{.Timestamp}};

--bun:split

-- How a report was resolved: the action applied to its target and the
-- moderator's comment (empty while open; kept when reopened until the
-- next resolution).
ALTER TABLE reports ADD COLUMN resolution text NOT NULL DEFAULT '';

--bun:split

ALTER TABLE reports ADD COLUMN resolution_comment text NOT NULL DEFAULT '';

--bun:split

-- The moderators' actions on actors and notes (warn, silence, suspend,
-- delete, note removal…), with the report they answer when they do: the
-- history shown on an account's page and a report's, and the warnings a
-- person reads. The audit log keeps the same actions for the instance.
CREATE TABLE moderation_actions (
	id         {{.UUID}} PRIMARY KEY,
	target_id  {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	report_id  {{.UUID}} REFERENCES reports (id) ON DELETE SET NULL,
	note_uri   text NOT NULL DEFAULT '',
	action     text NOT NULL,
	text       text NOT NULL DEFAULT '',
	account_id {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	created_at {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX moderation_actions_target ON moderation_actions (target_id, id);

--bun:split

CREATE INDEX moderation_actions_report ON moderation_actions (report_id, id);

--bun:split

-- The moderators' notes on a report, for each other.
CREATE TABLE report_comments (
	id         {{.UUID}} PRIMARY KEY,
	report_id  {{.UUID}} NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	account_id {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	text       text NOT NULL,
	created_at {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX report_comments_report ON report_comments (report_id, id);
