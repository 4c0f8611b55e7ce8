package governance_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core/governance"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
)

func TestPropose_Refusals(t *testing.T) {
	alloc := func(mut func(*governance.ActionInput)) func(f *fixture) governance.ProposalInput {
		return func(f *fixture) governance.ProposalInput {
			a := governance.ActionInput{Kind: governance.ActionAllocate, Task: f.task.ID, Amount: "10.00"}
			mut(&a)
			return governance.ProposalInput{Category: governance.CategoryBudgetAllocation, Title: "t", Actions: []governance.ActionInput{a}}
		}
	}
	plain := func(in governance.ProposalInput) func(f *fixture) governance.ProposalInput {
		return func(*fixture) governance.ProposalInput { return in }
	}
	one := func(category string, a governance.ActionInput) func(f *fixture) governance.ProposalInput {
		return plain(governance.ProposalInput{Category: category, Title: "t", Actions: []governance.ActionInput{a}})
	}
	cases := []struct {
		name  string
		in    func(f *fixture) governance.ProposalInput
		field string
		code  string
	}{
		{"an unknown category", plain(governance.ProposalInput{Category: "elections", Title: "t"}), "category", "invalid-choice"},
		{"no title", plain(governance.ProposalInput{Category: "general", Title: "  "}), "title", "required"},
		{"a title too long", plain(governance.ProposalInput{Category: "general", Title: string(make([]rune, governance.MaxTitle+1))}), "title", "too-long"},
		{"one option", plain(governance.ProposalInput{Category: "general", Title: "t", Options: []string{"only"}}), "options", "option-count"},
		{"the same option twice", plain(governance.ProposalInput{Category: "general", Title: "t", Options: []string{"Here", "here"}}), "options", "duplicate-option"},
		{"alternatives with actions", func(f *fixture) governance.ProposalInput {
			in := alloc(func(*governance.ActionInput) {})(f)
			in.Options = []string{"A", "B"}
			return in
		}, "options", "options-with-actions"},
		{"too many actions", func(f *fixture) governance.ProposalInput {
			in := alloc(func(*governance.ActionInput) {})(f)
			for len(in.Actions) <= governance.MaxActions {
				in.Actions = append(in.Actions, in.Actions[0])
			}
			return in
		}, "actions", "too-many"},
		{"an unknown action", one("general", governance.ActionInput{Kind: "dissolve"}), "actions[0]", "unknown-action"},
		{"an action of another category", one("general", governance.ActionInput{Kind: governance.ActionAllocate}), "actions[0]", "wrong-category"},
		{"an allocation to no task", alloc(func(a *governance.ActionInput) { a.Task = uuid.Must(uuid.NewV7()) }), "actions[0]", "task-not-found"},
		{"an allocation of nothing", alloc(func(a *governance.ActionInput) { a.Amount = "0" }), "actions[0]", "invalid-amount"},
		{"an allocation of words", alloc(func(a *governance.ActionInput) { a.Amount = "a lot" }), "actions[0]", "invalid-amount"},
		{"an allocation from nowhere", alloc(func(a *governance.ActionInput) { a.From = "project:nowhere" }), "actions[0]", "invalid-source"},
		{"the evaluation of an accepted project", func(f *fixture) governance.ProposalInput {
			return one(governance.CategoryProjectEvaluation, governance.ActionInput{Kind: governance.ActionAcceptProject, Project: f.project.ID})(f)
		}, "actions[0]", "project-evaluated"},
		{"the verification of no submission", one(governance.CategoryTaskVerification,
			governance.ActionInput{Kind: governance.ActionVerifySubmission, Submission: uuid.Must(uuid.NewV7())}), "actions[0]", "submission-not-found"},
		{"an unknown setting", one(governance.CategorySettings,
			governance.ActionInput{Kind: governance.ActionChangeSetting, Setting: "colour", Value: "green"}), "actions[0]", "unknown-setting"},
		{"a setting's invalid value", one(governance.CategorySettings,
			governance.ActionInput{Kind: governance.ActionChangeSetting, Setting: "consensus_period", Value: "soon"}), "actions[0]", "invalid-value"},
		{"a boolean setting's invalid value", one(governance.CategorySettings,
			governance.ActionInput{Kind: governance.ActionChangeSetting, Setting: "follow_approval", Value: "perhaps"}), "actions[0]", "invalid-value"},
		{"a quorum above one", one(governance.CategoryStatutes,
			governance.ActionInput{Kind: governance.ActionChangeRules, Category: "general", Quorum: 1.5}), "actions[0]", "invalid-share"},
		{"the admission of a member", func(f *fixture) governance.ProposalInput {
			return one(governance.CategoryMembership, governance.ActionInput{Kind: governance.ActionAdmitMember, Actor: uri("bob")})(f)
		}, "actions[0]", "not-pending"},
		{"the exclusion of a stranger", one(governance.CategoryMembership,
			governance.ActionInput{Kind: governance.ActionExcludeMember, Actor: uri("erin")}), "actions[0]", "member-not-found"},
		{"actions on two projects", func(f *fixture) governance.ProposalInput {
			other := f.proposedProject(t, "Bakery")
			in := alloc(func(*governance.ActionInput) {})(f)
			in.Category = governance.CategoryProjectEvaluation
			in.Actions = []governance.ActionInput{{Kind: governance.ActionAcceptProject, Project: other.ID},
				{Kind: governance.ActionAcceptProject, Project: f.project.ID}}
			return in
		}, "actions[1]", "project-evaluated"},
	}
	// Refusals change nothing: the cases share one association.
	each(t, func(t *testing.T, f *fixture) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.svc.Propose(context.Background(), f.alice, "commons", c.in(f))
				wantField(t, err, c.field, c.code)
				list, _, err := f.svc.Proposals(context.Background(), "commons", uuid.Nil, 10)
				if err != nil || len(list) != 0 {
					t.Fatalf("a refused proposal was stored: %v (%v)", list, err)
				}
			})
		}
		t.Run("from a non-member", func(t *testing.T) {
			_, err := f.svc.Propose(context.Background(), f.account(t, "erin"), "commons", governance.ProposalInput{Category: "general", Title: "t"})
			wantCode(t, err, "members-only")
		})
	})
}

