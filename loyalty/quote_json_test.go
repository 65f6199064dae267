package loyalty

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Mirrors of the quote with decimal fields, encoded by reflection: the
// form quotes had before they kept amounts as integers, and the form the
// hand-written encoder must keep producing byte for byte.
type refQuote struct {
	ProgramID     string    `json:"programId"`
	PurchaseID    string    `json:"purchaseId,omitempty"`
	Event         EventKind `json:"event,omitempty"`
	Time          time.Time `json:"time"`
	Currency      string    `json:"currency,omitempty"`
	Lines         []refLine `json:"lines,omitempty"`
	Rules         []refRule `json:"rules,omitempty"`
	Capped        int64     `json:"capped,omitempty"`
	CappedBy      string    `json:"cappedBy,omitempty"`
	Total         int64     `json:"total"`
	PendingUntil  time.Time `json:"pendingUntil,omitzero"`
	ReleaseByHost bool      `json:"releaseByHost,omitempty"`
	ExpiresAt     time.Time `json:"expiresAt,omitzero"`
}

type refLine struct {
	Line          int             `json:"line"`
	SKU           string          `json:"sku"`
	Quantity      decimal.Decimal `json:"quantity"`
	Earning       bool            `json:"earning"`
	OrderDiscount decimal.Decimal `json:"orderDiscount"`
	Tax           decimal.Decimal `json:"tax"`
	Net           decimal.Decimal `json:"net"`
	Points        int64           `json:"points"`
	ByRule        []RulePoints    `json:"byRule,omitempty"`
}

type refRule = ruleQuoteJSON

func reference(q Quote) refQuote {
	r := refQuote{ProgramID: q.ProgramID, PurchaseID: q.PurchaseID, Event: q.Event, Time: q.Time, Currency: q.Currency,
		Capped: q.Capped, CappedBy: q.CappedBy, Total: q.Total, PendingUntil: q.PendingUntil, ReleaseByHost: q.ReleaseByHost,
		ExpiresAt: q.ExpiresAt}
	for _, l := range q.Lines {
		r.Lines = append(r.Lines, refLine{Line: l.Line, SKU: l.SKU, Quantity: l.Quantity, Earning: l.Earning,
			OrderDiscount: l.OrderDiscount(), Tax: l.Tax(), Net: l.Net(), Points: l.Points, ByRule: l.ByRule()})
	}
	for _, x := range q.Rules {
		r.Rules = append(r.Rules, refRule{RuleID: x.RuleID, Kind: x.Kind, Group: x.Group, Priority: x.Priority,
			Multiplier: x.Multiplier, BaseAmount: x.BaseAmount(), BasePoints: x.BasePoints(), Exact: x.Exact(),
			Rounding: x.Rounding, Rounded: x.Rounded, CappedByRule: x.CappedByRule, CappedByProgram: x.CappedByProgram,
			Points: x.Points, Lines: x.Lines})
	}
	return r
}

// jsonQuotes are quotes covering every field: a 50-line basket under 20
// rules (multipliers, caps, fractional quantities), tax shares, a
// cap-trimmed order, an event bonus and awkward SKUs.
func jsonQuotes(t *testing.T) []Quote {
	var qs []Quote
	bp := benchProgram(t)
	for _, n := range []int{1, 7, 50} {
		pu := benchPurchase(n)
		pu.Time = pu.Time.UTC()
		qs = append(qs, quote(t, bp, QuoteInput{Purchase: pu, Member: Member{Tier: "gold", FirstPurchase: true, Tags: []string{"vip"}}}))
	}
	capped := benchPurchase(20)
	capped.Time = capped.Time.UTC()
	qs = append(qs, quote(t, bp, QuoteInput{Purchase: capped, Usage: CapUsage{Today: 199_990}}))
	tax := testProgram(t, func(p *Program) { p.ExcludeTax = true; p.Pending = PendingPolicy{UntilReleased: true} })
	pu := buy(sh(t, 2026, 5, 1, 10, 0).UTC(), ln(`<tea&"co">`, "tea", "1.5", "33.33"), ln("ÉCLAIR\u2028", "bakery", "3", "0.07"),
		ln("FREE", "misc", "1", "0"))
	pu.Tax, pu.OrderDiscount = dec("4.01"), dec("0.03")
	qs = append(qs, quote(t, tax, QuoteInput{Purchase: pu}))
	ev := testProgram(t, func(p *Program) {
		p.EarnRules = append(p.EarnRules, EarnRule{ID: "review", Kind: KindEventBonus, Event: EventReview, Points: 25, MaxPoints: 20})
	})
	q, err := ev.QuoteEvent(EventInput{Event: EventReview, Time: sh(t, 2026, 5, 1, 10, 0).UTC()})
	require.NoError(t, err)
	require.NotEmpty(t, q.Rules)
	return append(qs, q, Quote{})
}

