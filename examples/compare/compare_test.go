package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary serve as the comparison's child process.
func TestMain(m *testing.M) {
	if childMain() {
		return
	}
	os.Exit(m.Run())
}

// TestCompareAgrees runs the whole comparison on a small data set: it
// fails if clientele and DuckDB give different answers anywhere.
func TestCompareAgrees(t *testing.T) {
	cfg := config{purchases: 200_000, customers: 20_000, runs: 1, seed: 5, dir: t.TempDir()}
	if testing.Short() {
		cfg.purchases, cfg.customers = 20_000, 2_000
	}
	cfg.csv = filepath.Join(cfg.dir, "purchases.csv")
	rep, err := run(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.tasks) != 4 || rep.fit.Customers == 0 {
		t.Fatalf("report %+v", rep)
	}
	var b strings.Builder
	rep.print(&b)
	for _, kind := range childKinds {
		if r := rep.fresh.median[kind]; r.PeakBytes <= 0 || (kind != "idle" && r.Wall <= 0) {
			t.Errorf("fresh process %s: %+v", kind, r)
		}
	}
	if !strings.Contains(b.String(), "answers checked equal") || !strings.Contains(b.String(), "peak memory") {
		t.Fatalf("report:\n%s", b.String())
	}
}

// TestGenerateDeterministic: the same seed gives the same rows, in time
// order.
func TestGenerateDeterministic(t *testing.T) {
	a, b := generate(5000, 300, 9), generate(5000, 300, 9)
	for i := range a.Len() {
		if a.IDs[a.Customer[i]] != b.IDs[b.Customer[i]] || a.Day[i] != b.Day[i] || a.Amount[i] != b.Amount[i] {
			t.Fatalf("row %d differs", i)
		}
		if i > 0 && a.Day[i] < a.Day[i-1] {
			t.Fatalf("row %d out of time order", i)
		}
	}
}
