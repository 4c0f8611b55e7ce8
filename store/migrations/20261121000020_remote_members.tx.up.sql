-- Members on other instances (DESIGN §4: a membership joins an association
-- and an actor, local or remote; docs/vocabulary.md §5.10).
--
-- On the association's instance a membership now names its member's actor.
-- account_id stays, set for a local person only, so that what an account
-- does (its associations, its deletion) still reads one index.
-- join_activity is the Join a remote member sent, which the board's answer
-- (Accept or Reject) names; empty for a local member.
--
-- SQLite cannot make a column nullable in place, so the table is rebuilt
-- (nothing references it); the same statements serve PostgreSQL. Every
-- membership so far is a local person's, whose actor has the account.
CREATE TABLE memberships_rebuilt (
	id                {{.UUID}} PRIMARY KEY,
	association_id    {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	actor_id          {{.UUID}} NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
	account_id        {{.UUID}} REFERENCES accounts (id) ON DELETE CASCADE,
	role              text NOT NULL,
	status            text NOT NULL,
	requested_at      {{.Timestamp}} NOT NULL,
	joined_at         {{.Timestamp}},
	voting_suspended  {{.Bool}} NOT NULL DEFAULT FALSE,
	suspension_reason text NOT NULL DEFAULT '',
	suspended_at      {{.Timestamp}},
	updated_at        {{.Timestamp}} NOT NULL,
	join_activity     text NOT NULL DEFAULT '',
	UNIQUE (association_id, actor_id)
);

--bun:split

INSERT INTO memberships_rebuilt (id, association_id, actor_id, account_id, role, status, requested_at, joined_at,
	voting_suspended, suspension_reason, suspended_at, updated_at)
SELECT m.id, m.association_id, a.id, m.account_id, m.role, m.status, m.requested_at, m.joined_at,
	m.voting_suspended, m.suspension_reason, m.suspended_at, m.updated_at
FROM memberships AS m JOIN actors AS a ON a.account_id = m.account_id;

--bun:split

DROP TABLE memberships;

--bun:split

ALTER TABLE memberships_rebuilt RENAME TO memberships;

--bun:split

CREATE INDEX memberships_account_idx ON memberships (account_id);

--bun:split

CREATE INDEX memberships_actor_idx ON memberships (actor_id);

--bun:split

-- The count leaves out members suspended since a phase opened and looks
-- up the holders of roles (as 20261121000019 had them).
CREATE INDEX memberships_suspended_idx ON memberships (association_id) WHERE voting_suspended;

--bun:split

CREATE INDEX memberships_role_idx ON memberships (association_id, role);

--bun:split

-- On the member's instance: a local person's membership of an association
-- on another instance, as far as this instance knows it. It is pending
-- until the association answers the Join (join_activity) with an Accept
-- (active) or a Reject (rejected, with the reason it gave; a Reject later
-- ends an active membership: the board excluded the member), and left once
-- the person sent a Leave. Only that association (its actor's id) may
-- answer.
CREATE TABLE remote_memberships (
	id            {{.UUID}} PRIMARY KEY,
	account_id    {{.UUID}} NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
	actor         text NOT NULL,
	association   text NOT NULL,
	join_activity text NOT NULL UNIQUE,
	status        text NOT NULL,
	reason        text NOT NULL DEFAULT '',
	created_at    {{.Timestamp}} NOT NULL,
	updated_at    {{.Timestamp}} NOT NULL
);

--bun:split

-- A person's memberships elsewhere, newest first.
CREATE INDEX remote_memberships_account_idx ON remote_memberships (account_id, id);

--bun:split

-- At most one pending or active membership of an association a person,
-- whatever the code above does.
CREATE UNIQUE INDEX remote_memberships_one_open_idx ON remote_memberships (actor, association)
	WHERE status IN ('pending', 'active');