func TestQuoteJSONMatchesReflection(t *testing.T) {
	for i, q := range jsonQuotes(t) {
		want, err := json.Marshal(reference(q))
		require.NoError(t, err)
		got, err := json.Marshal(q)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "quote %d", i)
		if len(q.Lines) > 0 {
			lw, _ := json.Marshal(reference(q).Lines[0])
			lg, err := json.Marshal(q.Lines[0])
			require.NoError(t, err)
			assert.Equal(t, string(lw), string(lg), "quote %d line", i)
		}
	}
}

func TestQuoteJSONRoundTripExact(t *testing.T) {
	for i, q := range jsonQuotes(t) {
		enc, err := json.Marshal(q)
		require.NoError(t, err)
		var back Quote
		require.NoError(t, json.Unmarshal(enc, &back), "quote %d", i)
		q = sameRepresentation(t, q, q)
		assert.Equal(t, q, sameRepresentation(t, q, back), "quote %d", i)
		// Old records (encoded by reflection) decode to the same quote.
		old, err := json.Marshal(reference(q))
		require.NoError(t, err)
		var fromOld Quote
		require.NoError(t, json.Unmarshal(old, &fromOld))
		assert.Equal(t, q, sameRepresentation(t, q, fromOld), "quote %d", i)
		for j, l := range back.Lines {
			assert.True(t, q.Lines[j].Net().Equal(l.Net()))
			assert.True(t, q.Lines[j].OrderDiscount().Equal(l.OrderDiscount()))
			assert.True(t, q.Lines[j].Tax().Equal(l.Tax()))
		}
		for j, r := range back.Rules {
			assert.True(t, q.Rules[j].Exact().Equal(r.Exact()))
			assert.True(t, q.Rules[j].BasePoints().Equal(r.BasePoints()))
			assert.True(t, q.Rules[j].BaseAmount().Equal(r.BaseAmount()))
		}
	}
}

// sameRepresentation checks what DeepEqual cannot and returns got with
// want's representation of it: times come back from JSON in a fixed zone
// of the same offset, and quantities (the purchase's own decimals) without
// trailing zeros.
func sameRepresentation(t *testing.T, want, got Quote) Quote {
	t.Helper()
	assert.True(t, want.PendingUntil.Equal(got.PendingUntil) && want.ExpiresAt.Equal(got.ExpiresAt))
	got.PendingUntil, got.ExpiresAt = want.PendingUntil.UTC(), want.ExpiresAt.UTC()
	require.Len(t, got.Lines, len(want.Lines))
	got.Lines = append([]LineQuote(nil), got.Lines...)
	for i := range got.Lines {
		assert.True(t, want.Lines[i].Quantity.Equal(got.Lines[i].Quantity))
		got.Lines[i].Quantity = want.Lines[i].Quantity
	}
	return got
}

