package governance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
)

// Kinds of executable actions (docs/vocabulary.md).
const (
	ActionAllocate         = "allocate"
	ActionAcceptProject    = "accept_project"
	ActionRejectProject    = "reject_project"
	ActionVerifySubmission = "verify_submission"
	ActionChangeSetting    = "change_setting"
	ActionChangeRules      = "change_rules"
	ActionAdmitMember      = "admit_member"
	ActionExcludeMember    = "exclude_member"
)

// actionCategory is the category of the proposals that may carry each
// kind of action: its thresholds are the ones the action needs.
var actionCategory = map[string]string{
	ActionAllocate:         CategoryBudgetAllocation,
	ActionAcceptProject:    CategoryProjectEvaluation,
	ActionRejectProject:    CategoryProjectEvaluation,
	ActionVerifySubmission: CategoryTaskVerification,
	ActionChangeSetting:    CategorySettings,
	ActionChangeRules:      CategoryStatutes,
	ActionAdmitMember:      CategoryMembership,
	ActionExcludeMember:    CategoryMembership,
}

// Settings lists the association settings a proposal may change (DESIGN
// §7), by their names in the API.
var Settings = []string{"currency", "join_mode", "follow_approval", "probation_period", "debate_period",
	"consensus_period", "value_vote_period", "max_reservation_period", "board_may_allocate_up_to",
	"board_may_evaluate_projects", "visibility"}

// ActionInput is one action as the author writes it; only the fields of
// its kind are read.
type ActionInput struct {
	Kind string
	// allocate: Amount (a decimal in the association's currency) from
	// From ("general", the default, or "project:{id}") to Task.
	Task   uuid.UUID
	From   string
	Amount string
	// accept_project, reject_project.
	Project uuid.UUID
	// verify_submission.
	Submission uuid.UUID
	// change_setting: Setting (one of Settings) takes Value, written as
	// in the API ("168h", "12.50", "true").
	Setting string
	Value   string
	// change_rules: the thresholds of Category, shares in [0, 1].
	Category string
	Quorum   float64
	Majority float64
	// admit_member, exclude_member: the member's actor id.
	Actor string
}

// Action is an executable action, as checked and stored.
type Action struct {
	Kind       string     `json:"kind"`
	Task       *uuid.UUID `json:"task,omitempty"`
	From       string     `json:"from,omitempty"`
	Amount     int64      `json:"amount,omitempty"`
	Currency   string     `json:"currency,omitempty"`
	Project    *uuid.UUID `json:"project,omitempty"`
	Submission *uuid.UUID `json:"submission,omitempty"`
	Setting    string     `json:"setting,omitempty"`
	Value      string     `json:"value,omitempty"`
	Category   string     `json:"category,omitempty"`
	Quorum     *float64   `json:"quorum,omitempty"`
	Majority   *float64   `json:"majority,omitempty"`
	Actor      string     `json:"actor,omitempty"`
}

// Statuses of an action once the proposal is closed.
const (
	ActionDone   = "done"   // it ran
	ActionFailed = "failed" // it was refused when it ran; nothing it did stays
	ActionUndone = "undone" // it ran, but another action of the proposal failed: undone with it
	ActionNotRun = "not_run"
)

