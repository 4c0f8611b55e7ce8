-- The redirect URI a token's authorization code was issued for, carried
-- over by refresh. /oauth/authorize skips the consent page only when the
-- same account already granted the same app, through the same redirect
-- URI, scopes at least as wide, and still holds such a live token (as
-- Mastodon does); once the code is deleted, the token alone remembers it.
-- Empty for an application's own token and for tokens issued before.
ALTER TABLE oauth_tokens ADD COLUMN redirect_uri text NOT NULL DEFAULT '';

--bun:split

CREATE INDEX oauth_tokens_account_app_idx ON oauth_tokens (account_id, application_id);
