-- ActivityPub relays the instance subscribes to (Mastodon's convention:
-- the instance actor's Follow of as:Public sent to the relay's inbox).
-- actor is the relay's actor, known once its document was fetched or its
-- Accept received; follow_activity_id names our Follow, which its Accept
-- or Reject names back. state is 'pending', 'accepted' or 'rejected'.
CREATE TABLE relays (
	id                 {{.UUID}} PRIMARY KEY,
	inbox              text NOT NULL UNIQUE,
	actor              text NOT NULL DEFAULT '',
	state              text NOT NULL,
	follow_activity_id text NOT NULL UNIQUE,
	created_at         {{.Timestamp}} NOT NULL,
	updated_at         {{.Timestamp}} NOT NULL
);

--bun:split

-- Remote public notes that came through a relay: they show in the
-- network timeline though nobody here follows their authors. A note
-- stays when its relay is removed.
CREATE TABLE relayed_notes (
	note_id     {{.UUID}} PRIMARY KEY REFERENCES notes (id) ON DELETE CASCADE,
	relay_id    {{.UUID}} REFERENCES relays (id) ON DELETE SET NULL,
	received_at {{.Timestamp}} NOT NULL
);
