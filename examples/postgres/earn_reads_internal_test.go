package postgres

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A kept read is taken once, only by the prefetch of an earn of its
// purchase for its holder, only while fresh, and the oldest are dropped
// when newer ones fill the ring.
func TestEarnReadsKeepAndTake(t *testing.T) {
	var r earnReads
	q := loyalty.Prefetch{OperationKey: "earn:p1", MemberID: "m1", Kind: loyalty.RecordPurchase, Keys: []string{"p1"}}
	k, ok := earnPrefetch(q)
	require.True(t, ok)
	assert.Equal(t, earnKey{purchase: "p1", member: "m1"}, k)
	for _, other := range []loyalty.Prefetch{
		{OperationKey: "return:p1", MemberID: "m1", Kind: loyalty.RecordPurchase, Keys: []string{"p1"}},
		{OperationKey: "earn:p1", MemberID: "m1", Kind: loyalty.RecordPurchase, Keys: []string{"p1", "p2"}},
		{OperationKey: "earn:p1", MemberID: "m1", Kind: loyalty.RecordCoupon, Keys: []string{"p1"}},
		{OperationKey: "earn:p1", MemberID: "m1"},
	} {
		_, ok := earnPrefetch(other)
		assert.False(t, ok, "%+v", other)
	}

	e := &earnRead{at: time.Now()}
	r.put(k, e)
	assert.Nil(t, r.take(earnKey{purchase: "p1", member: "m2"}), "another holder")
	assert.Same(t, e, r.take(k))
	assert.Nil(t, r.take(k), "taken once")

	r.put(k, &earnRead{at: time.Now().Add(-2 * earnReadTTL)})
	assert.Nil(t, r.take(k), "stale")

	newer := &earnRead{at: time.Now()}
	r.put(k, &earnRead{at: time.Now()})
	r.put(k, newer)
	assert.Same(t, newer, r.take(k), "the latest read of a purchase")

	r.put(k, &earnRead{at: time.Now()})
	for i := range len(r.ring) {
		r.put(earnKey{purchase: fmt.Sprint("q", i), member: "m1"}, &earnRead{at: time.Now()})
	}
	assert.Nil(t, r.take(k), "pushed out")
	assert.Len(t, r.byID, len(r.ring))
	assert.NotNil(t, r.take(earnKey{purchase: "q0", member: "m1"}))
}
