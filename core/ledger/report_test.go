package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/holon-network/holon/core"
	"github.com/holon-network/holon/core/ledger"
	"github.com/holon-network/holon/store"
)

func (c *clock) set(t time.Time) { c.now.Store(t.UnixNano()) }

// wantField fails unless err is invalid input with code on field.
func wantField(t *testing.T, err error, field, code string) {
	t.Helper()
	e, ok := core.As(err)
	if !ok || len(e.Fields) != 1 || e.Fields[0].Field != field || e.Fields[0].Code != code {
		t.Fatalf("got %v, want %s on %s", err, code, field)
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

// TestReport_FlowsFiltersAndProjectFunds builds a ledger over three months
// and reads it back as the ledger page does: by month, filtered, by project.
func TestReport_FlowsFiltersAndProjectFunds(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		garden, kitchen := f.project, uuid.Must(uuid.NewV7())
		f.clock.set(day(2026, time.September, 10))
		f.donate(t, "general", 10000)
		dig := f.task(t, 6000)
		var cook uuid.UUID
		if err := f.inTx(t, func(tx store.Tx) error {
			cook = uuid.Must(uuid.NewV7())
			return f.ledger.OpenTaskAccount(ctx, tx, f.assoc.ID, kitchen, cook, 2000)
		}); err != nil {
			t.Fatal(err)
		}
		f.clock.set(day(2026, time.October, 5))
		f.donate(t, "general", 5000)
		for _, a := range []struct {
			task   uuid.UUID
			amount int64
		}{{dig, 6000}, {cook, 1500}} {
			if _, err := f.ledger.Allocate(ctx, f.board, "commons", ledger.AllocationInput{From: "general", Task: a.task, Amount: a.amount, Currency: "EUR"}); err != nil {
				t.Fatal(err)
			}
		}
		f.clock.set(day(2026, time.November, 21))
		if err := f.inTx(t, func(tx store.Tx) error {
			_, err := f.ledger.Payout(ctx, tx, dig, "https://holon.example/actors/bob", "https://holon.example/submissions/1")
			return err
		}); err != nil {
			t.Fatal(err)
		}

		flows, err := f.ledger.MonthlyFlows(ctx, nil, "commons", day(2026, time.August, 20), time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		want := []ledger.MonthFlow{
			{Month: time.Date(2026, time.August, 1, 0, 0, 0, 0, time.UTC)},
			{Month: time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC), In: 10000},
			{Month: time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC), In: 5000},
			{Month: time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC), Out: 6000},
		}
		if len(flows) != len(want) {
			t.Fatalf("flows = %+v", flows)
		}
		for i := range want {
			if !flows[i].Month.Equal(want[i].Month) || flows[i].In != want[i].In || flows[i].Out != want[i].Out {
				t.Errorf("month %d = %+v, want %+v", i, flows[i], want[i])
			}
		}
		_, err = f.ledger.MonthlyFlows(ctx, nil, "commons", time.Time{}, day(2026, time.December, 1))
		wantField(t, err, "to", "invalid-period")
		_, err = f.ledger.MonthlyFlows(ctx, nil, "commons", day(2000, time.January, 1), day(2026, time.December, 1))
		wantField(t, err, "from", "period-too-long")

		october := ledger.Query{From: time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)}
		for _, c := range []struct {
			name  string
			q     ledger.Query
			kinds []string // newest first
		}{
			{"everything", ledger.Query{}, []string{"payout", "allocation", "allocation", "donation", "donation"}},
			{"allocations", ledger.Query{Kind: "allocation"}, []string{"allocation", "allocation"}},
			{"the garden's", ledger.Query{Project: garden}, []string{"payout", "allocation"}},
			{"the kitchen's allocations", ledger.Query{Project: kitchen, Kind: "allocation"}, []string{"allocation"}},
			{"in October", october, []string{"allocation", "allocation", "donation"}},
			{"donations in October", ledger.Query{Kind: "donation", From: october.From, To: october.To}, []string{"donation"}},
			{"a page of two", ledger.Query{Limit: 2}, []string{"payout", "allocation"}},
		} {
			page, err := f.ledger.Transactions(ctx, nil, "commons", c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var kinds []string
			for _, tr := range page.Items {
				kinds = append(kinds, tr.Kind)
				if len(tr.Postings) != 2 {
					t.Errorf("%s: transaction %s has %d postings", c.name, tr.Kind, len(tr.Postings))
				}
			}
			if len(kinds) != len(c.kinds) {
				t.Errorf("%s: %v, want %v", c.name, kinds, c.kinds)
				continue
			}
			for i := range kinds {
				if kinds[i] != c.kinds[i] {
					t.Errorf("%s: %v, want %v", c.name, kinds, c.kinds)
				}
			}
			if (page.Next != uuid.Nil) != (c.q.Limit == 2) {
				t.Errorf("%s: next %v", c.name, page.Next)
			}
			if c.q.Limit == 2 {
				rest, err := f.ledger.Transactions(ctx, nil, "commons", ledger.Query{Before: page.Next})
				if err != nil || len(rest.Items) != 3 {
					t.Errorf("the next page: %d items, %v", len(rest.Items), err)
				}
			}
		}
		_, err = f.ledger.Transactions(ctx, nil, "commons", ledger.Query{Kind: "gift"})
		wantField(t, err, "kind", "invalid-choice")
		_, err = f.ledger.Transactions(ctx, nil, "commons", ledger.Query{From: october.To, To: october.From})
		wantField(t, err, "to", "invalid-period")

		byProject, err := f.ledger.AllocationsByProject(ctx, nil, "commons", time.Time{}, time.Time{})
		if err != nil || len(byProject) != 2 || byProject[0] != (ledger.ProjectAmount{Project: garden, Amount: 6000}) ||
			byProject[1] != (ledger.ProjectAmount{Project: kitchen, Amount: 1500}) {
			t.Errorf("allocations by project = %+v, %v", byProject, err)
		}
		if none, err := f.ledger.AllocationsByProject(ctx, nil, "commons", day(2026, time.November, 1), day(2026, time.December, 1)); err != nil || len(none) != 0 {
			t.Errorf("allocations in November = %+v, %v", none, err)
		}
		funds, err := f.ledger.FundingOfProject(ctx, nil, "commons", garden)
		if err != nil || funds != (ledger.ProjectFunding{Currency: "EUR", Allocated: 6000, Spent: 6000}) {
			t.Errorf("the garden's funds = %+v, %v", funds, err)
		}
		funds, err = f.ledger.FundingOfProject(ctx, nil, "commons", kitchen)
		if err != nil || funds != (ledger.ProjectFunding{Currency: "EUR", Allocated: 1500, Balance: 1500}) {
			t.Errorf("the kitchen's funds = %+v, %v", funds, err)
		}
		unpaid, err := f.ledger.Payouts(ctx, nil, "commons", true)
		if err != nil || len(unpaid) != 1 || unpaid[0].TaskID != dig || unpaid[0].Amount != 6000 || unpaid[0].Paid {
			t.Errorf("unpaid payouts = %+v, %v", unpaid, err)
		}
		ofTask, err := f.ledger.PayoutsOfTask(ctx, nil, dig)
		if err != nil || len(ofTask) != 1 || ofTask[0].ID != unpaid[0].ID {
			t.Errorf("payouts of the task = %+v, %v", ofTask, err)
		}
		if none, err := f.ledger.PayoutsOfTask(ctx, nil, uuid.Must(uuid.NewV7())); err != nil || len(none) != 0 {
			t.Errorf("payouts of a task without an account = %+v, %v", none, err)
		}
	})
}
