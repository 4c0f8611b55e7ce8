package projects_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
	"github.com/holon-network/holon/store"
)

// newestEntry returns the newest entry of commons's audit log.
func (f fixture) newestEntry(t *testing.T) (store.AuditEntry, bool) {
	t.Helper()
	a, err := f.members.Association(context.Background(), "commons")
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.db.AuditLog().List(context.Background(), store.AuditFilter{Scope: store.AuditAssociation, AssociationID: &a.ID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		return store.AuditEntry{}, false
	}
	return list[0], true
}

// TestAudit_BoardActions does each board action through its service, one
// after the other in one association, and finds it on top of the
// association's audit log: who, what, on what.
func TestAudit_BoardActions(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		tess := f.treasurer(t, "tess")
		dan := f.member(t, "dan")
		var (
			project  projects.Project
			task     projects.Task
			sub      projects.Submission
			donation ledger.Transaction
		)
		for _, c := range []struct {
			name           string
			do             func(t *testing.T) error
			by             membership.Account
			action, target string
		}{
			{"settings", func(t *testing.T) error {
				_, err := f.members.UpdateAssociation(ctx, f.alice, "commons", membership.AssociationChange{Summary: ptr("Mesh for all"),
					Settings: membership.SettingsChange{JoinMode: ptr(membership.JoinApproval), BoardMayAllocateUpTo: ptr("1000.00")}})
				return err
			}, f.alice, "association.update", "@commons"},
			{"role", func(t *testing.T) error {
				_, err := f.members.UpdateMember(ctx, f.alice, "commons", "dan", membership.MemberChange{Role: ptr(membership.MemberBoard)})
				return err
			}, f.alice, "member.role", "@dan"},
			{"voting rights", func(t *testing.T) error {
				_, err := f.members.UpdateMember(ctx, f.alice, "commons", "bob", membership.MemberChange{VotingSuspended: ptr(true), SuspensionReason: ptr("private")})
				return err
			}, f.alice, "member.voting", "@bob"},
			{"admission", func(t *testing.T) error {
				f.member(t, "eve") // pending: joining needs approval now
				_, err := f.members.UpdateMember(ctx, dan, "commons", "eve", membership.MemberChange{Status: ptr(membership.MemberActive)})
				return err
			}, dan, "member.admit", "@eve"},
			{"refusal", func(t *testing.T) error {
				f.member(t, "fay")
				return f.members.RefuseMember(ctx, f.alice, "commons", "fay")
			}, f.alice, "member.refuse", "@fay"},
			{"evaluation", func(t *testing.T) error {
				p, err := f.svc.Propose(ctx, f.bob, "commons", validProject())
				if err != nil {
					return err
				}
				project, err = f.svc.Evaluate(ctx, f.alice, p.ID, projects.Accept, "useful")
				return err
			}, f.alice, "project.evaluate", "Community mesh"},
			{"project edited by the board", func(t *testing.T) error {
				_, err := f.svc.UpdateProject(ctx, f.alice, project.ID, projects.ProjectInput{Place: ptr("Lyon 7e")})
				return err
			}, f.alice, "project.update", "Community mesh"},
			{"task added by the board", func(t *testing.T) error {
				var err error
				task, err = f.svc.AddTask(ctx, f.alice, project.ID, projects.TaskInput{Name: "Map the roofs", Category: "programming",
					DoneCriteria: []string{"a map"}, Budget: "100.00", MaxReservation: "72h", Reviewers: []string{uri("alice")}, Draft: true})
				return err
			}, f.alice, "task.add", "Map the roofs"},
			{"task opened", func(t *testing.T) error {
				_, err := f.svc.OpenTask(ctx, f.alice, task.ID)
				return err
			}, f.alice, "task.open", "Map the roofs"},
			{"donation recorded", func(t *testing.T) error {
				var err error
				donation, err = f.ledger.RecordDonation(ctx, tess, "commons", ledger.DonationInput{Amount: 50000, Currency: "EUR"})
				return err
			}, tess, "ledger.donation", "500.00 EUR"},
			{"refund", func(t *testing.T) error {
				_, err := f.ledger.Refund(ctx, tess, donation.ID, 1000, "asked back")
				return err
			}, tess, "ledger.refund", "10.00 EUR"},
			{"task cancelled", func(t *testing.T) error {
				draft, err := f.svc.AddTask(ctx, f.bob, project.ID, projects.TaskInput{Name: "Spare task", Category: "programming",
					DoneCriteria: []string{"done"}, Budget: "1.00", MaxReservation: "72h", Reviewers: []string{uri("alice")}, Draft: true})
				if err != nil {
					return err
				}
				_, err = f.svc.CancelTask(ctx, f.alice, draft.ID)
				return err
			}, f.alice, "task.cancel", "Spare task"},
			{"allocation", func(t *testing.T) error {
				_, err := f.ledger.Allocate(ctx, f.alice, "commons", ledger.AllocationInput{Task: task.ID, Amount: 10000, Currency: "EUR"})
				return err
			}, f.alice, "ledger.allocate", "Map the roofs"},
			{"reservation released", func(t *testing.T) error {
				if _, err := f.svc.Reserve(ctx, f.bob, task.ID, f.clock.Now().Add(24*time.Hour)); err != nil {
					return err
				}
				_, err := f.svc.Release(ctx, f.alice, task.ID, "gone quiet")
				return err
			}, f.alice, "reservation.release", "Map the roofs"},
			{"review", func(t *testing.T) error {
				if _, err := f.svc.Reserve(ctx, f.bob, task.ID, f.clock.Now().Add(24*time.Hour)); err != nil {
					return err
				}
				var err error
				if sub, err = f.svc.Submit(ctx, f.bob, task.ID, "mapped", nil); err != nil {
					return err
				}
				_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, allMet(1), projects.Accept, "")
				return err
			}, f.alice, "submission.review", "Map the roofs"},
			{"payout paid", func(t *testing.T) error {
				p, err := f.ledger.PayoutOfTask(ctx, nil, task.ID)
				if err != nil {
					return err
				}
				_, err = f.svc.MarkPaid(ctx, tess, p.ID, "SEPA-9")
				return err
			}, tess, "payout.paid", "Map the roofs"},
			{"project status", func(t *testing.T) error {
				_, err := f.svc.SetProjectStatus(ctx, f.alice, project.ID, projects.ProjectActive, "")
				return err
			}, f.alice, "project.status", "Community mesh"},
		} {
			t.Run(c.name, func(t *testing.T) {
				if err := c.do(t); err != nil {
					t.Fatal(err)
				}
				e, ok := f.newestEntry(t)
				if !ok || e.Scope != store.AuditAssociation || e.Action != c.action || e.Target != c.target ||
					e.AccountID == nil || *e.AccountID != c.by.ID || e.AccountName != c.by.Username {
					t.Fatalf("newest entry %+v, want %s on %q by %s", e, c.action, c.target, c.by.Username)
				}
			})
		}
		// The reason for suspending voting rights is the board's and the
		// member's: it stays out of the log members read.
		list, err := f.db.AuditLog().List(ctx, store.AuditFilter{Scope: store.AuditAssociation, Action: "member.voting", Limit: 5})
		if err != nil || len(list) != 1 || strings.ReplaceAll(list[0].Detail, " ", "") != `{"suspended":true}` {
			t.Errorf("voting entry %+v, %v", list, err)
		}
	})
}

