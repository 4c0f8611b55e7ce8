package ledger

import "github.com/holon-network/holon/core"

// Errors callers tell apart (compare with errors.Is).
var (
	ErrInvalidAmount       = core.New(core.KindInvalid, "invalid-amount", "the amount must be a positive amount of the association's currency")
	ErrWrongCurrency       = core.New(core.KindInvalid, "wrong-currency", "the amount is not in the association's currency")
	ErrInvalidTarget       = core.New(core.KindInvalid, "invalid-target", "the target must be general, project:{id} or task:{id}")
	ErrInvalidCause        = core.New(core.KindInvalid, "invalid-cause", "a transaction must name its cause, in at most 2048 characters")
	ErrNoSuchAccount       = core.New(core.KindNotFound, "ledger-account-not-found", "no such account in this association's ledger")
	ErrNoSuchTaskAccount   = core.New(core.KindNotFound, "task-account-not-found", "this task has no account in the ledger")
	ErrNoSuchTransaction   = core.New(core.KindNotFound, "transaction-not-found", "no such transaction")
	ErrNoSuchDonation      = core.New(core.KindNotFound, "donation-not-found", "no such donation")
	ErrNoSuchPayout        = core.New(core.KindNotFound, "payout-not-found", "no such payout")
	ErrInsufficientFunds   = core.New(core.KindConflict, "insufficient-funds", "the account does not hold enough money for this")
	ErrTaskClosed          = core.New(core.KindConflict, "task-closed", "this task no longer receives money")
	ErrTaskLocked          = core.New(core.KindConflict, "task-locked", "this task's money is locked by a reservation and leaves only as its payout")
	ErrTaskNotFunded       = core.New(core.KindConflict, "task-not-funded", "this task's balance does not cover its budget yet")
	ErrPayoutPaid          = core.New(core.KindConflict, "payout-already-paid", "this payout is already marked as paid")
	ErrRightExists         = core.New(core.KindConflict, "reallocation-right-exists", "this task's reallocation right was already granted")
	ErrRightExceeded       = core.New(core.KindConflict, "reallocation-right-exceeded", "the parts exceed what is left of the reallocation right")
	ErrNeedsProposal       = core.New(core.KindForbidden, "allocation-needs-proposal", "this allocation is above what the board may allocate alone: it needs a proposal")
	ErrBoardOrTreasurer    = core.New(core.KindForbidden, "board-or-treasurer-only", "only the association's board or its treasurer may do this")
	ErrTreasurerOnly       = core.New(core.KindForbidden, "treasurer-only", "only the association's treasurer may do this")
	ErrNoReallocationRight = core.New(core.KindForbidden, "no-reallocation-right", "you hold no right to reallocate this task's money")
)
