// Package projects owns an association's projects and their tasks: the
// proposal of a project and its evaluation, the catalogue of tasks with
// their done criteria and budgets, the reservation of a task until a
// deadline (one at a time, enforced by the database, lapsing by itself),
// the submission of work, its review criterion by criterion, and the
// recognition of verified work on its completer's record.
//
// Money never lives here: every change of a task's funding (open, lock,
// unlock, payout, reallocation right, close) is a call to the ledger inside
// the same transaction, through the Ledger interface.
//
// Every change others may see (a project proposed, changed or moved on; a
// task opened, reserved, released, lapsed, submitted, done or cancelled; a
// submission made or reviewed) is handed to a Publisher inside its
// transaction (publish.go), which federation turns into activities. The
// projects and tasks that partner associations publish are kept as copies
// (remote.go), which the network catalogue lists beside the local tasks in
// one query (network.go).
//
// projects never imports web, federation or vocab and never logs; it never
// lets a completer review their own work, nor two reservations of one task
// hold at once.
package projects
