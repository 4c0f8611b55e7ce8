-- The title of a received Article or Page (Lemmy posts, WordPress
-- articles), plain text, shown above its content; notes have none.
ALTER TABLE notes ADD COLUMN title text NOT NULL DEFAULT '';
