package governance

import (
	"context"
	"errors"
	"fmt"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/money"
	"github.com/holon-network/holon/store"
)

// recordAction records in the audit log, inside tx (the savepoint of the
// proposal's actions, so an undone action leaves no entry), what adopted
// proposal p had the association do: no one's account, the proposal in the
// detail, under the names the board's own actions use.
func recordAction(ctx context.Context, tx store.Tx, p store.Proposal, a Action) error {
	action, target, detail := "", "", map[string]any{}
	switch a.Kind {
	case ActionAllocate:
		name, err := nameOf(a.Task.String(), func() (string, error) {
			t, err := tx.Tasks().ByID(ctx, *a.Task)
			return t.Name, err
		})
		if err != nil {
			return fmt.Errorf("audit allocation: %w", err)
		}
		action, target = "ledger.allocate", name
		detail["amount"] = money.Format(a.Amount, a.Currency) + " " + a.Currency
	case ActionAcceptProject, ActionRejectProject:
		pr, err := tx.Projects().ByID(ctx, *a.Project)
		if err != nil {
			return fmt.Errorf("audit evaluation: %w", err)
		}
		action, target = "project.evaluate", pr.Name
		detail["verdict"] = "accept"
		if a.Kind == ActionRejectProject {
			detail["verdict"] = "reject"
		}
	case ActionVerifySubmission:
		sub, err := tx.Submissions().ByID(ctx, *a.Submission)
		if err != nil {
			return fmt.Errorf("audit verification: %w", err)
		}
		t, err := tx.Tasks().ByID(ctx, sub.TaskID)
		if err != nil {
			return fmt.Errorf("audit verification: %w", err)
		}
		action, target, detail["verdict"] = "submission.review", t.Name, "accept"
	case ActionChangeSetting:
		action, target = "association.update", a.Setting
		detail["settings"] = map[string]any{a.Setting: a.Value}
	case ActionChangeRules:
		action, target = "governance.rules", a.Category
		detail["quorum"], detail["majority"] = *a.Quorum, *a.Majority
	case ActionAdmitMember, ActionExcludeMember:
		who, err := tx.Actors().ByURI(ctx, a.Actor)
		if err != nil {
			return fmt.Errorf("audit %s: %w", a.Kind, err)
		}
		action, target = "member.admit", membership.Handle(who.Username, who.Host, who.Local)
		if a.Kind == ActionExcludeMember {
			action = "member.exclude"
		}
	default:
		return nil
	}
	return membership.RecordDecision(ctx, tx, p.AssociationID, p.ID, action, target, detail)
}

// nameOf is what read names, or id when the row is gone.
func nameOf(id string, read func() (string, error)) (string, error) {
	name, err := read()
	if errors.Is(err, store.ErrNotFound) {
		return id, nil
	}
	return name, err
}
