package metrics

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// WriteText writes the report as plain text: the shop table, the store
// and staff tables, the tier tables, the stored-value table, the cohort
// retention table and the parameters, columns aligned by display width (a Chinese character takes
// two columns), in the language opts chooses (nil: English).
func WriteText(w io.Writer, r Report, opts *RenderOptions) error {
	v := newView(r, opts)
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "%s\n%s\n\n", v.Title, v.Period)
	section(b, v.ShopTitle, v.ShopHeader, v.ShopRows)
	if len(v.StoreRows) > 0 {
		section(b, v.StoresTitle, v.StoreHeader, v.StoreRows)
	}
	if len(v.StaffRows) > 0 {
		section(b, v.StaffTitle, v.StaffHeader, v.StaffRows)
	}
	if v.Tiers.Present {
		rows := make([][]string, 0, len(v.Tiers.Labels)/2)
		for i := 0; i+1 < len(v.Tiers.Labels); i += 2 {
			rows = append(rows, []string{v.Tiers.Labels[i].Text, v.Tiers.Labels[i+1].Text})
		}
		section(b, v.Tiers.Title, nil, rows)
	}
	if len(v.Migration.Rows) > 0 {
		section(b, v.Migration.Title+" — "+v.Migration.Summary, v.Migration.Header, v.Migration.Rows)
	}
	if len(v.StoredValueRows) > 0 {
		section(b, v.StoredValueTitle, v.StoredValueHeader, v.StoredValueRows)
	}
	if len(v.CampaignRows) > 0 {
		section(b, v.CampaignsTitle, v.CampaignHeader, v.CampaignRows)
	}
	if len(v.MembershipRows) > 0 {
		section(b, v.MembershipTitle, v.MembershipHeader, v.MembershipRows)
	}
	if len(r.Cohorts.Cohorts) > 0 {
		section(b, v.Heatmap.Title+" — "+v.Heatmap.Subtitle, nil, heatmapRows(r.Cohorts))
	}
	fmt.Fprintf(b, "%s\n", v.ParamsTitle)
	for _, p := range v.Params {
		fmt.Fprintf(b, "  - %s\n", p)
	}
	return b.Flush()
}

func section(w io.Writer, title string, header []string, rows [][]string) {
	fmt.Fprintf(w, "%s\n", title)
	all := rows
	if header != nil {
		all = append([][]string{header}, rows...)
	}
	writeTable(w, all, header != nil)
	fmt.Fprintln(w)
}

// heatmapRows is the cohort table as text: the most recent cohorts, the
// share of each that bought k periods after its first.
func heatmapRows(t CohortTable) [][]string {
	rows := t.Cohorts
	if len(rows) > maxHeatRows {
		rows = rows[len(rows)-maxHeatRows:]
	}
	var out [][]string
	for _, c := range rows {
		line := []string{fmt.Sprintf("%s (%d)", c.Period, c.Customers)}
		for j := 0; j < len(c.Retention) && j < maxHeatCols; j++ {
			line = append(line, fmt.Sprintf("%.0f%%", 100*c.Retention[j]))
		}
		out = append(out, line)
	}
	return out
}

// writeTable aligns columns by display width: the first column (labels)
// to the left, the others (figures) to the right.
func writeTable(w io.Writer, rows [][]string, header bool) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for k, r := range rows {
		var sb strings.Builder
		sb.WriteString("  ")
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				sb.WriteString(pad + c)
			} else {
				sb.WriteString(c + pad)
			}
			if i < len(r)-1 {
				sb.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(sb.String(), " "))
		if header && k == 0 {
			total := 0
			for i := range r {
				total += widths[i] + 2
			}
			fmt.Fprintln(w, "  "+strings.Repeat("-", total-2))
		}
	}
}

// displayWidth counts East Asian wide and full-width runes as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