// ActionResult is what an action of an adopted proposal did.
type ActionResult struct {
	Kind   string `json:"kind"`
	Status string `json:"status"`
	// Code and Detail say why it failed (the error's stable code).
	Code   string `json:"code,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Transaction is the ledger transaction an allocation recorded.
	Transaction *uuid.UUID `json:"transaction,omitempty"`
}

// checkActions checks in's actions for a proposal of category in
// association a, and returns them with the one project they concern, if
// any (a proposal concerns at most one project: its beneficiaries lead).
func (s *Service) checkActions(ctx context.Context, tx store.Tx, a membership.Association, category string, in []ActionInput) ([]Action, *uuid.UUID, error) {
	var fe fieldErrors
	out := make([]Action, 0, len(in))
	var project *uuid.UUID
	concerns := func(id uuid.UUID) {
		switch {
		case project == nil:
			project = &id
		case *project != id:
			fe.Add("actions", "one-project", "a proposal's actions concern one project at most")
		}
	}
	for i, ai := range in {
		field := fmt.Sprintf("actions[%d]", i)
		want, ok := actionCategory[ai.Kind]
		if !ok {
			fe.Add(field, "unknown-action", "kind must be one of allocate, accept_project, reject_project, verify_submission, change_setting, change_rules, admit_member, exclude_member")
			continue
		}
		if want != category {
			fe.Add(field, "wrong-category", fmt.Sprintf("a %s action goes in a proposal of category %s", ai.Kind, want))
			continue
		}
		act := Action{Kind: ai.Kind}
		n := len(fe)
		switch ai.Kind {
		case ActionAllocate:
			t, err := tx.Tasks().ByID(ctx, ai.Task)
			switch {
			case errors.Is(err, store.ErrNotFound) || (err == nil && t.AssociationID != a.ID):
				fe.Add(field, "task-not-found", "no such task in this association")
			case err != nil:
				return nil, nil, err
			case slices.Contains([]string{projects.TaskDone, projects.TaskPaid, projects.TaskCancelled}, t.Status):
				fe.Add(field, "task-closed", "this task no longer receives money")
			default:
				act.Task = &t.ID
				concerns(t.ProjectID)
			}
			amount, err := money.Parse(ai.Amount, a.Settings.Currency)
			if err != nil || amount <= 0 {
				fe.Add(field, "invalid-amount", fmt.Sprintf("amount must be a positive amount in %s such as \"12.50\"", a.Settings.Currency))
			}
			act.Amount, act.Currency = amount, a.Settings.Currency
			act.From = strings.TrimSpace(ai.From)
			if act.From == "" {
				act.From = ledger.KeyGeneral
			}
			if act.From != ledger.KeyGeneral {
				id, err := uuid.Parse(strings.TrimPrefix(act.From, "project:"))
				p, perr := tx.Projects().ByID(ctx, id)
				switch {
				case !strings.HasPrefix(act.From, "project:") || err != nil || errors.Is(perr, store.ErrNotFound) ||
					(perr == nil && p.AssociationID != a.ID):
					fe.Add(field, "invalid-source", "from must be general or project:{id} of a project of this association")
				case perr != nil:
					return nil, nil, perr
				default:
					act.From = ledger.ProjectKey(p.ID)
				}
			}
		case ActionAcceptProject, ActionRejectProject:
			p, err := tx.Projects().ByID(ctx, ai.Project)
			switch {
			case errors.Is(err, store.ErrNotFound) || (err == nil && p.AssociationID != a.ID):
				fe.Add(field, "project-not-found", "no such project in this association")
			case err != nil:
				return nil, nil, err
			case p.Status != projects.ProjectProposed && p.Status != projects.ProjectEvaluating:
				fe.Add(field, "project-evaluated", "this project is no longer waiting for its evaluation")
			default:
				act.Project = &p.ID
				concerns(p.ID)
			}
		case ActionVerifySubmission:
			sub, err := tx.Submissions().ByID(ctx, ai.Submission)
			var t store.Task
			if err == nil {
				t, err = tx.Tasks().ByID(ctx, sub.TaskID)
			}
			switch {
			case errors.Is(err, store.ErrNotFound) || (err == nil && t.AssociationID != a.ID):
				fe.Add(field, "submission-not-found", "no such submission in this association")
			case err != nil:
				return nil, nil, err
			case sub.Status != projects.SubmissionPending || t.Status != projects.TaskSubmitted:
				fe.Add(field, "submission-decided", "this submission is no longer waiting for its verification")
			default:
				act.Submission = &sub.ID
				concerns(t.ProjectID)
			}
		case ActionChangeSetting:
			ch, err := settingChange(ai.Setting, ai.Value)
			if errors.Is(err, errUnknownSetting) {
				fe.Add(field, "unknown-setting", errUnknownSetting.Detail)
				break
			}
			if err == nil {
				_, err = a.Settings.Apply(ch)
			}
			if err != nil {
				fe.Add(field, "invalid-value", settingDetail(err))
				break
			}
			act.Setting, act.Value = ai.Setting, strings.TrimSpace(ai.Value)
		case ActionChangeRules:
			if !IsCategory(ai.Category) {
				fe.Add(field, "invalid-category", "category must be one of "+strings.Join(Categories, ", "))
			}
			if !(ai.Quorum >= 0 && ai.Quorum <= 1) || !(ai.Majority >= 0 && ai.Majority <= 1) {
				fe.Add(field, "invalid-share", "quorum and majority are shares between 0 and 1")
			}
			q, m := ai.Quorum, ai.Majority
			act.Category, act.Quorum, act.Majority = ai.Category, &q, &m
		case ActionAdmitMember, ActionExcludeMember:
			actor := strings.TrimSpace(ai.Actor)
			m, err := memberByActor(ctx, tx, a.ID, actor)
			switch {
			case errors.Is(err, store.ErrNotFound):
				fe.Add(field, "member-not-found", "no such member or request to join in this association")
			case err != nil:
				return nil, nil, err
			case ai.Kind == ActionAdmitMember && m.Status != membership.MemberPending:
				fe.Add(field, "not-pending", "this person is not waiting for admission")
			case ai.Kind == ActionExcludeMember && m.Status != membership.MemberActive:
				fe.Add(field, "not-member", "this person is not a member")
			default:
				act.Actor = actor
			}
		}
		if len(fe) == n {
			out = append(out, act)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, nil, err
	}
	return out, project, nil
}

// errUnknownSetting is a change of a setting the association does not
// have.
var errUnknownSetting = core.New(core.KindInvalid, "unknown-setting", "setting must be one of "+strings.Join(Settings, ", "))

// settingChange turns a setting's name and value, written as in the API,
// into a change of the association's settings.
func settingChange(name, value string) (membership.SettingsChange, error) {
	var ch membership.SettingsChange
	v := strings.TrimSpace(value)
	text := map[string]**string{"currency": &ch.Currency, "join_mode": &ch.JoinMode,
		"probation_period": &ch.ProbationPeriod, "debate_period": &ch.DebatePeriod,
		"consensus_period": &ch.ConsensusPeriod, "value_vote_period": &ch.ValueVotePeriod,
		"max_reservation_period": &ch.MaxReservationPeriod, "board_may_allocate_up_to": &ch.BoardMayAllocateUpTo,
		"visibility": &ch.Visibility}
	boolean := map[string]**bool{"follow_approval": &ch.FollowApproval, "board_may_evaluate_projects": &ch.BoardMayEvaluateProjects}
	if p, ok := text[name]; ok {
		*p = &v
		return ch, nil
	}
	p, ok := boolean[name]
	if !ok {
		return ch, errUnknownSetting
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return ch, core.Invalid(core.FieldError{Field: name, Code: "invalid-choice", Detail: "must be true or false"})
	}
	*p = &b
	return ch, nil
}

// settingDetail is the readable reason a setting's value is refused.
func settingDetail(err error) string {
	if e, ok := core.As(err); ok && len(e.Fields) > 0 {
		return e.Fields[0].Detail
	}
	return "this value is not valid for this setting"
}

// execute runs p's actions, inside a savepoint of the transaction that
// closes it: all of them, or none when one is refused (the refusal is
// recorded and nothing any of them did stays). An error that is not a
// refusal (the database failing) is returned, and the whole closing is
// tried again later.
func (s *Service) execute(ctx context.Context, tx store.Tx, p store.Proposal, actions []Action) ([]ActionResult, error) {
	if len(actions) == 0 {
		return nil, nil
	}
	results := make([]ActionResult, len(actions))
	for i, a := range actions {
		results[i] = ActionResult{Kind: a.Kind, Status: ActionNotRun}
	}
	assoc, err := tx.Actors().OfAssociation(ctx, p.AssociationID)
	if err != nil {
		return nil, err
	}
	failed := -1
	var refusal *core.Error
	err = tx.Savepoint(ctx, func(tx store.Tx) error {
		for i, a := range actions {
			txID, err := s.run(ctx, tx, p, assoc.URI, a)
			if err != nil {
				e, ok := core.As(err)
				if !ok {
					return err
				}
				failed, refusal = i, e
				return err
			}
			if err := recordAction(ctx, tx, p, a); err != nil {
				return err
			}
			results[i].Status, results[i].Transaction = ActionDone, txID
		}
		return nil
	})
	if err != nil && failed < 0 {
		return nil, err
	}
	if failed >= 0 {
		for i := range results {
			switch {
			case i == failed:
				results[i].Status, results[i].Code, results[i].Detail = ActionFailed, refusal.Code, refusal.Detail
			case results[i].Status == ActionDone:
				results[i].Status, results[i].Transaction = ActionUndone, nil
			}
		}
	}
	return results, nil
}

// run carries out one action; it returns the ledger transaction of an
// allocation.
func (s *Service) run(ctx context.Context, tx store.Tx, p store.Proposal, by string, a Action) (*uuid.UUID, error) {
	cause := s.ProposalURI(p.ID)
	switch a.Kind {
	case ActionAllocate:
		t, err := s.exec.Ledger.AllocateByDecision(ctx, tx, p.AssociationID, a.From, *a.Task, a.Amount, cause, by)
		if err != nil {
			return nil, err
		}
		return &t.ID, nil
	case ActionAcceptProject, ActionRejectProject:
		verdict := projects.Accept
		if a.Kind == ActionRejectProject {
			verdict = projects.Reject
		}
		return nil, s.exec.Projects.EvaluateByDecision(ctx, tx, *a.Project, verdict, "decided by "+cause, by)
	case ActionVerifySubmission:
		return nil, s.exec.Projects.VerifyByDecision(ctx, tx, *a.Submission, "verified by "+cause, by)
	case ActionChangeSetting:
		ch, err := settingChange(a.Setting, a.Value)
		if err != nil {
			return nil, err
		}
		return nil, s.exec.Members.ChangeSettingsByDecision(ctx, tx, p.AssociationID, ch)
	case ActionChangeRules:
		return nil, tx.GovernanceRules().Set(ctx, &store.GovernanceRule{AssociationID: p.AssociationID,
			Category: a.Category, Quorum: *a.Quorum, Majority: *a.Majority, UpdatedAt: s.now()})
	case ActionAdmitMember:
		return nil, s.exec.Members.AdmitByDecision(ctx, tx, p.AssociationID, a.Actor)
	case ActionExcludeMember:
		return nil, s.exec.Members.ExcludeByDecision(ctx, tx, p.AssociationID, a.Actor)
	}
	return nil, core.New(core.KindInvalid, "unknown-action", "unknown action "+a.Kind)
}
