package metrics

import (
	"errors"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assertDec(t *testing.T, want string, got decimal.Decimal, msg string) {
	t.Helper()
	assert.True(t, dec(want).Equal(got), "%s: want %s, got %s", msg, want, got)
}

func TestSalesFebruary(t *testing.T) {
	got, err := SalesIn(seq(examplePurchases...), seq(exampleReturns...), febSH)
	require.NoError(t, err)
	// p4 p5 p6 p7 are in February; p8 is in March in Shanghai.
	assert.Equal(t, 4, got.Orders)
	assert.Equal(t, 3, got.MemberOrders)
	assert.Equal(t, 1, got.AnonymousOrders)
	assert.Equal(t, 2, got.Customers) // A, C
	assertDec(t, "230", got.Gross, "gross = 80 + 120 + 20 + 10")
	assertDec(t, "20", got.Refunds, "r1 only: r2 comes after the window")
	assertDec(t, "210", got.Net, "net")
	assertDec(t, "200", got.MemberNet, "member net = 80 + 100 + 20")
	assertDec(t, "52.50", got.AOV, "AOV = 210 / 4")
	assertDec(t, "100.00", got.RevenuePerCustomer, "200 / 2")
	assert.InDelta(t, 200.0/210, got.MemberSalesShare, 1e-12)
	assert.Equal(t, 0.75, got.MemberOrderShare)
	assert.Equal(t, 1, got.UnmatchedReturns, "r0 refunds January's p2")
	assert.Equal(t, "CNY", got.Currency)
	assert.Equal(t, int32(2), got.Scale)
	assert.Equal(t, RoundingRule, got.Rounding)
}

func TestSalesRounding(t *testing.T) {
	got, err := SalesIn(seq(examplePurchases...), seq(exampleReturns...), marSH)
	require.NoError(t, err)
	assertDec(t, "133.33", got.Net, "p8 + p9 + p10; r4 is after March")
	assertDec(t, "44.44", got.AOV, "133.33 / 3 = 44.4433…")
	assert.Equal(t, "44.44", got.AOV.StringFixed(2))

	// Yen have no minor unit; halves round away from zero.
	yen := []customer.Purchase{
		buyIn("JPY", "j1", "X", "2026-03-01T00:00:00Z", "101"),
		buyIn("JPY", "j2", "Y", "2026-03-02T00:00:00Z", "100"),
	}
	got, err = SalesIn(seq(yen...), nil, marSH)
	require.NoError(t, err)
	assert.Equal(t, int32(0), got.Scale)
	assertDec(t, "101", got.AOV, "100.5 rounds up")
	// Kuwaiti dinar: three decimals. 10.000 / 3 = 3.3333…
	kwd := []customer.Purchase{
		buyIn("KWD", "k1", "X", "2026-03-01T00:00:00Z", "4.000"),
		buyIn("KWD", "k2", "X", "2026-03-01T01:00:00Z", "3.000"),
		buyIn("KWD", "k3", "X", "2026-03-01T02:00:00Z", "3.000"),
	}
	got, err = SalesIn(seq(kwd...), nil, marSH)
	require.NoError(t, err)
	assert.Equal(t, "3.333", got.AOV.String())
	assert.Equal(t, "10.000", got.RevenuePerCustomer.StringFixed(got.Scale))
}

func TestSalesEmptyWindow(t *testing.T) {
	w := Window{From: utc("2030-01-01T00:00:00Z"), To: utc("2030-02-01T00:00:00Z")}
	got, err := SalesIn(seq(examplePurchases...), nil, w)
	require.NoError(t, err)
	assert.Zero(t, got.Orders)
	assert.True(t, got.AOV.IsZero())
	assert.Zero(t, got.MemberSalesShare)
	assert.Empty(t, got.Currency)
}

func TestMoneyErrors(t *testing.T) {
	boom := errors.New("store offline")
	mixed := append([]customer.Purchase{}, examplePurchases[:4]...)
	mixed = append(mixed, buyIn("USD", "u1", "A", "2026-02-04T00:00:00Z", "9.99"))
	unsorted := []customer.Purchase{examplePurchases[4], examplePurchases[3]}
	badCode := []customer.Purchase{buyIn("RMB", "x1", "A", "2026-02-04T00:00:00Z", "1")}
	noCode := []customer.Purchase{buyIn("", "x2", "A", "2026-02-04T00:00:00Z", "1")}
	gold := []customer.Purchase{buyIn("XAU", "x3", "A", "2026-02-04T00:00:00Z", "1")}
	usdReturn := []customer.Return{{ID: "ru", PurchaseID: "p4", Time: utc("2026-02-05T00:00:00Z"), Currency: "USD", Refund: dec("1")}}

	tests := []struct {
		name     string
		p        []customer.Purchase
		r        []customer.Return
		sentinel error
		field    string
	}{
		{"mixed currencies", mixed, nil, ErrMixedCurrency, "Currency"},
		{"return in another currency", examplePurchases, usdReturn, ErrMixedCurrency, "Currency"},
		{"unsorted", unsorted, nil, ErrUnsorted, "Time"},
		{"not ISO 4217", badCode, nil, ErrCurrency, "Currency"},
		{"no currency", noCode, nil, ErrCurrency, "Currency"},
		{"no minor unit", gold, nil, ErrCurrency, "Currency"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls := map[string]func() error{
				"sales": func() error { _, err := SalesIn(seq(tc.p...), seq(tc.r...), febSH); return err },
				"cohorts": func() error {
					_, err := Cohorts(seq(tc.p...), seq(tc.r...), marSH.To, Month, shanghai)
					return err
				},
				"historic": func() error {
					_, err := HistoricValue(seq(tc.p...), seq(tc.r...), marSH.To, Month, shanghai)
					return err
				},
			}
			for name, call := range calls {
				err := call()
				require.ErrorIs(t, err, tc.sentinel, name)
				var fe *FieldError
				require.ErrorAs(t, err, &fe, name)
				assert.Equal(t, tc.field, fe.Field, name)
			}
		})
	}
	_, err := SalesIn(failing(boom, examplePurchases[:2]...), nil, febSH)
	assert.ErrorIs(t, err, boom)
	_, err = SalesIn(seq(examplePurchases...), failing[customer.Return](boom), febSH)
	assert.ErrorIs(t, err, boom)
	_, err = SalesIn(seq(examplePurchases...), nil, Window{})
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestCurrencyFilters(t *testing.T) {
	mixed := []customer.Purchase{
		buyIn("CNY", "c1", "A", "2026-02-04T00:00:00Z", "10"),
		buyIn("USD", "u1", "A", "2026-02-04T01:00:00Z", "9.99"),
		buyIn("CNY", "c2", "B", "2026-02-04T02:00:00Z", "20"),
	}
	got, err := SalesIn(PurchasesIn(seq(mixed...), "CNY"), ReturnsIn(seq(exampleReturns...), "CNY"), febSH)
	require.NoError(t, err)
	assertDec(t, "30", got.Gross, "CNY only")
	got, err = SalesIn(PurchasesIn(seq(mixed...), "USD"), ReturnsIn(seq(exampleReturns...), "USD"), febSH)
	require.NoError(t, err)
	assertDec(t, "9.99", got.Gross, "USD only")
	assert.Zero(t, got.UnmatchedReturns)
}

func TestCustomerActivity(t *testing.T) {
	tests := []struct {
		name                         string
		w                            Window
		active, new, orders, repeats int
		frequency                    float64
	}{
		// February: A (p4, p6) and C (p5, first purchase).
		{"february", febSH, 2, 1, 3, 1, 1.5},
		// March: D (new), B and C (returning), one purchase each.
		{"march", marSH, 3, 1, 3, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CustomerActivity(seq(examplePurchases...), tc.w)
			require.NoError(t, err)
			assert.Equal(t, tc.active, got.Active)
			assert.Equal(t, tc.new, got.New)
			assert.Equal(t, tc.active-tc.new, got.Returning)
			assert.Equal(t, tc.orders, got.Orders)
			assert.Equal(t, tc.frequency, got.Frequency)
			assert.Equal(t, tc.repeats, got.Repeat.Numerator)
			assert.Equal(t, tc.active, got.Repeat.Denominator)
			assert.Equal(t, utc("2026-01-05T10:00:00Z"), got.HistoryFrom)
		})
	}
	got, err := CustomerActivity(seq(examplePurchases...), febSH)
	require.NoError(t, err)
	assert.Equal(t, 0.5, got.Repeat.Value)
	assert.Equal(t, WilsonInterval(1, 2), got.Repeat.CI)
}

