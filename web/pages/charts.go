package pages

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/holon-network/holon/core/ledger"
)

// The charts are inline SVG drawn on the server: no script, readable on a
// phone. Their geometry is computed here, by pure functions the tests
// check, and the templates only place what these return. The view box is
// about as wide as a phone's screen, so that text keeps its size there;
// the style sheet lets a chart grow on a wider screen.
const (
	chartWidth = 360

	// Horizontal bars: a label above each bar, its amount after it.
	barRowHeight = 46
	barThickness = 18
	barValueRoom = 112 // right of the longest bar, for its amount
	barLabelMax  = 48  // characters of a label; longer ones end with "…"

	// Monthly columns: money in and out side by side, month by month.
	columnTop    = 16  // the top of the plot: the largest amount
	columnBottom = 160 // the baseline
	columnLeft   = 4
	columnRight  = chartWidth - 4
)

// chartFrame is what a chart's partial needs besides the geometry: the
// ids its title and description are known by, its texts, its currency.
type chartFrame struct {
	ID, Title, Desc string
	Chart           any // barChart or columnChart
	Currency        string
}

// barRow is one bar of a barChart.
type barRow struct {
	Label  string
	Path   string // the page of what the bar stands for, if any
	Amount int64
	Class  string // colour, from the style sheet
	LabelY int    // baseline of the label
	Y      int    // top of the bar
	Width  int
	ValueX int // start of the amount's text
	ValueY int // its baseline
}

// barChart is a list of horizontal bars on one scale.
type barChart struct {
	Width, Height int
	BarHeight     int
	Rows          []barRow
}

// layoutBars places rows one under the other, each bar as long as its
// amount on the scale of the largest (which fills the width left of its
// amount's text). A positive amount shows at least a sliver; labels are
// shortened to barLabelMax characters.
func layoutBars(rows []barRow) barChart {
	c := barChart{Width: chartWidth, BarHeight: barThickness, Rows: make([]barRow, len(rows))}
	var max int64
	for _, r := range rows {
		if r.Amount > max {
			max = r.Amount
		}
	}
	room := chartWidth - barValueRoom
	for i, r := range rows {
		top := i * barRowHeight
		r.Label = shorten(r.Label, barLabelMax)
		r.LabelY = top + 14
		r.Y = top + 20
		r.ValueY = r.Y + barThickness - 4
		r.Width = scale(r.Amount, max, room)
		r.ValueX = r.Width + 6
		c.Rows[i] = r
	}
	c.Height = len(rows)*barRowHeight + 4
	return c
}

// scale is v's length on a scale where max is length; a positive v is at
// least 2 long, so that it does not vanish beside a much larger one.
func scale(v, max int64, length int) int {
	if v <= 0 || max <= 0 {
		return 0
	}
	n := int(math.Round(float64(v) / float64(max) * float64(length)))
	return min(length, atLeast(n, 2))
}

// atLeast is n, or least when n is smaller.
func atLeast(n, least int) int {
	if n < least {
		return least
	}
	return n
}

// shorten cuts s to max characters, the last one an ellipsis.
func shorten(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// monthColumn is one month of a columnChart: its two columns and labels.
type monthColumn struct {
	Month     time.Time
	MonthWord string // its number, "1" to "12", which the catalogue names
	In, Out   int64
	InX, OutX int
	InY, OutY int
	InH, OutH int
	LabelX    int  // centre of the month's label
	ShowLabel bool // every month is named when there is room, else one in a few
	ShowYear  bool // the first month named, and the first of each new year, carry the year
}

// columnChart is money in and out per month.
type columnChart struct {
	Width, Height     int
	Top, Bottom       int
	Left, Right       int
	MonthY, YearY     int
	Max               int64 // the amount at the top of the plot
	MaxY              int   // the baseline of its text
	Months            []monthColumn
	TotalIn, TotalOut int64
	First, Last       time.Time
	HasMoney          bool
	ColumnWidth       int
}

// maxMonthLabels is how many month names fit under the plot.
const maxMonthLabels = 12

// layoutColumns places two columns per month (in, then out) on one scale,
// the largest amount reaching the top of the plot.
func layoutColumns(flows []ledger.MonthFlow) columnChart {
	c := columnChart{Width: chartWidth, Top: columnTop, Bottom: columnBottom, Left: columnLeft, Right: columnRight,
		MonthY: columnBottom + 16, YearY: columnBottom + 32, Height: columnBottom + 40, MaxY: columnTop - 4}
	n := len(flows)
	if n == 0 {
		return c
	}
	c.First, c.Last = flows[0].Month, flows[n-1].Month
	for _, f := range flows {
		c.Max = max(c.Max, f.In, f.Out)
		c.TotalIn += f.In
		c.TotalOut += f.Out
	}
	c.HasMoney = c.Max > 0
	group := float64(columnRight-columnLeft) / float64(n)
	wide := atLeast(int(group*0.38), 1)
	gap := atLeast(int(group*0.06), 0)
	c.ColumnWidth = wide
	every := (n + maxMonthLabels - 1) / maxMonthLabels
	plot := columnBottom - columnTop
	lastYear := 0
	for i, f := range flows {
		at := float64(columnLeft) + float64(i)*group
		pad := int(math.Round(at + (group-float64(2*wide+gap))/2))
		m := monthColumn{Month: f.Month, MonthWord: strconv.Itoa(int(f.Month.Month())), In: f.In, Out: f.Out,
			InX: pad, OutX: pad + wide + gap,
			LabelX:    int(math.Round(at + group/2)),
			ShowLabel: i%every == 0,
		}
		if m.ShowLabel && f.Month.Year() != lastYear {
			m.ShowYear, lastYear = true, f.Month.Year()
		}
		m.InH = scale(f.In, c.Max, plot)
		m.OutH = scale(f.Out, c.Max, plot)
		m.InY, m.OutY = columnBottom-m.InH, columnBottom-m.OutH
		c.Months = append(c.Months, m)
	}
	return c
}
