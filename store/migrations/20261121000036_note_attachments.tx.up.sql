-- Attachments of notes: images a local account uploads before posting
-- (media_id: the re-encoded image, served at /media/{id}; account_id: the
-- uploader, the only one who may describe or attach it), and the images a
-- remote note points at (remote_url: never fetched nor proxied here).
-- note_id is null until a note carries the upload; an upload left
-- unattached may be swept. position orders a note's attachments.
CREATE TABLE note_attachments (
	id          {{.UUID}} PRIMARY KEY,
	note_id     {{.UUID}} REFERENCES notes (id) ON DELETE CASCADE,
	account_id  {{.UUID}} REFERENCES accounts (id) ON DELETE CASCADE,
	media_id    {{.UUID}} REFERENCES media (id) ON DELETE CASCADE,
	position    integer NOT NULL DEFAULT 0,
	remote_url  text NOT NULL DEFAULT '',
	media_type  text NOT NULL DEFAULT '',
	description text NOT NULL DEFAULT '',
	focus_x     double precision NOT NULL DEFAULT 0,
	focus_y     double precision NOT NULL DEFAULT 0,
	width       integer NOT NULL DEFAULT 0,
	height      integer NOT NULL DEFAULT 0,
	size        {{.BigInt}} NOT NULL DEFAULT 0,
	blurhash    text NOT NULL DEFAULT '',
	created_at  {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX note_attachments_note_idx ON note_attachments (note_id, position);

--bun:split

-- Finds the uploads never attached, to sweep them.
CREATE INDEX note_attachments_unattached_idx ON note_attachments (created_at) WHERE note_id IS NULL;

