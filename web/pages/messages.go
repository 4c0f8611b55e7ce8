package pages

import (
	"time"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/domains"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/news"
)

// Codes of the problems the pages report themselves, beside those of core.
const (
	codeNotFound         = "not-found"
	codeMethodNotAllowed = "method-not-allowed"
	codeBadForm          = "bad-form"
	codeTooLarge         = "too-large"
	codeTooLong          = "too-long"
	codeBadEncoding      = "bad-encoding"
	codeInvalidChoice    = "invalid-choice"
	codeInternal         = "internal"
	codeCrossOrigin      = "cross-origin"
)

// errorCodes are the error codes the catalogue translates, each as the key
// "error.<code>". A code.field entry ("required.suspension_reason") is a
// more precise message for that field, looked up first. A code missing here
// is shown with core's English detail; a test checks that every code core
// returns is listed.
var errorCodes = []string{
	// field errors
	"required", "required.suspension_reason", "too-long", "bad-characters", "bad-encoding",
	"invalid-email", "unknown-locale", "password-too-short", "password-too-long",
	"invalid-choice", "invalid-duration", "out-of-range", "invalid-amount", "unknown-currency",
	"wrong-password", "unknown-role", "needs-suspension", "restate-amount", "invalid-action",
	// the instance's settings
	"invalid-language", "unknown-rule",
	// the network's map's query (core/agenda/places.go)
	"bad-bbox", "out-of-range.bbox", "south-above-north", "bad-time", "before-from", "too-far",
	"out-of-range.location_latitude", "out-of-range.location_longitude",
	// core.Error codes
	"invalid-input", "name-taken", "email-taken", "bad-credentials", "account-pending",
	"account-suspended", "too-many-attempts", "registrations-closed", "not-allowed",
	"account-not-found", "actor-not-found", "association-not-found", "member-not-found", "token-not-found",
	"already-member", "last-board-member", "not-pending", "unauthenticated",
	"creation-not-allowed", "board-only", "board-or-treasurer-only", "members-only", "approve-first",
	// the actor lifecycle: profiles, avatars, deletion
	"too-many-fields", "avatar-format", "avatar-too-large", "actor-deleted", "last-admin", "media-not-found",
	"wrong-password.delete_password",
	// federation: shown to admins looking at why a remote actor was refused
	"actor-claim-conflict", "bad-actor-id", "local-actor-claim", "bad-public-key",
	"follow-self", "follow-not-found",
	// moderation: follow requests, blocks, reports
	"follow-request-not-found", "block-self", "block-not-found", "blocked", "report-not-found",
	"report-resolved", "report-self", "nothing-to-report", "flag-too-large", "too-many", "not-by-target",
	"report-open", "report-not-forwardable", "report-notes-full", "report-no-notes", "moderate-self", "unknown-report",
	// finding an actor to follow (federation/actors)
	"remote-actor-not-found", "remote-unreachable", "bad-actor-query", "not-an-actor",
	// news: notes, timelines, likes and boosts
	"note-not-found", "note-deleted", "not-author", "may-not-post-as", "unsolicited-note",
	"note-too-large", "not-boostable", "bad-cursor", "bad-tag", "bad-note-id", "unknown-note",
	"unknown-visibility", "note-gone-at-origin", "not-a-note",
	// Mastodon apps: OAuth applications and grants, polls, reading
	// positions, associations' objects shown as statuses
	"oauth-bad-grant", "oauth-app-not-found", "oauth-bad-scope", "oauth-bad-redirect", "oauth-bad-pkce",
	"oauth-bad-client", "bad-scopes", "bad-redirect-uri", "poll-not-found", "one-choice", "poll-ended",
	"self-vote", "already-voted", "bad-marker", "object-not-found",
	// news: the images of notes
	"image-format", "image-too-large", "attachment-not-found", "unknown-media", "duplicate-media", "focus-out-of-range",
	// the ledger: donations, allocations, reallocations, payouts
	"wrong-currency", "invalid-target", "invalid-cause", "ledger-account-not-found", "task-account-not-found",
	"transaction-not-found", "donation-not-found", "payout-not-found", "insufficient-funds", "task-closed",
	"task-locked", "task-not-funded", "payout-already-paid", "reallocation-right-exists",
	"reallocation-right-exceeded", "allocation-needs-proposal", "treasurer-only", "no-reallocation-right",
	// projects and tasks: proposals, evaluation, reservations, work and its review
	"project-not-found", "task-not-found", "submission-not-found", "holder-or-board-only", "no-actor",
	"evaluation-needs-proposal", "invalid-transition", "project-not-accepted", "project-archived", "task-not-open",
	"task-already-reserved", "task-not-reserved", "reserved-by-another", "not-reservation-holder", "task-not-draft",
	"task-not-submittable", "not-reviewer", "own-submission", "already-reviewed", "submission-not-current",
	"deadline-out-of-range", "one-check-per-criterion", "criteria-not-met", "unknown-licence", "not-a-url",
	"too-few", "too-few.done_criteria", "too-few.reviewers", "invalid-tag", "out-of-range.max_reservation",
	"required.reviewers", "required.parts", "required.bank_reference",
	"criterion-mismatch", "review-not-found", "task-not-done", "reservation-not-found",
	// partners' projects and tasks kept here (core/projects/remote.go)
	"not-partner", "not-owner", "remote-object-invalid", "too-many-partner-objects", "remote-task-not-found",
	// work on tasks across instances (core/projects/received.go, remotework.go, reallocation.go)
	"acts-for-another", "not-here", "reservation-pending-or-active", "no-reservation", "not-the-association",
	"invalid-currency", "invalid-part",
	// governance: proposals, ballots, voting instructions (core/governance)
	"proposal-not-found", "ballot-not-found", "author-only", "proposal-closed", "proposal-in-debate", "phase-ended",
	"voting-suspended", "in-probation", "not-in-electorate", "wrong-phase", "unknown-option", "option-count", "duplicate-option",
	"options-with-actions", "position-or-scores", "position-required", "out-of-scale", "one-score-per-option",
	"unknown-action", "wrong-category", "invalid-source", "project-evaluated", "submission-decided", "unknown-setting",
	"invalid-value", "invalid-category", "invalid-share", "not-member", "one-project", "actor-or-role", "invalid-role",
	"duplicate-scope", "self-delegation", "delegate-not-member",
	// the governance pages' own
	"decisions-members-only", "person-not-found", "delegate-not-found",
	// members on other instances (core/membership/remote_members.go, memberships_elsewhere.go)
	"not-an-association", "only-persons-join", "membership-elsewhere-not-found",
	// ballots and delegations across instances (core/governance/remote.go, elsewhere.go)
	"not-member-elsewhere", "proposal-elsewhere", "not-sent-here",
	// the federation policy (core/domains): the page /admin/federation
	"admin-only", "invalid-domain", "own-domain", "domain-blocked", "domain-not-allowed", "domain-already-blocked",
	"domain-not-blocked", "domain-already-allowed", "domain-not-on-allowlist", "federation-mode-locked",
	"federation-cuts-members", "import-too-large", "malformed-csv",
	// the agenda: events and participation (core/agenda)
	"event-not-found", "participant-not-found", "event-cancelled", "event-over", "already-participating",
	"participation-rejected", "participation-not-pending", "unknown-timezone", "end-before-start", "too-long-event",
	"invalid-time", "cancel-separately", "coordinates-incomplete", "place-or-link", "fixed-organiser", "below-participants",
	// partners' events kept here and joined from here (core/agenda/copies*.go)
	"not-partner-event", "not-event-owner", "remote-event-invalid", "too-many-partner-events", "remote-event-not-found",
	"participation-not-found", "not-organiser",
	// the network agenda's filters (core/agenda/network.go)
	"range-too-long", "invalid-time.from", "invalid-time.to",
	// relay subscriptions (core/relays)
	"too-many-relays", "relay-already-subscribed", "relay-not-found", "relay-unreachable", "relay-not-accepted",
	"private-address", "own-instance",
	// partnerships between associations (core/membership/partners.go)
	"partner-not-found", "partner-self", "not-an-association.target",
	// the ledger page's filters
	"invalid-period", "period-too-long",
	// the pages' own
	codeNotFound, codeMethodNotAllowed, codeBadForm, codeTooLarge, codeInternal, codeInvalidDate, "reviewer-not-found",
	// the router's refusals (web/server.go)
	codeCrossOrigin,
}

