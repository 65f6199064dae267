package loyalty

import (
	"testing"
	"time"
	_ "time/tzdata" // zone rules fixed by the Go release, not the host

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// testProgram is a minimal valid programme (1 point per CNY, floor) that
// mod adjusts before validation.
func testProgram(t testing.TB, mod func(*Program)) *Program {
	t.Helper()
	p := &Program{
		ID: "test", Currency: "CNY", TimeZone: "Asia/Shanghai",
		EarnRules:    []EarnRule{{ID: "base", Kind: KindBase, Rate: dec("1")}},
		Expiry:       ExpiryPolicy{Kind: ExpireNever},
		ReturnPolicy: ReturnAllowDebt,
		Redemption:   Redemption{Points: 100, Value: dec("1")},
	}
	if mod != nil {
		mod(p)
	}
	require.NoError(t, p.Validate())
	return p
}

// ln is a purchase line whose total is quantity × price − discount.
func ln(sku, category, qty, price string, tags ...string) customer.Line {
	q, pr := dec(qty), dec(price)
	return customer.Line{SKU: sku, Category: category, Quantity: q, UnitPrice: pr, Total: q.Mul(pr).Round(2), Tags: tags}
}

func buy(at time.Time, lines ...customer.Line) customer.Purchase {
	return customer.Purchase{ID: "P1", CustomerID: "C1", Store: "SH-01", Channel: customer.ChannelInStore,
		Time: at, Currency: "CNY", Lines: lines}
}

// sh is a wall-clock time in Shanghai.
func sh(t testing.TB, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, zone(t, "Asia/Shanghai"))
}

func quote(t testing.TB, p *Program, in QuoteInput) Quote {
	t.Helper()
	q, err := p.Quote(in)
	require.NoError(t, err)
	checkQuote(t, q)
	return q
}

// checkQuote asserts the quote's sums agree: lines, rules and total.
func checkQuote(t testing.TB, q Quote) {
	t.Helper()
	var lines, rules int64
	perRule := map[string]int64{}
	for _, l := range q.Lines {
		var by int64
		for _, r := range l.ByRule() {
			by += r.Points
			perRule[r.RuleID] += r.Points
		}
		require.Equal(t, l.Points, by, "line %d: ByRule sums to Points", l.Line)
		require.GreaterOrEqual(t, l.Points, int64(0))
		lines += l.Points
	}
	for _, r := range q.Rules {
		require.GreaterOrEqual(t, r.Points, int64(0))
		require.Equal(t, r.Rounded-r.CappedByRule-r.CappedByProgram, r.Points, "rule %s", r.RuleID)
		if q.PurchaseID != "" {
			require.Equal(t, r.Points, perRule[r.RuleID], "rule %s lines", r.RuleID)
		}
		rules += r.Points
	}
	require.Equal(t, q.Total, rules)
	if q.PurchaseID != "" {
		require.Equal(t, q.Total, lines)
	}
	require.GreaterOrEqual(t, q.Total, int64(0))
}

func rulePoints(q Quote, id string) int64 {
	for _, r := range q.Rules {
		if r.RuleID == id {
			return r.Points
		}
	}
	return 0
}
