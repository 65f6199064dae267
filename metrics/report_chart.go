package metrics

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/text/message"
)

// The charts are inline SVG laid out here as numbers and labels; the HTML
// template writes the elements, so every label passes html/template's
// escaping.

// Chart sizes, in SVG user units.
const (
	heatCell      = 40  // width of a heatmap cell
	heatRow       = 22  // height of a heatmap row
	heatLeft      = 110 // room for cohort labels
	heatTop       = 40  // room for the title and column numbers
	maxHeatRows   = 12  // most recent cohorts shown
	maxHeatCols   = 12  // periods after the first purchase shown
	trendWidth    = 640
	trendHeight   = 240
	trendLeft     = 50
	trendRight    = 40
	trendTop      = 30
	trendBottom   = 40
	barsLeft      = 120
	barsWidth     = 360
	barsRow       = 26
	barsTop       = 30
	chartFontSize = 11
)

// r1 rounds a coordinate to a tenth of a unit, plenty for a screen and
// short in the page.
func r1(x float64) float64 { return math.Round(x*10) / 10 }

type svgText struct {
	X, Y   float64
	Text   string
	Anchor string
}

type svgRect struct {
	X, Y, W, H float64
	Fill       string
	Label      string // shown inside the cell
	Ink        string // colour of the label, readable on Fill
	Title      string // tooltip
}

type heatmapView struct {
	Title, Subtitle string
	Width, Height   float64
	Cells           []svgRect
	Labels          []svgText
}

func newHeatmap(p *message.Printer, t CohortTable) heatmapView {
	rows := t.Cohorts
	if len(rows) > maxHeatRows {
		rows = rows[len(rows)-maxHeatRows:]
	}
	cols := 0
	for _, c := range rows {
		cols = max(cols, min(len(c.Retention), maxHeatCols))
	}
	v := heatmapView{
		Title:    p.Sprintf("Cohort retention"),
		Subtitle: p.Sprintf("Cohorts by first-purchase %s, time zone %s", p.Sprintf(string(t.Granularity)), t.Location),
		Width:    heatLeft + float64(cols)*heatCell + 10,
		Height:   heatTop + float64(len(rows))*heatRow + 30,
	}
	for j := range cols {
		v.Labels = append(v.Labels, svgText{X: heatLeft + float64(j)*heatCell + heatCell/2, Y: heatTop - 6, Text: fmt.Sprint(j), Anchor: "middle"})
	}
	for i, c := range rows {
		y := heatTop + float64(i)*heatRow
		label := fmt.Sprintf("%s (%d)", c.Period, c.Customers)
		v.Labels = append(v.Labels, svgText{X: heatLeft - 6, Y: y + heatRow*0.7, Text: label, Anchor: "end"})
		for j := 0; j < len(c.Retention) && j < maxHeatCols; j++ {
			share := c.Retention[j]
			v.Cells = append(v.Cells, svgRect{
				X: heatLeft + float64(j)*heatCell, Y: y, W: heatCell - 1, H: heatRow - 1,
				Fill: blend(share), Ink: ink(share), Label: fmt.Sprintf("%.0f", 100*share),
				Title: fmt.Sprintf("%s +%d: %d/%d = %.1f%%", c.Period, j, c.Active[j], c.Customers, 100*share),
			})
		}
	}
	v.Labels = append(v.Labels, svgText{X: heatLeft, Y: v.Height - 8, Text: p.Sprintf("Periods after the first purchase"), Anchor: "start"})
	return v
}

// ink is white on the darker half of the scale, near-black on the lighter.
func ink(share float64) string {
	if share >= 0.5 {
		return "#fff"
	}
	return "#222"
}

// blend shades from white (0) to a deep blue (1).
func blend(share float64) string {
	share = clamp(share, 0, 1)
	ch := func(to float64) int { return int(255 - (255-to)*share + 0.5) }
	return fmt.Sprintf("rgb(%d,%d,%d)", ch(31), ch(90), ch(160))
}

type trendView struct {
	Title         string
	Width, Height float64
	Lines         []string // polyline point lists; a period with no answers breaks the line
	Dots          []svgText
	Grid          []svgRect // horizontal grid lines as 1-unit-high rects
	Labels        []svgText
}

