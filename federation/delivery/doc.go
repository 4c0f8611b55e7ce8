// Package delivery sends activities to other servers' inboxes, durably.
//
// Publishing is a transactional outbox (DESIGN §1, principle 2): the domain
// service that accepts a change calls Enqueue inside its own transaction, so
// the deliveries are written with the change or not at all. A Worker then
// claims the due deliveries from the database (one UPDATE … RETURNING per
// batch; SKIP LOCKED on PostgreSQL), POSTs each body signed with its sender's
// key, and records the outcome:
//
//   - 2xx: delivered.
//   - 4xx: dropped, never retried, except 408 and 429, which are retried;
//     a 410 (the recipient is gone) is dropped like the others, with its
//     status kept for whoever cleans up followers.
//   - 3xx: dropped; a signed POST is never redirected elsewhere.
//   - A private address (unless allowed), a non-https inbox or a sender
//     without a key: dropped before any request.
//   - 5xx, timeouts, refused connections: retried with exponential backoff
//     and jitter (first retry within a minute, MaxAttempts attempts over
//     about two days), then failed.
//   - 429 and 503 with Retry-After: the next attempt waits at least that long
//     (capped at MaxRetryAfter), and so do the host's other deliveries.
//
// A per-host circuit breaker stops hammering a host that keeps failing:
// after CircuitThreshold consecutive failures its deliveries wait until the
// circuit's open period (growing with each failure) has passed; then one
// worker among all processes probes the host with one delivery, and one
// answer that is not a failure (a 2xx, or a 4xx that drops the delivery)
// closes the circuit.
//
// All state is in the database: a worker that crashes loses nothing (its
// claims expire and another worker takes them), and several processes on
// one PostgreSQL database never POST the same delivery at the same time.
//
// delivery never decides who receives an activity (callers pass the inboxes,
// already collapsed to shared inboxes), never interprets the body it sends,
// never follows a redirect, and never connects to a private, loopback or
// link-local address unless Options.AllowPrivate says so.
package delivery
