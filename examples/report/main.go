// Command report runs a synthetic shop through the loyalty and feedback
// services and writes its KPI report for December 2025 against November:
// the text report to standard output and a self-contained HTML page (inline
// CSS and SVG charts) to a file.
//
// The shop comes from internal/synth with a fixed seed, so every run
// prints the same figures. Its purchases and returns go through the
// in-memory loyalty service (points earned, redeemed at the till, clawed
// back on returns, released and expired by the nightly job, tiers
// reviewed); a share of visits leave a survey response or a complaint
// that the in-memory feedback service takes through its SLA-timed flow.
// The report is computed by metrics.BuildReport from the services'
// streams.
//
//	go run ./examples/report                    # 3,000 customers, 30,000 purchases
//	go run ./examples/report -full              # 100,000 customers, 400,000 purchases
//	go run ./examples/report -lang zh -out /tmp/report.html
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/text/language"
)

func main() {
	out := flag.String("out", "report.html", "where to write the HTML report")
	full := flag.Bool("full", false, "simulate the big shop (100,000 customers, 400,000 purchases; minutes)")
	lang := flag.String("lang", "en", `report language: "en" or "zh" (Simplified Chinese)`)
	flag.Parse()
	tag := language.English
	if *lang == "zh" {
		tag = language.SimplifiedChinese
	}
	size := smallShop
	if *full {
		size = fullShop
	}
	f, err := os.Create(*out)
	if err == nil {
		err = run(context.Background(), os.Stdout, f, size, tag)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

// run simulates the shop of the given size and writes the text report to
// text and the HTML page to page.
func run(ctx context.Context, text, page io.Writer, size shopSize, lang language.Tag) error {
	sim, err := simulate(ctx, size)
	if err != nil {
		return err
	}
	rep, err := sim.report(ctx)
	if err != nil {
		return err
	}
	if err := writeText(text, rep, lang); err != nil {
		return err
	}
	return writeHTML(page, rep, lang)
}
