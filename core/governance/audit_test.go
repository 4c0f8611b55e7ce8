package governance_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/store"
)

// decisionEntries lists the association's entries of action, newest first.
func (f *fixture) decisionEntries(t *testing.T, action string) []store.AuditEntry {
	t.Helper()
	list, err := f.db.AuditLog().List(context.Background(), store.AuditFilter{Scope: store.AuditAssociation,
		AssociationID: &f.project.AssociationID, Action: action, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// An adopted proposal's actions are recorded as the association's, by no
// one's account, naming the proposal; undone actions leave no entry.
func TestAudit_AdoptedActionsAreRecorded(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.adopt(t, f.allocation(t, "100.00"))
		list := f.decisionEntries(t, "ledger.allocate")
		if len(list) != 1 || list[0].AccountID != nil || list[0].AccountName != "" || list[0].Target != "Flash the routers" {
			t.Fatalf("entries %+v", list)
		}
		var detail map[string]any
		if err := json.Unmarshal([]byte(list[0].Detail), &detail); err != nil || detail["proposal"] != p.ID.String() || detail["amount"] != "100.00 EUR" {
			t.Fatalf("detail %s (%v)", list[0].Detail, err)
		}

		// Both actions undone: neither is recorded.
		other := f.newTask(t, "Paint the mast")
		f.adopt(t, f.propose(t, governance.ProposalInput{Category: governance.CategoryBudgetAllocation, Title: "Fund both",
			Actions: []governance.ActionInput{
				{Kind: governance.ActionAllocate, Task: other.ID, Amount: "100.00"},
				{Kind: governance.ActionAllocate, Task: f.task.ID, Amount: "950.00"}}}))
		if again := f.decisionEntries(t, "ledger.allocate"); len(again) != 1 {
			t.Fatalf("undone actions recorded: %+v", again)
		}
	})
}
