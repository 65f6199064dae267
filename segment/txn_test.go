package segment_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Summarize folds in batches with loads ahead of the fold; Summarizer.Add
// folds one Txn at a time. Over a stream long enough for many batches,
// with refunds, late Txns and repeat customers, both must agree exactly,
// order of first appearance included.
func TestSummarizeAgreesWithAdd(t *testing.T) {
	seed := uint64(20261122)
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	txns := make([]segment.Txn, 5000)
	for i := range txns {
		txns[i] = segment.Txn{
			CustomerID: fmt.Sprintf("C-%d", r.IntN(700)),
			Unix:       asOf.Unix() - int64(r.IntN(400*86400)) + int64(r.IntN(20*86400)), // some after asOf
			Net:        int64(r.IntN(100_000)),
			Refund:     r.IntN(20) == 0,
		}
		if i%97 == 0 { // IDs longer than a record holds inline
			txns[i].CustomerID += "-with-a-long-loyalty-card-suffix"
		}
	}
	for _, hint := range []int{0, 700} {
		got, err := segment.Summarize(values(txns), asOf, hint)
		require.NoError(t, err)
		one := segment.NewSummarizer(asOf, 0)
		for _, tx := range txns {
			require.NoError(t, one.Add(tx))
		}
		assert.Equal(t, one.Summaries(), got, "hint %d", hint)
	}
}

func TestSummarizeStopsAtTheFirstBadTxn(t *testing.T) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ok := segment.Txn{CustomerID: "a", Unix: asOf.Unix() - 86400, Net: 100}
	stream := func(bad segment.Txn) []segment.Txn {
		txns := make([]segment.Txn, 300)
		for i := range txns {
			txns[i] = ok
		}
		txns[150] = bad
		return txns
	}
	_, err := segment.Summarize(values(stream(segment.Txn{Unix: ok.Unix, Net: 1})), asOf, 0)
	assert.ErrorIs(t, err, segment.ErrInvalid, "an empty customer ID")
	_, err = segment.Summarize(values(stream(segment.Txn{CustomerID: "b", Unix: ok.Unix, Net: -1})), asOf, 0)
	assert.ErrorIs(t, err, segment.ErrInvalid, "a negative amount")
	big := stream(segment.Txn{CustomerID: "big", Unix: ok.Unix, Net: 1 << 62})
	big[200] = big[150]
	sums, err := segment.Summarize(values(big), asOf, 0)
	assert.ErrorIs(t, err, segment.ErrOverflow, "an overflow found while a batch is folded")
	assert.Nil(t, sums, "no partial result")
}