// fieldMax is the longest value, in characters, each form field accepts.
// The pages refuse longer values before calling core (which has the same
// bounds), and the "too-long" message quotes them.
var fieldMax = map[string]int{
	"username": membership.MaxNameLength, "name": membership.MaxNameLength,
	"display_name": membership.MaxDisplayName, "email": 254,
	"password": membership.MaxPasswordLength, "current_password": membership.MaxPasswordLength,
	"new_password": membership.MaxPasswordLength,
	"summary":      membership.MaxSummary, "statutes": membership.MaxStatutes,
	"label": 100, "reason": membership.MaxSuspensionReason, "suspension_reason": membership.MaxSuspensionReason,
	"locale": 8, "currency": 8, "join_mode": 16, "visibility": 16, "role": 16, "action": 16,
	"probation_period": 32, "debate_period": 32, "consensus_period": 32, "value_vote_period": 32,
	"max_reservation_period": 32, "board_may_allocate_up_to": 32,
	"follow_approval": 8, "board_may_evaluate_projects": 8,
	"token": 64, "next": 2048,
	"content": news.MaxSourceLength, "author": membership.MaxNameLength, "in_reply_to": 2048,
	"back": 2048, "target": 2048, "follow": 64,
	"mode": 16, "domain": 253, "severity": 16, "public_comment": domains.MaxComment, "private_comment": domains.MaxComment,
	"comment": domains.MaxComment, "confirm": 8,
}

