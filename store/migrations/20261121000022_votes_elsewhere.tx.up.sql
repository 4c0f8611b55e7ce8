-- Ballots and voting instructions across instances (docs/vocabulary.md
-- §5.8, §5.9), on the member's instance: what a local person sent to an
-- association elsewhere, which counts it. Each waits (pending) for the
-- association's Accept (accepted) or Reject (rejected, with the reason it
-- gave in refusal). Sent again, the row is updated and its activity is the
-- new one; its id is the object's (/ballots/{id}, /delegations/{id}).

-- A person's last ballot on one phase of a proposal elsewhere: a position
-- in the consensus round, or scores ([{"option", "score"}], options by
-- name) in the value vote; reason is the voter's own.
CREATE TABLE remote_ballots (
	id          {{.UUID}} PRIMARY KEY,
	account_id  {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	actor       text NOT NULL,
	association text NOT NULL,
	proposal    text NOT NULL,
	phase       text NOT NULL,
	position    text NOT NULL DEFAULT '',
	scores      {{.JSON}} NOT NULL,
	reason      text NOT NULL DEFAULT '',
	activity    text NOT NULL UNIQUE,
	status      text NOT NULL,
	refusal     text NOT NULL DEFAULT '',
	created_at  {{.Timestamp}} NOT NULL,
	updated_at  {{.Timestamp}} NOT NULL,
	UNIQUE (actor, proposal, phase)
);

--bun:split

-- A person's standing instruction for one scope (a category, or '' for
-- every category) in an association elsewhere: delegates is a JSON array of
-- {"actor"} and {"role"} in order of preference, empty once withdrawn.
CREATE TABLE remote_delegations (
	id          {{.UUID}} PRIMARY KEY,
	account_id  {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	actor       text NOT NULL,
	association text NOT NULL,
	scope       text NOT NULL,
	delegates   {{.JSON}} NOT NULL,
	activity    text NOT NULL UNIQUE,
	status      text NOT NULL,
	refusal     text NOT NULL DEFAULT '',
	created_at  {{.Timestamp}} NOT NULL,
	updated_at  {{.Timestamp}} NOT NULL,
	UNIQUE (actor, association, scope)
);
