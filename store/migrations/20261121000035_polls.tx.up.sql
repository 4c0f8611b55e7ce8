-- Polls on notes (Mastodon's polls; docs/vocabulary.md §4.3, rule 5 of
-- what Mastodon shows). A local note's poll is counted here from its
-- votes; a received Question's is shown as its origin last sent it
-- (counts, voters_count), plus the votes of local accounts, which are
-- also kept as votes so that a second one is refused.

-- options is a JSON array of the options' titles, in order; counts, of a
-- received poll only, the origin's counts in the same order ([] for a
-- local poll, counted from poll_votes). ended_published: the Update with
-- the final counts of a local poll has been queued (a received poll's is
-- its origin's to send: true from the start).
CREATE TABLE note_polls (
	note_id      {{.UUID}} PRIMARY KEY REFERENCES notes (id) ON DELETE CASCADE,
	options      {{.JSON}} NOT NULL,
	counts       {{.JSON}} NOT NULL,
	multiple     {{.Bool}} NOT NULL,
	hide_totals  {{.Bool}} NOT NULL,
	voters_count integer,
	expires_at   {{.Timestamp}},
	ended_published {{.Bool}} NOT NULL DEFAULT false
);

--bun:split

-- The scheduler's look for local polls that have ended.
CREATE INDEX note_polls_ending_idx ON note_polls (expires_at) WHERE NOT ended_published;

--bun:split

-- One row per option an actor chose. slot is the choice in a
-- multiple-choice poll and 0 in a single-choice one, so that the unique
-- index refuses a second vote in a single-choice poll and the same choice
-- twice in a multiple one, even from two requests at once. uri is the
-- vote's id on the wire (a received vote's Note, a sent vote's Note).
CREATE TABLE poll_votes (
	id         {{.UUID}} PRIMARY KEY,
	note_id    {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	voter      text NOT NULL,
	choice     integer NOT NULL,
	slot       integer NOT NULL,
	uri        text NOT NULL DEFAULT '',
	created_at {{.Timestamp}} NOT NULL,
	UNIQUE (note_id, voter, slot)
);
