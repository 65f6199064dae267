package segment

import (
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/internal/custindex"
)

// Txn is the lean purchase tuple the RFM fast path reads: who, when and
// how much, in minor units. A purchase has Refund false and Net >= 0 (a
// zero-amount purchase still counts as a purchase); a refund has Refund
// true and Net > 0, the money given back, which is subtracted.
type Txn struct {
	CustomerID string
	Unix       int64 // seconds since 1970-01-01 UTC
	Net        int64 // minor units of the analysis currency
	Refund     bool
}

// Summary is what RFM needs of one customer: first and last purchase,
// number of purchases and net monetary value (purchases minus refunds) in
// minor units. Purchases is zero for a customer seen only through refunds
// or with no purchase at all; such customers are not scored.
type Summary struct {
	CustomerID string
	First      int64 // Unix seconds of the first purchase (0 if none)
	Last       int64 // Unix seconds of the latest purchase (0 if none)
	Purchases  int64
	Monetary   int64 // minor units, net of refunds
}

// Summarizer folds Txns into per-customer Summaries, keyed by customer ID
// in a table sized by customers (internal/custindex), so memory grows with
// the number of customers and not with the number of purchases. The zero
// value is not usable; call NewSummarizer.
type Summarizer struct {
	asOf    int64
	table   *custindex.Table[totals]
	skipped int64
}

// totals is one customer's running RFM totals.
type totals struct {
	first, last, purchases, monetary int64
	_                                int64 // pads the table record to one cache line
}

// NewSummarizer returns a Summarizer that ignores Txns after asOf.
// expectedCustomers sizes the table up front (0 if unknown); it only
// affects speed.
func NewSummarizer(asOf time.Time, expectedCustomers int) *Summarizer {
	return &Summarizer{asOf: asOf.Unix(), table: custindex.New[totals](expectedCustomers)}
}

// Add folds one Txn. It fails with ErrInvalid for an empty customer ID or
// a negative amount and with ErrOverflow when a total leaves int64; on
// failure no total changes. A Txn after asOf is skipped.
func (s *Summarizer) Add(t Txn) error {
	if skip, err := s.check(&t); skip || err != nil {
		return err
	}
	pos, _, err := s.table.Lookup(t.CustomerID, s.table.Hash(t.CustomerID))
	if err != nil {
		return tableErr(err)
	}
	return s.fold(&t, s.table.At(pos), pos, false)
}

// check validates t and tells whether it falls after asOf.
func (s *Summarizer) check(t *Txn) (skip bool, err error) {
	if t.Unix > s.asOf {
		s.skipped++
		return true, nil
	}
	if t.CustomerID == "" {
		return false, &FieldError{Field: "txn.customerId", Problem: "empty"}
	}
	if t.Net < 0 {
		return false, &FieldError{Field: "txn.net", Problem: "negative (refunds carry a positive Net and Refund true)"}
	}
	return false, nil
}

// fold adds a checked Txn to its customer's totals (a custindex.Fold).
func (s *Summarizer) fold(t *Txn, c *totals, _ int, _ bool) error {
	delta := t.Net
	if t.Refund {
		delta = -t.Net
	}
	m, ok := addMoney(c.monetary, delta)
	if !ok {
		return fmt.Errorf("%w: customer %s", ErrOverflow, t.CustomerID)
	}
	c.monetary = m
	if t.Refund {
		return nil
	}
	if c.purchases == 0 || t.Unix < c.first {
		c.first = t.Unix
	}
	if c.purchases == 0 || t.Unix > c.last {
		c.last = t.Unix
	}
	c.purchases++
	return nil
}

// tableErr reports a full customer table as ErrOverflow; fold errors pass
// through.
func tableErr(err error) error {
	if errors.Is(err, custindex.ErrFull) {
		return fmt.Errorf("%w: %w", ErrOverflow, err)
	}
	return err
}

// Skipped returns how many Txns fell after asOf.
func (s *Summarizer) Skipped() int64 { return s.skipped }

// Customers returns how many customers have been seen.
func (s *Summarizer) Customers() int { return s.table.Len() }

// Summaries returns the summaries in order of each customer's first Txn.
func (s *Summarizer) Summaries() []Summary {
	out := make([]Summary, s.table.Len())
	for i := range out {
		c := s.table.At(i)
		out[i] = Summary{CustomerID: s.table.ID(i), First: c.first, Last: c.last, Purchases: c.purchases, Monetary: c.monetary}
	}
	return out
}

// Summarize folds a whole stream of Txns (purchases and refunds in any
// order) into Summaries; see Summarizer. It stops at the first error.
func Summarize(txns iter.Seq2[Txn, error], asOf time.Time, expectedCustomers int) ([]Summary, error) {
	s := NewSummarizer(asOf, expectedCustomers)
	p := custindex.NewPipeline(s.table, s.fold)
	for t, err := range txns {
		if err != nil {
			return nil, fmt.Errorf("segment: reading txns: %w", err)
		}
		if skip, err := s.check(&t); err != nil {
			return nil, err
		} else if !skip {
			if err := p.Push(t.CustomerID, t); err != nil {
				return nil, tableErr(err)
			}
		}
	}
	if err := p.Flush(); err != nil {
		return nil, tableErr(err)
	}
	return s.Summaries(), nil
}
