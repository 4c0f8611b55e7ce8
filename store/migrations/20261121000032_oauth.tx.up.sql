-- The OAuth 2 authorization server of the Mastodon client API (web/oauth,
-- core/membership/oauth*.go). Secrets (client secrets, authorization
-- codes, access and refresh tokens) are kept only as SHA-256 hashes, like
-- sessions and native API tokens.
--
-- An application is what a Mastodon app registers through POST
-- /api/v1/apps: its redirect URIs (one a line) and the scopes it may ask
-- for (space-separated).
CREATE TABLE oauth_applications (
	id                 {{.UUID}} PRIMARY KEY,
	client_id          text NOT NULL UNIQUE,
	client_secret_hash text NOT NULL,
	name               text NOT NULL,
	website            text NOT NULL DEFAULT '',
	redirect_uris      text NOT NULL,
	scopes             text NOT NULL,
	created_at         {{.Timestamp}} NOT NULL
);

--bun:split

-- An authorization code is handed to the app's redirect URI once the
-- person consents; it is exchanged once (used_at), before expires_at, for
-- the same redirect URI, proving the PKCE verifier when a challenge was
-- given.
CREATE TABLE oauth_authorization_codes (
	id                    {{.UUID}} PRIMARY KEY,
	code_hash             text NOT NULL UNIQUE,
	application_id        {{.UUID}} NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
	account_id            {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	redirect_uri          text NOT NULL,
	scopes                text NOT NULL,
	code_challenge        text NOT NULL DEFAULT '',
	code_challenge_method text NOT NULL DEFAULT '',
	created_at            {{.Timestamp}} NOT NULL,
	expires_at            {{.Timestamp}} NOT NULL,
	used_at               {{.Timestamp}}
);

--bun:split

CREATE INDEX oauth_authorization_codes_expiry_idx ON oauth_authorization_codes (expires_at);

--bun:split

-- OAuth access tokens, apart from the native api_tokens so that a scoped
-- token is never mistaken for an unscoped one. account_id is NULL for an
-- application's own token (client_credentials grant), which acts for no
-- person. code_id links the tokens issued from a code, revoked together
-- when the code is replayed (RFC 6749 §4.1.2).
CREATE TABLE oauth_tokens (
	id                 {{.UUID}} PRIMARY KEY,
	application_id     {{.UUID}} NOT NULL REFERENCES oauth_applications (id) ON DELETE CASCADE,
	account_id         {{.UUID}} REFERENCES accounts (id) ON DELETE CASCADE,
	code_id            {{.UUID}} REFERENCES oauth_authorization_codes (id) ON DELETE SET NULL,
	token_hash         text NOT NULL UNIQUE,
	refresh_token_hash text UNIQUE,
	scopes             text NOT NULL,
	created_at         {{.Timestamp}} NOT NULL,
	last_used_at       {{.Timestamp}},
	revoked_at         {{.Timestamp}}
);

--bun:split

CREATE INDEX oauth_tokens_account_idx ON oauth_tokens (account_id);

--bun:split

CREATE INDEX oauth_tokens_code_idx ON oauth_tokens (code_id);
