// Command compare runs clientele and DuckDB on the same generated
// purchases in one process, checks that their answers agree exactly and
// prints the wall times and their ratios:
//
//   - RFM scores from data in memory (clientele's compact table, DuckDB's
//     own table);
//   - RFM scores from the CSV file (read, summarised and scored);
//   - the transaction summary of lifetimes (frequency, recency, T and the
//     mean repeat-day value);
//   - and clientele's BG/NBD fit on that summary, for which DuckDB has no
//     counterpart.
//
// DuckDB runs with one thread and with its default (every core). Each
// figure is the median of -runs runs. The default is the issue-17 data
// set, ten million purchases of a million customers; the test runs a
// small one.
//
//	go run . -purchases 10000000 -customers 1000000 -runs 5
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	if childMain() {
		return
	}
	var cfg config
	flag.IntVar(&cfg.purchases, "purchases", 10_000_000, "purchases to generate")
	flag.IntVar(&cfg.customers, "customers", 1_000_000, "customers to generate")
	flag.IntVar(&cfg.runs, "runs", 5, "runs of each timing (the median is printed)")
	flag.Uint64Var(&cfg.seed, "seed", 17, "seed of the generated data")
	flag.StringVar(&cfg.dir, "dir", "", "directory for the CSV file (default: a temporary one)")
	write := flag.String("write", "", "only write the generated CSV file to this path (for timing the CSV path alone\n"+
		"with "+childEnv+" and "+childCSVEnv+" set in the environment)")
	flag.Parse()
	if *write != "" {
		if err := writeCSV(*write, generate(cfg.purchases, cfg.customers, cfg.seed)); err != nil {
			log.Fatal(err)
		}
		return
	}
	if cfg.dir == "" {
		d, err := os.MkdirTemp("", "compare")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(d)
		cfg.dir = d
	}
	cfg.csv = filepath.Join(cfg.dir, "purchases.csv")
	rep, err := run(cfg, os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	rep.print(os.Stdout)
}
