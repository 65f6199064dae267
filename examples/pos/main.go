// Command pos walks a shop through a member's life at the till: it
// registers customers (catching a duplicate), records consent, purchases
// and a return, logs a follow-up call, and prints the member's history and
// stats. Everything runs on the in-memory stores with a fixed clock, so
// the output is the same every run.
//
//	go run ./examples/pos
package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "pos:", err)
		os.Exit(1)
	}
}

// run plays the walk-through, writing what the till would print to w.
func run(ctx context.Context, w io.Writer) error {
	s, err := newShop()
	if err != nil {
		return err
	}
	p := &printer{w: w}
	for _, step := range []func(context.Context, *shop, *printer) error{
		registerMembers,
		recordConsent,
		ringUpPurchases,
		takeReturn,
		followUp,
		printHistory,
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
