package loyaltytest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/require"
)

func precisionRules() []rule {
	return []rule{
		{"TimePrecision", "MicrosecondsInZonesRoundTrip", precisionRoundTrip},
		{"TimePrecision", "EdgeInstantsRoundTrip", precisionEdges},
	}
}

// precisionRoundTrip writes an account and entries whose times are a
// microsecond apart, in zones other than UTC: every instant must come back
// (Equal), the zone need not.
func precisionRoundTrip(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	w.Account.MergingInto, w.Account.MergingAt = "M00002", at(6*time.Hour+time.Microsecond).In(chatham)
	m.save(t, s, w)
	tick := at(day)
	w = m.next(t, "earn:ticks", chain(
		earn("tick-0", 1, tick.In(shanghai)),
		earn("tick-1", 1, tick.Add(time.Microsecond).In(newYork)),
		earn("tick-2", 1, tick.Add(2*time.Microsecond)),
		redeem("tick-redeem", 3, tick.Add(3*time.Microsecond).In(chatham)),
	))
	w.Account.Coupons[0].ValidUntil = w.Account.Coupons[0].ValidFrom.Add(time.Microsecond).In(newYork)
	m.save(t, s, w)
	assertStored(t, s, m)
	got := storedEntries(t, s, "M00001")
	n := len(got)
	require.GreaterOrEqual(t, n, 4)
	for i, e := range got[n-4:] {
		assertTime(t, tick.Add(time.Duration(i)*time.Microsecond), e.Time, e.ID+" Time")
	}
}

// precisionEdges keeps instants where rounding and epoch arithmetic go
// wrong: the last microsecond of a second, before 1970, far ahead.
func precisionEdges(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	preEpoch := time.Date(1969, time.December, 31, 23, 59, 59, 999999000, kolkata)
	farAhead := time.Date(2199, time.December, 31, 23, 59, 59, 999999000, chatham)
	w.Account.Tier.MemberSince = preEpoch
	w.Account.Tier.GuaranteedUntil = farAhead
	w.Account.Coupons[0].ValidUntil = farAhead.In(newYork)
	w.Account.Activity[0].Time = time.Date(2026, time.March, 14, 23, 59, 59, 999999000, shanghai)
	m.save(t, s, w)
	w = m.next(t, "earn:edge", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.Earn("edge", 5, at(day+999999*time.Microsecond), time.Time{}, farAhead, "order-edge")
	})
	m.save(t, s, w)
	assertStored(t, s, m)
}
