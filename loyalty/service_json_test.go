package loyalty

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hand-written encoders list every field of the types they encode; a
// new field must be added there (and here), or records would drop it.
func TestEncodedTypesHaveTheFieldsTheEncodersKnow(t *testing.T) {
	for typ, n := range map[reflect.Type]int{
		reflect.TypeFor[EarnResult]():        5,
		reflect.TypeFor[ledger.Entry]():      15,
		reflect.TypeFor[ledger.Draw]():       4,
		reflect.TypeFor[TierState]():         9,
		reflect.TypeFor[Event]():             8,
		reflect.TypeFor[Quote]():             13,
		reflect.TypeFor[LineQuote]():         10,
		reflect.TypeFor[RuleQuote]():         14,
		reflect.TypeFor[RulePoints]():        2,
		reflect.TypeFor[customer.Purchase](): 10,
		reflect.TypeFor[customer.Line]():     9,
	} {
		assert.Equal(t, n, typ.NumField(), "%s gained or lost a field: update its encoders in quote_json.go, service_json.go and earn_record.go", typ)
	}
}

func TestEarnResultJSONMatchesReflection(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 123456000, time.UTC)
	q := jsonQuotes(t)[2]
	change := TierChange{From: "regular", To: "gold", At: t0, Reason: TierUpgraded}
	coupon := Coupon{ID: "c<1>", RewardID: "tea", IssuedAt: t0, ValidFrom: t0, ValidUntil: t0.AddDate(0, 1, 0)}
	results := []EarnResult{
		{},
		{MemberID: "m001", Quote: q, Entries: []ledger.Entry{}, Events: []Event{}},
		{MemberID: "m\"2", Quote: q,
			Entries: []ledger.Entry{
				{Seq: 1, ID: "m2#1", Account: "m2", Kind: ledger.KindEarn, Points: 120, Pending: 120, Time: t0, Reference: "p:P1", Purchase: "P1",
					Draws: []ledger.Draw{{LotID: "p:P1", Points: 120, Pending: 120}}},
				{Seq: 2, ID: "m2#2", Account: "m2", Kind: ledger.KindClawback, Points: -5, Debt: 3, Time: t0.In(sh), Corrects: "m2#1",
					Draws: []ledger.Draw{}, Reason: "return & co", Actor: "staff 7"},
				{Seq: 3, ID: "m2#3", Account: "m2", Kind: ledger.KindAdjust},
			},
			Tier: TierState{Tier: "gold", Since: t0, MemberSince: t0.AddDate(-1, 0, 0), GuaranteedUntil: t0.AddDate(1, 0, 0),
				GraceUntil: t0.In(sh), GraceSince: t0, NextReview: t0.AddDate(0, 6, 0),
				Override: &TierOverride{Tier: "vip", Until: t0, Reason: "complaint"}, Seen: t0.Add(time.Hour)},
			Events: []Event{
				{Type: EventPointsEarned, MemberID: "m2", At: t0, Points: 120, Reference: "P1", ExpiresAt: t0.AddDate(1, 0, 0)},
				{Type: EventTierChanged, MemberID: "m2", At: t0, Tier: &change},
				{Type: EventCouponIssued, MemberID: "m2", At: t0.In(sh), Coupon: &coupon},
			}},
	}
	for i, r := range results {
		want, err := json.Marshal(r)
		require.NoError(t, err)
		got, err := r.appendJSON(nil)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "result %d", i)
		var back EarnResult
		require.NoError(t, json.Unmarshal(got, &back))
		again, err := back.appendJSON(nil)
		require.NoError(t, err)
		assert.Equal(t, string(got), string(again), "result %d after a round trip", i)
	}
	_, err := encodeResult(EarnResult{Entries: []ledger.Entry{{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}})
	assert.Error(t, err, "a time JSON cannot hold")
}

func TestPurchaseHashIsIdemHash(t *testing.T) {
	odd := benchPurchase(3)
	odd.Staff, odd.CustomerID = "S-07 <night>", ""
	odd.Lines[0].Name, odd.Lines[0].Brand, odd.Lines[1].Tags = "大红袍 100g", "wu\"yi", []string{}
	odd.Tax = dec("1.30")
	empty := benchPurchase(0)
	empty.Lines = []customer.Line{}
	purchases := []customer.Purchase{benchPurchase(1), benchPurchase(50), odd, benchPurchase(0), empty, {}}
	for i, p := range purchases {
		want, err := idem.Hash(p)
		require.NoError(t, err)
		got, err := requestHash(p)
		require.NoError(t, err)
		assert.Equal(t, want, got, "purchase %d", i)
	}
	bad := benchPurchase(1)
	bad.Time = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := requestHash(bad)
	assert.ErrorIs(t, err, idem.ErrUnhashable)
	// Other requests go through idem.Hash itself.
	want, _ := idem.Hash(Coupon{ID: "x"})
	got, err := requestHash(Coupon{ID: "x"})
	require.NoError(t, err)
	assert.Equal(t, want, got)
}
