-- Persons and associations share one name space, so acct:name@host is
-- unambiguous: every local actor's name is first claimed here.
CREATE TABLE actor_names (
	name       text PRIMARY KEY,
	kind       text NOT NULL,
	created_at {{.Timestamp}} NOT NULL
);

--bun:split

CREATE TABLE accounts (
	id            {{.UUID}} PRIMARY KEY,
	username      text NOT NULL UNIQUE REFERENCES actor_names (name),
	display_name  text NOT NULL,
	email         text NOT NULL,
	password_hash text NOT NULL,
	locale        text NOT NULL,
	role          text NOT NULL,
	status        text NOT NULL,
	created_at    {{.Timestamp}} NOT NULL,
	updated_at    {{.Timestamp}} NOT NULL
);

--bun:split

CREATE UNIQUE INDEX accounts_email_key ON accounts (email);

--bun:split

CREATE TABLE sessions (
	id           {{.UUID}} PRIMARY KEY,
	account_id   {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	token_hash   text NOT NULL UNIQUE,
	created_at   {{.Timestamp}} NOT NULL,
	expires_at   {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX sessions_account_idx ON sessions (account_id);

--bun:split

CREATE TABLE api_tokens (
	id           {{.UUID}} PRIMARY KEY,
	account_id   {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	label        text NOT NULL,
	token_hash   text NOT NULL UNIQUE,
	created_at   {{.Timestamp}} NOT NULL,
	last_used_at {{.Timestamp}},
	revoked_at   {{.Timestamp}}
);

--bun:split

CREATE INDEX api_tokens_account_idx ON api_tokens (account_id);

--bun:split

CREATE TABLE login_failures (
	id       {{.UUID}} PRIMARY KEY,
	username text NOT NULL,
	ip       text NOT NULL,
	at       {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX login_failures_username_idx ON login_failures (username, at);

--bun:split

CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

--bun:split

CREATE TABLE associations (
	id           {{.UUID}} PRIMARY KEY,
	name         text NOT NULL UNIQUE REFERENCES actor_names (name),
	display_name text NOT NULL,
	summary      text NOT NULL,
	statutes     text NOT NULL,
	settings     {{.JSON}} NOT NULL,
	created_by   {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	created_at   {{.Timestamp}} NOT NULL,
	updated_at   {{.Timestamp}} NOT NULL
);

--bun:split

-- One membership per member and association, enforced here so that two
-- concurrent joins cannot both succeed.
CREATE TABLE memberships (
	id                {{.UUID}} PRIMARY KEY,
	association_id    {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	account_id        {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	role              text NOT NULL,
	status            text NOT NULL,
	requested_at      {{.Timestamp}} NOT NULL,
	joined_at         {{.Timestamp}},
	voting_suspended  {{.Bool}} NOT NULL DEFAULT FALSE,
	suspension_reason text NOT NULL DEFAULT '',
	suspended_at      {{.Timestamp}},
	updated_at        {{.Timestamp}} NOT NULL,
	UNIQUE (association_id, account_id)
);

--bun:split

CREATE INDEX memberships_account_idx ON memberships (account_id);
