-- The audit log: every action an instance admin takes (scope 'instance')
-- and every action an association's board takes in its name (scope
-- 'association', association_id set). Rows are only ever inserted. The
-- account that acted is kept by name too, so the entry outlives the
-- account (account_id is cleared when the account is deleted); an empty
-- name with no account is the operator at the command line, or the
-- instance itself acting on a decision.
CREATE TABLE audit_log (
	id             {{.UUID}} PRIMARY KEY,
	scope          text NOT NULL,
	association_id {{.UUID}} REFERENCES associations (id) ON DELETE CASCADE,
	account_id     {{.UUID}} REFERENCES accounts (id) ON DELETE SET NULL,
	account_name   text NOT NULL DEFAULT '',
	action         text NOT NULL,
	target         text NOT NULL DEFAULT '',
	detail         {{.JSON}} NOT NULL,
	created_at     {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX audit_log_scope ON audit_log (scope, id);

--bun:split

CREATE INDEX audit_log_association ON audit_log (association_id, id);
