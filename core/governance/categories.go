package governance

import "slices"

// Categories of proposals (DESIGN §4). A category decides the thresholds a
// proposal must meet and the actions it may carry.
const (
	CategoryGeneral           = "general"
	CategoryBudgetAllocation  = "budget_allocation"
	CategoryProjectEvaluation = "project_evaluation"
	CategoryTaskVerification  = "task_verification"
	CategoryMembership        = "membership"
	CategorySettings          = "settings"
	CategoryStatutes          = "statutes"
	CategoryDissolution       = "dissolution"
)

// Categories lists every category, the scopes of voting instructions
// besides "" (every category).
var Categories = []string{CategoryGeneral, CategoryBudgetAllocation, CategoryProjectEvaluation,
	CategoryTaskVerification, CategoryMembership, CategorySettings, CategoryStatutes, CategoryDissolution}

// IsCategory reports whether c is a category of proposals.
func IsCategory(c string) bool { return slices.Contains(Categories, c) }

// DefaultRules are the thresholds of an association that has not set its
// own (docs/governance.md): a tenth of the members take part in everyday
// decisions; a change of settings needs a quarter and half the ballots; a
// change of statutes half the members and three fifths of the ballots, as
// many statutes ask of a general assembly; dissolution half the members
// and three quarters of the ballots.
func DefaultRules(category string) Rules {
	switch category {
	case CategorySettings:
		return Rules{Quorum: 0.25, Majority: 0.5}
	case CategoryStatutes:
		return Rules{Quorum: 0.5, Majority: 0.6}
	case CategoryDissolution:
		return Rules{Quorum: 0.5, Majority: 0.75}
	}
	return Rules{Quorum: 0.1}
}

// Phases of a proposal (DESIGN §7).
const (
	PhaseDebate    = "debate"
	PhaseConsensus = "consensus"
	PhaseValueVote = "value_vote"
	PhaseAdopted   = "adopted"
	PhaseRejected  = "rejected"
	PhaseWithdrawn = "withdrawn"
)

// phases lists every phase, in order.
var phases = []string{PhaseDebate, PhaseConsensus, PhaseValueVote, PhaseAdopted, PhaseRejected, PhaseWithdrawn}

// Open reports whether a proposal in phase is still running.
func Open(phase string) bool {
	return phase == PhaseDebate || phase == PhaseConsensus || phase == PhaseValueVote
}

// The options of a yes-or-no proposal. Consensus adopts a proposal's first
// option; a yes-or-no proposal whose value vote is won by "reject" is
// rejected.
const (
	OptionAdopt  = "adopt"
	OptionReject = "reject"
)

// MaxScore is the top of the value vote's fixed scale (0 … MaxScore).
const MaxScore = 5

// Roles a member may delegate to: whoever holds them when the vote is
// counted. "board" is every board member, the treasurer included, in the
// association's order.
const (
	RoleBoard     = "board"
	RoleTreasurer = "treasurer"
)

// DelegableRoles lists the roles a voting instruction may name.
var DelegableRoles = []string{RoleBoard, RoleTreasurer}

// CategoryRules are the thresholds an association applies to proposals of
// one category.
type CategoryRules struct {
	Category string
	Rules
	// Own: the association set them (by a change_rules decision);
	// otherwise they are the defaults.
	Own bool
}
