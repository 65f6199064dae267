package clv

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"time"

	"github.com/clientele-go/clientele/internal/custindex"
	"github.com/shopspring/decimal"
)

// MonetaryPlaces is the number of decimal places of Summary.MonetaryValue:
// the exact mean of the repeat-purchase day totals is rounded half away from
// zero to this many places (the mean of cents can be a recurring decimal).
const MonetaryPlaces = 6

// SummaryParams are the required settings of Summarize.
type SummaryParams struct {
	// CalibrationEnd is the observation end. Its calendar day in Location is
	// the last day included; later transactions are ignored, and T is
	// measured from a customer's first purchase day to this day.
	CalibrationEnd time.Time
	// Unit is the unit of Recency and T (Day, Week or UnitOf).
	Unit Unit
	// Location fixes calendar days: purchases on the same day in Location
	// count as one purchase day.
	Location *time.Location
	// CustomersHint optionally sizes the customer table up front, like the
	// size argument of make for a map; 0 lets it grow as customers appear.
	// It only affects speed: at a million customers, growing the table
	// costs under a tenth of the pass.
	CustomersHint int
	// Workers bounds the goroutines of SummarizeTable; 0 means
	// runtime.GOMAXPROCS(0). The result does not depend on it. Summarize
	// reads an iterator, which is sequential, and ignores it.
	Workers int
}

func (p SummaryParams) validate() error {
	var errs []error
	if p.CalibrationEnd.IsZero() {
		errs = append(errs, fieldErr("SummaryParams.CalibrationEnd", -1, "zero time"))
	}
	if !p.Unit.Valid() {
		errs = append(errs, fieldErr("SummaryParams.Unit", -1, "duration must be positive"))
	}
	if p.Location == nil {
		errs = append(errs, fieldErr("SummaryParams.Location", -1, "nil location"))
	}
	if p.Workers < 0 {
		errs = append(errs, fieldErr("SummaryParams.Workers", -1, "negative"))
	}
	if p.CustomersHint < 0 || p.CustomersHint > 1<<30 {
		errs = append(errs, fieldErr("SummaryParams.CustomersHint", -1, "must be between 0 and 2^30"))
	}
	return errors.Join(errs...)
}

// Summary is one customer's RFM-style summary in the BG/NBD convention.
type Summary struct {
	CustomerID string
	// Frequency is the number of repeat purchase days: distinct calendar
	// days with a purchase, minus the first one.
	Frequency int
	// Recency is the time from the first to the last purchase day, in the
	// summary's unit (0 when Frequency is 0).
	Recency float64
	// T is the time from the first purchase day to the calibration end day,
	// in the summary's unit.
	T float64
	// MonetaryValue is the mean of the repeat-purchase day totals (each day's
	// amounts summed, first day excluded), rounded to MonetaryPlaces; zero
	// when Frequency is 0.
	MonetaryValue decimal.Decimal
	// Monetary is MonetaryValue as float64, the model-boundary conversion
	// used by the Gamma-Gamma fit.
	Monetary float64
}

// Summaries is the result of Summarize (or a hand-built data set to fit):
// the customers together with the unit their times are measured in.
type Summaries struct {
	Unit           Unit
	CalibrationEnd time.Time
	// Location is the name of the location calendar days were taken in.
	Location string
	// Transactions counts the transactions read, including those after the
	// calibration end that were ignored.
	Transactions int
	// Customers are in order of first appearance in the transaction stream.
	Customers []Summary
}

// summarizer holds the single-pass state. Customer IDs are mapped to dense
// indices once; the stream-order day log lets disordered customers be
// recounted exactly at the end without sorting the whole input.
type summarizer struct {
	clock  dayClock
	endDay int32
	table  *custindex.Table[custState]
	pipe   *custindex.Pipeline[amountDay, custState]
	bigs   bigStore
	log    dayLog // (customer<<32 | day) for each new day in stream order
	nDis   int
	n      int
}

// amountDay is a validated transaction on its way into the table.
type amountDay struct {
	amt amount
	day int32
}

// Summarize reads transactions in any order and returns one Summary per
// customer whose first purchase falls on or before the calibration end day.
//
// Day counting follows the lifetimes convention for daily data
// (summary_data_from_transaction_data with freq="D" and, for weeks,
// freq_multiplier=7): times are cut to calendar days, frequency is the
// number of distinct purchase days minus one, and recency and T are whole
// numbers of days divided by the unit length (so Week gives days/7, as in
// the CDNOW summaries). It differs from lifetimes' freq="W", which counts
// distinct calendar weeks instead of days.
//
// The pass is a single one over the stream and allocates per customer, not
// per transaction: a 64-byte record and two 8-byte index slots per
// customer (see CustomersHint), 8 bytes per distinct customer-day (so that
// customers whose days arrive out of order can be recounted exactly at the
// end, sorting only their days) and the result. The first error from the
// iterator or an invalid transaction stops the pass and is returned with no
// partial result.
func Summarize(txs iter.Seq2[Transaction, error], p SummaryParams) (Summaries, error) {
	if err := p.validate(); err != nil {
		return Summaries{}, err
	}
	s := &summarizer{clock: dayClock{loc: p.Location}, table: custindex.New[custState](p.CustomersHint)}
	s.pipe = custindex.NewPipeline(s.table, s.add)
	end, err := s.clock.day(p.CalibrationEnd)
	if err != nil {
		return Summaries{}, fieldErrWrap("SummaryParams.CalibrationEnd", -1, err)
	}
	s.endDay = end
	for tx, err := range txs {
		if err != nil {
			return Summaries{}, fmt.Errorf("clv: reading transaction %d: %w", s.n, err)
		}
		if err := s.queue(&tx); err != nil {
			return Summaries{}, err
		}
	}
	if err := s.pipe.Flush(); err != nil {
		return Summaries{}, s.tooMany(err)
	}
	return s.result(p), nil
}

