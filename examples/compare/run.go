package main

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/clientele-go/clientele/metrics/clv"
	"github.com/clientele-go/clientele/segment"
	"github.com/clientele-go/clientele/segment/txnfile"
	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

type config struct {
	purchases, customers, runs int
	seed                       uint64
	dir, csv                   string
	progress                   io.Writer
}

// task is one comparison: clientele's run and DuckDB's SQL, timed.
type task struct {
	name               string
	clientele          timing
	duckOne, duckAll   timing
	hasDuck            bool
	clienteleOneWorker timing
}

// timing is the median wall time of the runs and the median CPU time the
// process spent in them (DuckDB runs in the process, so its threads
// count). On a machine others share, CPU time moves less than wall time.
type timing struct{ wall, cpu time.Duration }

type report struct {
	purchases, customers, runs int
	duckThreads                int
	tasks                      []task
	residentBytes              float64 // per transaction, the CSV-read table
	fit                        clv.BGNBDFit
	fresh                      freshRuns // the CSV path in fresh processes
}

// The analysis date is the day after the data ends, and the calibration
// of the summary ends on the data's last day.
var (
	asOf   = time.Unix((firstDay+spanDays)*86400, 0).UTC()
	calEnd = time.Unix((firstDay+spanDays-1)*86400+12*3600, 0).UTC()
)

func run(cfg config, progress io.Writer) (*report, error) {
	cfg.progress = progress
	say := func(format string, args ...any) { fmt.Fprintf(progress, format+"\n", args...) }
	rep := &report{purchases: cfg.purchases, customers: cfg.customers, runs: cfg.runs}
	say("generating %d purchases of %d customers", cfg.purchases, cfg.customers)
	tab := generate(cfg.purchases, cfg.customers, cfg.seed)
	if err := writeCSV(cfg.csv, tab); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection, so SET threads applies to every query
	if err := db.QueryRow("SELECT current_setting('threads')").Scan(&rep.duckThreads); err != nil {
		return nil, err
	}
	say("loading DuckDB's copy (DuckDB threads by default: %d)", rep.duckThreads)
	if _, err := db.Exec("CREATE TABLE txns AS " + csvRows(cfg.csv)); err != nil {
		return nil, err
	}

	// RFM from data in memory.
	var mem segment.RFMReport
	t, err := compare(cfg, db, "RFM scores, data in memory",
		func(workers int) error {
			sums, err := segment.SummarizeTable(tab, asOf, workers)
			if err != nil {
				return err
			}
			mem, err = segment.ScoreRFM(sums, asOf, &segment.RFMConfig{Workers: workers})
			return err
		},
		"CREATE OR REPLACE TABLE rfm AS "+rfmSQL(""),
		func() error { return checkRFM(db, "rfm", mem) })
	if err != nil {
		return nil, err
	}
	rep.tasks = append(rep.tasks, t)

	// RFM from the CSV file.
	var fromCSV segment.RFMReport
	t, err = compare(cfg, db, "RFM scores from the CSV file",
		func(workers int) error {
			fromCSV, err = rfmFromCSV(cfg.csv, workers)
			return err
		},
		"CREATE OR REPLACE TABLE rfm_csv AS "+rfmSQL(csvRows(cfg.csv)),
		func() error { return checkRFM(db, "rfm_csv", fromCSV) })
	if err != nil {
		return nil, err
	}
	rep.tasks = append(rep.tasks, t)

	// The lifetimes transaction summary.
	params := clv.SummaryParams{CalibrationEnd: calEnd, Unit: clv.Day, Location: time.UTC}
	var summ clv.Summaries
	t, err = compare(cfg, db, "transaction summary (lifetimes)",
		func(workers int) error {
			p := params
			p.Workers = workers
			summ, err = clv.SummarizeTable(tab, p)
			return err
		},
		"CREATE OR REPLACE TABLE summary AS "+summarySQL("txns", firstDay+spanDays-1),
		func() error { return checkSummary(db, summ) })
	if err != nil {
		return nil, err
	}
	rep.tasks = append(rep.tasks, t)

	// The BG/NBD fit: clientele only.
	t, err = compare(cfg, nil, "BG/NBD fit on that summary",
		func(workers int) error {
			rep.fit, err = clv.FitBGNBD(summ, &clv.FitOptions{Workers: workers})
			return err
		}, "", nil)
	if err != nil {
		return nil, err
	}
	rep.tasks = append(rep.tasks, t)

	if rep.fresh, err = runFresh(cfg, len(fromCSV.Results)); err != nil {
		return nil, err
	}
	rep.residentBytes, err = resident(cfg.csv)
	return rep, err
}

