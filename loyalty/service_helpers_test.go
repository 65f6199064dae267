package loyalty_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// clock is a test clock the harness moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// shop is a customer service and a loyalty service over memory stores.
type shop struct {
	clock     *clock
	customers *customer.Service
	loyalty   *loyalty.Service
	program   *loyalty.Program
}

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai)
}

// testProgram loads the sample programme and lets a test change it.
func testProgram(t testing.TB, change func(*loyalty.Program)) *loyalty.Program {
	t.Helper()
	data, err := os.ReadFile("testdata/program.json")
	require.NoError(t, err)
	p, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	if change != nil {
		change(p)
	}
	return p
}

// newShop wires the services the way a POS would, merge hook included.
func newShop(t testing.TB, change func(*loyalty.Program)) *shop {
	t.Helper()
	s := &shop{clock: &clock{now: at(2026, 3, 1, 9, 0)}, program: testProgram(t, change)}
	n := 0
	var mu sync.Mutex
	s.customers = customer.NewService(customer.NewMemoryStore(), &customer.Options{
		Clock:    s.clock.Now,
		Location: shanghai,
		NewID:    func() string { mu.Lock(); defer mu.Unlock(); n++; return fmt.Sprintf("m%03d", n) },
		OnMerge: []func(context.Context, customer.MergeRecord) error{func(ctx context.Context, m customer.MergeRecord) error {
			return s.loyalty.MergeHook()(ctx, m)
		}},
	})
	var err error
	s.loyalty, err = loyalty.NewService(s.program, loyalty.NewMemoryStore(), s.customers, &loyalty.Options{Clock: s.clock.Now})
	require.NoError(t, err)
	return s
}

func (s *shop) member(t testing.TB, name string, b customer.Birthday) customer.Customer {
	t.Helper()
	c, err := s.customers.Register(context.Background(), customer.Registration{
		Profile: customer.Profile{Name: name, Birthday: b}, Force: true, JoinedAt: at(2026, 1, 1, 0, 0)})
	require.NoError(t, err)
	return c
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// line is a purchase line of qty at price with no discount.
func line(sku, category string, qty int64, price string) customer.Line {
	q := decimal.NewFromInt(qty)
	return customer.Line{SKU: sku, Category: category, Quantity: q, UnitPrice: dec(price), Total: q.Mul(dec(price))}
}

// buy records a purchase in the customer service and earns on it.
func (s *shop) buy(t testing.TB, id, member string, when time.Time, lines ...customer.Line) (customer.Purchase, loyalty.EarnResult) {
	t.Helper()
	p := s.record(t, id, member, when, lines...)
	res, err := s.loyalty.Earn(context.Background(), p)
	require.NoError(t, err)
	return p, res
}

// record records a purchase in the customer service, as the till does
// before loyalty earns on it.
func (s *shop) record(t testing.TB, id, member string, when time.Time, lines ...customer.Line) customer.Purchase {
	t.Helper()
	p, err := s.customers.RecordPurchase(context.Background(), customer.Purchase{ID: id, CustomerID: member, Store: "SH-02",
		Channel: customer.ChannelInStore, Time: when, Currency: "CNY", Lines: lines})
	require.NoError(t, err)
	return p
}

func (s *shop) balance(t testing.TB, member string) loyalty.BalanceView {
	t.Helper()
	b, err := s.loyalty.Balance(context.Background(), member)
	require.NoError(t, err)
	return b
}

// noPending makes points available at once.
func noPending(p *loyalty.Program) { p.Pending = loyalty.PendingPolicy{} }