// TestAudit_NothingWhenRefused: a refused action leaves no entry, nor one
// the holder's own authority allowed.
func TestAudit_NothingWhenRefused(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		before, _ := f.newestEntry(t)
		p, err := f.svc.Propose(ctx, f.bob, "commons", validProject())
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Evaluate(ctx, f.bob, p.ID, projects.Accept, "")
		wantCode(t, err, "board-only")
		_, err = f.members.UpdateMember(ctx, f.bob, "commons", "alice", membership.MemberChange{Role: ptr(membership.MemberRegular)})
		wantCode(t, err, "board-only")
		// The last board member cannot step down: refused after the
		// change was written, so the whole transaction rolls back.
		_, err = f.members.UpdateMember(ctx, f.alice, "commons", "alice", membership.MemberChange{Role: ptr(membership.MemberRegular)})
		wantCode(t, err, "last-board-member")
		_, err = f.ledger.Allocate(ctx, f.alice, "commons", ledger.AllocationInput{Task: uuid.Must(uuid.NewV7()), Amount: 1, Currency: "EUR"})
		if err == nil {
			t.Fatal("allocated to no task")
		}
		// bob's own project: his authority, not the board's.
		if _, err := f.svc.UpdateProject(ctx, f.bob, p.ID, projects.ProjectInput{Place: ptr("Lyon 7e")}); err != nil {
			t.Fatal(err)
		}
		if after, _ := f.newestEntry(t); after.ID != before.ID {
			t.Fatalf("refused or own actions recorded %+v", after)
		}
	})
}
