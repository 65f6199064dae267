package metrics

import (
	"html/template"
	"io"
)

// WriteHTML writes the report as one self-contained HTML page: inline CSS,
// no scripts, fonts or images from elsewhere, and the charts (cohort
// retention heatmap, NPS trend line, tier distribution bars) as inline
// SVG, the campaigns' uplift as a forest plot and the paid membership's
// deferred revenue as a waterfall. Every label and figure goes through
// html/template, so text from the data (store names, tier codes) is
// escaped. The markup is also
// well-formed XML: void elements are self-closed.
func WriteHTML(w io.Writer, r Report, opts *RenderOptions) error {
	return reportTemplate.Execute(w, newView(r, opts))
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{"pair": pair}).Parse(reportHTML))

// tableData is a header and rows for the "table" template.
type tableData struct {
	Header []string
	Rows   [][]string
}

func pair(header []string, rows [][]string) tableData { return tableData{header, rows} }

const reportHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
p.period { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #f4f6f9; }
.scroll { overflow-x: auto; }
svg { display: block; margin: 0.5em 0; font-size: 11px; }
svg text { fill: #333; }
ul.params { color: #444; font-size: 0.9em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="period">{{.Period}}</p>

<h2>{{.ShopTitle}}</h2>
{{template "table" (pair .ShopHeader .ShopRows)}}

{{if .StoreRows}}<h2>{{.StoresTitle}}</h2>
<div class="scroll">{{template "table" (pair .StoreHeader .StoreRows)}}</div>{{end}}

{{if .StaffRows}}<h2>{{.StaffTitle}}</h2>
<div class="scroll">{{template "table" (pair .StaffHeader .StaffRows)}}</div>{{end}}

<h2>{{.Heatmap.Title}}</h2>
<p>{{.Heatmap.Subtitle}}</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Heatmap.Width}}" height="{{.Heatmap.Height}}" viewBox="0 0 {{.Heatmap.Width}} {{.Heatmap.Height}}" role="img" aria-label="{{.Heatmap.Title}}">
{{range .Heatmap.Cells}}<g><title>{{.Title}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"/><text x="{{.X}}" y="{{.Y}}" dx="20" dy="15" text-anchor="middle" style="fill: {{.Ink}}">{{.Label}}</text></g>
{{end}}{{range .Heatmap.Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>

<h2>{{.Trend.Title}}</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Trend.Width}}" height="{{.Trend.Height}}" viewBox="0 0 {{.Trend.Width}} {{.Trend.Height}}" role="img" aria-label="{{.Trend.Title}}">
{{range .Trend.Grid}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"/>
{{end}}{{range .Trend.Lines}}<polyline points="{{.}}" fill="none" stroke="rgb(31,90,160)" stroke-width="2"/>
{{end}}{{range .Trend.Dots}}<circle cx="{{.X}}" cy="{{.Y}}" r="3" fill="rgb(31,90,160)"><title>{{.Text}}</title></circle>
{{end}}{{range .Trend.Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>

{{if .Tiers.Present}}<h2>{{.Tiers.Title}}</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Tiers.Width}}" height="{{.Tiers.Height}}" viewBox="0 0 {{.Tiers.Width}} {{.Tiers.Height}}" role="img" aria-label="{{.Tiers.Title}}">
{{range .Tiers.Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"><title>{{.Title}}</title></rect>
{{end}}{{range .Tiers.Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>{{end}}

{{if .Migration.Rows}}<h2>{{.Migration.Title}}</h2>
<p>{{.Migration.Summary}}</p>
{{template "table" (pair .Migration.Header .Migration.Rows)}}{{end}}

{{if .StoredValueRows}}<h2>{{.StoredValueTitle}}</h2>
{{template "table" (pair .StoredValueHeader .StoredValueRows)}}{{end}}
{{if .CampaignRows}}<h2>{{.CampaignsTitle}}</h2>
<div class="scroll">{{template "table" (pair .CampaignHeader .CampaignRows)}}</div>
{{if .Uplift.Present}}<p>{{.Uplift.Title}}</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Uplift.Width}}" height="{{.Uplift.Height}}" viewBox="0 0 {{.Uplift.Width}} {{.Uplift.Height}}" role="img" aria-label="{{.Uplift.Title}}">
<rect x="{{.Uplift.Axis.X}}" y="{{.Uplift.Axis.Y}}" width="{{.Uplift.Axis.W}}" height="{{.Uplift.Axis.H}}" fill="{{.Uplift.Axis.Fill}}"/>
{{range .Uplift.Whiskers}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"><title>{{.Title}}</title></rect>
{{end}}{{range .Uplift.Dots}}<circle cx="{{.X}}" cy="{{.Y}}" r="4" fill="{{.Text}}"/>
{{end}}{{range .Uplift.Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>{{end}}{{end}}

{{if .MembershipRows}}<h2>{{.MembershipTitle}}</h2>
{{template "table" (pair .MembershipHeader .MembershipRows)}}
{{if .Deferral.Present}}<p>{{.Deferral.Title}}</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Deferral.Width}}" height="{{.Deferral.Height}}" viewBox="0 0 {{.Deferral.Width}} {{.Deferral.Height}}" role="img" aria-label="{{.Deferral.Title}}">
{{range .Deferral.Bars}}<rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" fill="{{.Fill}}"><title>{{.Title}}</title></rect>
{{end}}{{range .Deferral.Labels}}<text x="{{.X}}" y="{{.Y}}" text-anchor="{{.Anchor}}">{{.Text}}</text>
{{end}}</svg>{{end}}{{end}}

<h2>{{.ParamsTitle}}</h2>
<ul class="params">
{{range .Params}}<li>{{.}}</li>
{{end}}</ul>
</body>
</html>
{{define "table"}}<table>
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>{{end}}`
