// Command segments generates a synthetic shop with a fixed seed (100,000
// customers and 1,000,000 purchases over two years, with seasonality,
// categories and returns), then runs RFM scoring, lifecycle stages and a
// rule segment over it and prints the tables.
//
//	go run ./examples/segments          # the full shop (a few seconds)
//	go run ./examples/segments -small   # 10,000 customers, 100,000 purchases
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/clientele-go/clientele/internal/synth"
	"github.com/clientele-go/clientele/segment"
)

func main() {
	small := flag.Bool("small", false, "a tenth of the shop")
	flag.Parse()
	cfg := shopConfig(!*small)
	if err := run(context.Background(), os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "segments:", err)
		os.Exit(1)
	}
}

// shopConfig is the synthetic shop: fixed seed, Shanghai time, two years.
func shopConfig(full bool) synth.Config {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	cfg := synth.Config{
		Seed: 42, Customers: 100_000, Purchases: 1_000_000,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, loc), End: time.Date(2026, 1, 1, 0, 0, 0, 0, loc),
		Stores: 20, Categories: 24, Brands: 60, SKUs: 5000, ReturnPerMille: 40, Currency: "CNY", Location: loc,
	}
	if !full {
		cfg.Customers, cfg.Purchases = 10_000, 100_000
	}
	return cfg
}

// bigSpenders is a rule segment as a shop would store it: JSON, versioned.
const bigSpenders = `{"version": 1, "name": "engaged big spenders", "rule": {"and": [
  {"spent": {"min": "2000.00", "days": 365}},
  {"purchases": {"min": 5, "days": 365}},
  {"not": {"lifecycle": {"in": ["at-risk", "lapsed"]}}}
]}}`

func run(_ context.Context, w io.Writer, cfg synth.Config) error {
	shop := synth.New(cfg)
	asOf := cfg.End
	start := time.Now()
	facts, stats, err := segment.BuildFacts(shop.Customers(), shop.Purchases(), shop.Returns(), asOf,
		&segment.FactsOptions{Location: cfg.Location, Currency: cfg.Currency, ExpectedCustomers: cfg.Customers, SkipSKUs: true})
	if err != nil {
		return err
	}
	built := time.Since(start)
	fmt.Fprintf(w, "Synthetic shop (seed %d): %d customers, %d purchases, %d returns, as of %s\n",
		cfg.Seed, stats.Customers, stats.Purchases, stats.Returns, asOf.Format("2006-01-02"))
	fmt.Fprintf(w, "facts built in one streaming pass in %s\n", round(built))

	rep, err := segment.ScoreFacts(facts, asOf, nil)
	if err != nil {
		return err
	}
	printRFM(w, rep)

	stages, err := segment.StageCounts(facts, asOf, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLifecycle stages (default thresholds, the customer's own rhythm where history allows)\n")
	for _, st := range segment.Stages() {
		fmt.Fprintf(w, "  %-10s %7d\n", st, stages[st])
	}

	rule, err := segment.ParseRule([]byte(bigSpenders))
	if err != nil {
		return err
	}
	m, err := rule.Compile(asOf, nil)
	if err != nil {
		return err
	}
	members, err := m.Members(segment.All(facts))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nRule segment %q: %d customers\n", rule.Name, members.Len())
	for i := range facts {
		if m.Match(&facts[i]) {
			fmt.Fprintf(w, "why %s matched:\n%s", facts[i].CustomerID, m.Explain(&facts[i]))
			break
		}
	}
	return nil
}

// printRFM prints customers, revenue and average recency per segment,
// largest first.
func printRFM(w io.Writer, rep segment.RFMReport) {
	type row struct {
		segment   string
		customers int
		monetary  int64
		recency   int64
	}
	rows := map[string]*row{}
	for _, r := range rep.Results {
		if r.Score.Segment == "" {
			continue // never bought: not scored
		}
		x := rows[r.Score.Segment]
		if x == nil {
			x = &row{segment: r.Score.Segment}
			rows[r.Score.Segment] = x
		}
		x.customers++
		x.monetary += r.Monetary
		x.recency += r.RecencyDays
	}
	list := make([]*row, 0, len(rows))
	for _, r := range rows {
		list = append(list, r)
	}
	slices.SortFunc(list, func(a, b *row) int {
		return cmp.Or(cmp.Compare(b.customers, a.customers), cmp.Compare(a.segment, b.segment))
	})
	fmt.Fprintf(w, "\nRFM (%s map, %d quantile bins; %d scored, %d without purchases)\n", rep.Map, rep.Bins, rep.Scored, rep.Skipped)
	fmt.Fprintf(w, "  %-20s %9s %16s %13s\n", "segment", "customers", "net revenue CNY", "avg recency")
	for _, r := range list {
		fmt.Fprintf(w, "  %-20s %9d %16s %10d d\n", r.segment, r.customers,
			segment.Amount(r.monetary, rep.Scale).StringFixed(0), r.recency/int64(r.customers))
	}
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
