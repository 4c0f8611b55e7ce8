-- The actor lifecycle: profile fields and avatars on actors' documents,
-- and the media (images) they point at.
--
-- media holds uploaded images in the database, so that every process of an
-- instance serves the same bytes without a shared disk. An image is
-- re-encoded on upload (its metadata dropped) and never changes: a new
-- upload is a new row, so its URL can be cached for ever.
CREATE TABLE media (
	id           {{.UUID}} PRIMARY KEY,
	content_type text NOT NULL,
	data         {{.Bytes}} NOT NULL,
	width        integer NOT NULL,
	height       integer NOT NULL,
	created_at   {{.Timestamp}} NOT NULL
);

--bun:split

-- Profile fields, as a JSON array of {"name", "value"}: plain text for
-- local actors (as their owner wrote it), sanitised HTML for remote ones.
ALTER TABLE actors ADD COLUMN fields {{.JSON}} NOT NULL DEFAULT '[]';

--bun:split

-- The media type of icon_url, as the actor's document gives it.
ALTER TABLE actors ADD COLUMN icon_media_type text NOT NULL DEFAULT '';

--bun:split

-- A local actor's avatar; icon_url is its address.
ALTER TABLE actors ADD COLUMN avatar_id {{.UUID}} REFERENCES media (id) ON DELETE SET NULL;

--bun:split

-- When the actor's document last changed: for a remote actor, its
-- "updated" (an older Update arriving late must not undo a newer one); for
-- a local actor, the time of the change its Update published.
ALTER TABLE actors ADD COLUMN profile_updated_at {{.Timestamp}};
