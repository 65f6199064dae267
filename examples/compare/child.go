package main

import (
	"bufio"
	"bytes"
	"cmp"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clientele-go/clientele/segment"
)

// The CSV path runs again in fresh processes, one per run, because a
// process's peak memory can only be read once and because clientele and
// DuckDB then start alike: no heap, buffer pool or page cache of the other
// engine's earlier work in the same address space. The program starts
// itself with childEnv naming the work (childKinds) and childCSVEnv the
// file; the child does the work once and prints a childResult as JSON.
const (
	childEnv    = "CLIENTELE_COMPARE_CHILD"
	childCSVEnv = "CLIENTELE_COMPARE_CSV"
)

// childKinds are the works a child can do: clientele with every core or
// one worker (segment.SummarizeFile, which folds the rows as it reads
// them), clientele with every core reading the whole table first
// (txnfile.ReadTableAt, then segment.SummarizeTable: the path whose rows
// clv.SummarizeTable can use too), DuckDB with its default threads or
// one, and nothing (the peak memory of the program itself, which every
// other figure includes).
var childKinds = []string{"clientele", "clientele/1", "clientele/table", "duckdb", "duckdb/1", "idle"}

// childResult is what a child reports: the wall and CPU time of the work
// alone (not the process start) and the process's peak resident memory
// (VmHWM) when it is done.
type childResult struct {
	Customers int           `json:"customers"`
	Wall      time.Duration `json:"wall"`
	CPU       time.Duration `json:"cpu"`
	PeakBytes int64         `json:"peak_bytes"`
}

// childMain runs the child's work if the environment names one and
// reports whether it did; main and TestMain call it first.
func childMain() bool {
	kind := os.Getenv(childEnv)
	if kind == "" {
		return false
	}
	res, err := runChild(kind, os.Getenv(childCSVEnv))
	if err == nil {
		err = json.NewEncoder(os.Stdout).Encode(res)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "compare child %s: %v\n", kind, err)
		os.Exit(1)
	}
	return true
}

func runChild(kind, csvPath string) (childResult, error) {
	var res childResult
	var work func() (int, error)
	switch kind {
	case "clientele", "clientele/1":
		workers := 0
		if kind == "clientele/1" {
			workers = 1
		}
		work = func() (int, error) {
			rep, err := rfmFromCSV(csvPath, workers)
			return len(rep.Results), err
		}
	case "clientele/table":
		work = func() (int, error) {
			tab, err := readCSV(csvPath, 0)
			if err != nil {
				return 0, err
			}
			sums, err := segment.SummarizeTable(tab, asOf, 0)
			if err != nil {
				return 0, err
			}
			rep, err := segment.ScoreRFM(sums, asOf, nil)
			return len(rep.Results), err
		}
	case "duckdb", "duckdb/1":
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return res, err
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if kind == "duckdb/1" {
			if _, err := db.Exec("SET threads = 1"); err != nil {
				return res, err
			}
		}
		work = func() (int, error) {
			if _, err := db.Exec("CREATE TABLE rfm_csv AS " + rfmSQL(csvRows(csvPath))); err != nil {
				return 0, err
			}
			var n int
			err := db.QueryRow("SELECT count(*) FROM rfm_csv").Scan(&n)
			return n, err
		}
	case "idle":
		work = func() (int, error) { return 0, nil }
	default:
		return res, fmt.Errorf("unknown work %q", kind)
	}
	c0, start := processCPU(), time.Now()
	n, err := work()
	if err != nil {
		return res, err
	}
	res.Wall, res.CPU, res.Customers = time.Since(start), processCPU()-c0, n
	res.PeakBytes, err = peakResident()
	return res, err
}

// peakResident is the process's peak resident set size, VmHWM in
// /proc/self/status (Linux).
func peakResident() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}

// startChild runs this program as a child doing kind on the CSV file.
func startChild(kind, csvPath string) (childResult, error) {
	var res childResult
	self, err := os.Executable()
	if err != nil {
		return res, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), childEnv+"="+kind, childCSVEnv+"="+csvPath)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("child %s: %w: %s", kind, err, strings.TrimSpace(errOut.String()))
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return res, fmt.Errorf("child %s: %w", kind, err)
	}
	return res, nil
}