func newTrend(p *message.Printer, t SatisfactionTrend) trendView {
	v := trendView{Title: p.Sprintf("NPS trend"), Width: trendWidth, Height: trendHeight}
	plotW := float64(trendWidth - trendLeft - trendRight)
	plotH := float64(trendHeight - trendTop - trendBottom)
	y := func(score float64) float64 { return trendTop + plotH*(100-score)/200 }
	for _, g := range []float64{100, 50, 0, -50, -100} {
		v.Grid = append(v.Grid, svgRect{X: trendLeft, Y: y(g), W: plotW, H: 0.5, Fill: "#ccc"})
		v.Labels = append(v.Labels, svgText{X: trendLeft - 6, Y: y(g) + 4, Text: fmt.Sprintf("%.0f", g), Anchor: "end"})
	}
	n := len(t.Points)
	step := plotW
	if n > 1 {
		step = plotW / float64(n-1)
	}
	every := max(1, (n+5)/6) // at most six period labels, so they never overlap
	var line []string
	for i, pt := range t.Points {
		x := trendLeft + float64(i)*step
		if n == 1 {
			x = trendLeft + plotW/2
		}
		if i%every == 0 {
			v.Labels = append(v.Labels, svgText{X: r1(x), Y: trendHeight - trendBottom + 16, Text: pt.Period.String(), Anchor: "middle"})
		}
		if pt.NPS.N == 0 {
			v.Lines = appendLine(v.Lines, line)
			line = nil
			continue
		}
		line = append(line, fmt.Sprintf("%.1f,%.1f", x, y(pt.NPS.Score)))
		v.Dots = append(v.Dots, svgText{X: r1(x), Y: r1(y(pt.NPS.Score)), Text: fmt.Sprintf("%s: %.1f (n=%d)", pt.Period, pt.NPS.Score, pt.NPS.N)})
	}
	v.Lines = appendLine(v.Lines, line)
	return v
}

func appendLine(lines, pts []string) []string {
	if len(pts) == 0 {
		return lines
	}
	return append(lines, strings.Join(pts, " "))
}

type barsView struct {
	Title         string
	Width, Height float64
	Bars          []svgRect
	Labels        []svgText
	Present       bool
}

func newBars(p *message.Printer, d *TierDistribution) barsView {
	v := barsView{Title: p.Sprintf("Tier distribution")}
	if d == nil {
		return v
	}
	v.Present = true
	v.Width = barsLeft + barsWidth + 120
	v.Height = barsTop + float64(len(d.Tiers))*barsRow + 10
	for i, t := range d.Tiers {
		y := barsTop + float64(i)*barsRow
		v.Labels = append(v.Labels,
			svgText{X: barsLeft - 8, Y: y + barsRow*0.65, Text: tierName(p, t.Tier), Anchor: "end"},
			svgText{X: r1(barsLeft + barsWidth*t.Share + 6), Y: y + barsRow*0.65, Text: fmt.Sprintf("%d (%.1f%%)", t.Members, 100*t.Share), Anchor: "start"})
		v.Bars = append(v.Bars, svgRect{X: barsLeft, Y: y + 3, W: r1(barsWidth * t.Share), H: barsRow - 8, Fill: "rgb(31,90,160)",
			Title: fmt.Sprintf("%s: %d", t.Tier, t.Members)})
	}
	return v
}

type migrationView struct {
	Title   string
	Summary string
	Header  []string
	Rows    [][]string
}

func newMigration(p *message.Printer, m *TierMigration) migrationView {
	v := migrationView{Title: p.Sprintf("Tier migration")}
	if m == nil {
		return v
	}
	v.Summary = p.Sprintf("Upgraded %d, downgraded %d, stayed %d", m.Upgraded, m.Downgraded, m.Stayed)
	v.Header = []string{p.Sprintf("Tier")}
	for _, t := range m.Tiers {
		v.Header = append(v.Header, tierName(p, t))
	}
	v.Header = append(v.Header, p.Sprintf("Left"))
	for i, t := range m.Tiers {
		row := []string{tierName(p, t)}
		for _, c := range m.Counts[i] {
			row = append(row, fmt.Sprint(c))
		}
		row = append(row, fmt.Sprint(m.Left[i]))
		v.Rows = append(v.Rows, row)
	}
	joined := []string{p.Sprintf("Joined")}
	for _, c := range m.Joined {
		joined = append(joined, fmt.Sprint(c))
	}
	v.Rows = append(v.Rows, append(joined, ""))
	return v
}

// tierName translates the entry tier's label; tier codes are the host's
// and are shown as they are (never used as a format string).
func tierName(p *message.Printer, code string) string {
	if code == EntryTier {
		return p.Sprintf(EntryTier)
	}
	return code
}
