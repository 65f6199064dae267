package customer_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/customer/customertest"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemoryStoreConformance(t *testing.T) {
	customertest.Run(t, func(*testing.T) customer.Store { return customer.NewMemoryStore() })
}

func ExampleNewMemoryStore() {
	ctx := context.Background()
	store := customer.NewMemoryStore()

	err := store.CreateCustomer(ctx, customer.Customer{
		ID:         "c-1001",
		Version:    1,
		Profile:    customer.Profile{Name: "Li Lei"},
		Identities: []customer.Identity{{Kind: customer.IdentityMember, Value: "M0001001"}},
		NameKey:    "li lei",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := store.CustomerByIdentity(ctx, customer.Identity{Kind: customer.IdentityMember, Value: "M0001001"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.ID, c.Name, c.Version)

	// A second customer cannot take the same member number.
	err = store.CreateCustomer(ctx, customer.Customer{
		ID:         "c-1002",
		Version:    1,
		Identities: []customer.Identity{{Kind: customer.IdentityMember, Value: "M0001001"}},
	})
	fmt.Println(errors.Is(err, customer.ErrIdentityTaken))
	// Output:
	// c-1001 Li Lei 1
	// true
}

func ExampleNewMemoryStore_purchasesBetween() {
	ctx := context.Background()
	store := customer.NewMemoryStore()
	shanghai := time.FixedZone("UTC+8", 8*60*60)
	day := time.Date(2025, time.May, 1, 0, 0, 0, 0, shanghai)

	for i, hour := range []int{21, 9, 14, 9} {
		err := store.AddPurchase(ctx, customer.PurchaseRecord{Purchase: customer.Purchase{
			ID:         fmt.Sprintf("pos1-%04d", 4-i), // IDs from the till, arriving out of order
			CustomerID: "c-1001",
			Store:      "store-12",
			Channel:    customer.ChannelInStore,
			Time:       day.Add(time.Duration(hour) * time.Hour),
			Currency:   "CNY",
			Lines: []customer.Line{{
				SKU: "tea-250", Quantity: decimal.NewFromInt(1),
				UnitPrice: decimal.New(4800, -2), Total: decimal.New(4800, -2),
			}},
		}})
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	// Sales of 1 May, 08:00 to 18:00 (18:00 itself excluded), oldest first.
	for p, err := range store.PurchasesBetween(ctx, day.Add(8*time.Hour), day.Add(18*time.Hour)) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Time.Format("15:04"), p.ID, p.Total().StringFixed(2))
	}
	// Output:
	// 09:00 pos1-0001 48.00
	// 09:00 pos1-0003 48.00
	// 14:00 pos1-0002 48.00
}

// comparePurchases orders purchases as PurchasesBetween must: by Time, then ID.
func comparePurchases(a, b customer.Purchase) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// TestMemoryStoreOrderAtScale adds thousands of purchases in random order,
// with many ties and times before 1970, so the store's indexes split and
// rebalance, and checks every listing against a sort of the same data,
// before and after a reassignment.
func TestMemoryStoreOrderAtScale(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	ctx := t.Context()
	s := customer.NewMemoryStore()
	epoch := time.Date(1969, time.December, 31, 23, 0, 0, 0, time.UTC)

	const n = 5000
	var all []customer.Purchase
	for i := range n {
		p := customer.Purchase{
			ID:         fmt.Sprintf("p-%x", rng.Uint64()),
			CustomerID: []string{"c-1", "c-2", "c-3", ""}[rng.IntN(4)],
			// 400 distinct instants a millisecond and a microsecond apart:
			// plenty of ties, on both sides of the Unix epoch.
			Time: epoch.Add(time.Duration(rng.IntN(400)) * (time.Hour + time.Microsecond)),
		}
		if i%2 == 1 {
			p.Time = p.Time.In(time.FixedZone("", 3600*rng.IntN(12)))
		}
		require.NoError(t, s.AddPurchase(ctx, customer.PurchaseRecord{Purchase: p, Version: 1}))
		all = append(all, p)
	}
	slices.SortFunc(all, comparePurchases)

	check := func(t *testing.T) {
		var got []string
		for p, err := range s.PurchasesBetween(ctx, epoch.Add(-time.Hour), epoch.Add(1000*time.Hour)) {
			require.NoError(t, err)
			got = append(got, p.ID)
		}
		assert.Equal(t, ids(all), got, "PurchasesBetween over everything")

		from, to := all[n/3].Time, all[2*n/3].Time
		var want []string
		for _, p := range all {
			if !p.Time.Before(from) && p.Time.Before(to) {
				want = append(want, p.ID)
			}
		}
		got = got[:0]
		for p, err := range s.PurchasesBetween(ctx, from, to) {
			require.NoError(t, err)
			got = append(got, p.ID)
		}
		assert.Equal(t, want, got, "PurchasesBetween over the middle third")

		for _, c := range []string{"c-1", "c-2", "c-3", "c-4"} {
			var want, got []string
			for i := len(all) - 1; i >= 0; i-- {
				if all[i].CustomerID == c {
					want = append(want, all[i].ID)
				}
			}
			for p, err := range s.PurchasesOf(ctx, c) {
				require.NoError(t, err)
				got = append(got, p.ID)
			}
			assert.Equalf(t, want, got, "PurchasesOf(%s)", c)
		}
	}
	t.Run("Added", check)

	require.NoError(t, s.Reassign(ctx, "c-1", "c-2"))
	require.NoError(t, s.Reassign(ctx, "c-3", "c-4"))
	for i := range all {
		switch all[i].CustomerID {
		case "c-1":
			all[i].CustomerID = "c-2"
		case "c-3":
			all[i].CustomerID = "c-4"
		}
	}
	t.Run("Reassigned", check)
}

func ids(ps []customer.Purchase) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// TestMemoryStoreIterateWhileWriting streams a range while another
// goroutine adds purchases inside and outside it: the stream stays in
// order, yields every purchase that was there before it started exactly
// once, and never yields one outside the range.
func TestMemoryStoreIterateWhileWriting(t *testing.T) {
	ctx := t.Context()
	s := customer.NewMemoryStore()
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	add := func(id string, at time.Time) error {
		return s.AddPurchase(ctx, customer.PurchaseRecord{Purchase: customer.Purchase{ID: id, CustomerID: "c-1", Time: at}})
	}
	const before = 2000
	for i := range before {
		require.NoError(t, add(fmt.Sprintf("old-%05d", i), start.Add(time.Duration(i)*time.Second)))
	}
	from, to := start, start.Add(before*time.Second)

	var wg sync.WaitGroup
	writeErr := make(chan error, 1)
	wg.Go(func() {
		for i := range 2000 {
			// Interleaved with the old ones, plus some outside the range.
			at := start.Add(time.Duration(i)*time.Second + 500*time.Millisecond)
			if i%10 == 0 {
				at = to.Add(time.Duration(i) * time.Second)
			}
			if err := add(fmt.Sprintf("new-%05d", i), at); err != nil {
				writeErr <- err
				return
			}
		}
	})

	seen := map[string]int{}
	var last customer.Purchase
	for p, err := range s.PurchasesBetween(ctx, from, to) {
		require.NoError(t, err)
		require.False(t, p.Time.Before(from) || !p.Time.Before(to), "purchase %s outside the range", p.ID)
		if last.ID != "" {
			require.Negative(t, comparePurchases(last, p), "%s after %s", p.ID, last.ID)
		}
		last = p
		seen[p.ID]++
	}
	wg.Wait()
	close(writeErr)
	require.NoError(t, <-writeErr)
	for i := range before {
		assert.Equal(t, 1, seen[fmt.Sprintf("old-%05d", i)])
	}
}

// TestMemoryStoreYieldsWithoutLock writes to the store from inside every
// kind of loop: a store that held its lock while yielding would deadlock.
func TestMemoryStoreYieldsWithoutLock(t *testing.T) {
	ctx := t.Context()
	s := customer.NewMemoryStore()
	at := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, s.CreateCustomer(ctx, customer.Customer{ID: "c-1", Version: 1, NameKey: "a"}))
	require.NoError(t, s.AddPurchase(ctx, customer.PurchaseRecord{Purchase: customer.Purchase{ID: "p-1", CustomerID: "c-1", Time: at}}))
	require.NoError(t, s.AddReturn(ctx, customer.ReturnRecord{Return: customer.Return{ID: "r-1", PurchaseID: "p-1", CustomerID: "c-1", Time: at}}, 1))
	require.NoError(t, s.AddInteraction(ctx, customer.Interaction{ID: "i-1", CustomerID: "c-1", Time: at}))

	done := make(chan struct{})
	go func() {
		defer close(done)
		n := 0
		write := func() {
			n++
			assert.NoError(t, s.AddInteraction(ctx, customer.Interaction{ID: fmt.Sprintf("w-%d", n), CustomerID: "c-2", Time: at}))
		}
		for range s.Customers(ctx) {
			write()
		}
		for range s.CustomersByNameKey(ctx, "a") {
			write()
		}
		for range s.PurchasesOf(ctx, "c-1") {
			write()
		}
		for range s.PurchasesBetween(ctx, at, at.Add(time.Hour)) {
			write()
		}
		for range s.ReturnsOf(ctx, "c-1") {
			write()
		}
		for range s.ReturnsOfPurchase(ctx, "p-1") {
			write()
		}
		for range s.ReturnsBetween(ctx, at, at.Add(time.Hour)) {
			write()
		}
		for range s.InteractionsOf(ctx, "c-1") {
			write()
		}
		assert.Equal(t, 8, n)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a deadlock detector, not a speed limit
		t.Fatal("a write inside an iteration loop blocked: the iterator holds the store's lock while yielding")
	}
}

// TestMemoryStoreRejectsEmptyIDs checks the memory store's own guard: an
// empty ID is invalid input, and Reassign never treats anonymous records
// as a customer's.
func TestMemoryStoreRejectsEmptyIDs(t *testing.T) {
	ctx := t.Context()
	s := customer.NewMemoryStore()
	at := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, s.AddPurchase(ctx, customer.PurchaseRecord{Purchase: customer.Purchase{ID: "p-1", Time: at}}))

	tests := []struct {
		name string
		err  error
	}{
		{"CreateCustomer", s.CreateCustomer(ctx, customer.Customer{Version: 1})},
		{"AddPurchase", s.AddPurchase(ctx, customer.PurchaseRecord{})},
		{"AddReturn", s.AddReturn(ctx, customer.ReturnRecord{Return: customer.Return{PurchaseID: "p-1"}}, 1)},
		{"AddInteraction", s.AddInteraction(ctx, customer.Interaction{CustomerID: "c-1"})},
		{"AddMerge", s.AddMerge(ctx, customer.MergeRecord{Survivor: "c-1"})},
		{"Reassign from anonymous", s.Reassign(ctx, "", "c-1")},
		{"Reassign to anonymous", s.Reassign(ctx, "c-1", "")},
		{"ReassignInteractions", s.ReassignInteractions(ctx, "", "c-1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.err, customer.ErrInvalid)
		})
	}
	p, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assert.Empty(t, p.Purchase.CustomerID)
	assert.Equal(t, int64(1), p.Version)
}