// periodMin is the shortest value of each period setting (core's bounds),
// quoted by the "out-of-range" message; the longest is membership.MaxPeriod.
var periodMin = map[string]time.Duration{
	"probation_period": 0, "debate_period": 0, "consensus_period": time.Second,
	"value_vote_period": time.Second, "max_reservation_period": time.Second,
}

// errText translates a problem for the reader. Unknown codes show core's
// English detail rather than nothing.
func (s speaker) errText(fe core.FieldError) string {
	var (
		msg string
		err error
	)
	key := "error." + fe.Code
	if fe.Field != "" && s.has(key+"."+fe.Field) {
		// A field's own message says it all ("Name at least one
		// reviewer"): it takes no bounds.
		if msg, err := s.t(key + "." + fe.Field); err == nil {
			return msg
		}
	}
	switch fe.Code {
	case codeTooLong:
		max, ok := fieldMax[fe.Field]
		if !ok {
			return s.detail(fe)
		}
		msg, err = s.tn(key, max)
	case "password-too-short":
		msg, err = s.tn(key, membership.MinPasswordLength)
	case "password-too-long":
		msg, err = s.tn(key, membership.MaxPasswordLength)
	case "out-of-range":
		min, ok := periodMin[fe.Field]
		if !ok {
			return s.detail(fe)
		}
		msg, err = s.td(key, "Min", shortDuration(min), "Max", shortDuration(membership.MaxPeriod))
	default:
		msg, err = s.t(key)
	}
	if err != nil {
		return s.detail(fe)
	}
	return msg
}

// detail is core's English sentence, or a generic translated one when core
// gave none.
func (s speaker) detail(fe core.FieldError) string {
	if fe.Detail != "" {
		return fe.Detail
	}
	msg, err := s.t("error.internal")
	if err != nil {
		return "error"
	}
	return msg
}

// Labels of the values core stores as words; the template functions
// translate through these keys.
var (
	roleKeys = map[string]string{
		membership.MemberRegular:   "role.member",
		membership.MemberBoard:     "role.board",
		membership.MemberTreasurer: "role.treasurer",
	}
	localeKeys = map[string]string{"en": "locale.en", "fr": "locale.fr"}
)

// label translates value through keys, or shows value itself when the
// catalogue has no word for it (a role added by a newer version).
func (s speaker) label(keys map[string]string, value string) string {
	if key, ok := keys[value]; ok {
		if msg, err := s.t(key); err == nil {
			return msg
		}
	}
	return value
}