// proposedProject is a project of dave's waiting for its evaluation.
func (f *fixture) proposedProject(t testing.TB, name string) projects.Project {
	t.Helper()
	p, err := f.projects.Propose(context.Background(), f.dave, "commons", projects.ProjectInput{Name: ptr(name),
		Licence: ptr("MIT"), Architecture: ptr("centralised")})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// adopt brings p to adoption by consensus (alice and bob agree: half the
// members, the quorum of statutes).
func (f *fixture) adopt(t testing.TB, p governance.Proposal) governance.Proposal {
	t.Helper()
	if p.Phase == governance.PhaseDebate {
		f.advance(t, debate)
	}
	f.vote(t, f.alice, p, agree)
	f.vote(t, f.bob, p, agree)
	f.advance(t, consensus)
	p = f.reload(t, p)
	if p.Phase != governance.PhaseAdopted {
		t.Fatalf("proposal %s: %s %+v, want adopted", p.Title, p.Phase, p.Outcome)
	}
	return p
}

// An adopted allocation the general fund cannot cover fails visibly: the
// proposal is adopted, its outcome says why the action failed, and nothing
// moved — neither it nor the actions before it.
func TestAdopted_AnAllocationThatWouldOverdrawChangesNothing(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		other := f.newTask(t, "Paint the mast")
		p := f.propose(t, governance.ProposalInput{Category: governance.CategoryBudgetAllocation, Title: "Fund both",
			Actions: []governance.ActionInput{
				{Kind: governance.ActionAllocate, Task: other.ID, Amount: "100.00"},
				{Kind: governance.ActionAllocate, Task: f.task.ID, Amount: "950.00"}}})
		task, general := f.balances(t)
		p = f.adopt(t, p)
		o := p.Outcome.Actions
		if len(o) != 2 || o[0].Status != governance.ActionUndone || o[0].Transaction != nil ||
			o[1].Status != governance.ActionFailed || o[1].Code != "insufficient-funds" || o[1].Detail == "" {
			t.Fatalf("outcome %+v", o)
		}
		task2, general2 := f.balances(t)
		funded, _, _, err := f.ledger.TaskFunding(ctx, f.db.Tx, other.ID)
		if err != nil || task2 != task || general2 != general || funded != 0 {
			t.Fatalf("money moved: task %d→%d, general %d→%d, other task %d", task, task2, general, general2, funded)
		}
	})
}