// compare times clientele with every core and with one worker, then DuckDB
// with one thread and with its default, and checks the answers agree.
func compare(cfg config, db *sql.DB, name string, clientele func(workers int) error, duckSQL string, check func() error) (task, error) {
	t := task{name: name, hasDuck: duckSQL != ""}
	fmt.Fprintf(cfg.progress, "%s\n", name)
	var err error
	if t.clienteleOneWorker, err = median(cfg.runs, func() error { return clientele(1) }); err != nil {
		return t, fmt.Errorf("%s: clientele: %w", name, err)
	}
	if t.clientele, err = median(cfg.runs, func() error { return clientele(0) }); err != nil {
		return t, fmt.Errorf("%s: clientele: %w", name, err)
	}
	if !t.hasDuck {
		return t, nil
	}
	for _, threads := range []string{"1", "DEFAULT"} {
		setting := "SET threads = " + threads
		if threads == "DEFAULT" {
			setting = "RESET threads"
		}
		if _, err := db.Exec(setting); err != nil {
			return t, err
		}
		d, err := median(cfg.runs, func() error { _, err := db.Exec(duckSQL); return err })
		if err != nil {
			return t, fmt.Errorf("%s: DuckDB: %w", name, err)
		}
		if threads == "1" {
			t.duckOne = d
		} else {
			t.duckAll = d
		}
	}
	if err := check(); err != nil {
		return t, fmt.Errorf("%s: answers differ: %w", name, err)
	}
	return t, nil
}

