-- Work across instances (docs/vocabulary.md §5.1–5.3).
--
-- On the association's instance: a project or a reservation that a remote
-- actor asked for with an Offer keeps the Offer's id, so that a retried
-- Offer is recognised and the holder's Undo of it finds the reservation;
-- a submission hosted on the professional's instance keeps its id there.
-- Empty for what was asked for here.
ALTER TABLE projects ADD COLUMN offer_activity text NOT NULL DEFAULT '';

--bun:split

CREATE UNIQUE INDEX projects_offer_idx ON projects (offer_activity) WHERE offer_activity <> '';

--bun:split

ALTER TABLE reservations ADD COLUMN offer_activity text NOT NULL DEFAULT '';

--bun:split

CREATE UNIQUE INDEX reservations_offer_idx ON reservations (offer_activity) WHERE offer_activity <> '';

--bun:split

ALTER TABLE submissions ADD COLUMN uri text NOT NULL DEFAULT '';

--bun:split

CREATE UNIQUE INDEX submissions_uri_idx ON submissions (uri) WHERE uri <> '';

--bun:split

-- On the professional's instance: a local person's reservation of a task
-- that an association on another instance owns, as far as this instance
-- knows it. It is pending until the association answers the Offer
-- (offer_activity) with an Accept (active) or a Reject (rejected, with the
-- reason it gave); only that association (association, its actor's id)
-- may answer.
CREATE TABLE remote_reservations (
	id             {{.UUID}} PRIMARY KEY,
	task_uri       text NOT NULL,
	task_name      text NOT NULL DEFAULT '',
	association    text NOT NULL,
	actor          text NOT NULL,
	offer_activity text NOT NULL UNIQUE,
	deadline       {{.Timestamp}} NOT NULL,
	status         text NOT NULL,
	reason         text NOT NULL DEFAULT '',
	created_at     {{.Timestamp}} NOT NULL,
	updated_at     {{.Timestamp}} NOT NULL
);

--bun:split

-- A person's reservations of one task, newest first; at most one pending
-- or active at a time, whatever the code above does.
CREATE INDEX remote_reservations_task_idx ON remote_reservations (task_uri, actor, id);

--bun:split

CREATE UNIQUE INDEX remote_reservations_one_open_idx ON remote_reservations (task_uri, actor)
	WHERE status IN ('pending', 'active');

--bun:split

-- Work a local person delivered for a task on another instance. It is
-- hosted here (its id is this instance's /submissions/{id}) and sent to
-- the association, whose verdict (checks: the reviewer's check of each
-- done criterion, a JSON array) and payout come back.
CREATE TABLE remote_submissions (
	id              {{.UUID}} PRIMARY KEY,
	task_uri        text NOT NULL,
	task_name       text NOT NULL DEFAULT '',
	association     text NOT NULL,
	by_actor        text NOT NULL,
	reservation_id  {{.UUID}} REFERENCES remote_reservations (id) ON DELETE SET NULL,
	text            text NOT NULL,
	links           {{.JSON}} NOT NULL,
	status          text NOT NULL,
	checks          {{.JSON}} NOT NULL,
	verdict         text NOT NULL DEFAULT '',
	payout_uri      text NOT NULL DEFAULT '',
	payout_amount   {{.BigInt}} NOT NULL DEFAULT 0,
	payout_currency text NOT NULL DEFAULT '',
	submitted_at    {{.Timestamp}} NOT NULL,
	reviewed_at     {{.Timestamp}}
);

--bun:split

CREATE INDEX remote_submissions_task_idx ON remote_submissions (task_uri, by_actor, id);

--bun:split

-- A volunteer's offer, from here, to reallocate the budget of a task they
-- completed for an association elsewhere (§5.6): parts is a JSON array of
-- {task, amount} (task ids on the wire, decimal amounts in currency). The
-- association answers; accepted, transaction_uri is the reallocation's
-- id on its ledger.
CREATE TABLE remote_reallocations (
	id              {{.UUID}} PRIMARY KEY,
	task_uri        text NOT NULL,
	association     text NOT NULL,
	actor           text NOT NULL,
	offer_activity  text NOT NULL UNIQUE,
	parts           {{.JSON}} NOT NULL,
	currency        text NOT NULL,
	status          text NOT NULL,
	reason          text NOT NULL DEFAULT '',
	transaction_uri text NOT NULL DEFAULT '',
	created_at      {{.Timestamp}} NOT NULL,
	updated_at      {{.Timestamp}} NOT NULL
);

--bun:split

CREATE INDEX remote_reallocations_task_idx ON remote_reallocations (task_uri, actor, id);

--bun:split

-- On the association's instance: the reallocation a volunteer elsewhere
-- asked for with an Offer, so that the Offer received again moves no
-- money twice.
CREATE TABLE reallocation_offers (
	offer_activity text PRIMARY KEY,
	transaction_id {{.UUID}} NOT NULL REFERENCES ledger_transactions (id) ON DELETE CASCADE
);
