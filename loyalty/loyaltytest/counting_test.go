package loyaltytest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A CountingStore without a budget is the store it wraps: it passes the
// kit.
func TestCountingPassesTheKit(t *testing.T) {
	loyaltytest.Run(t, func(*testing.T) loyalty.Store { return loyaltytest.Counting(loyalty.NewMemoryStore()) })
}

// threeLots is a store holding one member with three open lots and one
// record.
func threeLots(t *testing.T) loyalty.Store {
	t.Helper()
	s := loyalty.NewMemoryStore()
	pts, err := ledger.New("M00001")
	require.NoError(t, err)
	acct := loyalty.Account{MemberID: "M00001", Points: pts}
	var all []ledger.Entry
	for i := range 3 {
		next, entries, err := acct.Points.Earn(fmt.Sprintf("lot-%d", i), 10, day0.Add(time.Duration(i)*time.Hour), time.Time{}, time.Time{}, "")
		require.NoError(t, err)
		acct.Points, all = next, append(all, entries...)
	}
	acct.Version = 1
	w := write(t, acct, all)
	w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordCoupon, Key: "cp-1", Data: []byte("{}")})
	require.NoError(t, s.Save(t.Context(), w))
	return s
}

// errorsRecorder records Errorf calls instead of failing.
type errorsRecorder struct {
	testing.TB
	errs []string
}

func (r *errorsRecorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *errorsRecorder) Helper() {}

func TestCountingCountsCallsAndItems(t *testing.T) {
	c := loyaltytest.Counting(threeLots(t))
	ctx := t.Context()
	_, err := c.GetAccount(ctx, "M00001")
	require.NoError(t, err)
	kit.Collect(t, c.SpendingLots(ctx, "M00001"))
	_, err = c.Lots(ctx, "M00001", []string{"lot-1", "missing"})
	require.NoError(t, err)
	_, err = c.GetRecords(ctx, "M00001", loyalty.RecordCoupon, []string{"cp-1"})
	require.NoError(t, err)
	counts := c.Counts()
	assert.Equal(t, loyaltytest.Count{Calls: 1, Items: 1}, counts[loyaltytest.MethodGetAccount])
	assert.Equal(t, loyaltytest.Count{Calls: 1, Items: 3}, counts[loyaltytest.MethodSpendingLots])
	assert.Equal(t, loyaltytest.Count{Calls: 1, Items: 1}, counts[loyaltytest.MethodLots])
	assert.Equal(t, 4, c.LotsRead())
	assert.Equal(t, 1, c.RecordsRead())
	c.Reset()
	assert.Zero(t, c.LotsRead())
	assert.Empty(t, c.Counts())
}

func TestCountingFailsForbiddenMethods(t *testing.T) {
	ctx := t.Context()
	for _, method := range loyaltytest.WholeHistory {
		t.Run(method, func(t *testing.T) {
			c := loyaltytest.Counting(threeLots(t))
			c.SetBudget(loyaltytest.Budget{Forbid: loyaltytest.WholeHistory})
			var err error
			switch method {
			case loyaltytest.MethodAllLots:
				_, err = collect(c.AllLots(ctx, "M00001"))
			case loyaltytest.MethodRecords:
				_, err = collect(c.Records(ctx, "M00001", loyalty.RecordCoupon))
			case loyaltytest.MethodEntries:
				_, err = collect(c.Entries(ctx, "M00001", 0))
			case loyaltytest.MethodAccounts:
				_, err = collect(c.Accounts(ctx, ""))
			}
			require.ErrorIs(t, err, loyaltytest.ErrOverBudget)
			rec := &errorsRecorder{TB: t}
			c.Check(rec, "the operation")
			require.Len(t, rec.errs, 1)
			assert.Contains(t, rec.errs[0], method)
		})
	}
}

func TestCountingBoundsLotsAndRecords(t *testing.T) {
	ctx := t.Context()
	c := loyaltytest.Counting(threeLots(t))
	c.SetBudget(loyaltytest.Budget{MaxLots: 2, MaxRecords: 1})
	got, err := collect(c.SpendingLots(ctx, "M00001"))
	require.ErrorIs(t, err, loyaltytest.ErrOverBudget, "the third lot is over the budget")
	assert.Len(t, got, 2)
	c.Reset()
	_, err = c.Lots(ctx, "M00001", []string{"lot-0", "lot-1", "lot-2"})
	require.ErrorIs(t, err, loyaltytest.ErrOverBudget)
	c.Reset()
	_, err = c.GetRecords(ctx, "M00001", loyalty.RecordCoupon, []string{"cp-1"})
	require.NoError(t, err)
	_, err = c.GetRecords(ctx, "M00001", loyalty.RecordCoupon, []string{"cp-1"})
	require.ErrorIs(t, err, loyaltytest.ErrOverBudget, "the second record read is over the budget")
	assert.Len(t, c.Violations(), 1)
	c.SetBudget(loyaltytest.Budget{})
	_, err = collect(c.AllLots(ctx, "M00001"))
	require.NoError(t, err, "no budget, no bound")
	assert.Empty(t, c.Violations())
}

func collect[T any](seq func(yield func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ExampleCounting fails a balance read that asks for every lot.
func ExampleCounting() {
	ctx := context.Background()
	store := loyaltytest.Counting(loyalty.NewMemoryStore())
	store.SetBudget(loyaltytest.Budget{MaxLots: 30, Forbid: loyaltytest.WholeHistory})
	for _, err := range store.AllLots(ctx, "M-1001") {
		fmt.Println(err)
	}
	fmt.Println(store.Violations())
	// Output:
	// loyaltytest: store read over budget: AllLots called
	// [AllLots called]
}
