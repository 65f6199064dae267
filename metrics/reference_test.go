package metrics

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The single-pass implementations are checked against direct, slow
// restatements of each definition on random data and random windows.

func timesByCustomer(s *synthetic) map[string][]time.Time {
	m := map[string][]time.Time{}
	for _, p := range s.purchases {
		if p.CustomerID != "" {
			m[p.CustomerID] = append(m[p.CustomerID], p.Time)
		}
	}
	return m
}

func randomWindow(r *rand.Rand, span Window) Window {
	total := span.To.Sub(span.From)
	from := span.From.Add(time.Duration(r.Int64N(int64(total))))
	to := from.Add(time.Duration(1 + r.Int64N(int64(total/4))))
	return Window{From: from, To: to}
}

func TestActivityMatchesDefinition(t *testing.T) {
	s := newSynthetic(20_000, 2_000, 1)
	byCustomer := timesByCustomer(s)
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		w := randomWindow(r, s.span)
		got, err := CustomerActivity(s.purchaseSeq(), w)
		require.NoError(t, err)
		var active, fresh, orders, repeat int
		for _, ts := range byCustomer {
			in := 0
			for _, tm := range ts {
				if w.Contains(tm) {
					in++
				}
			}
			if in == 0 {
				continue
			}
			active++
			orders += in
			if !ts[0].Before(w.From) {
				fresh++
			}
			if in >= 2 {
				repeat++
			}
		}
		assert.Equal(t, active, got.Active, "%v", w)
		assert.Equal(t, fresh, got.New, "%v", w)
		assert.Equal(t, orders, got.Orders, "%v", w)
		assert.Equal(t, repeat, got.Repeat.Numerator, "%v", w)
	}
}

// lastBefore is the latest purchase strictly before m.
func lastBefore(ts []time.Time, m time.Time) (time.Time, bool) {
	i, _ := slices.BinarySearchFunc(ts, m, func(a, b time.Time) int { return a.Compare(b) })
	if i == 0 {
		return time.Time{}, false
	}
	return ts[i-1], true
}

func TestInactivityRetentionMatchesDefinition(t *testing.T) {
	s := newSynthetic(20_000, 2_000, 2)
	byCustomer := timesByCustomer(s)
	r := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		w := randomWindow(r, s.span)
		n := 1 + r.IntN(120)
		lapse := time.Duration(n) * 24 * time.Hour
		got, err := RetentionIn(s.purchaseSeq(), w, ChurnRule{Kind: Inactivity, InactiveDays: n})
		require.NoError(t, err)
		// Lapsed at m: m − (last purchase before m) ≥ N. At risk: not lapsed
		// at From. Churned: lapsed at some m in [From, To]; the gap only
		// grows between purchases, so the moments last+N and To suffice.
		var atRisk, churned int
		for _, ts := range byCustomer {
			last, ok := lastBefore(ts, w.From)
			if !ok || w.From.Sub(last) >= lapse {
				continue
			}
			atRisk++
			moments := []time.Time{w.To}
			for _, tm := range ts {
				if m := tm.Add(lapse); !m.Before(w.From) && !m.After(w.To) {
					moments = append(moments, m)
				}
			}
			for _, m := range moments {
				if l, _ := lastBefore(ts, m); m.Sub(l) >= lapse {
					churned++
					break
				}
			}
		}
		assert.Equal(t, atRisk, got.AtRisk, "%v N=%d", w, n)
		assert.Equal(t, churned, got.Churned, "%v N=%d", w, n)
	}
}

func TestPeriodOverPeriodMatchesDefinition(t *testing.T) {
	s := newSynthetic(20_000, 2_000, 3)
	byCustomer := timesByCustomer(s)
	r := rand.New(rand.NewPCG(7, 8))
	for range 20 {
		w := randomWindow(r, s.span)
		prev := w.Previous()
		got, err := RetentionIn(s.purchaseSeq(), w, ChurnRule{Kind: PeriodOverPeriod, Previous: prev})
		require.NoError(t, err)
		var atRisk, kept int
		for _, ts := range byCustomer {
			if !slices.ContainsFunc(ts, prev.Contains) {
				continue
			}
			atRisk++
			if slices.ContainsFunc(ts, w.Contains) {
				kept++
			}
		}
		assert.Equal(t, atRisk, got.AtRisk)
		assert.Equal(t, kept, got.Retained)
	}
}

func TestCohortsMatchDefinition(t *testing.T) {
	s := newSynthetic(20_000, 2_000, 4)
	asOf := s.span.From.Add(400 * 24 * time.Hour).Add(5 * time.Hour)
	for _, g := range []Granularity{Month, Week} {
		got, err := Cohorts(s.purchaseSeq(), s.returnSeq(), asOf, g, shanghai)
		require.NoError(t, err)

		refunds := map[string]decimal.Decimal{}
		for _, r := range s.returns {
			if r.Time.Before(asOf) {
				refunds[r.PurchaseID] = refunds[r.PurchaseID].Add(r.Refund)
			}
		}
		first := map[string]string{}
		type cell struct{ cohort, period string }
		active := map[cell]map[string]bool{}
		revenue := map[cell]decimal.Decimal{}
		for _, p := range s.purchases {
			if p.CustomerID == "" || !p.Time.Before(asOf) {
				continue
			}
			label := periodOf(p.Time, g, shanghai).String()
			if _, ok := first[p.CustomerID]; !ok {
				first[p.CustomerID] = label
			}
			c := cell{first[p.CustomerID], label}
			if active[c] == nil {
				active[c] = map[string]bool{}
			}
			active[c][p.CustomerID] = true
			revenue[c] = revenue[c].Add(p.Total()).Sub(refunds[p.ID])
		}
		cells := 0
		for _, row := range got.Cohorts {
			p := row.Period
			for k := range row.Active {
				c := cell{row.Period.String(), p.String()}
				require.Equal(t, len(active[c]), row.Active[k], "%s %v", g, c)
				require.True(t, revenue[c].Equal(row.Revenue[k]), "%s %v", g, c)
				if row.Active[k] > 0 {
					cells++
				}
				p = p.Next()
			}
		}
		assert.Len(t, active, cells, "%s: every non-empty cell is in the table", g)

		hist, err := HistoricValue(s.purchaseSeq(), s.returnSeq(), asOf, g, shanghai)
		require.NoError(t, err)
		assert.Len(t, hist.Customers, len(first))
		i := 0
		for _, row := range got.Cohorts {
			if row.Customers == 0 {
				continue
			}
			last := row.CumulativePerCustomer[len(row.CumulativePerCustomer)-1]
			assert.True(t, hist.Cohorts[i].PerCustomer.Equal(last), "%s cohort %s", g, row.Period)
			i++
		}
	}
}
