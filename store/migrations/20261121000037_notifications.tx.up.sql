-- Notifications of local accounts, as Mastodon clients list them: what
-- another actor did that concerns the account (a mention, a like or a
-- boost of its note, a follow or a follow request). core writes them in
-- the transaction of the event; dismissing one deletes it. A row is kept
-- once per account, type, actor and note, so that a repeated activity (a
-- Like delivered twice, a Follow sent again) does not notify twice.
CREATE TABLE notifications (
	id         {{.UUID}} PRIMARY KEY,
	account_id {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	type       text NOT NULL,
	actor_id   {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	note_id    {{.UUID}} REFERENCES notes (id) ON DELETE CASCADE,
	created_at {{.Timestamp}} NOT NULL
);

--bun:split

-- An account's notifications, newest first, paged by id (UUIDv7).
CREATE INDEX notifications_account_idx ON notifications (account_id, id);

--bun:split

-- NULL notes compare as distinct in a unique index: the account's id
-- stands in for them, so that follows are kept once too.
CREATE UNIQUE INDEX notifications_once_idx ON notifications (account_id, type, actor_id, COALESCE(note_id, account_id));
