-- Where a person stopped reading their home timeline and their
-- notifications (Mastodon's markers), one row per account and timeline,
-- so that every client they use resumes at the same place. version counts
-- the saves, as Mastodon's clients expect.
CREATE TABLE markers (
	account_id   {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	timeline     text NOT NULL,
	last_read_id text NOT NULL,
	version      integer NOT NULL,
	updated_at   {{.Timestamp}} NOT NULL,
	PRIMARY KEY (account_id, timeline)
);
