-- Domains this instance refuses to federate with. A block covers the
-- domain and its subdomains. severity is 'suspend' (no federation at all:
-- inbox, delivery and fetching refuse it); the federation-policy issue adds
-- 'silence'. The public comment may be shown to anyone, the private one
-- only to admins.
CREATE TABLE domain_blocks (
	id              {{.UUID}} PRIMARY KEY,
	domain          text NOT NULL UNIQUE,
	severity        text NOT NULL,
	public_comment  text NOT NULL DEFAULT '',
	private_comment text NOT NULL DEFAULT '',
	created_by      {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	created_at      {{.Timestamp}} NOT NULL
);
