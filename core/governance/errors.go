package governance

import "github.com/holon-network/holon/core"

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNoSuchProposal    = core.New(core.KindNotFound, "proposal-not-found", "no such proposal")
	ErrNoSuchBallot      = core.New(core.KindNotFound, "ballot-not-found", "no such ballot")
	ErrNoSuchAssociation = core.New(core.KindNotFound, "association-not-found", "no such association")
	ErrNotMember         = core.New(core.KindForbidden, "members-only", "only members of the association may do this")
	ErrNoActor           = core.New(core.KindForbidden, "no-actor", "this account has no actor to act as")
	ErrNotAuthor         = core.New(core.KindForbidden, "author-only", "only the proposal's author may withdraw it")
	ErrProposalClosed    = core.New(core.KindConflict, "proposal-closed", "this proposal is closed")
	ErrInDebate          = core.New(core.KindConflict, "proposal-in-debate", "this proposal is still in debate: ballots open with the consensus round")
	ErrPhaseEnded        = core.New(core.KindConflict, "phase-ended", "this phase has ended: ballots are no longer accepted")
	ErrVotingSuspended   = core.New(core.KindForbidden, "voting-suspended", "your voting rights in this association are suspended")
	ErrInProbation       = core.New(core.KindForbidden, "in-probation", "you were still in your probation period when this phase opened: you vote from the next one")
	ErrNotInElectorate   = core.New(core.KindForbidden, "not-in-electorate", "you were not among the members who could vote when this phase opened")
	ErrWrongPhase        = core.New(core.KindConflict, "wrong-phase", "this ballot is for another phase than the proposal's current one")
	ErrUnknownOption     = core.New(core.KindInvalid, "unknown-option", "this is not one of the options of the proposal's current round (agree, abstain or object in the consensus round; each option once in the value vote)")
)
