package membership

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/store"
)

// Handle is how the audit log names a person or an association: @name for
// a local one, @name@host for one elsewhere.
func Handle(username, host string, local bool) string {
	if local || host == "" {
		return "@" + username
	}
	return "@" + username + "@" + host
}

// recordBoard records, inside tx, an action by's board role allowed in
// association's name.
func recordBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by Account, action, target string, detail map[string]any) error {
	id := by.ID
	return audit.Record(ctx, tx, audit.Entry{Association: &association, Account: &id, AccountName: by.Username,
		Action: action, Target: target, Detail: detail})
}

// recordAdmin records, inside tx, an action by's admin role allowed.
func recordAdmin(ctx context.Context, tx store.Tx, by Account, action, target string, detail map[string]any) error {
	id := by.ID
	return audit.Record(ctx, tx, audit.Entry{Account: &id, AccountName: by.Username, Action: action, Target: target, Detail: detail})
}

// RecordDecision records, inside tx, an action association carried out on
// its own because proposal was adopted: no one's account, the proposal in
// the detail.
func RecordDecision(ctx context.Context, tx store.Tx, association, proposal uuid.UUID, action, target string, detail map[string]any) error {
	d := map[string]any{"proposal": proposal.String()}
	for k, v := range detail {
		d[k] = v
	}
	return audit.Record(ctx, tx, audit.Entry{Association: &association, Action: action, Target: target, Detail: d})
}

// named lists the names (as in the API) of what ch changes, with the new
// value of each setting: the audit entry's detail, free of long texts.
func (ch AssociationChange) named() map[string]any {
	var fields []string
	for name, set := range map[string]bool{"display_name": ch.DisplayName != nil, "summary": ch.Summary != nil,
		"statutes": ch.Statutes != nil, "fields": ch.Fields != nil, "location": ch.Location != nil} {
		if set {
			fields = append(fields, name)
		}
	}
	slices.Sort(fields)
	settings := map[string]any{}
	for name, v := range map[string]*string{"currency": ch.Settings.Currency, "join_mode": ch.Settings.JoinMode,
		"probation_period": ch.Settings.ProbationPeriod, "debate_period": ch.Settings.DebatePeriod,
		"consensus_period": ch.Settings.ConsensusPeriod, "value_vote_period": ch.Settings.ValueVotePeriod,
		"max_reservation_period": ch.Settings.MaxReservationPeriod, "board_may_allocate_up_to": ch.Settings.BoardMayAllocateUpTo,
		"visibility": ch.Settings.Visibility} {
		if v != nil {
			settings[name] = *v
		}
	}
	for name, v := range map[string]*bool{"follow_approval": ch.Settings.FollowApproval,
		"board_may_evaluate_projects": ch.Settings.BoardMayEvaluateProjects} {
		if v != nil {
			settings[name] = *v
		}
	}
	d := map[string]any{}
	if len(fields) > 0 {
		d["fields"] = fields
	}
	if len(settings) > 0 {
		d["settings"] = settings
	}
	return d
}

// recordMemberChange records what the board changed of a membership,
// before to after: an admission, a role, voting rights. The reason for a
// suspension stays out: only the board and the member see it.
func recordMemberChange(ctx context.Context, tx store.Tx, association uuid.UUID, by Account, before, after store.MemberRow) error {
	target := Handle(after.Username, after.Host, after.Local)
	if before.Status == MemberPending && after.Status == MemberActive {
		if err := recordBoard(ctx, tx, association, by, "member.admit", target, nil); err != nil {
			return err
		}
	}
	if before.Role != after.Role {
		if err := recordBoard(ctx, tx, association, by, "member.role", target, map[string]any{"role": after.Role}); err != nil {
			return err
		}
	}
	if before.VotingSuspended != after.VotingSuspended {
		return recordBoard(ctx, tx, association, by, "member.voting", target, map[string]any{"suspended": after.VotingSuspended})
	}
	return nil
}
