package segment_test

import (
	"errors"
	"iter"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/synth"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seq[T any](xs ...T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func at(day int, hour int) time.Time {
	return asOf.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour)
}

func line(sku, cat, brand, total string) customer.Line {
	return customer.Line{SKU: sku, Category: cat, Brand: brand, Quantity: dec("1"), UnitPrice: dec(total), Total: dec(total)}
}

func purchase(id, cust string, t time.Time, store string, ch customer.SalesChannel, lines ...customer.Line) customer.Purchase {
	return customer.Purchase{ID: id, CustomerID: cust, Store: store, Channel: ch, Time: t, Currency: "CNY", Lines: lines}
}

// handShop: Ann buys three times and returns once; Bob buys once; Cy
// never buys; Dee was merged into Ann; an anonymous sale and a sale after
// asOf are left out.
func handShop() (iter.Seq2[customer.Customer, error], iter.Seq2[customer.Purchase, error], iter.Seq2[customer.Return, error]) {
	consent := []customer.Consent{{Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS,
		History: []customer.ConsentChange{{Granted: true, At: at(-400, 0)}}}}
	custs := seq(
		customer.Customer{ID: "ann", Profile: customer.Profile{Gender: customer.GenderFemale, Birthday: customer.Birthday{Year: 1990, Month: time.January, Day: 10}, Address: customer.Address{City: "Shanghai"}}, Tags: []string{"vip"}, Consents: consent, JoinedAt: at(-400, 0)},
		customer.Customer{ID: "bob", Profile: customer.Profile{Gender: customer.GenderMale}, JoinedAt: at(-100, 0)},
		customer.Customer{ID: "cy", JoinedAt: at(-5, 0)},
		customer.Customer{ID: "dee", MergedInto: "ann", JoinedAt: at(-300, 0)},
	)
	purchases := seq(
		purchase("p1", "ann", at(-200, 10), "S1", customer.ChannelInStore, line("k1", "shoes", "acme", "100.00"), line("k2", "shoes", "acme", "50.00")),
		purchase("p2", "bob", at(-40, 11), "S2", customer.ChannelOnline, line("k3", "books", "pengu", "20.00")),
		purchase("p3", "dee", at(-20, 9), "S1", customer.ChannelApp, line("k4", "toys", "lego", "80.00")),
		purchase("p4", "", at(-15, 9), "S1", customer.ChannelInStore, line("k4", "toys", "lego", "80.00")),
		purchase("p5", "ann", at(-3, 12), "S2", customer.ChannelInStore, line("k1", "shoes", "acme", "100.00")),
		purchase("p6", "ann", at(2, 12), "S2", customer.ChannelInStore, line("k1", "shoes", "acme", "100.00")),
	)
	returns := seq(
		customer.Return{ID: "r1", PurchaseID: "p5", CustomerID: "ann", Store: "S2", Channel: customer.ChannelInStore, Time: at(-1, 15), Currency: "CNY", Refund: dec("30.00")},
	)
	return custs, purchases, returns
}

func handFacts(t *testing.T) map[string]*segment.Facts {
	t.Helper()
	m, _ := handFactsAndSlice(t)
	return m
}

// handFactsAndSlice returns the facts of handShop by ID, pointing into
// the slice BuildFacts returned.
func handFactsAndSlice(t *testing.T) (map[string]*segment.Facts, []segment.Facts) {
	t.Helper()
	c, p, r := handShop()
	loyalty := func(id string) segment.LoyaltyFacts {
		if id == "ann" {
			return segment.LoyaltyFacts{Member: true, Tier: "gold", Points: 1200,
				Expiring: []segment.ExpiringPoints{{At: at(10, 0), Points: 300}, {At: at(45, 0), Points: 200}}}
		}
		return segment.LoyaltyFacts{}
	}
	feedback := func(id string) segment.FeedbackFacts {
		if id == "bob" {
			return segment.FeedbackFacts{HasNPS: true, LastNPS: 3}
		}
		return segment.FeedbackFacts{}
	}
	fs, stats, err := segment.BuildFacts(c, p, r, asOf, &segment.FactsOptions{Loyalty: loyalty, Feedback: feedback})
	require.NoError(t, err)
	assert.Equal(t, segment.BuildStats{Customers: 4, Purchases: 4, Returns: 1, Anonymous: 1, AfterAsOf: 1}, stats)
	require.True(t, slices.IsSortedFunc(fs, func(a, b segment.Facts) int { return compareStr(a.CustomerID, b.CustomerID) }))
	out := map[string]*segment.Facts{}
	for i := range fs {
		out[fs[i].CustomerID] = &fs[i]
	}
	return out, fs
}

func compareStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestBuildFactsHandChecked(t *testing.T) {
	fs := handFacts(t)
	require.Len(t, fs, 4)
	ann := fs["ann"]
	assert.True(t, ann.Known)
	assert.Equal(t, int64(3), ann.Purchases, "p1, p3 (merged from dee), p5")
	assert.Equal(t, int64(33000), ann.Gross)
	assert.Equal(t, int64(3000), ann.Refunded)
	assert.Equal(t, int64(30000), ann.Monetary())
	assert.Equal(t, at(-200, 10), ann.First)
	assert.Equal(t, at(-3, 12), ann.Last)
	assert.Equal(t, at(-20, 9), ann.PrevLast)
	assert.Equal(t, "CNY", ann.Currency)
	assert.Equal(t, int32(2), ann.Scale)
	assert.Len(t, ann.Days, 4, "three purchase days and a refund day")
	assert.Equal(t, int64(-3000), ann.Days[3].Spent-ann.Days[3].Refunded)
	var items []string
	for _, it := range ann.Items {
		items = append(items, it.Kind.String()+":"+it.Value)
	}
	assert.Equal(t, []string{"category:shoes", "category:toys", "brand:acme", "brand:lego", "sku:k1", "sku:k2", "sku:k4"}, items)
	assert.Equal(t, int32(2), ann.Items[0].Purchases, "shoes counted once per purchase")
	require.Len(t, ann.Stores, 2)
	assert.Equal(t, "S1", ann.Stores[0].Name)
	assert.Equal(t, int64(2), ann.Stores[0].Purchases)
	assert.Equal(t, int64(10000-3000), ann.Stores[1].Net)
	assert.Equal(t, "gold", ann.Loyalty.Tier)
	assert.Equal(t, int64(300), ann.Loyalty.PointsExpiringWithin(asOf, 30))
	assert.Equal(t, segment.NPSDetractor, fs["bob"].Feedback.Group())
	assert.Equal(t, int64(0), fs["cy"].Purchases)
	assert.Equal(t, int64(0), fs["dee"].Purchases)
	assert.NotContains(t, ann.String(), "Shanghai")
	assert.Contains(t, ann.String(), "300.00 CNY")
}

func TestBuildFactsErrors(t *testing.T) {
	c, _, _ := handShop()
	back := seq(
		purchase("p1", "ann", at(-2, 0), "S1", customer.ChannelInStore, line("k", "c", "b", "1.00")),
		purchase("p2", "ann", at(-3, 0), "S1", customer.ChannelInStore, line("k", "c", "b", "1.00")),
	)
	_, _, err := segment.BuildFacts(c, back, nil, asOf, nil)
	assert.ErrorIs(t, err, segment.ErrOrder)

	usd := purchase("p1", "ann", at(-2, 0), "S1", customer.ChannelInStore, line("k", "c", "b", "1.00"))
	usd.Currency = "USD"
	_, _, err = segment.BuildFacts(nil, seq(usd), nil, asOf, &segment.FactsOptions{Currency: "CNY"})
	assert.ErrorIs(t, err, segment.ErrCurrency)

	fine := purchase("p1", "ann", at(-2, 0), "S1", customer.ChannelInStore, line("k", "c", "b", "1.005"))
	_, _, err = segment.BuildFacts(nil, seq(fine), nil, asOf, nil)
	assert.ErrorIs(t, err, segment.ErrCurrency, "finer than the minor unit")

	boom := errors.New("disk on fire")
	bad := func(yield func(customer.Purchase, error) bool) { yield(customer.Purchase{}, boom) }
	_, _, err = segment.BuildFacts(nil, bad, nil, asOf, nil)
	assert.ErrorIs(t, err, boom)
}

func TestBuildFactsMatchesSummarize(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 500, 5000
	shop := synth.New(cfg)
	end := cfg.End.Add(-24 * time.Hour)
	fs, _, err := segment.BuildFacts(shop.Customers(), shop.Purchases(), shop.Returns(), end, &segment.FactsOptions{SkipSKUs: true})
	require.NoError(t, err)
	sums, err := segment.Summarize(synthTxns(shop), end, 0)
	require.NoError(t, err)
	byID := map[string]segment.Summary{}
	for _, s := range sums {
		byID[s.CustomerID] = s
	}
	for i := range fs {
		f := &fs[i]
		assert.False(t, f.SKUsTracked)
		if f.MergedInto != "" {
			continue // synth does not reassign merged customers' sales; facts move them to the survivor
		}
		want := byID[f.CustomerID]
		got := f.Summary()
		if hasMergedDuplicate(fs, f.CustomerID) {
			continue
		}
		assert.Equal(t, want.Purchases, got.Purchases, f.CustomerID)
		assert.Equal(t, want.Monetary, got.Monetary, f.CustomerID)
		assert.Equal(t, want.Last, got.Last, f.CustomerID)
	}
}

