-- Activities received by the inboxes, kept raw as the peer sent them, so
-- that a processing failure never loses one: processing reads them from
-- here, retries, and leaves the failures visible to admins.
CREATE TABLE inbox_activities (
	id              {{.UUID}} PRIMARY KEY,
	activity_id     text NOT NULL UNIQUE,
	type            text NOT NULL,
	actor           text NOT NULL,
	recipient       text NOT NULL,
	raw             {{.JSON}} NOT NULL,
	state           text NOT NULL,
	attempts        integer NOT NULL DEFAULT 0,
	last_error      text NOT NULL DEFAULT '',
	received_at     {{.Timestamp}} NOT NULL,
	next_attempt_at {{.Timestamp}} NOT NULL,
	locked_until    {{.Timestamp}},
	processed_at    {{.Timestamp}}
);

--bun:split

CREATE INDEX inbox_activities_due_idx ON inbox_activities (state, next_attempt_at);
