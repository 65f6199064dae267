package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/metrics/clv"
)

// publishedPareto are the Pareto/NBD estimates of Fader, Hardie & Lee
// (2005) on the same sample.
var publishedPareto = struct{ R, Alpha, S, Beta, LL float64 }{0.553, 10.578, 0.606, 11.669, -9595.0}

// validate splits the sample at the calibration end, fits BG/NBD,
// MBG/NBD and Pareto/NBD on the calibration period, and prints the
// holdout validation (Fader, Hardie & Lee 2005, Figures 2 and 3) and the
// model comparison. With svgDir set it also writes the two figures as SVG
// charts in English and Simplified Chinese.
func validate(w io.Writer, recs []clv.CDNOWRecord, svgDir string) error {
	h, err := clv.SplitHoldout(clv.CDNOWTransactions(recs), clv.HoldoutParams{
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
		HoldoutEnd:     time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC),
		Unit:           clv.Week,
		Location:       time.UTC,
	})
	if err != nil {
		return err
	}
	bg, err := clv.FitBGNBD(h.Calibration, nil)
	if err != nil {
		return err
	}
	mbg, err := clv.FitMBGNBD(h.Calibration, nil)
	if err != nil {
		return err
	}
	pn, err := clv.FitParetoNBD(h.Calibration, nil)
	if err != nil {
		return err
	}
	p := pn.Model
	fmt.Fprintf(w, "\nPareto/NBD (Fader, Hardie & Lee 2005), %d customers\n", pn.Customers)
	printEstimates(w, "pnbd ", []estimate{
		{"r", p.R, publishedPareto.R, "%.3f"}, {"alpha", p.Alpha, publishedPareto.Alpha, "%.3f"},
		{"s", p.S, publishedPareto.S, "%.3f"}, {"beta", p.Beta, publishedPareto.Beta, "%.3f"},
		{"LL", pn.LogLikelihood, publishedPareto.LL, "%.1f"},
	})
	fmt.Fprintf(w, "  standard errors: r %.3f, alpha %.3f, s %.3f, beta %.3f\n", pn.Intervals[0].StdErr, pn.Intervals[1].StdErr, pn.Intervals[2].StdErr, pn.Intervals[3].StdErr)

	models := []clv.PurchaseModel{bg.Model, mbg.Model, pn.Model}
	tables := make([][]clv.ValidationRow, len(models))
	for i, m := range models {
		if tables[i], err = clv.ValidationTable(m, h, 7); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nHoldout (39 weeks to 1998-06-30): mean purchases by calibration frequency\n")
	fmt.Fprintf(w, "  %-4s %6s %8s %8s %8s %10s\n", "x", "n", "actual", "BG/NBD", "MBG/NBD", "Pareto/NBD")
	for j, r := range tables[0] {
		label := fmt.Sprint(r.Frequency)
		if r.OrMore {
			label += "+"
		}
		fmt.Fprintf(w, "  %-4s %6d %8.3f %8.3f %8.3f %10.3f\n", label, r.Customers, r.Actual, r.Predicted, tables[1][j].Predicted, tables[2][j].Predicted)
	}
	cmp, err := clv.CompareModels(h, models...)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nModel comparison (calibration fit, holdout accuracy per customer)\n")
	fmt.Fprintf(w, "  %-10s %10s %10s %10s %9s %9s %9s\n", "model", "LL", "AIC", "BIC", "holdout", "MAE", "RMSE")
	for _, c := range cmp {
		fmt.Fprintf(w, "  %-10s %10.1f %10.1f %10.1f %9.0f %9.3f %9.3f\n", c.Model, c.LogLikelihood, c.AIC, c.BIC, c.HoldoutPredicted, c.HoldoutMAE, c.HoldoutRMSE)
	}
	fmt.Fprintf(w, "  actual holdout purchases: %d\n", cmp[0].HoldoutActual)

	tracks := make([][]clv.TrackingPoint, len(models))
	for i, m := range models {
		if tracks[i], err = clv.Tracking(m, h); err != nil {
			return err
		}
	}
	last := tracks[0][len(tracks[0])-1]
	fmt.Fprintf(w, "\nCumulative repeat purchases, week %d: actual %d, BG/NBD %.0f, MBG/NBD %.0f, Pareto/NBD %.0f\n",
		last.Period, last.Actual, last.Predicted, tracks[1][len(tracks[1])-1].Predicted, tracks[2][len(tracks[2])-1].Predicted)
	if svgDir == "" {
		return nil
	}
	return writeCharts(svgDir, tables, tracks, models)
}

// writeCharts writes the tracking plot (Figure 2) and the conditional
// expectations (Figure 3) in each language.
func writeCharts(dir string, tables [][]clv.ValidationRow, tracks [][]clv.TrackingPoint, models []clv.PurchaseModel) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, lang := range []string{"en", "zh"} {
		l := labels[lang]
		var tr chart
		tr.title, tr.xLabel, tr.yLabel = l.trackTitle, l.week, l.cumRepeat
		tr.vline, tr.vlineLabel = 39, l.calEnd
		actual := series{name: l.actual}
		for _, p := range tracks[0] {
			actual.x = append(actual.x, float64(p.Period))
			actual.y = append(actual.y, float64(p.Actual))
		}
		tr.series = append(tr.series, actual)
		for i, m := range models {
			s := series{name: m.ModelName(), dashed: true}
			for _, p := range tracks[i] {
				s.x = append(s.x, float64(p.Period))
				s.y = append(s.y, p.Predicted)
			}
			tr.series = append(tr.series, s)
		}
		var ce chart
		ce.title, ce.xLabel, ce.yLabel = l.condTitle, l.calFreq, l.holdMean
		for i := range 8 {
			ce.xTicks = append(ce.xTicks, fmt.Sprint(i))
		}
		ce.xTicks[7] = "7+"
		actual = series{name: l.actual}
		for _, r := range tables[0] {
			actual.x = append(actual.x, float64(r.Frequency))
			actual.y = append(actual.y, r.Actual)
		}
		ce.series = append(ce.series, actual)
		for i, m := range models {
			s := series{name: m.ModelName(), dashed: true}
			for _, r := range tables[i] {
				s.x = append(s.x, float64(r.Frequency))
				s.y = append(s.y, r.Predicted)
			}
			ce.series = append(ce.series, s)
		}
		for name, c := range map[string]chart{"tracking": tr, "conditional": ce} {
			if err := os.WriteFile(filepath.Join(dir, name+"_"+lang+".svg"), c.svg(), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// chartLabels are the texts of the two charts in one language.
type chartLabels struct {
	trackTitle, week, cumRepeat, calEnd, actual string
	condTitle, calFreq, holdMean                string
}

var labels = map[string]chartLabels{
	"en": {
		trackTitle: "CDNOW: cumulative repeat purchases, actual and predicted", week: "week",
		cumRepeat: "cumulative repeat purchases", calEnd: "end of calibration", actual: "actual",
		condTitle: "CDNOW: purchases in the 39-week holdout by calibration frequency",
		calFreq:   "repeat purchases in calibration (weeks 1-39)", holdMean: "mean purchases in holdout",
	},
	"zh": {
		trackTitle: "CDNOW：累计重复购买次数，实际与预测", week: "周",
		cumRepeat: "累计重复购买次数", calEnd: "校准期结束", actual: "实际",
		condTitle: "CDNOW：按校准期购买频次分组的 39 周验证期购买次数",
		calFreq:   "校准期重复购买次数（第 1-39 周）", holdMean: "验证期平均购买次数",
	},
}
