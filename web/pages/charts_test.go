package pages

import (
	"strings"
	"testing"
	"time"

	"github.com/holon-network/holon/core/ledger"
)

func TestLayoutBars(t *testing.T) {
	long := strings.Repeat("é", 60)
	cases := []struct {
		name   string
		rows   []barRow
		height int
		want   []barRow // LabelY, Y, Width, ValueX, ValueY and Label checked
	}{
		{name: "nothing", rows: nil, height: 4},
		{name: "one bar fills the room left of its amount", rows: []barRow{{Label: "A", Amount: 100}}, height: 50,
			want: []barRow{{Label: "A", LabelY: 14, Y: 20, Width: 248, ValueX: 254, ValueY: 34}}},
		{name: "bars on one scale, one under the other", rows: []barRow{{Label: "A", Amount: 200}, {Label: "B", Amount: 50}, {Label: "C", Amount: 100}},
			height: 142, want: []barRow{
				{Label: "A", LabelY: 14, Y: 20, Width: 248, ValueX: 254, ValueY: 34},
				{Label: "B", LabelY: 60, Y: 66, Width: 62, ValueX: 68, ValueY: 80},
				{Label: "C", LabelY: 106, Y: 112, Width: 124, ValueX: 130, ValueY: 126},
			}},
		{name: "a tiny amount keeps a sliver, nothing keeps nothing", rows: []barRow{{Label: "big", Amount: 1_000_000}, {Label: "tiny", Amount: 1}, {Label: "zero"}},
			height: 142, want: []barRow{
				{Label: "big", LabelY: 14, Y: 20, Width: 248, ValueX: 254, ValueY: 34},
				{Label: "tiny", LabelY: 60, Y: 66, Width: 2, ValueX: 8, ValueY: 80},
				{Label: "zero", LabelY: 106, Y: 112, Width: 0, ValueX: 6, ValueY: 126},
			}},
		{name: "all zero", rows: []barRow{{Label: "A"}, {Label: "B"}}, height: 96, want: []barRow{
			{Label: "A", LabelY: 14, Y: 20, ValueX: 6, ValueY: 34}, {Label: "B", LabelY: 60, Y: 66, ValueX: 6, ValueY: 80}}},
		{name: "a long label is shortened", rows: []barRow{{Label: long, Amount: 1}}, height: 50,
			want: []barRow{{Label: strings.Repeat("é", 47) + "…", LabelY: 14, Y: 20, Width: 248, ValueX: 254, ValueY: 34}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := layoutBars(c.rows)
			if got.Width != chartWidth || got.Height != c.height || got.BarHeight != barThickness || len(got.Rows) != len(c.want) {
				t.Fatalf("chart %dx%d bar %d with %d rows, want %dx%d bar %d with %d", got.Width, got.Height, got.BarHeight, len(got.Rows),
					chartWidth, c.height, barThickness, len(c.want))
			}
			for i, w := range c.want {
				g := got.Rows[i]
				if g.Label != w.Label || g.LabelY != w.LabelY || g.Y != w.Y || g.Width != w.Width || g.ValueX != w.ValueX || g.ValueY != w.ValueY {
					t.Errorf("row %d = %q label y %d, bar y %d width %d, value at %d,%d; want %q %d, %d %d, %d,%d", i,
						g.Label, g.LabelY, g.Y, g.Width, g.ValueX, g.ValueY, w.Label, w.LabelY, w.Y, w.Width, w.ValueX, w.ValueY)
				}
				if g.Y+barThickness > got.Height || g.ValueX+barValueRoom-6 > chartWidth {
					t.Errorf("row %d leaves the chart", i)
				}
			}
		})
	}
}

func months(from time.Time, amounts ...[2]int64) []ledger.MonthFlow {
	out := make([]ledger.MonthFlow, len(amounts))
	for i, a := range amounts {
		out[i] = ledger.MonthFlow{Month: from.AddDate(0, i, 0), In: a[0], Out: a[1]}
	}
	return out
}

