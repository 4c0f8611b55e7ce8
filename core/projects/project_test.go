package projects_test

import (
	"context"
	"testing"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/projects"
)

func TestLicence_KnowsSPDXIdentifiers(t *testing.T) {
	for in, want := range map[string]string{"MIT": "MIT", "agpl-3.0-or-later": "AGPL-3.0-or-later", " CC-BY-SA-4.0 ": "CC-BY-SA-4.0"} {
		if got, ok := projects.Licence(in); !ok || got != want {
			t.Errorf("Licence(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "GPL", "MIT OR Apache-2.0", "Proprietary"} {
		if _, ok := projects.Licence(bad); ok {
			t.Errorf("Licence(%q) accepted", bad)
		}
	}
}

func TestPropose_RefusesBadFieldsAndRecordsTheHolder(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		bad := []struct {
			name, field, code string
			mutate            func(*projects.ProjectInput)
		}{
			{"unknown licence", "licence", "unknown-licence", func(in *projects.ProjectInput) { in.Licence = ptr("GPL") }},
			{"architecture", "architecture", "invalid-choice", func(in *projects.ProjectInput) { in.Architecture = ptr("peer-to-peer") }},
			{"no name", "name", "required", func(in *projects.ProjectInput) { in.Name = nil }},
			{"negative goal", "goal", "invalid-amount", func(in *projects.ProjectInput) { in.Goal = ptr("-5") }},
			{"too many tags", "tags", "too-many", func(in *projects.ProjectInput) {
				in.Tags = ptr(make([]string, projects.MaxTags+1))
			}},
			{"bad tag", "tags", "invalid-tag", func(in *projects.ProjectInput) { in.Tags = ptr([]string{"a b"}) }},
		}
		for _, tt := range bad {
			in := validProject()
			tt.mutate(&in)
			_, err := f.svc.Propose(ctx, f.bob, "commons", in)
			wantField(t, err, tt.field, tt.code)
		}
		outsider := f.account(t, "carol")
		_, err := f.svc.Propose(ctx, outsider, "commons", validProject())
		wantCode(t, err, "members-only")

		p, err := f.svc.Propose(ctx, f.bob, "commons", validProject())
		if err != nil {
			t.Fatal(err)
		}
		if p.Holder != uri("bob") || p.Status != projects.ProjectProposed || p.Licence != "AGPL-3.0-or-later" ||
			p.Goal != 150000 || p.Currency != "EUR" || len(p.Tags) != 2 || p.Tags[0] != "mesh" {
			t.Fatalf("got %+v", p)
		}
		list, _, err := f.svc.Projects(ctx, "commons", [16]byte{}, 10)
		if err != nil || len(list) != 1 || list[0].ID != p.ID {
			t.Fatalf("list: %v %+v", err, list)
		}
	})
}

func TestEvaluate_ByTheBoardOnlyWhenTheSettingsAllow(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		p, err := f.svc.Propose(ctx, f.bob, "commons", validProject())
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Evaluate(ctx, f.bob, p.ID, projects.Accept, "")
		wantCode(t, err, "board-only")
		_, err = f.svc.Evaluate(ctx, f.alice, p.ID, projects.Reject, "")
		wantField(t, err, "reason", "required")

		f.setBoardEvaluates(t, false)
		_, err = f.svc.Evaluate(ctx, f.alice, p.ID, projects.Accept, "")
		wantCode(t, err, "evaluation-needs-proposal")
		f.setBoardEvaluates(t, true)

		donation := ledger.DonationInput{Amount: 500, Currency: "EUR", Target: ledger.ProjectKey(p.ID)}
		_, err = f.ledger.Donate(ctx, nil, "commons", donation)
		wantCode(t, err, "ledger-account-not-found") // not before it is accepted
		p, err = f.svc.Evaluate(ctx, f.alice, p.ID, projects.Accept, "fits our statutes")
		if err != nil || p.Status != projects.ProjectAccepted {
			t.Fatalf("evaluate: %v %+v", err, p)
		}
		// Accepted, it takes donations before any task opens.
		if _, err := f.ledger.Donate(ctx, nil, "commons", donation); err != nil {
			t.Fatalf("donate to the accepted project: %v", err)
		}
		_, err = f.svc.Evaluate(ctx, f.alice, p.ID, projects.Reject, "changed our mind")
		wantCode(t, err, "invalid-transition")

		_, err = f.svc.SetProjectStatus(ctx, f.bob, p.ID, projects.ProjectCompleted, "")
		wantCode(t, err, "invalid-transition") // accepted → completed skips active
		_, err = f.svc.SetProjectStatus(ctx, f.alice, p.ID, projects.ProjectRejected, "")
		wantField(t, err, "status", "invalid-choice") // only an evaluation rejects
		if p, err = f.svc.SetProjectStatus(ctx, f.bob, p.ID, projects.ProjectActive, "starting"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.SetProjectStatus(ctx, f.bob, p.ID, projects.ProjectCompleted, "")
		wantCode(t, err, "board-only")
		if _, err = f.svc.SetProjectStatus(ctx, f.alice, p.ID, projects.ProjectCompleted, "all done"); err != nil {
			t.Fatal(err)
		}

		h, err := f.svc.History(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ from, to, by, reason string }{
			{"", "proposed", uri("bob"), ""},
			{"proposed", "evaluating", uri("alice"), "evaluated by the board"},
			{"evaluating", "accepted", uri("alice"), "fits our statutes"},
			{"accepted", "active", uri("bob"), "starting"},
			{"active", "completed", uri("alice"), "all done"},
		}
		if len(h) != len(want) {
			t.Fatalf("history %+v", h)
		}
		for i, w := range want {
			if h[i].From != w.from || h[i].To != w.to || h[i].By != w.by || h[i].Reason != w.reason || h[i].At.IsZero() {
				t.Errorf("history[%d] = %+v, want %+v", i, h[i], w)
			}
		}
	})
}

func TestMayTransition_FollowsDesign(t *testing.T) {
	allowed := map[[2]string]bool{
		{"proposed", "evaluating"}: true, {"evaluating", "accepted"}: true, {"evaluating", "rejected"}: true,
		{"accepted", "active"}: true, {"active", "completed"}: true, {"active", "archived"}: true,
		{"rejected", "archived"}: true, {"completed", "archived"}: true,
	}
	states := []string{"proposed", "evaluating", "accepted", "rejected", "active", "completed", "archived"}
	for _, from := range states {
		for _, to := range states {
			if got := projects.MayTransition(from, to); got != allowed[[2]string{from, to}] {
				t.Errorf("MayTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
}