func TestRetention(t *testing.T) {
	tests := []struct {
		name                                   string
		rule                                   ChurnRule
		atRisk, retained, churned, new, reactd int
	}{
		// At risk: A and C (bought in February). C comes back in March,
		// A does not. D is new; B last bought in January: reactivated.
		{"active in February, not in March", ChurnRule{Kind: PeriodOverPeriod, Previous: febSH}, 2, 1, 1, 1, 1},
		// 30 days: at 1 March (Shanghai) A (last 02-15) and C (02-10) have
		// not lapsed; B (01-20) has. A lapses on 03-17. C's gap 02-10 10:00
		// to 03-12 09:00 is 29d23h, so C never lapses.
		{"30 days", ChurnRule{Kind: Inactivity, InactiveDays: 30}, 2, 1, 1, 1, 1},
		// 20 days: C lapses on 03-02 10:00, inside March, and buying again
		// on 03-12 does not undo that: both A and C churned.
		{"20 days", ChurnRule{Kind: Inactivity, InactiveDays: 20}, 2, 0, 2, 1, 1},
		// 10 days: at 1 March A's last purchase is 13 days old: lapsed.
		// Nobody is at risk; A is neither churned nor reactivated (no
		// purchase in March), C buys again: reactivated.
		{"10 days", ChurnRule{Kind: Inactivity, InactiveDays: 10}, 0, 0, 0, 1, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RetentionIn(seq(examplePurchases...), marSH, tc.rule)
			require.NoError(t, err)
			assert.Equal(t, tc.atRisk, got.AtRisk, "at risk")
			assert.Equal(t, tc.retained, got.Retained, "retained")
			assert.Equal(t, tc.churned, got.Churned, "churned")
			assert.Equal(t, tc.new, got.New, "new")
			assert.Equal(t, tc.reactd, got.Reactivated, "reactivated")
			assert.Equal(t, tc.rule, got.Rule)
			assert.Equal(t, newRate(tc.retained, tc.atRisk), got.Rate)
			if tc.atRisk > 0 {
				assert.InDelta(t, 1, got.Rate.Value+got.ChurnRate.Value, 1e-12)
			}
		})
	}
}

func TestChurnRuleValidate(t *testing.T) {
	tests := []struct {
		name string
		rule ChurnRule
	}{
		{"no kind", ChurnRule{}},
		{"zero days", ChurnRule{Kind: Inactivity}},
		{"no previous window", ChurnRule{Kind: PeriodOverPeriod}},
		{"previous overlaps current", ChurnRule{Kind: PeriodOverPeriod, Previous: Window{From: febSH.From, To: marSH.To}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := RetentionIn(seq(examplePurchases...), marSH, tc.rule)
			assert.ErrorIs(t, err, ErrInvalidArgument)
		})
	}
	assert.Equal(t, "churned: no purchase in the 90 days after the last purchase", ChurnRule{Kind: Inactivity, InactiveDays: 90}.String())
}
