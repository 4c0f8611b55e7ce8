package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/holon-network/holon/core/audit"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/store"
)

type auditPage struct {
	Items []struct {
		ID      string         `json:"id"`
		Account *string        `json:"account"`
		Action  string         `json:"action"`
		Target  string         `json:"target"`
		Detail  map[string]any `json:"detail"`
	} `json:"items"`
	Next *string `json:"next"`
}

func TestAudit_InstanceLogToAdminsAndModerators(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		root := e.admin("root")
		_, user := e.person("ada")
		mod, err := e.Members.CreateAccount(context.Background(), membership.NewAccount{Username: "mod", Email: "mod@example.org",
			Password: "correct horse battery"}, membership.RoleModerator)
		if err != nil {
			t.Fatal(err)
		}
		modToken, _, err := e.Members.CreateToken(context.Background(), mod, "test")
		if err != nil {
			t.Fatal(err)
		}
		err = e.DB.InTx(context.Background(), func(tx store.Tx) error {
			for _, a := range []string{"domain.block", "account.approve", "domain.unblock"} {
				if err := audit.Record(context.Background(), tx, audit.Entry{Action: a, Target: "x.example"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		e.get("/admin/audit", "").problem(t, http.StatusUnauthorized, "unauthenticated")
		e.get("/admin/audit", user).problem(t, http.StatusForbidden, "not-allowed")
		var p auditPage
		e.get("/admin/audit?limit=2", root).ok(t, http.StatusOK, "AuditPage", &p)
		if len(p.Items) != 2 || p.Items[0].Action != "domain.unblock" || p.Items[0].Account != nil || p.Next == nil {
			t.Fatalf("first page %+v", p)
		}
		var rest auditPage
		e.get("/admin/audit?limit=2&cursor="+*p.Next, modToken).ok(t, http.StatusOK, "AuditPage", &rest)
		if len(rest.Items) != 1 || rest.Items[0].Action != "domain.block" || rest.Next != nil {
			t.Fatalf("second page %+v", rest)
		}
		var domain auditPage
		e.get("/admin/audit?action=domain.", root).ok(t, http.StatusOK, "AuditPage", &domain)
		if len(domain.Items) != 2 {
			t.Fatalf("domain. entries %+v", domain)
		}
		e.get("/admin/audit?action=DROP%20TABLE", root).problem(t, http.StatusBadRequest, "invalid-input")
		e.get("/admin/audit?cursor=nope", root).problem(t, http.StatusBadRequest, "invalid-input")
	})
}

func TestAudit_AssociationLogFollowsItsVisibility(t *testing.T) {
	each(t, nil, func(t *testing.T, e env) {
		root := e.admin("root")
		ada, adaToken := e.person("ada")
		bob, bobToken := e.person("bob")
		_, zoeToken := e.person("zoe")
		e.association(ada, "commons")
		e.join(bob, "commons")
		role := membership.MemberTreasurer
		if _, err := e.Members.UpdateMember(context.Background(), ada, "commons", "bob", membership.MemberChange{Role: &role}); err != nil {
			t.Fatal(err)
		}
		var p auditPage
		e.get("/associations/commons/audit", "").ok(t, http.StatusOK, "AuditPage", &p)
		if len(p.Items) != 1 || p.Items[0].Action != "member.role" || p.Items[0].Target != "@bob" ||
			p.Items[0].Account == nil || *p.Items[0].Account != "ada" || p.Items[0].Detail["role"] != "treasurer" {
			t.Fatalf("public log %+v", p)
		}
		e.settings(ada, "commons", membership.SettingsChange{Visibility: ptr(membership.VisibilityMembers)})
		for _, c := range []struct {
			who    string
			token  string
			status int
		}{{"anonymous", "", http.StatusForbidden}, {"non-member", zoeToken, http.StatusForbidden},
			{"member", bobToken, http.StatusOK}, {"board", adaToken, http.StatusOK}, {"admin", root, http.StatusOK}} {
			t.Run(c.who, func(t *testing.T) {
				r := e.get("/associations/commons/audit", c.token)
				if c.status != http.StatusOK {
					r.problem(t, c.status, "members-only")
					return
				}
				var p auditPage
				r.ok(t, http.StatusOK, "AuditPage", &p)
				if len(p.Items) != 2 || p.Items[0].Action != "association.update" {
					t.Fatalf("log %+v", p)
				}
			})
		}
		e.get("/associations/nowhere/audit", root).problem(t, http.StatusNotFound, "association-not-found")
	})
}