func TestQuoteJSONRejectsInexactAmounts(t *testing.T) {
	for name, doc := range map[string]string{
		"net too large":       `{"lines":[{"line":1,"net":"12345678901234567890"}]}`,
		"net exponent":        `{"lines":[{"line":1,"net":"1e99"}]}`,
		"tax written out":     `{"lines":[{"line":1,"tax":"1e20"}]}`,
		"negative exact":      `{"rules":[{"ruleId":"r","exact":"-1"}]}`,
		"exact below 10^-18":  `{"rules":[{"ruleId":"r","exact":"0.0000000000000000001"}]}`,
		"exact over 128 bits": `{"rules":[{"ruleId":"r","exact":"1e30"}]}`,
		"base points":         `{"rules":[{"ruleId":"r","basePoints":"-0.5"}]}`,
		"not a number":        `{"lines":[{"line":1,"tax":"abc"}]}`,
		"negative share":      `{"lines":[{"line":1,"byRule":[{"ruleId":"r","points":-1}]}]}`,
		"share too large":     `{"lines":[{"line":1,"byRule":[{"ruleId":"r","points":9000000000000000000}]}]}`,
	} {
		var q Quote
		assert.Error(t, json.Unmarshal([]byte(doc), &q), name)
	}
}

func TestAmountJSONMatchesDecimal(t *testing.T) {
	cs := []int64{0, 1, -1, 5, 10, 100, 120, 1234, -1234, 99999, 1_000_000, math.MaxInt64, math.MinInt64 + 1, -90}
	for _, c := range cs {
		for exp := int32(-20); exp <= 4; exp++ {
			d := decimal.New(c, exp)
			want, _ := json.Marshal(d)
			a := newAmount(c, exp)
			assert.Equal(t, string(want), string(a.appendJSON(nil)), "%d e%d", c, exp)
			assert.True(t, d.Equal(a.decimal()), "%d e%d", c, exp)
			back, ok := amountOf(d)
			if a.exp > 0 && digits(a.c)+int(a.exp) > 18 {
				assert.False(t, ok, "%d e%d has more than 18 integer digits", c, exp)
				continue
			}
			require.True(t, ok, "%d e%d", c, exp)
			assert.Equal(t, a, back)
		}
	}
	for _, x := range []u128{{}, {0, 1}, {0, rawScale}, {0, 25 * rawScale / 10}, {0, math.MaxUint64}, {1, 0}, {math.MaxUint64 >> 1, 12345}} {
		d := rawDecimal(x)
		want, _ := json.Marshal(d)
		assert.Equal(t, string(want), string(appendRawJSON(nil, x)), "%v", x)
		back, ok := rawOf(d)
		require.True(t, ok)
		assert.Equal(t, x, back)
	}
}

// FuzzQuoteJSON: whatever decodes re-encodes to a document that decodes to
// the same quote.
func FuzzQuoteJSON(f *testing.F) {
	f.Add(`{"programId":"p","time":"2026-05-01T02:00:00Z","lines":[{"line":1,"sku":"A","quantity":"1.5","earning":true,"orderDiscount":"0.01","tax":"0","net":"49.99","points":49,"byRule":[{"ruleId":"base","points":49}]}],"rules":[{"ruleId":"base","kind":"base","priority":0,"multiplier":"1","baseAmount":"49.99","exact":"49.99","rounding":"","rounded":49,"points":49,"lines":1}],"total":49}`)
	f.Add(`{"rules":[{"ruleId":"m","kind":"multiplier","basePoints":"12.5","exact":"3.125","multiplier":"1.25"}]}`)
	f.Add(`{"lines":[{"net":1e3,"tax":"-0.5"}]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		var q Quote
		if json.Unmarshal([]byte(doc), &q) != nil {
			return
		}
		enc, err := json.Marshal(q)
		if err != nil {
			return // e.g. a time outside years 0-9999
		}
		var back Quote
		require.NoError(t, json.Unmarshal(enc, &back), string(enc))
		enc2, err := json.Marshal(back)
		require.NoError(t, err)
		assert.Equal(t, string(enc), string(enc2))
	})
}
