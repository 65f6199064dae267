package loyalty

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Save copies what it is given; saveOwned (the earn's hand-off) keeps it,
// and either way readers get copies.
func TestMemoryStoreOwnedSave(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, owned := range []bool{false, true} {
		m := NewMemoryStore().(*memoryStore)
		pts, err := ledger.New("m1")
		require.NoError(t, err)
		acct := Account{MemberID: "m1", Version: 1, Points: pts,
			Activity: []QualifyingEvent{{Time: t0, Spend: decimal.NewFromInt(10), Purchases: 1, Points: 10}}}
		w := Write{Account: acct, Operation: &Operation{Key: "earn:p1", MemberID: "m1", Hash: "h", Result: []byte(`{"a":1}`)}}
		if owned {
			require.NoError(t, m.saveOwned(ctx, w))
		} else {
			require.NoError(t, m.Save(ctx, w))
			// The caller may reuse its memory after Save.
			acct.Activity[0].Points = 99
			w.Operation.Result[1] = 'X'
		}
		got, err := m.GetAccount(ctx, "m1")
		require.NoError(t, err)
		assert.Equal(t, int64(10), got.Activity[0].Points, "owned=%v", owned)
		got.Activity[0].Points = 7 // a reader's copy
		again, err := m.GetAccount(ctx, "m1")
		require.NoError(t, err)
		assert.Equal(t, int64(10), again.Activity[0].Points, "owned=%v", owned)
		op, err := m.GetOperation(ctx, "earn:p1")
		require.NoError(t, err)
		assert.JSONEq(t, `{"a":1}`, string(op.Result), "owned=%v", owned)
		_, err = m.GetOperation(ctx, "earn:p2")
		assert.ErrorIs(t, err, ErrNotFound)
		assert.EqualError(t, err, "operation earn:p2: loyalty: not found")
	}
}
