package loyaltytest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func precisionRules() []rule {
	return []rule{
		{"TimePrecision", "MicrosecondsInZonesRoundTrip", precisionRoundTrip},
		{"TimePrecision", "LotTimesRoundTrip", precisionLots},
		{"TimePrecision", "ZeroTimesStayZero", precisionZero},
		{"TimePrecision", "EdgeInstantsRoundTrip", precisionEdges},
	}
}

// precisionRoundTrip writes a header and entries whose times are a
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
	require.True(t, w.Account.Points.LastActivity().Equal(tick.Add(3*time.Microsecond)), "the fixture's last activity")
	w.Account.MergingAt = w.Account.MergingAt.Add(time.Microsecond)
	m.save(t, s, w)
	assertStored(t, s, m)
	got := storedEntries(t, s, "M00001")
	n := len(got)
	require.GreaterOrEqual(t, n, 4)
	for i, e := range got[n-4:] {
		assertTime(t, tick.Add(time.Duration(i)*time.Microsecond), e.Time, e.ID+" Time")
	}
}

// precisionLots earns lots whose times differ by a microsecond, in
// several zones: the indexes a store keeps on them (spending order,
// pending order) must see the same instants, and every read return them.
func precisionLots(t *testing.T, s loyalty.Store) {
	m := newMember(t, "M00001")
	expiry, pending := at(30*day), at(14*day)
	m.save(t, s, m.next(t, "earn:ticks", chain(
		earnLot("c", 1, at(0).In(shanghai), pending.Add(2*time.Microsecond).In(newYork), expiry.In(chatham)),
		earnLot("b", 1, at(time.Microsecond).In(newYork), pending.Add(time.Microsecond), expiry.Add(time.Microsecond).In(shanghai)),
		earnLot("a", 1, at(2*time.Microsecond).In(chatham), pending.In(shanghai), expiry.Add(2*time.Microsecond)),
		earnLot("d", 1, at(time.Microsecond), pending.Add(3*time.Microsecond), expiry.In(time.UTC)),
	)))
	ctx := t.Context()
	assertStored(t, s, m)
	spending := kit.Collect(t, s.SpendingLots(ctx, "M00001"))
	assertLots(t, m.wantSpending(), spending, "SpendingLots")
	assert.Equal(t, []string{"c", "d", "b", "a"}, lotIDs(spending), "spending order a microsecond apart")
	pend := kit.Collect(t, s.PendingLots(ctx, "M00001", pending.Add(2*time.Microsecond)))
	assert.Equal(t, []string{"a", "b", "c"}, lotIDs(pend), "pending order a microsecond apart, through the third")
	got, err := s.Lots(ctx, "M00001", []string{"a", "b", "c", "d"})
	require.NoError(t, err)
	assertLots(t, []ledger.Lot{m.lots["a"], m.lots["b"], m.lots["c"], m.lots["d"]}, got, "Lots")
}

// precisionZero: a lot released at once or never expiring has zero
// times, and a header of an account not being merged a zero MergingAt;
// a store must give back zero, not the epoch or its column's default.
func precisionZero(t *testing.T, s loyalty.Store) {
	m := newMember(t, "M00001")
	w := m.next(t, "", earnLot("forever", 5, at(0), time.Time{}, time.Time{}))
	m.save(t, s, w)
	ctx := t.Context()
	acct, err := s.GetAccount(ctx, "M00001")
	require.NoError(t, err)
	assert.True(t, acct.MergingAt.IsZero(), "MergingAt: want zero, got %s", acct.MergingAt)
	assert.True(t, acct.Tier.Since.IsZero(), "Tier.Since: want zero, got %s", acct.Tier.Since)
	lots, err := s.Lots(ctx, "M00001", []string{"forever"})
	require.NoError(t, err)
	require.Len(t, lots, 1)
	assert.True(t, lots[0].PendingUntil.IsZero(), "PendingUntil: want zero, got %s", lots[0].PendingUntil)
	assert.True(t, lots[0].ExpiresAt.IsZero(), "ExpiresAt: want zero, got %s", lots[0].ExpiresAt)
	assertStored(t, s, m)

	// A header with no activity yet: a bare account.
	b := newMember(t, "M00002")
	b.save(t, s, b.next(t, "", nil))
	acct, err = s.GetAccount(ctx, "M00002")
	require.NoError(t, err)
	assert.True(t, acct.Points.LastActivity().IsZero(), "LastActivity: want zero, got %s", acct.Points.LastActivity())
}

// precisionEdges keeps instants where rounding and epoch arithmetic go
// wrong: the last microsecond of a second, before 1970, far ahead.
func precisionEdges(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	preEpoch := time.Date(1969, time.December, 31, 23, 59, 59, 999999000, kolkata)
	farAhead := time.Date(2199, time.December, 31, 23, 59, 59, 999999000, chatham)
	w.Account.Tier.MemberSince = preEpoch
	w.Account.Tier.GuaranteedUntil = farAhead
	w.Account.Activity[0].Time = time.Date(2026, time.March, 14, 23, 59, 59, 999999000, shanghai)
	m.save(t, s, w)
	w = m.next(t, "earn:edge", chain(
		earnLot("edge", 5, at(day+999999*time.Microsecond), time.Time{}, farAhead),
		earnLot("pre-epoch", 5, preEpoch, preEpoch.Add(time.Microsecond), farAhead.Add(-time.Microsecond)),
	))
	m.save(t, s, w)
	assertStored(t, s, m)
}
