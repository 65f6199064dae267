package customer

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// Stats are the facts about one customer's buying that segmentation and
// metrics consume.
type Stats struct {
	CustomerID    string
	FirstPurchase time.Time // in Options.Location; zero if the customer never bought
	LastPurchase  time.Time // in Options.Location
	Orders        int       // purchases
	Returns       int
	// Money holds spend per currency, sorted by currency code (a chain
	// that sells in two currencies keeps them apart rather than adding
	// yuan to dollars).
	Money      []Spend
	Categories map[string]int // purchases containing the category
	Brands     map[string]int // purchases containing the brand
	Channels   map[SalesChannel]int
	Stores     map[string]int
}

// Spend is a customer's spend in one currency.
type Spend struct {
	Currency string
	Orders   int
	Gross    decimal.Decimal // what the purchases cost
	Refunded decimal.Decimal // refunds of returns
	Net      decimal.Decimal // Gross − Refunded
	// AverageOrderValue is Net / Orders rounded half away from zero to the
	// currency's minor unit.
	AverageOrderValue decimal.Decimal
}

// Stats computes a customer's buying facts from their purchase and return
// history in one streaming pass.
func (s *Service) Stats(ctx context.Context, id string) (Stats, error) {
	c, err := s.Get(ctx, id)
	if err != nil {
		return Stats{}, err
	}
	st := Stats{
		CustomerID: c.ID,
		Categories: map[string]int{},
		Brands:     map[string]int{},
		Channels:   map[SalesChannel]int{},
		Stores:     map[string]int{},
	}
	spend := map[string]*Spend{}
	spendOf := func(cur string) *Spend {
		if spend[cur] == nil {
			spend[cur] = &Spend{Currency: cur, Gross: decimal.Zero, Refunded: decimal.Zero}
		}
		return spend[cur]
	}
	for p, err := range s.store.PurchasesOf(ctx, c.ID) {
		if err != nil {
			return Stats{}, fmt.Errorf("customer: stats of %s: %w", id, err)
		}
		p.Time = p.Time.In(s.opts.Location)
		st.addPurchase(p)
		sp := spendOf(p.Currency)
		sp.Orders++
		sp.Gross = sp.Gross.Add(p.Total())
	}
	for r, err := range s.store.ReturnsOf(ctx, c.ID) {
		if err != nil {
			return Stats{}, fmt.Errorf("customer: stats of %s: %w", id, err)
		}
		st.Returns++
		sp := spendOf(r.Currency)
		sp.Refunded = sp.Refunded.Add(r.Refund)
	}
	for _, sp := range spend {
		sp.Net = sp.Gross.Sub(sp.Refunded)
		sp.AverageOrderValue = averageOrderValue(sp.Net, sp.Orders, sp.Currency)
		st.Money = append(st.Money, *sp)
	}
	slices.SortFunc(st.Money, func(a, b Spend) int { return cmp.Compare(a.Currency, b.Currency) })
	return st, nil
}

func (st *Stats) addPurchase(p Purchase) {
	st.Orders++
	if st.FirstPurchase.IsZero() || p.Time.Before(st.FirstPurchase) {
		st.FirstPurchase = p.Time
	}
	if p.Time.After(st.LastPurchase) {
		st.LastPurchase = p.Time
	}
	st.Channels[p.Channel]++
	st.Stores[p.Store]++
	seen := map[string]bool{}
	for _, l := range p.Lines {
		if l.Category != "" && !seen["c:"+l.Category] {
			seen["c:"+l.Category] = true
			st.Categories[l.Category]++
		}
		if l.Brand != "" && !seen["b:"+l.Brand] {
			seen["b:"+l.Brand] = true
			st.Brands[l.Brand]++
		}
	}
}

func averageOrderValue(net decimal.Decimal, orders int, currency string) decimal.Decimal {
	if orders == 0 {
		return decimal.Zero
	}
	scale, err := money.MinorUnits(currency)
	if err != nil {
		scale = 2 // stored purchases were validated; this is only a guard
	}
	return net.DivRound(decimal.NewFromInt(int64(orders)), scale)
}