// queue validates a transaction and adds it to the batch unless it falls
// after the calibration end.
func (s *summarizer) queue(tx *Transaction) error {
	if err := tx.validate(s.n); err != nil {
		return err
	}
	day, err := s.clock.day(tx.Time)
	if err != nil {
		return fieldErr("Transaction.Time", s.n, err.Error())
	}
	s.n++
	if day > s.endDay {
		return nil
	}
	return s.tooMany(s.pipe.Push(tx.CustomerID, amountDay{amt: splitAmount(tx.Amount), day: day}))
}

// tooMany names the field of the table's only error (folds never fail).
// It names no transaction: the one that overflowed may still have been
// waiting in a batch.
func (s *summarizer) tooMany(err error) error {
	if err != nil {
		return fieldErr("Transaction.CustomerID", -1, err.Error())
	}
	return nil
}

func fieldErrWrap(field string, index int, err error) error {
	return fieldErr(field, index, err.Error())
}

// add folds one transaction into its customer's state.
func (s *summarizer) add(t *amountDay, a *custState, ix int, _ bool) error {
	day, amt := t.day, t.amt
	switch {
	case a.days == 0: // first transaction of this customer
		a.first, a.last, a.days = day, day, 1
		s.log.add(uint64(ix)<<32 | uint64(uint32(day)))
		a.money.add(amt, true, &s.bigs)
		return nil
	case day > a.last:
		a.last = day
		a.days++
		s.log.add(uint64(ix)<<32 | uint64(uint32(day)))
	case day < a.last:
		if !a.disordered {
			a.disordered = true
			s.nDis++
		}
		s.log.add(uint64(ix)<<32 | uint64(uint32(day)))
	}
	if day < a.first {
		a.first = day
		a.money.resetFirst(s.bigs)
	}
	a.money.add(amt, day == a.first, &s.bigs)
	return nil
}

// recount fixes the distinct-day counts of customers whose days arrived out
// of order. Their log entries are bucketed by customer with a counting sort
// (linear in the log), then each customer's few days are sorted and
// deduplicated on their own.
func (s *summarizer) recount() {
	if s.nDis == 0 {
		return
	}
	state := func(ix uint64) *custState { return s.table.At(int(ix)) }
	// A bit per customer, read in one sequential pass over the records, so
	// the log scans below test a cache-resident bitmap instead of loading
	// a random record per entry.
	dis := make([]uint64, (s.table.Len()+63)/64)
	for ix := range s.table.Len() {
		if state(uint64(ix)).disordered {
			dis[ix/64] |= 1 << (ix % 64)
		}
	}
	disordered := func(ix uint64) bool { return dis[ix/64]&(1<<(ix%64)) != 0 }
	start := make([]int32, s.table.Len()+1)
	s.log.all(func(k uint64) {
		if disordered(k >> 32) {
			start[k>>32+1]++
		}
	})
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	days := make([]uint32, start[len(start)-1])
	next := append([]int32(nil), start[:len(start)-1]...)
	s.log.all(func(k uint64) {
		if ix := k >> 32; disordered(ix) {
			days[next[ix]] = uint32(k)
			next[ix]++
		}
	})
	for ix := range s.table.Len() {
		d := days[start[ix]:start[ix+1]]
		if len(d) == 0 {
			continue
		}
		slices.Sort(d)
		n := int32(1)
		for i := 1; i < len(d); i++ {
			if d[i] != d[i-1] {
				n++
			}
		}
		state(uint64(ix)).days = n
	}
}

func (s *summarizer) result(p SummaryParams) Summaries {
	s.recount()
	out := Summaries{
		Unit:           p.Unit,
		CalibrationEnd: p.CalibrationEnd,
		Location:       p.Location.String(),
		Transactions:   s.n,
		Customers:      make([]Summary, s.table.Len()),
	}
	perDay := 1 / p.Unit.Days()
	for i := range s.table.Len() {
		a := s.table.At(i)
		c := &out.Customers[i]
		c.CustomerID = s.table.ID(i)
		c.Frequency = int(a.days) - 1
		c.Recency = float64(a.last-a.first) * perDay
		c.T = float64(s.endDay-a.first) * perDay
		if c.Frequency > 0 {
			c.MonetaryValue = a.money.mean(int64(c.Frequency), MonetaryPlaces, s.bigs)
			c.Monetary = c.MonetaryValue.InexactFloat64()
		}
	}
	return out
}

// dayClock turns instants into calendar-day indices in a location. The UTC
// offset of the current zone period is cached with its bounds, so sorted
// input costs one comparison per transaction instead of a zone lookup.
type dayClock struct {
	loc        *time.Location
	start, end int64 // unix seconds where off is valid: [start, end)
	off        int64
	valid      bool
}

const secondsPerDay = 86400

func (c *dayClock) day(t time.Time) (int32, error) {
	s := t.Unix()
	if !c.valid || s < c.start || s >= c.end {
		c.refresh(t)
	}
	d := floorDiv(s+c.off, secondsPerDay)
	if d < math.MinInt32 || d > math.MaxInt32 {
		return 0, errors.New("time out of range")
	}
	return int32(d), nil
}

func (c *dayClock) refresh(t time.Time) {
	lt := t.In(c.loc)
	_, off := lt.Zone()
	start, end := lt.ZoneBounds()
	c.off, c.start, c.end, c.valid = int64(off), math.MinInt64, math.MaxInt64, true
	if !start.IsZero() {
		c.start = start.Unix()
	}
	if !end.IsZero() {
		c.end = end.Unix()
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
