// Command clv fits the BG/NBD and Gamma-Gamma models to the CDNOW data the
// papers used and prints the estimates beside the published ones, then
// values the sample's first customers over the next year. It then splits
// the sample at the end of the calibration period, fits BG/NBD, MBG/NBD
// and Pareto/NBD, and prints the holdout validation and the model
// comparison; with -svg it writes Figures 2 and 3 of Fader, Hardie & Lee
// (2005) as SVG charts in English and Simplified Chinese.
//
//	go run ./examples/clv                          # looks for ../shared/data/cdnow
//	go run ./examples/clv -data path/to/cdnow
//	go run ./examples/clv -svg /tmp/charts         # tracking_{en,zh}.svg, conditional_{en,zh}.svg
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/metrics/clv"
)

func main() {
	dir := flag.String("data", "", "directory holding CDNOW_sample.txt (default: ../shared/data/cdnow beside the repository)")
	svgDir := flag.String("svg", "", "directory to write the validation charts to (none if empty)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *dir, *svgDir); err != nil {
		fmt.Fprintln(os.Stderr, "clv:", err)
		os.Exit(1)
	}
}

// published are the estimates of Fader, Hardie & Lee (2005) for BG/NBD and
// Fader & Hardie (2013) for Gamma-Gamma, on the 2,357-customer sample,
// weeks, calibration to 30 September 1997.
var published = struct {
	R, Alpha, A, B, LL float64
	P, Q, V            float64
}{0.243, 4.414, 0.793, 2.426, -9582.4, 6.25, 3.74, 15.44}

func run(_ context.Context, w io.Writer, dir, svgDir string) error {
	path, err := findData(dir)
	if err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(path, "CDNOW_sample.txt"))
	if err != nil {
		return err
	}
	defer f.Close()
	recs, err := clv.ReadCDNOW(f)
	if err != nil {
		return err
	}
	s, err := clv.Summarize(clv.CDNOWTransactions(recs), clv.SummaryParams{
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
		Unit:           clv.Week,
		Location:       time.UTC,
	})
	if err != nil {
		return err
	}
	bg, err := clv.FitBGNBD(s, nil)
	if err != nil {
		return err
	}
	gg, err := clv.FitGammaGamma(s, nil)
	if err != nil {
		return err
	}
	m, g := bg.Model, gg.Model
	fmt.Fprintf(w, "CDNOW sample: %d transactions, %d customers, calibration to 1997-09-30, in %ss\n\n", s.Transactions, len(s.Customers), s.Unit)
	fmt.Fprintf(w, "BG/NBD (Fader, Hardie & Lee 2005), %d customers\n", bg.Customers)
	printEstimates(w, "", []estimate{
		{"r", m.R, published.R, "%.3f"}, {"alpha", m.Alpha, published.Alpha, "%.3f"},
		{"a", m.A, published.A, "%.3f"}, {"b", m.B, published.B, "%.3f"},
		{"LL", bg.LogLikelihood, published.LL, "%.1f"},
	})
	fmt.Fprintf(w, "  converged %v after %d iterations\n\n", bg.Diagnostics.Converged, bg.Diagnostics.Iterations)
	fmt.Fprintf(w, "Gamma-Gamma (Fader & Hardie 2013), %d repeat buyers\n", gg.Customers)
	fmt.Fprintf(w, "  %-8s %10s %10s\n", "", "fitted", "published")
	for _, row := range []struct {
		name      string
		got, want float64
	}{{"p", g.P, published.P}, {"q", g.Q, published.Q}, {"v", g.V, published.V}} {
		fmt.Fprintf(w, "  %-8s %10.2f %10.2f\n", row.name, row.got, row.want)
	}
	v, err := clv.LifetimeValues(m, g, clv.Summaries{Unit: s.Unit, Customers: s.Customers[:5]}, clv.Horizon{
		Periods: 13, Period: 28 * 24 * time.Hour, DiscountRate: 0.01, Places: 2,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nNext 52 weeks (13 periods of 4 weeks, 1%% discount per period), first customers:\n")
	for _, c := range v.Customers {
		fmt.Fprintf(w, "  customer %-5s expected purchases %5.2f × %6.2f USD = %8s USD\n", c.CustomerID, c.ExpectedPurchases, c.ExpectedSpend, c.Value.StringFixed(2))
	}
	return validate(w, recs, svgDir)
}

// findData returns the CDNOW directory: the one given, or the shared data
// directory beside the repository, looked for from the working directory
// upwards.
func findData(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "..", "shared", "data", "cdnow")
		if _, err := os.Stat(filepath.Join(candidate, "CDNOW_sample.txt")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("CDNOW data not found: pass -data")
		}
	}
}

// estimate is one fitted parameter beside its published value.
type estimate struct {
	name      string
	got, want float64
	format    string
}

// printEstimates prints a fitted/published table, each name after prefix.
func printEstimates(w io.Writer, prefix string, rows []estimate) {
	fmt.Fprintf(w, "  %-10s %10s %10s\n", "", "fitted", "published")
	for _, row := range rows {
		fmt.Fprintf(w, "  %-10s %10s %10s\n", prefix+row.name, fmt.Sprintf(row.format, row.got), fmt.Sprintf(row.format, row.want))
	}
}
