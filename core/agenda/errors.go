package agenda

import "github.com/holon-network/holon/core"

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNoSuchEvent           = core.New(core.KindNotFound, "event-not-found", "no such event")
	ErrNoSuchAssociation     = core.New(core.KindNotFound, "association-not-found", "no such association")
	ErrNoSuchParticipant     = core.New(core.KindNotFound, "participant-not-found", "this actor does not take part in this event")
	ErrBoardOnly             = core.New(core.KindForbidden, "board-only", "only the association's board may do this")
	ErrNoActor               = core.New(core.KindForbidden, "no-actor", "this account has no actor to act as")
	ErrEventCancelled        = core.New(core.KindConflict, "event-cancelled", "this event is cancelled")
	ErrEventOver             = core.New(core.KindConflict, "event-over", "this event is over")
	ErrAlreadyJoined         = core.New(core.KindConflict, "already-participating", "you already take part in this event, wait for a place or wait for the board's answer")
	ErrParticipationRejected = core.New(core.KindConflict, "participation-rejected",
		"the board has declined your participation in this event")
	ErrNotPending     = core.New(core.KindConflict, "participation-not-pending", "only a pending or declined participation can be approved")
	ErrActsForAnother = core.New(core.KindForbidden, "acts-for-another",
		"an actor may only join or leave an event for itself, from its own server")
	ErrUnknownActor = core.New(core.KindNotFound, "actor-not-found", "no such actor is known here")
	ErrBadCursor    = core.New(core.KindInvalid, "bad-cursor", "the cursor is not one this list handed out")
)
