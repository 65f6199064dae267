package clv

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// naiveSummary is the obvious reference: group by day, sum per day, count
// days, drop the first day's total, divide. Slow and allocation-heavy, so
// only for checking.
func naiveSummary(txs []Transaction, end time.Time) (freq int, recency, age float64, mean decimal.Decimal, ok bool) {
	endDay := floorDiv(end.Unix(), secondsPerDay)
	totals := map[int64]decimal.Decimal{}
	for _, tx := range txs {
		d := floorDiv(tx.Time.Unix(), secondsPerDay)
		if d > endDay {
			continue
		}
		totals[d] = totals[d].Add(tx.Amount)
	}
	if len(totals) == 0 {
		return 0, 0, 0, decimal.Decimal{}, false
	}
	days := make([]int64, 0, len(totals))
	for d := range totals {
		days = append(days, d)
	}
	slices.Sort(days)
	sum := decimal.Zero
	for _, d := range days[1:] {
		sum = sum.Add(totals[d])
	}
	freq = len(days) - 1
	if freq > 0 {
		mean = sum.DivRound(decimal.NewFromInt(int64(freq)), MonetaryPlaces)
	}
	return freq, float64(days[len(days)-1] - days[0]), float64(endDay - days[0]), mean, true
}

// FuzzSummarizeMatchesNaive decodes 11-byte records (day, coefficient,
// exponent) for one customer in arbitrary order and checks the single-pass
// summary against the naive one, exactly.
func FuzzSummarizeMatchesNaive(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{5, 0, 0, 0, 0, 0, 0, 0, 100, 0, 254, 3, 0, 0, 0, 0, 0, 0, 0, 50, 0, 254})
	f.Add([]byte{9, 255, 255, 255, 255, 255, 255, 255, 127, 3, 0, 9, 255, 255, 255, 255, 255, 255, 255, 127, 3, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 240})
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC)
		var txs []Transaction
		for len(data) >= 11 {
			d := int(data[0] % 60)
			c := int64(binary.LittleEndian.Uint64(data[1:9]))
			exp := int32(int8(data[9]))%20 - int32(data[10]%3)
			txs = append(txs, Transaction{CustomerID: "c", Time: start.AddDate(0, 0, d), Amount: decimal.New(c, exp)})
			data = data[11:]
		}
		end := start.AddDate(0, 0, 50)
		got, err := Summarize(seqOf(txs), SummaryParams{CalibrationEnd: end, Unit: Day, Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		freq, rec, age, mean, ok := naiveSummary(txs, end)
		if !ok {
			if len(got.Customers) != 0 {
				t.Fatalf("expected no customers, got %+v", got.Customers)
			}
			return
		}
		if len(got.Customers) != 1 {
			t.Fatalf("want one customer, got %d", len(got.Customers))
		}
		c := got.Customers[0]
		if c.Frequency != freq || c.Recency != rec || c.T != age || !c.MonetaryValue.Equal(mean) {
			t.Fatalf("got %d %g %g %s, want %d %g %g %s", c.Frequency, c.Recency, c.T, c.MonetaryValue, freq, rec, age, mean)
		}
	})
}
