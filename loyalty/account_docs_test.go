package loyalty

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAccountDocsRoundTrip(t *testing.T) {
	pts, err := ledger.FromHeader(ledger.Header{ID: "m1", Version: 3, Seq: 4, Remaining: 90, Pending: 10, Held: 5})
	require.NoError(t, err)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	a := Account{MemberID: "m1", Version: 7, Points: pts, Purchases: 2, MergingInto: "m2", MergingAt: at,
		Tier: TierState{Tier: "silver", MemberSince: at}}
	d, err := a.Docs()
	require.NoError(t, err)
	got, err := AccountFromDocs("m1", 7, d)
	require.NoError(t, err)
	assert.Equal(t, a.Points.Header(), got.Points.Header())
	assert.Equal(t, int64(2), got.Purchases)
	assert.True(t, got.MergingAt.Equal(at))
	assert.Equal(t, "silver", got.Tier.Tier)

	d.Header = []byte(`{"ID":"m1","Remaining":1,"Pending":5}`) // pending beyond remaining
	_, err = AccountFromDocs("m1", 7, d)
	assert.ErrorIs(t, err, ledger.ErrInvalid, "a header no account could have")
}
