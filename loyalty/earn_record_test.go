package loyalty

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordResults are earn results of every shape: the JSON test quotes
// (big baskets, caps, tax, escapes, events, the zero quote), every time
// and pointer set, lists nil and empty, a line whose rule split names
// rules the quote does not list, and amounts too big for an int64.
func recordResults(t *testing.T) []EarnResult {
	sh := zone(t, "Asia/Shanghai")
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 123456000, time.UTC)
	var out []EarnResult
	for _, q := range jsonQuotes(t) {
		out = append(out, EarnResult{MemberID: "m1", Quote: q})
	}
	full := fullEarnResult(t)
	full.Tier.NextReview = t0.In(sh)
	full.Tier.GraceSince = time.Date(1900, 1, 1, 12, 0, 0, 0, sh)  // local mean time, +08:05:43
	full.Tier.GuaranteedUntil = t0.In(zone(t, "America/St_Johns")) // -03:30
	full.Tier.Since = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)     // the first year JSON writes
	full.Entries = append(full.Entries, ledger.Entry{Seq: 2, ID: "m1#2", Account: "m1", Kind: ledger.KindClawback, Points: -5, Debt: 3,
		Time: t0.In(sh), Corrects: "m1#1", Draws: []ledger.Draw{}, Reason: "return \"x\"", Actor: "staff 7"})
	out = append(out, full, EarnResult{}, EarnResult{Entries: []ledger.Entry{}, Events: []Event{}})
	odd := EarnResult{Quote: jsonQuotes(t)[1]}
	odd.Quote.Lines = append([]LineQuote(nil), odd.Quote.Lines...)
	odd.Quote.Lines[0].rules = []string{"elsewhere", odd.Quote.Rules[0].RuleID}
	odd.Quote.Lines[0].byRule = []ruleShare{share(0, 7), share(1, 3)}
	odd.Quote.Lines[1].Quantity = decimal.RequireFromString("123456789012345678901234567890.25")
	odd.Quote.Lines[2].Quantity = decimal.New(25, 3)
	odd.Quote.Rules = append([]RuleQuote(nil), odd.Quote.Rules...)
	odd.Quote.Rules[0].Multiplier = decimal.New(-15, -1)
	return append(out, odd)
}

// fullEarnResult sets every time and pointer an earn result can hold.
func fullEarnResult(t *testing.T) EarnResult {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 123456000, time.UTC)
	q := jsonQuotes(t)[2]
	q.PendingUntil, q.ExpiresAt = t0.AddDate(0, 0, 7), t0.AddDate(1, 0, 0)
	change := TierChange{From: "regular", To: "gold", At: t0, Reason: TierUpgraded}
	coupon := Coupon{ID: "c1", RewardID: "tea", IssuedAt: t0, ValidFrom: t0, ValidUntil: t0.AddDate(0, 1, 0), UsedAt: t0.Add(time.Hour), UsedOn: "p9"}
	return EarnResult{MemberID: "m1", Quote: q,
		Entries: []ledger.Entry{{Seq: 1, ID: "m1#1", Account: "m1", Kind: ledger.KindEarn, Points: 5, Time: t0,
			Reference: "p:1", Purchase: "1", Draws: []ledger.Draw{{LotID: "p:1", Points: 5, Pending: 2, Held: 1}}}},
		Tier: TierState{Tier: "gold", Since: t0, MemberSince: t0, GuaranteedUntil: t0, GraceUntil: t0, GraceSince: t0,
			NextReview: t0, Override: &TierOverride{Tier: "vip", Until: t0, Reason: "complaint"}, Seen: t0},
		Events: []Event{{Type: EventPointsEarned, MemberID: "m1", At: t0, Points: 5, Reference: "1", ExpiresAt: t0},
			{Type: EventTierChanged, MemberID: "m1", At: t0, Tier: &change},
			{Type: EventCouponIssued, MemberID: "m1", At: t0, Coupon: &coupon}}}
}

// A binary earn record decodes to exactly what the same result's JSON
// decoded to (decimals to the exponent, times to the zone), so replays
// and returns read what they read before; and a record written as JSON
// still decodes.
func TestEarnRecordDecodesAsJSONDid(t *testing.T) {
	var recordBytes, jsonBytes int
	for i, r := range recordResults(t) {
		raw, err := encodeResult(r)
		require.NoError(t, err)
		require.Equal(t, earnRecordMagic, string(raw[:len(earnRecordMagic)]))
		var viaRecord EarnResult
		require.NoError(t, decodeResult(raw, &viaRecord), "result %d", i)
		js, err := r.appendJSON(nil)
		require.NoError(t, err)
		var viaJSON EarnResult
		require.NoError(t, json.Unmarshal(js, &viaJSON))
		assert.Equal(t, viaJSON, viaRecord, "result %d", i)
		recordBytes, jsonBytes = recordBytes+len(raw), jsonBytes+len(js)
		var old EarnResult
		require.NoError(t, decodeResult(js, &old), "result %d: a JSON record", i)
		assert.Equal(t, viaJSON, old)
	}
	assert.Less(t, recordBytes, jsonBytes/2, "records are compact")
	var other RedeemResult
	raw, err := encodeResult(recordResults(t)[0])
	require.NoError(t, err)
	assert.Error(t, decodeResult(raw, &other), "an earn record is no redemption")
}

// A record is rejected, never half read, when it is cut short, has bytes
// to spare or breaks its own rules; and a time RFC 3339 cannot hold fails
// the encoding, as it did in JSON.
func TestEarnRecordRejectsMalformed(t *testing.T) {
	raw, err := encodeResult(fullEarnResult(t))
	require.NoError(t, err)
	for n := 1; n < len(raw); n++ {
		var r EarnResult
		assert.ErrorIs(t, decodeResult(raw[:n], &r), errRecord, "cut at %d", n)
		assert.Equal(t, EarnResult{}, r, "nothing half read")
	}
	var r EarnResult
	assert.ErrorIs(t, decodeResult(append(raw[:len(raw):len(raw)], 0), &r), errRecord, "a byte to spare")
	for _, bad := range []EarnResult{
		{Entries: []ledger.Entry{{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}},
		{Tier: TierState{Seen: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("far", 24*3600))}},
	} {
		_, err := encodeResult(bad)
		assert.Error(t, err)
	}
}

func FuzzEarnRecord(f *testing.F) {
	for _, r := range recordResults(&testing.T{}) {
		raw, err := encodeResult(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var r EarnResult
		if err := decodeResult(raw, &r); err != nil {
			return
		}
		// What decodes re-encodes to a record that decodes the same.
		again, err := encodeResult(r)
		if err != nil {
			return // a time out of range for RFC 3339 cannot come from text
		}
		var back EarnResult
		require.NoError(t, decodeResult(again, &back))
		a, _ := r.appendJSON(nil)
		b, _ := back.appendJSON(nil)
		require.Equal(t, string(a), string(b))
	})
}