// freshRuns is the CSV path in fresh processes: the medians of runs per
// kind, the kinds taking turns within each run so that load from other
// work on the machine falls on all of them alike.
type freshRuns struct {
	kinds  []string
	median map[string]childResult
	all    map[string][]childResult // every run, in order
}

func runFresh(cfg config, customers int) (freshRuns, error) {
	fr := freshRuns{kinds: childKinds, median: map[string]childResult{}, all: map[string][]childResult{}}
	all := fr.all
	fmt.Fprintf(cfg.progress, "RFM scores from the CSV file, a fresh process a run\n")
	for range max(cfg.runs, 1) {
		for _, kind := range fr.kinds {
			res, err := startChild(kind, cfg.csv)
			if err != nil {
				return fr, err
			}
			if kind != "idle" && res.Customers != customers {
				return fr, fmt.Errorf("child %s scored %d customers, the checked run %d", kind, res.Customers, customers)
			}
			all[kind] = append(all[kind], res)
		}
	}
	for kind, rs := range all {
		fr.median[kind] = childResult{
			Customers: rs[0].Customers,
			Wall:      medianOf(rs, func(r childResult) time.Duration { return r.Wall }),
			CPU:       medianOf(rs, func(r childResult) time.Duration { return r.CPU }),
			PeakBytes: medianOf(rs, func(r childResult) int64 { return r.PeakBytes }),
		}
	}
	return fr, nil
}

func medianOf[T cmp.Ordered](rs []childResult, get func(childResult) T) T {
	v := make([]T, len(rs))
	for i, r := range rs {
		v[i] = get(r)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

func (fr freshRuns) print(w io.Writer) {
	if len(fr.median) == 0 {
		return
	}
	m := fr.median
	fmt.Fprintf(w, "\nRFM scores from the CSV file, a fresh process a run (kinds taking turns)\n%-14s %10s %10s %14s\n", "who", "wall", "CPU", "peak memory")
	for _, kind := range fr.kinds {
		r := m[kind]
		fmt.Fprintf(w, "%-14s %10s %10s %10.0f MiB\n", kind, ms(r.Wall), ms(r.CPU), float64(r.PeakBytes)/(1<<20))
	}
	ratio := func(a, b float64) float64 { return a / b }
	c, d := m["clientele"], m["duckdb"]
	fmt.Fprintf(w, "ratio clientele/DuckDB (default threads): wall %.2fx, CPU %.2fx, peak memory %.2fx (%.2fx above the idle program)\n",
		ratio(c.Wall.Seconds(), d.Wall.Seconds()), ratio(c.CPU.Seconds(), d.CPU.Seconds()),
		ratio(float64(c.PeakBytes), float64(d.PeakBytes)),
		ratio(float64(c.PeakBytes-m["idle"].PeakBytes), float64(d.PeakBytes-m["idle"].PeakBytes)))
	// The medians can hide a bad run: the peak memory ratio of each.
	fmt.Fprintf(w, "peak memory clientele/DuckDB (default threads), run by run:")
	for i, c := range fr.all["clientele"] {
		if i < len(fr.all["duckdb"]) {
			fmt.Fprintf(w, " %.2fx", float64(c.PeakBytes)/float64(fr.all["duckdb"][i].PeakBytes))
		}
	}
	fmt.Fprintln(w)
	tb := m["clientele/table"]
	fmt.Fprintf(w, "ratio clientele through the whole table / DuckDB (default threads): wall %.2fx, CPU %.2fx, peak memory %.2fx\n",
		ratio(tb.Wall.Seconds(), d.Wall.Seconds()), ratio(tb.CPU.Seconds(), d.CPU.Seconds()),
		ratio(float64(tb.PeakBytes), float64(d.PeakBytes)))
	c1, d1 := m["clientele/1"], m["duckdb/1"]
	fmt.Fprintf(w, "ratio one worker / one thread: wall %.2fx, CPU %.2fx, peak memory %.2fx\n",
		ratio(c1.Wall.Seconds(), d1.Wall.Seconds()), ratio(c1.CPU.Seconds(), d1.CPU.Seconds()),
		ratio(float64(c1.PeakBytes), float64(d1.PeakBytes)))
}
