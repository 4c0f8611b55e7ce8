package projects

import "github.com/holon-network/holon/core"

// Errors callers tell apart (compare with errors.Is).
var (
	ErrNoSuchProject      = core.New(core.KindNotFound, "project-not-found", "no such project")
	ErrNoSuchTask         = core.New(core.KindNotFound, "task-not-found", "no such task")
	ErrNoSuchSubmission   = core.New(core.KindNotFound, "submission-not-found", "no such submission")
	ErrNoSuchAssociation  = core.New(core.KindNotFound, "association-not-found", "no such association")
	ErrNotMember          = core.New(core.KindForbidden, "members-only", "only members of the association may do this")
	ErrBoardOnly          = core.New(core.KindForbidden, "board-only", "only the association's board may do this")
	ErrHolderOrBoard      = core.New(core.KindForbidden, "holder-or-board-only", "only the project holder or the board may do this")
	ErrNoActor            = core.New(core.KindForbidden, "no-actor", "this account has no actor to act as")
	ErrEvaluationProposal = core.New(core.KindConflict, "evaluation-needs-proposal",
		"this association does not let its board evaluate projects: the evaluation must go through a proposal of category project_evaluation")
	ErrBadTransition   = core.New(core.KindConflict, "invalid-transition", "the project cannot go to this state from its current one")
	ErrProjectNotOpen  = core.New(core.KindConflict, "project-not-accepted", "tasks can be added only to an accepted or active project")
	ErrTaskNotOpen     = core.New(core.KindConflict, "task-not-open", "this task is not open")
	ErrTaskReserved    = core.New(core.KindConflict, "task-already-reserved", "this task is already reserved")
	ErrNotReserved     = core.New(core.KindConflict, "task-not-reserved", "this task has no active reservation")
	ErrReservedByOther = core.New(core.KindConflict, "reserved-by-another", "this task is reserved by someone else until its deadline")
	ErrNotHolder       = core.New(core.KindForbidden, "not-reservation-holder", "only the holder of the reservation, or the board with a reason, may release it")
	ErrTaskNotDraft    = core.New(core.KindConflict, "task-not-draft", "only a draft task can be opened")
	ErrNotSubmittable  = core.New(core.KindConflict, "task-not-submittable", "work can be submitted only for an open or reserved task")
	ErrNotReviewer     = core.New(core.KindForbidden, "not-reviewer", "only the reviewers the task names may review its submissions")
	ErrOwnSubmission   = core.New(core.KindForbidden, "own-submission", "nobody may review their own submission")
	ErrAlreadyReviewed = core.New(core.KindConflict, "already-reviewed", "this submission has already been reviewed")
	ErrStaleSubmission = core.New(core.KindConflict, "submission-not-current", "this submission is not the one the task is waiting on")
	ErrTaskNotDone     = core.New(core.KindConflict, "task-not-done", "this payout's task is not waiting on its payment")
)