func hasMergedDuplicate(fs []segment.Facts, id string) bool {
	for i := range fs {
		if fs[i].MergedInto == id {
			return true
		}
	}
	return false
}

// synthTxns adapts the generator's lean sales to Txns.
func synthTxns(shop *synth.Shop) iter.Seq2[segment.Txn, error] {
	ids := shop.CustomerIDs()
	return func(yield func(segment.Txn, error) bool) {
		for s := range shop.Sales() {
			if !yield(segment.Txn{CustomerID: ids[s.Customer], Unix: s.Unix, Net: s.Minor, Refund: s.Refund}, nil) {
				return
			}
		}
	}
}

func TestSummarizer(t *testing.T) {
	s := segment.NewSummarizer(asOf, 2)
	require.NoError(t, s.Add(segment.Txn{CustomerID: "a", Unix: daysAgo(10), Net: 500}))
	require.NoError(t, s.Add(segment.Txn{CustomerID: "a", Unix: daysAgo(5), Net: 300}))
	require.NoError(t, s.Add(segment.Txn{CustomerID: "a", Unix: daysAgo(4), Net: 200, Refund: true}))
	require.NoError(t, s.Add(segment.Txn{CustomerID: "b", Unix: daysAgo(1), Net: 100, Refund: true}))
	require.NoError(t, s.Add(segment.Txn{CustomerID: "a", Unix: asOf.Unix() + 1, Net: 999}))
	assert.Equal(t, int64(1), s.Skipped())
	assert.Equal(t, []segment.Summary{
		{CustomerID: "a", First: daysAgo(10), Last: daysAgo(5), Purchases: 2, Monetary: 600},
		{CustomerID: "b", Monetary: -100},
	}, s.Summaries())
	assert.ErrorIs(t, s.Add(segment.Txn{CustomerID: "", Net: 1}), segment.ErrInvalid)
	assert.ErrorIs(t, s.Add(segment.Txn{CustomerID: "a", Net: -1}), segment.ErrInvalid)
	require.NoError(t, s.Add(segment.Txn{CustomerID: "big", Net: 1 << 62}))
	assert.ErrorIs(t, s.Add(segment.Txn{CustomerID: "big", Net: 1 << 62}), segment.ErrOverflow)
}

func TestToMinor(t *testing.T) {
	v, err := segment.ToMinor(dec("12.34"), 2)
	require.NoError(t, err)
	assert.Equal(t, int64(1234), v)
	v, err = segment.ToMinor(dec("1200"), 0)
	require.NoError(t, err)
	assert.Equal(t, int64(1200), v)
	_, err = segment.ToMinor(dec("0.001"), 2)
	assert.ErrorIs(t, err, segment.ErrCurrency)
	_, err = segment.ToMinor(dec("1e30"), 2)
	assert.ErrorIs(t, err, segment.ErrOverflow)
	_, err = segment.ToMinor(decimal.New(1, 999999), 2)
	assert.ErrorIs(t, err, segment.ErrOverflow)
	assert.True(t, segment.Amount(-1234, 2).Equal(dec("-12.34")))
	assert.Equal(t, int32(0), segment.ScaleOf("JPY"))
	assert.Equal(t, int32(3), segment.ScaleOf("KWD"))
	assert.Equal(t, int32(2), segment.ScaleOf("CNY"))
}

func TestSummarizePurchasesMatchesLeanStream(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Customers, cfg.Purchases = 300, 4000
	shop := synth.New(cfg)
	got, err := segment.SummarizePurchases(shop.Purchases(), shop.Returns(), "CNY", cfg.End, 0)
	require.NoError(t, err)
	want, err := segment.Summarize(synthTxns(shop), cfg.End, 0)
	require.NoError(t, err)
	require.Equal(t, len(want), len(got))
	byID := map[string]segment.Summary{}
	for _, s := range want {
		byID[s.CustomerID] = s
	}
	for _, s := range got {
		assert.Equal(t, byID[s.CustomerID], s)
	}
	_, err = segment.SummarizePurchases(shop.Purchases(), nil, "USD", cfg.End, 0)
	assert.ErrorIs(t, err, segment.ErrCurrency)
}