// median runs f n times after a collection and returns the median wall
// and CPU times.
func median(n int, f func() error) (timing, error) {
	walls := make([]time.Duration, 0, n)
	cpus := make([]time.Duration, 0, n)
	for range max(n, 1) {
		runtime.GC()
		c0, start := processCPU(), time.Now()
		if err := f(); err != nil {
			return timing{}, err
		}
		walls = append(walls, time.Since(start))
		cpus = append(cpus, processCPU()-c0)
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	return timing{wall: walls[len(walls)/2], cpu: cpus[len(cpus)/2]}, nil
}

// processCPU is the user and system time of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// csvRows is DuckDB's reading of the CSV file, with the column types
// given (no sniffing) and the same day numbers and cents clientele reads.
func csvRows(path string) string {
	return fmt.Sprintf(`SELECT customer, CAST(CAST(date AS DATE) - DATE '1970-01-01' AS INTEGER) AS day,
		CAST(amount * 100 AS BIGINT) AS amount
		FROM read_csv('%s', header = true, auto_detect = false, delim = ',', quote = '"',
		columns = {'receipt': 'BIGINT', 'customer': 'VARCHAR', 'date': 'TIMESTAMP', 'amount': 'DECIMAL(18,2)', 'store': 'VARCHAR'})`,
		strings.ReplaceAll(path, "'", "''"))
}

// rfmSQL is clientele's RFM in SQL: recency in days from the last purchase
// to the analysis date, and quantile scores by the documented tie policy,
// score = 1 + floor(bins × worse / scored), where rank() - 1 counts the
// customers with a strictly worse value. The purchases come from the
// table txns, or from the query rows when it is not empty.
func rfmSQL(rows string) string {
	at := firstDay + spanDays
	src := "txns"
	if rows != "" {
		src = "(" + rows + ")"
	}
	return fmt.Sprintf(`WITH s AS (
		SELECT customer, max(day) AS last, count(*) AS frequency, sum(amount) AS monetary FROM %s GROUP BY customer)
	SELECT customer, %d - last AS recency, frequency, monetary,
		1 + (5 * (rank() OVER (ORDER BY last) - 1)) // count(*) OVER () AS r,
		1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // count(*) OVER () AS f,
		1 + (5 * (rank() OVER (ORDER BY monetary) - 1)) // count(*) OVER () AS m
	FROM s`, src, at)
}

// summarySQL is the lifetimes summary: purchase days, frequency = days - 1,
// recency and T in days, and the mean of the repeat days' totals rounded
// half away from zero to six places, in millionths (integer arithmetic,
// exact; the amounts are positive).
func summarySQL(src string, endDay int) string {
	return fmt.Sprintf(`WITH d AS (
		SELECT customer, day, sum(amount) AS amt FROM %s WHERE day <= %d GROUP BY customer, day),
	c AS (
		SELECT customer, count(*) - 1 AS frequency, min(day) AS first, max(day) AS last,
			sum(amt) AS total, arg_min(amt, day) AS first_amt FROM d GROUP BY customer)
	SELECT customer, frequency, last - first AS recency, %d - first AS t,
		CASE WHEN frequency > 0 THEN (2 * (total - first_amt) * 10000 + frequency) // (2 * frequency) ELSE 0 END AS mean_micros
	FROM c`, src, endDay, endDay)
}

// checkRFM compares DuckDB's table with clientele's report, customer by
// customer: recency, frequency, monetary and the three scores.
func checkRFM(db *sql.DB, table string, rep segment.RFMReport) error {
	byID := make(map[string]*segment.RFMResult, len(rep.Results))
	for i := range rep.Results {
		byID[rep.Results[i].CustomerID] = &rep.Results[i]
	}
	rows, err := db.Query("SELECT customer, recency, frequency, monetary, r, f, m FROM " + table)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var rec, freq, mon int64
		var r, f, m uint8
		if err := rows.Scan(&id, &rec, &freq, &mon, &r, &f, &m); err != nil {
			return err
		}
		n++
		c, ok := byID[id]
		if !ok {
			return fmt.Errorf("customer %s only in DuckDB", id)
		}
		if c.RecencyDays != rec || c.Frequency != freq || c.Monetary != mon || c.Score.R != r || c.Score.F != f || c.Score.M != m {
			return fmt.Errorf("customer %s: clientele %d %d %d %s, DuckDB %d %d %d %d%d%d",
				id, c.RecencyDays, c.Frequency, c.Monetary, c.Score.Code(), rec, freq, mon, r, f, m)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(rep.Results) {
		return fmt.Errorf("DuckDB has %d customers, clientele %d", n, len(rep.Results))
	}
	return nil
}

// checkSummary compares DuckDB's summary with clientele's.
func checkSummary(db *sql.DB, s clv.Summaries) error {
	byID := make(map[string]*clv.Summary, len(s.Customers))
	for i := range s.Customers {
		byID[s.Customers[i].CustomerID] = &s.Customers[i]
	}
	rows, err := db.Query("SELECT customer, frequency, recency, t, mean_micros FROM summary")
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id string
		var freq, rec, t, micros int64
		if err := rows.Scan(&id, &freq, &rec, &t, &micros); err != nil {
			return err
		}
		n++
		c, ok := byID[id]
		if !ok {
			return fmt.Errorf("customer %s only in DuckDB", id)
		}
		got := c.MonetaryValue.Shift(6)
		if int64(c.Frequency) != freq || c.Recency != float64(rec) || c.T != float64(t) || !got.IsInteger() || got.IntPart() != micros {
			return fmt.Errorf("customer %s: clientele %d %g %g %s, DuckDB %d %d %d %d",
				id, c.Frequency, c.Recency, c.T, c.MonetaryValue, freq, rec, t, micros)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(s.Customers) {
		return fmt.Errorf("DuckDB has %d customers, clientele %d", n, len(s.Customers))
	}
	return nil
}

// rfmFromCSV scores the purchases file, folding its rows into summaries
// as they are read on workers goroutines.
func rfmFromCSV(path string, workers int) (segment.RFMReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return segment.RFMReport{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return segment.RFMReport{}, err
	}
	sums, _, err := segment.SummarizeFile(f, info.Size(), txnfile.CSV("customer", "date", "amount"), asOf, workers)
	if err != nil {
		return segment.RFMReport{}, err
	}
	return segment.ScoreRFM(sums, asOf, &segment.RFMConfig{Workers: workers})
}

// readCSV reads the purchases file on workers goroutines.
func readCSV(path string, workers int) (*txnfile.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	tab, _, err := txnfile.ReadTableAt(f, info.Size(), txnfile.CSV("customer", "date", "amount"), workers)
	return tab, err
}

// resident reads the CSV file into a table and returns the live heap it
// holds per transaction.
func resident(path string) (float64, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tab, err := readCSV(path, 0)
	if err != nil {
		return 0, err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	n := tab.Len()
	runtime.KeepAlive(tab)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n), nil
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "%d purchases of %d customers, median of %d runs, GOMAXPROCS %d, DuckDB default threads %d\n",
		r.purchases, r.customers, r.runs, runtime.GOMAXPROCS(0), r.duckThreads)
	for _, kind := range []string{"wall", "CPU"} {
		get := func(t timing) time.Duration { return t.wall }
		if kind == "CPU" {
			get = func(t timing) time.Duration { return t.cpu }
		}
		fmt.Fprintf(w, "\n%s time\n%-34s %12s %12s %12s %12s %8s\n", kind, "task", "clientele", "clientele/1", "DuckDB/1", "DuckDB", "ratio")
		for _, t := range r.tasks {
			if !t.hasDuck {
				fmt.Fprintf(w, "%-34s %12s %12s %12s %12s %8s\n", t.name, ms(get(t.clientele)), ms(get(t.clienteleOneWorker)), "-", "-", "-")
				continue
			}
			fmt.Fprintf(w, "%-34s %12s %12s %12s %12s %7.2fx\n", t.name, ms(get(t.clientele)), ms(get(t.clienteleOneWorker)),
				ms(get(t.duckOne)), ms(get(t.duckAll)), get(t.clientele).Seconds()/get(t.duckAll).Seconds())
		}
	}
	fmt.Fprintf(w, "\nratio: clientele (every core) / DuckDB (default threads); answers checked equal\n")
	fmt.Fprintf(w, "BG/NBD: %d customers, %d distinct rows, r=%.4g alpha=%.4g a=%.4g b=%.4g\n",
		r.fit.Customers, r.fit.DistinctRows, r.fit.Model.R, r.fit.Model.Alpha, r.fit.Model.A, r.fit.Model.B)
	fmt.Fprintf(w, "resident input read from the CSV file: %.1f bytes per transaction\n", r.residentBytes)
	r.fresh.print(w)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", d.Seconds()*1000) }
