-- Notes: the short posts of local actors (written in Markdown, kept with
-- their rendered, sanitised HTML) and the remote notes this instance
-- received. A deleted note stays as a tombstone (deleted_at set, texts
-- emptied), so that a late or replayed Create of the same id is not stored
-- again. in_reply_to keeps the parent's id as the wire gives it;
-- in_reply_to_id links it when the parent is stored here (a reply may
-- arrive before its parent, and is linked when the parent comes).
CREATE TABLE notes (
	id             {{.UUID}} PRIMARY KEY,
	uri            text NOT NULL UNIQUE,
	author_id      {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	local          {{.Bool}} NOT NULL,
	content        text NOT NULL,
	source         text NOT NULL DEFAULT '',
	summary        text NOT NULL DEFAULT '',
	sensitive      {{.Bool}} NOT NULL DEFAULT FALSE,
	visibility     text NOT NULL,
	in_reply_to    text NOT NULL DEFAULT '',
	in_reply_to_id {{.UUID}} REFERENCES notes (id) ON DELETE SET NULL,
	url            text NOT NULL DEFAULT '',
	raw            {{.JSON}},
	published_at   {{.Timestamp}} NOT NULL,
	updated_at     {{.Timestamp}},
	deleted_at     {{.Timestamp}},
	created_at     {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX notes_author_idx ON notes (author_id, id);

--bun:split

CREATE INDEX notes_in_reply_to_id_idx ON notes (in_reply_to_id, id);

--bun:split

-- Finds the replies that arrived before their parent.
CREATE INDEX notes_in_reply_to_idx ON notes (in_reply_to) WHERE in_reply_to <> '';

--bun:split

-- The hashtags of a note, lower case, without the '#'.
CREATE TABLE note_tags (
	note_id {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	name    text NOT NULL,
	PRIMARY KEY (note_id, name)
);

--bun:split

CREATE INDEX note_tags_name_idx ON note_tags (name, note_id);

--bun:split

-- The actors a note mentions: href is the actor's id, name what the text
-- shows ("@name@host"). Mentioned actors need not be known here.
CREATE TABLE note_mentions (
	note_id {{.UUID}} NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
	href    text NOT NULL,
	name    text NOT NULL,
	PRIMARY KEY (note_id, href)
);

--bun:split

CREATE INDEX note_mentions_href_idx ON note_mentions (href, note_id);