// benchPurchases is the store BenchmarkMemoryPurchasesBetween reads, built
// once for all its runs.
var benchPurchases = sync.OnceValues(func() (customer.Store, error) {
	ctx := context.Background()
	s := customer.NewMemoryStore()
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchSize {
		err := s.AddPurchase(ctx, customer.PurchaseRecord{Version: 1, Hash: "h", Purchase: customer.Purchase{
			ID:         fmt.Sprintf("pos-%07d", i),
			CustomerID: fmt.Sprintf("c-%05d", i%50000),
			Store:      "store-1",
			Channel:    customer.ChannelInStore,
			Time:       start.Add(time.Duration(i) * 30 * time.Second),
			Currency:   "CNY",
			Lines: []customer.Line{
				{SKU: "tea", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.New(990, -2), Total: decimal.New(1980, -2)},
				{SKU: "rice", Quantity: decimal.New(345, -3), UnitPrice: decimal.New(2580, -2), Total: decimal.New(890, -2)},
			},
		}})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
})

const benchSize = 1_000_000

// BenchmarkMemoryPurchasesBetween streams a million purchases, the whole
// store, per iteration.
func BenchmarkMemoryPurchasesBetween(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a store of a million purchases")
	}
	s, err := benchPurchases()
	require.NoError(b, err)
	ctx := context.Background()
	from := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(benchSize * 30 * time.Second)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	n, runs := 0, 0
	for b.Loop() {
		runs++
		for _, err := range s.PurchasesBetween(ctx, from, to) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if n != runs*benchSize {
		b.Fatalf("streamed %d purchases in %d runs, want %d each", n, runs, benchSize)
	}
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/purchase")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/purchase")
}