func TestAdopted_ActionsRun(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, f *fixture) governance.ProposalInput
		check func(t *testing.T, f *fixture, p governance.Proposal)
	}{
		{"a project accepted", func(t *testing.T, f *fixture) governance.ProposalInput {
			p := f.proposedProject(t, "Bakery")
			return governance.ProposalInput{Category: governance.CategoryProjectEvaluation, Title: "Accept the bakery",
				Actions: []governance.ActionInput{{Kind: governance.ActionAcceptProject, Project: p.ID}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			got, err := f.projects.Project(context.Background(), *p.Actions[0].Project)
			if err != nil || got.Status != projects.ProjectAccepted {
				t.Fatalf("project %+v (%v)", got, err)
			}
			if p.ProjectID == nil || *p.ProjectID != got.ID {
				t.Fatalf("the proposal concerns %v, want the project", p.ProjectID)
			}
		}},
		{"a project rejected", func(t *testing.T, f *fixture) governance.ProposalInput {
			p := f.proposedProject(t, "Casino")
			return governance.ProposalInput{Category: governance.CategoryProjectEvaluation, Title: "Reject the casino",
				Actions: []governance.ActionInput{{Kind: governance.ActionRejectProject, Project: p.ID}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			got, err := f.projects.Project(context.Background(), *p.Actions[0].Project)
			if err != nil || got.Status != projects.ProjectRejected {
				t.Fatalf("project %+v (%v)", got, err)
			}
		}},
		{"a submission verified", func(t *testing.T, f *fixture) governance.ProposalInput {
			ctx := context.Background()
			if _, err := f.ledger.Donate(ctx, nil, "commons", ledger.DonationInput{Amount: 25000, Currency: "EUR", Target: "task:" + f.task.ID.String()}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.projects.Reserve(ctx, f.dave, f.task.ID, f.clock.Now().Add(48*time.Hour)); err != nil {
				t.Fatal(err)
			}
			sub, err := f.projects.Submit(ctx, f.dave, f.task.ID, "all flashed", nil)
			if err != nil {
				t.Fatal(err)
			}
			return governance.ProposalInput{Category: governance.CategoryTaskVerification, Title: "The routers are flashed",
				Actions: []governance.ActionInput{{Kind: governance.ActionVerifySubmission, Submission: sub.ID}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			rv, err := f.projects.ReviewOf(context.Background(), *p.Actions[0].Submission)
			if err != nil || rv.Verdict != projects.Accept || rv.Outcome != projects.OutcomePayout {
				t.Fatalf("review %+v (%v)", rv, err)
			}
		}},
		{"a setting changed", func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Category: governance.CategorySettings, Title: "Shorter rounds",
				Actions: []governance.ActionInput{{Kind: governance.ActionChangeSetting, Setting: "consensus_period", Value: "24h"},
					{Kind: governance.ActionChangeSetting, Setting: "board_may_evaluate_projects", Value: "false"}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			a, err := f.members.Association(context.Background(), "commons")
			if err != nil || a.Settings.ConsensusPeriod != 24*time.Hour || a.Settings.BoardMayEvaluateProjects {
				t.Fatalf("settings %+v (%v)", a.Settings, err)
			}
		}},
		{"rules changed", func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Category: governance.CategoryStatutes, Title: "Two thirds for statutes",
				Actions: []governance.ActionInput{{Kind: governance.ActionChangeRules, Category: governance.CategoryStatutes, Quorum: 0.5, Majority: 2.0 / 3}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			rules, err := f.db.GovernanceRules().Of(context.Background(), f.assoc.ID)
			if err != nil || len(rules) != 1 || rules[0].Majority != 2.0/3 {
				t.Fatalf("rules %+v (%v)", rules, err)
			}
		}},
		{"a member admitted", func(t *testing.T, f *fixture) governance.ProposalInput {
			f.setting(t, membership.SettingsChange{JoinMode: ptr(membership.JoinApproval)})
			f.member(t, "erin")
			return governance.ProposalInput{Category: governance.CategoryMembership, Title: "Welcome Erin",
				Actions: []governance.ActionInput{{Kind: governance.ActionAdmitMember, Actor: uri("erin")}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			m, err := f.members.Membership(context.Background(), f.accountNamed(t, "erin"), "commons")
			if err != nil || m.Status != membership.MemberActive || m.JoinedAt == nil {
				t.Fatalf("erin's membership %+v (%v)", m, err)
			}
		}},
		{"a member excluded", func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Category: governance.CategoryMembership, Title: "Part with Dave",
				Actions: []governance.ActionInput{{Kind: governance.ActionExcludeMember, Actor: uri("dave")}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			_, err := f.members.Membership(context.Background(), f.dave, "commons")
			wantCode(t, err, "member-not-found")
		}},
		{"the last board member is not excluded", func(t *testing.T, f *fixture) governance.ProposalInput {
			return governance.ProposalInput{Category: governance.CategoryMembership, Title: "Part with Alice",
				Actions: []governance.ActionInput{{Kind: governance.ActionExcludeMember, Actor: uri("alice")}}}
		}, func(t *testing.T, f *fixture, p governance.Proposal) {
			if a := p.Outcome.Actions[0]; a.Status != governance.ActionFailed || a.Code != "last-board-member" {
				t.Fatalf("outcome %+v", a)
			}
			if _, err := f.members.Membership(context.Background(), f.alice, "commons"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture) {
				p := f.adopt(t, f.propose(t, c.setup(t, f)))
				if c.name != "the last board member is not excluded" {
					for _, a := range p.Outcome.Actions {
						if a.Status != governance.ActionDone {
							t.Fatalf("action %+v did not run", a)
						}
					}
				}
				c.check(t, f, p)
			})
		})
	}
}

func (f *fixture) accountNamed(t testing.TB, name string) membership.Account {
	t.Helper()
	a, err := f.members.Account(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
