-- The ledger page filters transactions by kind and by period, and sums
-- them by month: indexes that keep those reads off a scan of a large
-- ledger.
CREATE INDEX ledger_transactions_kind ON ledger_transactions (association_id, kind, id);

--bun:split

CREATE INDEX ledger_transactions_time ON ledger_transactions (association_id, created_at);
