// Package ledger keeps an association's money: double entry in integer minor
// units of the association's one currency (DESIGN §4).
//
// Accounts are general (the association's fund), project:{id}, task:{id},
// external:donors and external:payees. Every transaction names its cause,
// its postings sum to zero, no internal account goes negative and a locked
// task's balance leaves only by payout: record checks all of it in one
// place, inside the database transaction, with the touched accounts' rows
// locked (PostgreSQL) or the whole database held (SQLite's immediate
// transactions), so that concurrent writers cannot overdraw.
//
// Money is followed in lots, first in first out, from each donation through
// allocations and reallocations to tasks and payees. The lots and moves are
// kept up to date by each transaction, so a trace reads rows instead of
// replaying the ledger.
//
// Every transaction is handed, as the public may see it, to a Publisher
// inside the database transaction that records it (publish.go).
//
// The ledger owns all money state, a task's budget and lock included; it
// never asks core/projects anything. core/projects calls OpenTaskAccount,
// LockTask, Payout, MarkPaid… inside its own store transaction, so that a
// task's state and its money change together. The ledger never
// floats: amounts are int64 minor units (core/money formats them).
package ledger
