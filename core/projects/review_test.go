package projects_test

import (
	"context"
	"testing"

	"github.com/holon-network/holon/core/projects"
)

// A review names the criteria it checks (or not) and is kept with them.
func TestReviewOf_RecordsEachCriterionChecked(t *testing.T) {
	each(t, func(t *testing.T, f fixture) {
		ctx := context.Background()
		task := f.fundedTask(t, f.acceptedProject(t))
		vol := f.member(t, "vol")
		sub, err := f.svc.Submit(ctx, vol, task.ID, "done", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.ReviewOf(ctx, sub.ID)
		wantCode(t, err, "review-not-found")
		swapped := []projects.CriterionCheck{{Criterion: "ten routers flashed", Met: true}, {Criterion: "firmware built from source", Met: true}}
		_, err = f.svc.ReviewSubmission(ctx, f.alice, sub.ID, swapped, projects.Accept, "")
		wantField(t, err, "criteria", "criterion-mismatch")

		checks := []projects.CriterionCheck{{Criterion: "firmware built from source", Met: true, Comment: "reproducible"}, {Met: true}}
		if _, err := f.svc.ReviewSubmission(ctx, f.alice, sub.ID, checks, projects.Accept, "thanks"); err != nil {
			t.Fatal(err)
		}
		rv, err := f.svc.ReviewOf(ctx, sub.ID)
		if err != nil || rv.Verdict != projects.Accept || rv.Outcome != projects.OutcomeVolunteer || rv.Reviewer != uri("alice") || len(rv.Criteria) != 2 {
			t.Fatalf("review %+v, %v", rv, err)
		}
		want := []projects.CriterionCheck{{Criterion: "firmware built from source", Met: true, Comment: "reproducible"}, {Criterion: "ten routers flashed", Met: true}}
		for i, c := range rv.Criteria {
			if c != want[i] {
				t.Fatalf("criterion %d: %+v, want %+v", i, c, want[i])
			}
		}
	})
}
