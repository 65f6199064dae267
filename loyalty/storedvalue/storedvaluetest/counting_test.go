package storedvaluetest_test

import (
	"context"
	"iter"
	"sync/atomic"
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counting counts what the service asks a store for: calls, and the parts
// and entries it is handed. An operation that costs what it touches asks
// the same at 100 prior entries as at 50,000.
type counting struct {
	storedvalue.Store
	calls, parts, entries, records atomic.Int64
}

func (c *counting) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	c.calls.Add(1)
	return c.Store.GetAccount(ctx, id)
}

func (c *counting) GetOperation(ctx context.Context, key string) (storedvalue.Operation, error) {
	c.calls.Add(1)
	return c.Store.GetOperation(ctx, key)
}

func (c *counting) Parts(ctx context.Context, id string, ids []string) ([]storedvalue.Part, error) {
	c.calls.Add(1)
	ps, err := c.Store.Parts(ctx, id, ids)
	c.parts.Add(int64(len(ps)))
	return ps, err
}

func (c *counting) GetRecords(ctx context.Context, id string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	c.calls.Add(1)
	rs, err := c.Store.GetRecords(ctx, id, kind, keys)
	c.records.Add(int64(len(rs)))
	return rs, err
}

func (c *counting) SpendingParts(ctx context.Context, id string, kind storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	c.calls.Add(1)
	return counted(c.Store.SpendingParts(ctx, id, kind), &c.parts)
}

func (c *counting) AllParts(ctx context.Context, id string) iter.Seq2[storedvalue.Part, error] {
	c.calls.Add(1)
	return counted(c.Store.AllParts(ctx, id), &c.parts)
}

func (c *counting) Entries(ctx context.Context, id string, after int64) iter.Seq2[storedvalue.Entry, error] {
	c.calls.Add(1)
	return counted(c.Store.Entries(ctx, id, after), &c.entries)
}

func (c *counting) Save(ctx context.Context, w storedvalue.Write) error {
	c.calls.Add(1)
	c.parts.Add(int64(len(w.Parts)))
	c.entries.Add(int64(len(w.Entries)))
	return c.Store.Save(ctx, w)
}

func counted[T any](seq iter.Seq2[T, error], n *atomic.Int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			n.Add(1)
			if !yield(v, err) {
				return
			}
		}
	}
}

func (c *counting) snapshot() [4]int64 {
	return [4]int64{c.calls.Load(), c.parts.Load(), c.entries.Load(), c.records.Load()}
}

func (c *counting) reset() {
	c.calls.Store(0)
	c.parts.Store(0)
	c.entries.Store(0)
	c.records.Store(0)
}

// TestOperationsCostTheSameWhateverTheHistory is the deterministic side
// of the benchmarks: each operation asks the store for the same calls,
// parts, entries and records at 100 and at 50,000 prior entries.
func TestOperationsCostTheSameWhateverTheHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 50,000 entries")
	}
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.Proportional,
		TopUps: []storedvalue.TopUpRule{{ID: "500", Pay: decimal.NewFromInt(500), Bonus: decimal.NewFromInt(30)}}}
	costs := map[int]map[string][4]int64{}
	for _, n := range storedvaluetest.HistorySizes {
		c := &counting{Store: storedvalue.NewMemoryStore()}
		when, err := storedvaluetest.SeedWallet(t.Context(), c, "m", n)
		require.NoError(t, err)
		svc, err := storedvalue.NewService(c, prog, nil)
		require.NoError(t, err)
		costs[n] = map[string][4]int64{}
		amt := decimal.NewFromInt(600)
		for _, op := range []struct {
			name string
			run  func() error
		}{
			{"TopUp", func() error {
				_, err := svc.TopUp(t.Context(), storedvalue.TopUpRequest{ID: "t", MemberID: "m", Amount: amt, At: when})
				return err
			}},
			{"Hold", func() error {
				_, err := svc.Hold(t.Context(), storedvalue.PayRequest{ID: "h", MemberID: "m", Amount: amt, At: when})
				return err
			}},
			{"Commit", func() error {
				_, err := svc.CommitHold(t.Context(), storedvalue.SettleRequest{HoldID: "h", At: when})
				return err
			}},
			{"Refund", func() error {
				_, err := svc.Refund(t.Context(), storedvalue.RefundRequest{ID: "r", PaymentID: "h", Amount: amt, At: when})
				return err
			}},
			{"Replay", func() error {
				_, err := svc.Refund(t.Context(), storedvalue.RefundRequest{ID: "r", PaymentID: "h", Amount: amt, At: when})
				return err
			}},
		} {
			c.reset()
			require.NoError(t, op.run(), "%s at %d", op.name, n)
			costs[n][op.name] = c.snapshot()
		}
	}
	small, large := storedvaluetest.HistorySizes[0], storedvaluetest.HistorySizes[len(storedvaluetest.HistorySizes)-1]
	for name, cost := range costs[small] {
		assert.Equal(t, cost, costs[large][name], "%s: calls, parts, entries and records at %d and %d prior entries", name, small, large)
		t.Logf("%s: calls %d, parts %d, entries %d, records %d", name, cost[0], cost[1], cost[2], cost[3])
	}
}
