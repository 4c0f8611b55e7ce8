// Package audit keeps the audit log: what instance admins did, and what
// boards did in their association's name. Every service that carries out
// such an action calls Record in the transaction of the action, so the
// action and its entry commit together or not at all.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/store"
)

// Entry is one action to record.
type Entry struct {
	// Association is set for a board's action in the association's name
	// (members see it); nil for an instance admin's action.
	Association *uuid.UUID
	// Account is who acted, by id and name; nil and "" for the operator at
	// the command line, or the instance acting on its own (an adopted
	// proposal executed, a reservation lapsed).
	Account     *uuid.UUID
	AccountName string
	// Action names what was done, "<object>.<verb>" ("domain.block",
	// "report.resolve", "member.role"): stable, for filters and
	// translations.
	Action string
	// Target is what the action touched, as people read it: a domain, an
	// @name or name@host, an id.
	Target string
	// Detail holds the action's parameters (severity, reason, new role…);
	// never secrets. It is stored as a JSON object.
	Detail map[string]any
	// At is when; the zero time means now.
	At time.Time
}

// Record appends e to the audit log inside tx.
func Record(ctx context.Context, tx store.Tx, e Entry) error {
	if e.Action == "" {
		return fmt.Errorf("audit entry without an action")
	}
	detail := e.Detail
	if detail == nil {
		detail = map[string]any{}
	}
	raw, err := json.Marshal(detail)
	if err != nil {
		return fmt.Errorf("audit %s: encode detail: %w", e.Action, err)
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	scope := store.AuditInstance
	if e.Association != nil {
		scope = store.AuditAssociation
	}
	row := store.AuditEntry{ID: uuid.Must(uuid.NewV7()), Scope: scope, AssociationID: e.Association,
		AccountID: e.Account, AccountName: e.AccountName, Action: e.Action, Target: e.Target,
		Detail: string(raw), CreatedAt: at.UTC()}
	if err := tx.AuditLog().Append(ctx, &row); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}
