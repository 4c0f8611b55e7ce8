-- Federation of proposals (docs/vocabulary.md §4.3, §5.7, §5.8).
--
-- The association publishes a proposal as a Question, and again (an
-- Update) when ballots change its counts: at most once per interval, so
-- that a thousand ballots make a few Updates, not a thousand. A row here
-- says that ballots changed the counts of a proposal since its Question
-- was last published, and since when. The first ballot after a
-- publication inserts it (the others find it there and write nothing); the
-- publication deletes it, holding the proposal's row, which ballots share,
-- so that every ballot is in the counts published or marks them again.
CREATE TABLE proposal_count_changes (
	proposal_id {{.UUID}} PRIMARY KEY REFERENCES proposals (id) ON DELETE CASCADE,
	changed_at  {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX proposal_count_changes_due_idx ON proposal_count_changes (changed_at);

--bun:split

-- Votes in a proposal's poll by people who are not members (a Mastodon
-- user answering the Question): kept apart, shown as outside votes, never
-- counted. The last vote of each actor stands.
CREATE TABLE outside_votes (
	proposal_id {{.UUID}} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
	actor       text NOT NULL,
	option      text NOT NULL,
	received_at {{.Timestamp}} NOT NULL,
	PRIMARY KEY (proposal_id, actor)
);
