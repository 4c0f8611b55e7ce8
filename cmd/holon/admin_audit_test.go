package main

import (
	"strings"
	"testing"

	"github.com/holon-network/holon/core/membership"
)

func TestAdminAuditList_PrintsTheInstancesAndAnAssociationsEntries(t *testing.T) {
	eachEngine(t, func(t *testing.T, e engine) {
		env := append(e.env, "HOLON_INSTANCE_ASSOCIATION_CREATION=admins")
		createAccount(t, env, "root", "--admin").wantSuccess(t)
		createAccount(t, env, "bob").wantSuccess(t)
		holon(t, env, "", "admin", "association", "create", "--name", "commons", "--display-name", "Commons", "--owner", "root").wantSuccess(t)
		members := e.members(t)
		root, err := members.Account(t.Context(), "root")
		if err != nil {
			t.Fatal(err)
		}
		bob, err := members.Account(t.Context(), "bob")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := members.Join(t.Context(), bob, "commons"); err != nil {
			t.Fatal(err)
		}
		role := membership.MemberBoard
		if _, err := members.UpdateMember(t.Context(), root, "commons", "bob", membership.MemberChange{Role: &role}); err != nil {
			t.Fatal(err)
		}

		r := holon(t, env, "", "admin", "audit", "list")
		r.wantSuccess(t)
		if f := strings.Split(strings.TrimSpace(r.stdout), "\t"); len(f) != 5 || f[1] != "root" || f[2] != "association.create" || f[3] != "@commons" {
			t.Errorf("instance log %q", r.stdout)
		}
		r = holon(t, env, "", "admin", "audit", "list", "--association", "commons", "--action", "member.")
		r.wantSuccess(t)
		if got := strings.TrimSpace(r.stdout); !strings.HasSuffix(got, "\troot\tmember.role\t@bob\t{\"role\":\"board\"}") || strings.Count(got, "\n") != 0 {
			t.Errorf("association log %q", r.stdout)
		}
		holon(t, env, "", "admin", "audit", "list", "--association", "nowhere").wantFailure(t, exitFailure, "association")
		holon(t, env, "", "admin", "audit", "list", "--action", "Bad Prefix").wantFailure(t, exitFailure, "action")
	})
}