func TestLayoutColumns(t *testing.T) {
	nov := time.Date(2025, time.November, 1, 0, 0, 0, 0, time.UTC)
	type col struct{ inX, outX, inY, outY, inH, outH, labelX int }
	cases := []struct {
		name     string
		flows    []ledger.MonthFlow
		max      int64
		width    int
		cols     map[int]col // by month index
		labelled []int
		years    []int
	}{
		{name: "one month: two wide columns in the middle", flows: months(nov, [2]int64{1000, 250}), max: 1000, width: 133,
			cols: map[int]col{0: {inX: 37, outX: 191, inY: 16, outY: 124, inH: 144, outH: 36, labelX: 180}}, labelled: []int{0}, years: []int{0}},
		{name: "a year, every month named, the year on the first and on January",
			flows: months(nov, [2]int64{100, 0}, [2]int64{0, 50}, [2]int64{200, 200}, [2]int64{}, [2]int64{}, [2]int64{},
				[2]int64{}, [2]int64{}, [2]int64{}, [2]int64{}, [2]int64{}, [2]int64{0, 1}), max: 200, width: 11,
			cols: map[int]col{
				0:  {inX: 7, outX: 19, inY: 88, outY: 160, inH: 72, outH: 0, labelX: 19},
				1:  {inX: 36, outX: 48, inY: 160, outY: 124, inH: 0, outH: 36, labelX: 48},
				2:  {inX: 66, outX: 78, inY: 16, outY: 16, inH: 144, outH: 144, labelX: 77},
				11: {inX: 330, outX: 342, inY: 160, outY: 158, inH: 0, outH: 2, labelX: 341},
			},
			labelled: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, years: []int{0, 2}},
		{name: "two years: one month named in two", flows: months(nov, make([][2]int64, 24)...), max: 0, width: 5,
			labelled: []int{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22}, years: []int{0, 2, 14}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := layoutColumns(c.flows)
			if got.Max != c.max || got.ColumnWidth != c.width || len(got.Months) != len(c.flows) || got.HasMoney != (c.max > 0) {
				t.Fatalf("max %d width %d months %d money %v; want %d %d %d %v", got.Max, got.ColumnWidth, len(got.Months), got.HasMoney,
					c.max, c.width, len(c.flows), c.max > 0)
			}
			for i, w := range c.cols {
				m := got.Months[i]
				g := col{m.InX, m.OutX, m.InY, m.OutY, m.InH, m.OutH, m.LabelX}
				if g != w {
					t.Errorf("month %d = %+v, want %+v", i, g, w)
				}
			}
			var labelled, years []int
			for i, m := range got.Months {
				if m.ShowLabel {
					labelled = append(labelled, i)
				}
				if m.ShowYear {
					years = append(years, i)
				}
				if m.MonthWord != m.Month.Format("1") {
					t.Errorf("month %d is named %q", i, m.MonthWord)
				}
			}
			if !equalInts(labelled, c.labelled) || !equalInts(years, c.years) {
				t.Errorf("labelled %v years %v, want %v %v", labelled, years, c.labelled, c.years)
			}
		})
	}
	if c := layoutColumns(nil); len(c.Months) != 0 || c.HasMoney {
		t.Errorf("no months: %+v", c)
	}
}

// TestLayoutColumns_StayInsideAndApart checks every length of period the
// ledger page can ask for: columns inside the plot, in order, never
// overlapping, as tall as their amount on one scale.
func TestLayoutColumns_StayInsideAndApart(t *testing.T) {
	start := time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)
	for n := 1; n <= ledger.MaxMonths; n++ {
		amounts := make([][2]int64, n)
		for i := range amounts {
			amounts[i] = [2]int64{int64(i * 7 % 13), int64(i * 5 % 11)}
		}
		c := layoutColumns(months(start, amounts...))
		last := c.Left
		for i, m := range c.Months {
			if m.InX < last || m.OutX < m.InX+c.ColumnWidth || m.OutX+c.ColumnWidth > c.Right {
				t.Fatalf("%d months: month %d overlaps or leaves the plot (in %d, out %d, width %d, after %d)", n, i, m.InX, m.OutX, c.ColumnWidth, last)
			}
			last = m.OutX + c.ColumnWidth
			for _, h := range []struct {
				v    int64
				h, y int
			}{{m.In, m.InH, m.InY}, {m.Out, m.OutH, m.OutY}} {
				if h.y+h.h != c.Bottom || h.h > c.Bottom-c.Top || (h.v > 0) != (h.h > 0) {
					t.Fatalf("%d months: month %d column of %d is %d tall at %d", n, i, h.v, h.h, h.y)
				}
			}
		}
		shown := 0
		for _, m := range c.Months {
			if m.ShowLabel {
				shown++
			}
		}
		if shown > maxMonthLabels || shown == 0 {
			t.Fatalf("%d months: %d labels", n, shown)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
