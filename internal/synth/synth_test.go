package synth

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func small() *Shop {
	c := DefaultConfig()
	c.Customers, c.Purchases, c.ReturnPerMille = 300, 3000, 100
	return New(c)
}

func TestDeterministicBySeed(t *testing.T) {
	a, b := small(), small()
	var pa, pb []customer.Purchase
	for p, err := range a.Purchases() {
		require.NoError(t, err)
		pa = append(pa, p)
	}
	for p, err := range b.Purchases() {
		require.NoError(t, err)
		pb = append(pb, p)
	}
	require.Len(t, pa, 3000)
	for i := range pa {
		require.Equal(t, pa[i].ID, pb[i].ID)
		require.Equal(t, pa[i].CustomerID, pb[i].CustomerID)
		require.True(t, pa[i].Total().Equal(pb[i].Total()))
	}
	c := DefaultConfig()
	c.Customers, c.Purchases, c.Seed = 300, 3000, 2
	other := New(c)
	diff := 0
	i := 0
	for p := range other.Purchases() {
		if p.CustomerID != pa[i].CustomerID {
			diff++
		}
		i++
	}
	assert.Greater(t, diff, 100, "another seed, another shop")
}

func TestStreamsInTimeOrderAndConsistent(t *testing.T) {
	s := small()
	cfg := s.Config()
	var prev time.Time
	totals := map[string]decimal.Decimal{}
	joined := map[string]time.Time{}
	for c := range s.Customers() {
		joined[c.ID] = c.JoinedAt
		require.NoError(t, c.Birthday.Validate())
	}
	require.Len(t, joined, 300)
	for p := range s.Purchases() {
		require.False(t, p.Time.Before(prev), "purchases sorted")
		require.False(t, p.Time.Before(cfg.Start))
		require.True(t, p.Time.Before(cfg.End))
		require.False(t, p.Time.Before(joined[p.CustomerID].Truncate(24*time.Hour)), "no purchase before joining")
		prev = p.Time
		sum := decimal.Zero
		for _, l := range p.Lines {
			require.True(t, l.Total.Equal(l.Quantity.Mul(l.UnitPrice).Sub(l.Discount)))
			sum = sum.Add(l.Total)
		}
		totals[p.CustomerID] = totals[p.CustomerID].Add(sum)
	}
	prev = time.Time{}
	returns := 0
	for r := range s.Returns() {
		require.False(t, r.Time.Before(prev), "returns sorted")
		prev = r.Time
		totals[r.CustomerID] = totals[r.CustomerID].Sub(r.Refund)
		returns++
	}
	assert.InDelta(t, 300, returns, 120, "about 10% of purchases returned")
	// The lean stream carries the same money.
	lean := map[string]int64{}
	var last int64
	for sale := range s.Sales() {
		require.GreaterOrEqual(t, sale.Unix, last)
		last = sale.Unix
		id := s.CustomerIDs()[sale.Customer]
		if sale.Refund {
			lean[id] -= sale.Minor
		} else {
			lean[id] += sale.Minor
		}
	}
	require.Equal(t, len(totals), len(lean))
	for id, d := range totals {
		assert.True(t, d.Equal(decimal.New(lean[id], -Scale)), id)
	}
}

func TestSeasonality(t *testing.T) {
	s := New(Config{Customers: 100, Purchases: 100000})
	byMonth := map[time.Month]int{}
	for d, n := range s.perDay {
		byMonth[s.firstDay.AddDate(0, 0, d).Month()] += n
	}
	assert.Greater(t, byMonth[time.December], byMonth[time.June]*3/2)
	total := 0
	for _, n := range s.perDay {
		total += n
	}
	assert.Equal(t, 100000, total)
}
