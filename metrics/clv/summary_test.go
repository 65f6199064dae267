package clv

import (
	"errors"
	"iter"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seqOf(txs []Transaction) iter.Seq2[Transaction, error] {
	return func(yield func(Transaction, error) bool) {
		for _, tx := range txs {
			if !yield(tx, nil) {
				return
			}
		}
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, d, h int, loc *time.Location) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, loc)
}

func summarizeOne(t *testing.T, txs []Transaction, p SummaryParams) Summary {
	t.Helper()
	s, err := Summarize(seqOf(txs), p)
	require.NoError(t, err)
	require.Len(t, s.Customers, 1)
	return s.Customers[0]
}

func TestSummarizeCountsCalendarDaysInLocation(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	// 22:00 and 03:00 UTC next day: two UTC days, one New York day.
	txs := []Transaction{
		{CustomerID: "a", Time: day(2024, 3, 1, 12, time.UTC), Amount: dec("5")},
		{CustomerID: "a", Time: day(2024, 3, 4, 22, time.UTC), Amount: dec("10")},
		{CustomerID: "a", Time: day(2024, 3, 5, 3, time.UTC), Amount: dec("20")},
	}
	end := day(2024, 3, 10, 12, time.UTC)
	utc := summarizeOne(t, txs, SummaryParams{CalibrationEnd: end, Unit: Day, Location: time.UTC})
	assert.Equal(t, 2, utc.Frequency)
	assert.Equal(t, 4.0, utc.Recency)
	assert.Equal(t, 9.0, utc.T)
	assert.True(t, dec("15").Equal(utc.MonetaryValue), "%s", utc.MonetaryValue)
	local := summarizeOne(t, txs, SummaryParams{CalibrationEnd: end, Unit: Day, Location: ny})
	assert.Equal(t, 1, local.Frequency)
	assert.Equal(t, 3.0, local.Recency)
	assert.True(t, dec("30").Equal(local.MonetaryValue), "same-day amounts are summed")
	assert.Equal(t, 30.0, local.Monetary)
}

// Across a daylight-saving change a day is still one day: T and recency
// stay whole numbers of days.
func TestSummarizeAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	txs := []Transaction{
		{CustomerID: "a", Time: day(2024, 3, 30, 23, berlin), Amount: dec("1")},
		{CustomerID: "a", Time: day(2024, 3, 31, 23, berlin), Amount: dec("2")},
		{CustomerID: "a", Time: day(2024, 10, 27, 1, berlin), Amount: dec("3")},
	}
	s := summarizeOne(t, txs, SummaryParams{CalibrationEnd: day(2024, 10, 28, 0, berlin), Unit: Week, Location: berlin})
	assert.Equal(t, 2, s.Frequency)
	assert.InDelta(t, 211.0/7, s.Recency, 1e-12)
	assert.InDelta(t, 212.0/7, s.T, 1e-12)
	m := summarizeOne(t, txs, SummaryParams{CalibrationEnd: day(2024, 10, 28, 0, berlin), Unit: UnitOf(30 * 24 * time.Hour), Location: berlin})
	assert.InDelta(t, 211.0/30, m.Recency, 1e-12)
}

func TestSummarizeCalibrationWindow(t *testing.T) {
	txs := []Transaction{
		{CustomerID: "a", Time: day(2024, 1, 1, 9, time.UTC), Amount: dec("1")},
		{CustomerID: "a", Time: day(2024, 1, 31, 23, time.UTC), Amount: dec("2")}, // on the end day: counted
		{CustomerID: "a", Time: day(2024, 2, 1, 0, time.UTC), Amount: dec("4")},   // after: ignored
		{CustomerID: "b", Time: day(2024, 2, 3, 0, time.UTC), Amount: dec("8")},   // first purchase after end
	}
	s, err := Summarize(seqOf(txs), SummaryParams{CalibrationEnd: day(2024, 1, 31, 0, time.UTC), Unit: Day, Location: time.UTC})
	require.NoError(t, err)
	require.Len(t, s.Customers, 1)
	assert.Equal(t, 4, s.Transactions)
	c := s.Customers[0]
	assert.Equal(t, 1, c.Frequency)
	assert.Equal(t, 30.0, c.Recency)
	assert.Equal(t, 30.0, c.T)
	assert.True(t, dec("2").Equal(c.MonetaryValue))
}

// Any order of the same transactions gives the same summaries, including
// the first-day exclusion of the monetary value and the distinct-day count.
func TestSummarizeOrderIndependent(t *testing.T) {
	recs := readCDNOWFile(t, "CDNOW_sample.txt")
	p := SummaryParams{CalibrationEnd: cdnowCalibrationEnd, Unit: Week, Location: time.UTC}
	want, err := Summarize(CDNOWTransactions(recs), p)
	require.NoError(t, err)
	byID := map[string]Summary{}
	for _, c := range want.Customers {
		byID[c.CustomerID] = c
	}
	for seed := uint64(1); seed <= 3; seed++ {
		shuffled := append([]CDNOWRecord(nil), recs...)
		rng := rand.New(rand.NewPCG(seed, 99))
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		got, err := Summarize(CDNOWTransactions(shuffled), p)
		require.NoError(t, err)
		require.Len(t, got.Customers, len(want.Customers))
		for _, c := range got.Customers {
			w := byID[c.CustomerID]
			assert.Equal(t, w.Frequency, c.Frequency, "seed %d id %s", seed, c.CustomerID)
			assert.Equal(t, w.Recency, c.Recency)
			assert.Equal(t, w.T, c.T)
			assert.True(t, w.MonetaryValue.Equal(c.MonetaryValue), "seed %d id %s: %s vs %s", seed, c.CustomerID, w.MonetaryValue, c.MonetaryValue)
		}
	}
}

