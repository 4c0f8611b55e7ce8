-- The delivery queue: one row per activity and target inbox, written in the
-- same transaction as the change that published the activity (the
-- transactional outbox), then claimed, POSTed and finished by the delivery
-- workers. body is text, not JSON: it holds the exact bytes that are
-- digested and signed, which jsonb would reformat. The unique key makes a
-- second enqueue of the same activity to the same inbox a no-op.
CREATE TABLE deliveries (
	id              {{.UUID}} PRIMARY KEY,
	activity_id     text NOT NULL,
	sender          text NOT NULL,
	inbox           text NOT NULL,
	host            text NOT NULL,
	body            text NOT NULL,
	state           text NOT NULL,
	attempts        integer NOT NULL DEFAULT 0,
	last_status     integer NOT NULL DEFAULT 0,
	last_error      text NOT NULL DEFAULT '',
	next_attempt_at {{.Timestamp}} NOT NULL,
	locked_until    {{.Timestamp}},
	created_at      {{.Timestamp}} NOT NULL,
	finished_at     {{.Timestamp}},
	UNIQUE (activity_id, inbox)
);

--bun:split

-- The claim reads pending rows by due time; finished rows stay out of it.
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at) WHERE state = 'pending';

--bun:split

-- The per-host circuit breaker: consecutive failures of a host, and until
-- when its deliveries wait instead of being tried. A row exists only for
-- hosts that failed or asked us to slow down.
CREATE TABLE delivery_hosts (
	host                 text PRIMARY KEY,
	consecutive_failures integer NOT NULL DEFAULT 0,
	open_until           {{.Timestamp}},
	updated_at           {{.Timestamp}} NOT NULL
);
