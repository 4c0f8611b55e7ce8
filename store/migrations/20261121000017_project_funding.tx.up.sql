-- Reads of a project's money: its funding figures sum the postings of the
-- project's and its tasks' accounts, and a task's page shows its payout.
CREATE INDEX ledger_accounts_project ON ledger_accounts (project_id) WHERE project_id IS NOT NULL;

--bun:split

CREATE INDEX ledger_payouts_task ON ledger_payouts (task_id, id);
