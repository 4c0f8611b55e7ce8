package membership

import "github.com/holon-network/holon/core"

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNameTaken         = core.New(core.KindConflict, "name-taken", "this name is already taken by a person or an association")
	ErrEmailTaken        = core.New(core.KindConflict, "email-taken", "an account already uses this e-mail address")
	ErrBadCredentials    = core.New(core.KindUnauthenticated, "bad-credentials", "wrong username or password")
	ErrAccountPending    = core.New(core.KindForbidden, "account-pending", "this account is waiting for an administrator's approval")
	ErrAccountSuspended  = core.New(core.KindForbidden, "account-suspended", "this account is suspended")
	ErrTooManyAttempts   = core.New(core.KindRateLimited, "too-many-attempts", "too many failed log-in attempts; wait a few minutes and try again")
	ErrRegistrationsOff  = core.New(core.KindForbidden, "registrations-closed", "this instance does not accept new accounts")
	ErrNotAllowed        = core.New(core.KindForbidden, "not-allowed", "you are not allowed to do this")
	ErrNoSuchAccount     = core.New(core.KindNotFound, "account-not-found", "no such account")
	ErrNoSuchAssociation = core.New(core.KindNotFound, "association-not-found", "no such association")
	ErrNoSuchMember      = core.New(core.KindNotFound, "member-not-found", "no such member of this association")
	ErrNoSuchActor       = core.New(core.KindNotFound, "actor-not-found", "no such actor on this instance")
	ErrActorDeleted      = core.New(core.KindNotFound, "actor-deleted", "this actor was deleted")
	ErrNoSuchToken       = core.New(core.KindNotFound, "token-not-found", "no such token")
	ErrAlreadyMember     = core.New(core.KindConflict, "already-member", "you are already a member of this association, or your request is pending")
	ErrLastBoardMember   = core.New(core.KindConflict, "last-board-member", "the association would be left without a board member; appoint another first")
	ErrNotPending        = core.New(core.KindConflict, "not-pending", "this membership is not waiting for approval")
	ErrUnauthenticated   = core.New(core.KindUnauthenticated, "unauthenticated", "log in first")
)
