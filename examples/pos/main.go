// Command pos walks a shop through a member's life at the till: it
// registers customers (catching a duplicate), records consent, issues a
// member coupon, rings up purchases priced at the till (a promotion, a
// flyer coupon, a coupon that falls short and says why) with receipts
// from loyalty/receipt that explain every discount and every point, runs the nightly
// points job, lets the member pay with points, takes a return that claws
// back exactly what it earned, settles a complaint with goodwill points,
// makes the follow-up visit, takes an NPS survey, issues a 29 February
// birthday coupon, tops up the member's stored balance and pays from it,
// sells a gift card and a punch card, and prints the member's history,
// stats and points statement. Everything runs on the in-memory stores with a fixed clock,
// so the output is the same every run.
//
//	go run ./examples/pos            # receipts in English
//	go run ./examples/pos -lang zh   # receipts in Simplified Chinese
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
	lang := flag.String("lang", "en", `receipt language: "en" or "zh" (Simplified Chinese)`)
	flag.Parse()
	tag := language.English
	if *lang == "zh" {
		tag = language.SimplifiedChinese
	}
	if err := run(context.Background(), os.Stdout, tag); err != nil {
		fmt.Fprintln(os.Stderr, "pos:", err)
		os.Exit(1)
	}
}

// run plays the walk-through, writing what the till would print to w.
func run(ctx context.Context, w io.Writer, lang language.Tag) error {
	s, err := newShop(lang)
	if err != nil {
		return err
	}
	p := &printer{w: w}
	for _, step := range []func(context.Context, *shop, *printer) error{
		registerMembers,
		recordConsent,
		ringUpPurchases,
		nightlyRun,
		payWithPoints,
		takeReturn,
		settleComplaint,
		followUp,
		npsSurvey,
		birthdayCoupons,
		storedValue,
		printHistory,
		printPoints,
	} {
		if err := step(ctx, s, p); err != nil {
			return err
		}
	}
	return p.err
}

// printer writes the walk-through, keeping the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *printer) section(title string) { p.printf("\n== %s\n", title) }
