-- The federation policy (issue 9): blocks gain the 'silence' severity
-- (federation goes on, but the network views leave the domain's content
-- out), and the instance may federate only with the domains admins allow.
--
-- Domains allowed in allowlist mode; an allow covers the domain and its
-- subdomains, as a block does.
CREATE TABLE domain_allows (
	id         {{.UUID}} PRIMARY KEY,
	domain     text NOT NULL UNIQUE,
	comment    text NOT NULL DEFAULT '',
	created_by {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	created_at {{.Timestamp}} NOT NULL
);

--bun:split

-- The mode the admins chose, one row (id 1) once they chose; no row is
-- 'open'. Every process reads it from here, with the allows, in the one
-- query that decides whether a host is refused, so that a switch applies at
-- once everywhere.
CREATE TABLE federation_policy (
	id         integer PRIMARY KEY,
	mode       text NOT NULL,
	updated_by {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	updated_at {{.Timestamp}} NOT NULL,
	CHECK (id = 1)
);
