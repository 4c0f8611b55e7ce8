-- The ledger (DESIGN §4): double entry in integer minor units of the
-- association's currency.
--
-- ledger_accounts holds one row per account with its running balance, so
-- that balances are read, not summed; the CHECK keeps internal accounts
-- (general, project, task) from going negative even if a rule in Go were
-- wrong. External accounts (donors, payees) mirror the money that came in
-- and went out and are negative or positive by nature. A task account also
-- holds the task's money state: its budget, whether it still accepts funds
-- (open) and whether a reservation locks its budget (locked).
CREATE TABLE ledger_accounts (
	id             {{.UUID}} PRIMARY KEY,
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	key            text NOT NULL,
	kind           text NOT NULL,
	project_id     {{.UUID}},
	task_id        {{.UUID}},
	balance        {{.BigInt}} NOT NULL DEFAULT 0,
	budget         {{.BigInt}} NOT NULL DEFAULT 0,
	open           {{.Bool}} NOT NULL DEFAULT TRUE,
	locked         {{.Bool}} NOT NULL DEFAULT FALSE,
	created_at     {{.Timestamp}} NOT NULL,
	UNIQUE (association_id, key),
	CHECK (kind = 'external' OR balance >= 0),
	CHECK (budget >= 0)
);
CREATE UNIQUE INDEX ledger_accounts_task ON ledger_accounts (task_id) WHERE task_id IS NOT NULL;

-- A transaction names its cause (a URI or id: donation record, decision,
-- verification) and who recorded it (an actor URI, '' when anonymous).
-- Donations keep their donor's name, which the public sees only when
-- public_name is true.
CREATE TABLE ledger_transactions (
	id             {{.UUID}} PRIMARY KEY,
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	kind           text NOT NULL,
	cause          text NOT NULL CHECK (cause <> ''),
	created_by     text NOT NULL DEFAULT '',
	donor          text NOT NULL DEFAULT '',
	public_name    {{.Bool}} NOT NULL DEFAULT FALSE,
	memo           text NOT NULL DEFAULT '',
	amount         {{.BigInt}} NOT NULL,
	created_at     {{.Timestamp}} NOT NULL
);
CREATE INDEX ledger_transactions_list ON ledger_transactions (association_id, id);

CREATE TABLE ledger_postings (
	transaction_id {{.UUID}} NOT NULL REFERENCES ledger_transactions (id) ON DELETE CASCADE,
	account_id     {{.UUID}} NOT NULL REFERENCES ledger_accounts (id) ON DELETE CASCADE,
	amount         {{.BigInt}} NOT NULL CHECK (amount <> 0),
	PRIMARY KEY (transaction_id, account_id)
);
CREATE INDEX ledger_postings_account ON ledger_postings (account_id, transaction_id);

-- Lots follow money from its donation, first in first out: each lot is a
-- part of one donation sitting in one internal account. Spent lots are deleted, so an account's
-- lots always sum to its balance. Lot ids are UUIDv7: their order is the
-- order of arrival.
CREATE TABLE ledger_lots (
	id          {{.UUID}} PRIMARY KEY,
	account_id  {{.UUID}} NOT NULL REFERENCES ledger_accounts (id) ON DELETE CASCADE,
	donation_id {{.UUID}} NOT NULL REFERENCES ledger_transactions (id) ON DELETE CASCADE,
	amount      {{.BigInt}} NOT NULL CHECK (amount > 0)
);
CREATE INDEX ledger_lots_fifo ON ledger_lots (account_id, id);
CREATE INDEX ledger_lots_donation ON ledger_lots (donation_id);

-- Every movement of a part of a donation, kept for the trace: the donation
-- itself (from external:donors), allocations, reallocations, payouts and
-- refunds.
CREATE TABLE ledger_moves (
	id             {{.UUID}} PRIMARY KEY,
	transaction_id {{.UUID}} NOT NULL REFERENCES ledger_transactions (id) ON DELETE CASCADE,
	donation_id    {{.UUID}} NOT NULL REFERENCES ledger_transactions (id) ON DELETE CASCADE,
	from_account   {{.UUID}} NOT NULL REFERENCES ledger_accounts (id) ON DELETE CASCADE,
	to_account     {{.UUID}} NOT NULL REFERENCES ledger_accounts (id) ON DELETE CASCADE,
	amount         {{.BigInt}} NOT NULL CHECK (amount > 0)
);
CREATE INDEX ledger_moves_donation ON ledger_moves (donation_id, id);
CREATE INDEX ledger_moves_to ON ledger_moves (to_account, donation_id);

-- A payout is owed from its transaction on; the treasurer marks it paid
-- with the bank's reference.
CREATE TABLE ledger_payouts (
	id             {{.UUID}} PRIMARY KEY REFERENCES ledger_transactions (id) ON DELETE CASCADE,
	association_id {{.UUID}} NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
	task_id        {{.UUID}} NOT NULL,
	payee          text NOT NULL,
	amount         {{.BigInt}} NOT NULL CHECK (amount > 0),
	paid_at        {{.Timestamp}},
	paid_by        text NOT NULL DEFAULT '',
	bank_reference text NOT NULL DEFAULT ''
);
CREATE INDEX ledger_payouts_association ON ledger_payouts (association_id, id);

-- A reallocation right (not money): a volunteer who completed a task may
-- move its balance to other open tasks, each minor unit once. One right
-- per task.
CREATE TABLE ledger_rights (
	id         {{.UUID}} PRIMARY KEY,
	task_id    {{.UUID}} NOT NULL UNIQUE,
	holder     text NOT NULL,
	amount     {{.BigInt}} NOT NULL CHECK (amount >= 0),
	used       {{.BigInt}} NOT NULL DEFAULT 0,
	cause      text NOT NULL CHECK (cause <> ''),
	created_at {{.Timestamp}} NOT NULL,
	CHECK (used >= 0 AND used <= amount)
);
CREATE INDEX ledger_rights_holder ON ledger_rights (holder);
