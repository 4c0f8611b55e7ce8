package projects_test

import (
	"context"
	"errors"
	"testing"

	"github.com/holon-network/holon/core/membership"
	"github.com/holon-network/holon/core/projects"
)

// TestCatalogue_ByAssociation: the catalogue keeps one association's tasks
// when asked, and reads budget bounds in that association's currency.
func TestCatalogue_ByAssociation(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		p := f.acceptedProject(t)
		mesh := f.task(t, p, nil)
		cheap := f.task(t, p, func(in *projects.TaskInput) { in.Name, in.Budget = "Label the routers", "20.00" })
		carol := f.account(t, "carol")
		if _, err := f.members.CreateAssociation(ctx, carol, membership.NewAssociation{Name: "elsewhere", Currency: "JPY"}); err != nil {
			t.Fatal(err)
		}
		names := func(q projects.CatalogueQuery) []string {
			t.Helper()
			list, _, err := f.svc.Catalogue(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, task := range list {
				out = append(out, task.Name)
			}
			return out
		}
		for _, c := range []struct {
			name string
			q    projects.CatalogueQuery
			want []string
		}{
			{"the association's open tasks, newest first", projects.CatalogueQuery{Association: "commons", Status: projects.TaskOpen},
				[]string{cheap.Name, mesh.Name}},
			{"another association's: none", projects.CatalogueQuery{Association: "elsewhere"}, nil},
			{"bounded in the association's currency", projects.CatalogueQuery{Association: "commons", MinBudget: "100"}, []string{mesh.Name}},
		} {
			got := names(c.q)
			if len(got) != len(c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
				continue
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s: %v, want %v", c.name, got, c.want)
				}
			}
		}
		// JPY has no decimals: a bound with cents is not a JPY amount.
		_, _, err := f.svc.Catalogue(ctx, projects.CatalogueQuery{Association: "elsewhere", MinBudget: "1.50"})
		wantField(t, err, "min_budget", "invalid-amount")
		_, _, err = f.svc.Catalogue(ctx, projects.CatalogueQuery{Association: "nowhere"})
		wantCode(t, err, "association-not-found")
	})
}

// TestReviewOf reads the review that decided a submission, and nothing
// while it waits.
func TestReviewOf(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		carol := f.account(t, "carol")
		sub, err := f.svc.Submit(ctx, carol, task.ID, "done", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ReviewOf(ctx, sub.ID); !errors.Is(err, projects.ErrNotReviewed) {
			t.Fatalf("a waiting submission has a review: %v", err)
		}
		checks := []projects.CriterionCheck{{Met: true}, {Met: true, Comment: "all ten"}}
		if _, err := f.svc.ReviewSubmission(ctx, f.alice, sub.ID, checks, projects.Accept, "thanks"); err != nil {
			t.Fatal(err)
		}
		rv, err := f.svc.ReviewOf(ctx, sub.ID)
		if err != nil || rv.Reviewer != uri("alice") || rv.Verdict != projects.Accept || rv.Outcome != projects.OutcomeVolunteer ||
			len(rv.Criteria) != 2 || rv.Criteria[1].Comment != "all ten" || rv.Comment != "thanks" || rv.Value != task.Budget {
			t.Errorf("review = %+v, %v", rv, err)
		}
		a, err := f.svc.AssociationOf(ctx, task.AssociationID)
		if err != nil || a.Name != "commons" {
			t.Errorf("association of the task = %+v, %v", a, err)
		}
	})
}
