package segment

import (
	"fmt"
	"iter"
	"time"
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
// in a hash table sized by customers (see custTable), so memory grows
// with the number of customers and not with the number of purchases. The
// zero value is not usable; call NewSummarizer.
type Summarizer struct {
	asOf    int64
	table   *custTable
	skipped int64
	sink    uint64 // keeps addBatch's touches alive
}

// NewSummarizer returns a Summarizer that ignores Txns after asOf.
// expectedCustomers sizes the table up front (0 if unknown): at a million
// customers, growing the table from scratch costs about as much as the
// fold itself, so pass the customer count when the host knows it.
func NewSummarizer(asOf time.Time, expectedCustomers int) *Summarizer {
	return &Summarizer{asOf: asOf.Unix(), table: newCustTable(max(0, expectedCustomers))}
}

// Add folds one Txn. It fails with ErrInvalid for an empty customer ID or
// a negative amount and with ErrOverflow when a total leaves int64; on
// failure no total changes. A Txn after asOf is skipped.
func (s *Summarizer) Add(t Txn) error {
	if t.CustomerID == "" {
		return s.add(t, 0)
	}
	return s.add(t, s.table.hash(t.CustomerID))
}

// batchSize is how many Txns addBatch hashes and touches before folding
// them: enough independent misses to keep the memory system busy, few
// enough that their cache lines are still there when folded.
const batchSize = 64

// addBatch folds Txns in passes: touch every ID's bytes, hash every ID,
// touch every starting slot (all independent loads), then fold. A one-pass loop waits for each customer's slot in
// turn; the passes let the CPU have many misses in flight at once, which
// is most of the speed of RFM over millions of purchases.
func (s *Summarizer) addBatch(ts []Txn) error {
	var hs [batchSize]uint64
	var sink uint64
	for i := range ts {
		if id := ts[i].CustomerID; id != "" {
			sink += uint64(id[0]) // start loading every ID before hashing any
		}
	}
	for i := range ts {
		if ts[i].CustomerID != "" {
			hs[i] = s.table.hash(ts[i].CustomerID)
		}
	}
	for i := range ts {
		sink += s.table.touch(hs[i])
	}
	s.sink += sink
	for i := range ts {
		if err := s.add(ts[i], hs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Summarizer) add(t Txn, h uint64) error {
	if t.Unix > s.asOf {
		s.skipped++
		return nil
	}
	if t.CustomerID == "" {
		return &FieldError{Field: "txn.customerId", Problem: "empty"}
	}
	if t.Net < 0 {
		return &FieldError{Field: "txn.net", Problem: "negative (refunds carry a positive Net and Refund true)"}
	}
	sl := s.table.get(t.CustomerID, h)
	delta := t.Net
	if t.Refund {
		delta = -t.Net
	}
	m, ok := addMoney(sl.monetary, delta)
	if !ok {
		return fmt.Errorf("%w: customer %s", ErrOverflow, t.CustomerID)
	}
	sl.monetary = m
	if t.Refund {
		return nil
	}
	if sl.purchases == 0 || t.Unix < sl.first {
		sl.first = t.Unix
	}
	if sl.purchases == 0 || t.Unix > sl.last {
		sl.last = t.Unix
	}
	sl.purchases++
	return nil
}

// Skipped returns how many Txns fell after asOf.
func (s *Summarizer) Skipped() int64 { return s.skipped }

// Customers returns how many customers have been seen.
func (s *Summarizer) Customers() int { return len(s.table.ids) }

// Summaries returns the summaries in order of each customer's first Txn.
func (s *Summarizer) Summaries() []Summary { return s.table.summaries() }

// Summarize folds a whole stream of Txns (purchases and refunds in any
// order) into Summaries; see Summarizer. It stops at the first error.
func Summarize(txns iter.Seq2[Txn, error], asOf time.Time, expectedCustomers int) ([]Summary, error) {
	s := NewSummarizer(asOf, expectedCustomers)
	var buf [batchSize]Txn
	n := 0
	for t, err := range txns {
		if err != nil {
			return nil, fmt.Errorf("segment: reading txns: %w", err)
		}
		buf[n] = t
		if n++; n == batchSize {
			if err := s.addBatch(buf[:]); err != nil {
				return nil, err
			}
			n = 0
		}
	}
	if err := s.addBatch(buf[:n]); err != nil {
		return nil, err
	}
	return s.Summaries(), nil
}
