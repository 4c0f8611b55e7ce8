-- Actors are the ActivityPub identities: local persons and associations
-- (with their key pairs, created with them), the instance actor, and the
-- remote actors this instance has met (with their public keys).
CREATE TABLE actors (
	id             {{.UUID}} PRIMARY KEY,
	uri            text NOT NULL UNIQUE,
	kind           text NOT NULL,
	username       text NOT NULL,
	host           text NOT NULL,
	local          {{.Bool}} NOT NULL,
	account_id     {{.UUID}} UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
	association_id {{.UUID}} UNIQUE REFERENCES associations (id) ON DELETE CASCADE,
	inbox          text NOT NULL DEFAULT '',
	shared_inbox   text NOT NULL DEFAULT '',
	outbox         text NOT NULL DEFAULT '',
	followers      text NOT NULL DEFAULT '',
	following      text NOT NULL DEFAULT '',
	display_name   text NOT NULL DEFAULT '',
	summary        text NOT NULL DEFAULT '',
	url            text NOT NULL DEFAULT '',
	icon_url       text NOT NULL DEFAULT '',
	key_id         text NOT NULL,
	public_key     text NOT NULL,
	private_key    text,
	document       {{.JSON}},
	fetched_at     {{.Timestamp}},
	deleted_at     {{.Timestamp}},
	created_at     {{.Timestamp}} NOT NULL,
	updated_at     {{.Timestamp}} NOT NULL
);

--bun:split

CREATE UNIQUE INDEX actors_username_host_key ON actors (username, host);

--bun:split

CREATE UNIQUE INDEX actors_key_id_key ON actors (key_id);