// benchPurchase is a two-line sale, the shape the benchmarks add.
func benchPurchase(id, customerID string, at time.Time) customer.PurchaseRecord {
	return customer.PurchaseRecord{Version: 1, Hash: "h", Purchase: customer.Purchase{
		ID: id, CustomerID: customerID, Store: "store-1", Channel: customer.ChannelInStore, Time: at, Currency: "CNY",
		Lines: []customer.Line{
			{SKU: "tea", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.New(990, -2), Total: decimal.New(1980, -2)},
			{SKU: "rice", Quantity: decimal.New(345, -3), UnitPrice: decimal.New(2580, -2), Total: decimal.New(890, -2)},
		},
	}}
}

// BenchmarkMemoryAddPurchase adds sales as a till does: in time order,
// spread over 10,000 customers.
func BenchmarkMemoryAddPurchase(b *testing.B) {
	ctx := context.Background()
	s := customer.NewMemoryStore()
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	sales := make([]customer.PurchaseRecord, b.N) // built outside the timer
	for i := range sales {
		sales[i] = benchPurchase(fmt.Sprintf("pos-%09d", i), fmt.Sprintf("c-%04d", i%10000), start.Add(time.Duration(i)*time.Second))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := s.AddPurchase(ctx, sales[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMemoryAddPurchaseLate adds sales whose times fall at random
// points of a history of 200,000 (offline lanes syncing late): the worst
// case for the time index.
func BenchmarkMemoryAddPurchaseLate(b *testing.B) {
	ctx := context.Background()
	s := customer.NewMemoryStore()
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200_000 {
		if err := s.AddPurchase(ctx, benchPurchase(fmt.Sprintf("old-%07d", i), fmt.Sprintf("c-%04d", i%10000), start.Add(time.Duration(i)*time.Minute))); err != nil {
			b.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sales := make([]customer.PurchaseRecord, b.N)
	for i := range sales {
		at := start.Add(time.Duration(rng.Int64N(int64(200_000 * time.Minute))))
		sales[i] = benchPurchase(fmt.Sprintf("late-%09d", i), fmt.Sprintf("c-%04d", i%10000), at)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := s.AddPurchase(ctx, sales[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMemoryCustomerByIdentity looks a member up among 100,000, as a
// till does when a card is scanned.
func BenchmarkMemoryCustomerByIdentity(b *testing.B) {
	ctx := context.Background()
	s := customer.NewMemoryStore()
	const n = 100_000
	for i := range n {
		c := customer.Customer{ID: fmt.Sprintf("c-%06d", i), Version: 1, NameKey: "x",
			Identities: []customer.Identity{{Kind: customer.IdentityMember, Value: fmt.Sprintf("M%07d", i)}},
			Tags:       []string{"vip"}}
		if err := s.CreateCustomer(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	probes := make([]customer.Identity, 1024)
	for i := range probes {
		probes[i] = customer.Identity{Kind: customer.IdentityMember, Value: fmt.Sprintf("M%07d", i*97%n)}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.CustomerByIdentity(ctx, probes[i%len(probes)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkMemoryPurchasesOf reads one customer's history of 200 sales,
// newest first, from a store of 200,000.
func BenchmarkMemoryPurchasesOf(b *testing.B) {
	ctx := context.Background()
	s := customer.NewMemoryStore()
	start := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200_000 {
		if err := s.AddPurchase(ctx, benchPurchase(fmt.Sprintf("p-%07d", i), fmt.Sprintf("c-%04d", i%1000), start.Add(time.Duration(i)*time.Minute))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range s.PurchasesOf(ctx, "c-0042") {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 200 {
			b.Fatalf("got %d purchases, want 200", n)
		}
	}
}
