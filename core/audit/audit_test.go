package audit_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/store"
	"github.com/holon-network/holon/store/storetest"
)

func TestRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(tx store.Tx) error {
			for _, e := range []audit.Entry{
				{AccountName: "", Action: "domain.block", Target: "bad.example", Detail: map[string]any{"severity": "suspend"}},
				{AccountName: "", Action: "domain_x.unblock", Target: "other.example"},
				{AccountName: "", Action: "settings.update"},
			} {
				if err := audit.Record(ctx, tx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].Action != "settings.update" || all[2].Action != "domain.block" {
			t.Fatalf("newest first: got %+v", all)
		}
		var detail map[string]any
		if err := json.Unmarshal([]byte(all[2].Detail), &detail); err != nil || detail["severity"] != "suspend" {
			t.Errorf("detail %q: %v", all[2].Detail, err)
		}
		// "_" in a prefix is a character, not a wildcard.
		domain, err := db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Action: "domain.", Limit: 10})
		if err != nil || len(domain) != 1 || domain[0].Target != "bad.example" {
			t.Errorf("prefix domain.: %+v, %v", domain, err)
		}
		older, err := db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditInstance, Before: all[1].ID, Limit: 10})
		if err != nil || len(older) != 1 || older[0].ID != all[2].ID {
			t.Errorf("before the second: %+v, %v", older, err)
		}
		none, err := db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &uuid.Nil, Limit: 10})
		if err != nil || len(none) != 0 {
			t.Errorf("association scope: %+v, %v", none, err)
		}
		if err := audit.Record(ctx, db.Tx, audit.Entry{}); err == nil {
			t.Error("an entry without an action was recorded")
		}
	})
}
