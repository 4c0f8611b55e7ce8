-- Who follows whom, local or remote. The Follow activity's id is kept to
-- answer it (Accept, Reject) and to match its Undo.
CREATE TABLE follows (
	id          {{.UUID}} PRIMARY KEY,
	follower_id {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	followed_id {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	activity_id text NOT NULL,
	state       text NOT NULL,
	created_at  {{.Timestamp}} NOT NULL,
	updated_at  {{.Timestamp}} NOT NULL,
	UNIQUE (follower_id, followed_id)
);

--bun:split

CREATE INDEX follows_followed_idx ON follows (followed_id, state);
