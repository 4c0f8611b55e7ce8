package projects

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

// recordBoard records, inside tx, an action taken in association's name
// by a board member (or a task's reviewer, or the treasurer).
func recordBoard(ctx context.Context, tx store.Tx, association uuid.UUID, by membership.Account, action, target string, detail map[string]any) error {
	id := by.ID
	return audit.Record(ctx, tx, audit.Entry{Association: &association, Account: &id, AccountName: by.Username,
		Action: action, Target: target, Detail: detail})
}

// handleOf is how the audit log names the person at actor id uri: their
// @name (or @name@host), else the address itself.
func handleOf(ctx context.Context, tx store.Tx, uri string) string {
	a, err := tx.Actors().ByURI(ctx, uri)
	if err != nil {
		return uri
	}
	return membership.Handle(a.Username, a.Host, a.Local)
}

// taskOfSubmission returns the task submission id answers.
func taskOfSubmission(ctx context.Context, tx store.Tx, id uuid.UUID) (store.Task, error) {
	sub, err := tx.Submissions().ByID(ctx, id)
	if err != nil {
		return store.Task{}, fmt.Errorf("submission %s: %w", id, err)
	}
	return tx.Tasks().ByID(ctx, sub.TaskID)
}
