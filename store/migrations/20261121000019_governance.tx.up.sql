-- Governance (DESIGN §4): proposals and their phases, the electorate of
-- each phase, ballots, the members' standing voting instructions and the
-- association's rules per category.
--
-- Counting a million members must read few rows, so what the count needs
-- is also kept packed, 1024 voters a row: each voter of an association has
-- a number (governance_voters), and the electorate and ballot box of a
-- phase (proposal_rolls) and the voting instructions
-- (voting_instruction_pages) are pages over those numbers. The ballots and
-- voting_instructions rows are the record people read and publish; the
-- pages are written in the same transaction and are what the count reads.

-- A voter's number in an association, dense from 0, given when first
-- needed (the opening of a phase numbers every member). Actors are kept by
-- their ActivityPub id, so that a remote member fits the same column.
CREATE TABLE governance_voters (
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	number         integer NOT NULL CHECK (number >= 0),
	actor          text NOT NULL,
	PRIMARY KEY (association_id, number),
	UNIQUE (association_id, actor)
);

--bun:split

-- An association's thresholds for one category, when it departs from the
-- defaults (core/governance, docs/governance.md). Shares in [0, 1].
CREATE TABLE governance_rules (
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	category       text NOT NULL,
	quorum         double precision NOT NULL CHECK (quorum >= 0 AND quorum <= 1),
	majority       double precision NOT NULL CHECK (majority >= 0 AND majority <= 1),
	updated_at     {{.Timestamp}} NOT NULL,
	PRIMARY KEY (association_id, category)
);

--bun:split

-- Options and actions are JSON arrays read whole. The periods are fixed
-- when the proposal is made (nanoseconds, a Go time.Duration), so that a
-- change of the association's settings never moves a running deadline.
-- deadline is the end of the current phase, NULL once the proposal is
-- closed: the scheduler's queue.
CREATE TABLE proposals (
	id                {{.UUID}} PRIMARY KEY,
	association_id    {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	author            text NOT NULL,
	category          text NOT NULL,
	title             text NOT NULL,
	body              text NOT NULL DEFAULT '',
	options           {{.JSON}} NOT NULL,
	actions           {{.JSON}} NOT NULL,
	project_id        {{.UUID}} REFERENCES projects (id) ON DELETE SET NULL,
	phase             text NOT NULL,
	debate_period     {{.BigInt}} NOT NULL CHECK (debate_period >= 0),
	consensus_period  {{.BigInt}} NOT NULL CHECK (consensus_period > 0),
	value_vote_period {{.BigInt}} NOT NULL CHECK (value_vote_period > 0),
	deadline          {{.Timestamp}},
	outcome           {{.JSON}} NOT NULL,
	created_at        {{.Timestamp}} NOT NULL,
	updated_at        {{.Timestamp}} NOT NULL,
	closed_at         {{.Timestamp}}
);

--bun:split

CREATE INDEX proposals_association_idx ON proposals (association_id, id);

--bun:split

CREATE INDEX proposals_due_idx ON proposals (deadline) WHERE deadline IS NOT NULL;

--bun:split

-- Each phase a proposal went through: when it opened and ends, how many
-- members could vote, the beneficiaries among them (voter numbers, JSON)
-- and, once closed, its count (JSON) and what the count read besides the
-- roll: the holders of roles ({"board": [numbers], …}) and the members
-- suspended since the opening ([numbers]).
CREATE TABLE proposal_phases (
	proposal_id   {{.UUID}} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
	phase         text NOT NULL,
	started_at    {{.Timestamp}} NOT NULL,
	ends_at       {{.Timestamp}} NOT NULL,
	closed_at     {{.Timestamp}},
	electorate    integer NOT NULL DEFAULT 0,
	beneficiaries {{.JSON}} NOT NULL,
	result        {{.JSON}},
	roles         {{.JSON}},
	suspended     {{.JSON}},
	PRIMARY KEY (proposal_id, phase)
);

--bun:split

-- The electorate and ballot box of a voting phase, a page per 1024 voter
-- numbers: eligible is a bitmap (bit n%1024 of byte n%1024/8) of who could
-- vote when the phase opened; choices holds width bytes per number (1 in
-- the consensus round, one score per option in the value vote), 255 in
-- the first byte for no ballot.
CREATE TABLE proposal_rolls (
	proposal_id {{.UUID}} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
	phase       text NOT NULL,
	page        integer NOT NULL CHECK (page >= 0),
	eligible    {{.Bytes}} NOT NULL,
	choices     {{.Bytes}} NOT NULL,
	PRIMARY KEY (proposal_id, phase, page)
);

--bun:split

-- The voting instructions as they stood when a phase was counted, copied
-- from voting_instruction_pages: a closed count can be read again, and
-- checked, whatever the members changed since.
CREATE TABLE proposal_instruction_pages (
	proposal_id {{.UUID}} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
	phase       text NOT NULL,
	page        integer NOT NULL,
	data        {{.Bytes}} NOT NULL,
	PRIMARY KEY (proposal_id, phase, page)
);

--bun:split

-- The last ballot of each voter in each phase: cast again, it is replaced.
CREATE TABLE ballots (
	id           {{.UUID}} PRIMARY KEY,
	proposal_id  {{.UUID}} NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
	phase        text NOT NULL,
	voter        text NOT NULL,
	voter_number integer NOT NULL,
	position     text NOT NULL DEFAULT '',
	scores       {{.JSON}} NOT NULL,
	reason       text NOT NULL DEFAULT '',
	cast_at      {{.Timestamp}} NOT NULL,
	updated_at   {{.Timestamp}} NOT NULL
);

--bun:split

-- One ballot per voter and phase, whatever the code above does.
CREATE UNIQUE INDEX ballots_one_per_voter_idx ON ballots (proposal_id, phase, voter);

--bun:split

-- The published ballots of a phase, page by page.
CREATE INDEX ballots_phase_idx ON ballots (proposal_id, phase, voter_number);

--bun:split

-- A member's standing instruction for one scope (a category, or '' for
-- every category): delegates is a JSON array of {"actor", "number"} and
-- {"role"} in order of preference.
CREATE TABLE voting_instructions (
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	voter_number   integer NOT NULL,
	scope          text NOT NULL,
	delegates      {{.JSON}} NOT NULL,
	updated_at     {{.Timestamp}} NOT NULL,
	PRIMARY KEY (association_id, voter_number, scope)
);

--bun:split

-- The instructions of voter numbers page*1024 … page*1024+1023, packed
-- (core/governance/pack.go), rewritten with every change of one of them.
CREATE TABLE voting_instruction_pages (
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	page           integer NOT NULL CHECK (page >= 0),
	data           {{.Bytes}} NOT NULL,
	PRIMARY KEY (association_id, page)
);

--bun:split

-- The count leaves out members suspended since a phase opened and looks
-- up the holders of roles: both read few rows of a large association.
CREATE INDEX memberships_suspended_idx ON memberships (association_id) WHERE voting_suspended;

--bun:split

CREATE INDEX memberships_role_idx ON memberships (association_id, role);