func TestSummarizeOutOfOrderSmall(t *testing.T) {
	d := func(n int) time.Time { return day(2024, 1, n, 10, time.UTC) }
	txs := []Transaction{
		{CustomerID: "a", Time: d(10), Amount: dec("10")},
		{CustomerID: "a", Time: d(5), Amount: dec("5")},  // earlier: new first day
		{CustomerID: "a", Time: d(10), Amount: dec("1")}, // same day as before
		{CustomerID: "a", Time: d(7), Amount: dec("7")},
		{CustomerID: "a", Time: d(5), Amount: dec("2")}, // first day again
	}
	c := summarizeOne(t, txs, SummaryParams{CalibrationEnd: d(20), Unit: Day, Location: time.UTC})
	assert.Equal(t, 2, c.Frequency) // days 5, 7, 10
	assert.Equal(t, 5.0, c.Recency)
	assert.Equal(t, 15.0, c.T)
	assert.True(t, dec("9").Equal(c.MonetaryValue), "(7 + 11) / 2, got %s", c.MonetaryValue)
}

// Amounts of any scale are summed exactly: mixed exponents, sums beyond
// int64, negative corrections, and means that do not terminate.
func TestSummarizeMoneyIsExact(t *testing.T) {
	d := func(n int) time.Time { return day(2024, 1, n, 10, time.UTC) }
	cases := []struct {
		name    string
		amounts []string // one per day; day 1 is the first purchase
		want    string
	}{
		{"cents", []string{"1.00", "2.50", "3.25"}, "2.875"},
		{"mixed exponents", []string{"1", "0.001", "500", "7.5"}, "169.167"},
		{"positive exponent", []string{"9", "1E3", "2E2"}, "600"},
		{"recurring mean", []string{"5", "1", "1", "0.01"}, "0.67"},
		{"beyond int64", []string{"1", "9223372036854775807", "9223372036854775807"}, "9223372036854775807"},
		{"fine then huge", []string{"1", "0.0000000001", "12345678901234567890"}, "6172839450617283945.00000000005"},
		{"negative correction", []string{"3", "10", "-4"}, "3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var txs []Transaction
			for i, a := range tc.amounts {
				txs = append(txs, Transaction{CustomerID: "a", Time: d(i + 1), Amount: dec(a)})
			}
			c := summarizeOne(t, txs, SummaryParams{CalibrationEnd: d(28), Unit: Day, Location: time.UTC})
			want := dec(tc.want).Round(MonetaryPlaces)
			assert.True(t, want.Equal(c.MonetaryValue), "got %s want %s", c.MonetaryValue, want)
		})
	}
}

func TestDivRoundInt64MatchesDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		c := rng.Int64N(2_000_000_000) - 1_000_000_000
		exp := int32(rng.IntN(12)) - 9
		n := rng.Int64N(50) + 1
		want := decimal.New(c, exp).DivRound(decimal.NewFromInt(n), MonetaryPlaces)
		q, ok := divRoundInt64(c, exp, n, MonetaryPlaces)
		require.True(t, ok)
		require.True(t, want.Equal(decimal.New(q, -MonetaryPlaces)), "%d e%d / %d: %d vs %s", c, exp, n, q, want)
	}
}

func TestSummarizeRejectsBadInput(t *testing.T) {
	_, err := Summarize(seqOf(nil), SummaryParams{})
	require.ErrorIs(t, err, ErrInvalidInput)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		require.True(t, errors.As(e, &fe))
		fields = append(fields, fe.Field)
	}
	assert.ElementsMatch(t, []string{"SummaryParams.CalibrationEnd", "SummaryParams.Unit", "SummaryParams.Location"}, fields)
	_, err = Summarize(seqOf(nil), SummaryParams{CalibrationEnd: time.Now(), Unit: Day, Location: time.UTC, CustomersHint: -1})
	assert.ErrorIs(t, err, ErrInvalidInput)

	p := SummaryParams{CalibrationEnd: day(2024, 1, 1, 0, time.UTC), Unit: Day, Location: time.UTC}
	good := Transaction{CustomerID: "a", Time: day(2023, 12, 1, 0, time.UTC), Amount: dec("1")}
	for _, tc := range []struct {
		bad   Transaction
		field string
	}{
		{Transaction{Time: good.Time}, "Transaction.CustomerID"},
		{Transaction{CustomerID: "b"}, "Transaction.Time"},
	} {
		s, err := Summarize(seqOf([]Transaction{good, tc.bad}), p)
		require.ErrorIs(t, err, ErrInvalidInput)
		var fe *FieldError
		require.True(t, errors.As(err, &fe))
		assert.Equal(t, tc.field, fe.Field)
		assert.Equal(t, 1, fe.Index)
		assert.Nil(t, s.Customers, "no partial result")
	}

	boom := errors.New("store unavailable")
	failing := func(yield func(Transaction, error) bool) {
		if yield(good, nil) {
			yield(Transaction{}, boom)
		}
	}
	s, err := Summarize(failing, p)
	assert.ErrorIs(t, err, boom)
	assert.Nil(t, s.Customers)
}

func TestSummarizeReadsWholeStream(t *testing.T) {
	// Summarize consumes the whole stream and counts what it read.
	n := 0
	seq := func(yield func(Transaction, error) bool) {
		for i := range 3 {
			n++
			if !yield(Transaction{CustomerID: "a", Time: day(2024, 1, i+1, 0, time.UTC), Amount: dec("1")}, nil) {
				return
			}
		}
	}
	s, err := Summarize(seq, SummaryParams{CalibrationEnd: day(2024, 2, 1, 0, time.UTC), Unit: Day, Location: time.UTC})
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, 3, s.Transactions)
}
