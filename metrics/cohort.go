package metrics

import (
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// CohortTable is a cohort retention table: customers grouped by the
// calendar period of their first purchase, and for each later period how
// many of them bought and what they spent, net of returns.
type CohortTable struct {
	AsOf        time.Time   `json:"asOf"`
	Granularity Granularity `json:"granularity"`
	Location    string      `json:"location"`
	Currency    string      `json:"currency"`
	Scale       int32       `json:"scale"`
	Rounding    string      `json:"rounding"`
	// Cohorts has one row per period from the first purchase's period to
	// the period holding AsOf, including periods that gained nobody.
	Cohorts []Cohort `json:"cohorts"`
	// LastPartial is set when AsOf is not a period boundary, so the last
	// column of every row covers only part of its period.
	LastPartial bool `json:"lastPartial"`
	// UnmatchedReturns counts purchases with refunds that are not in the
	// purchase stream (or are anonymous); those refunds are left out.
	UnmatchedReturns int `json:"unmatchedReturns"`
}

// Cohort is one row of a CohortTable. Column k is the k-th period after
// the cohort's own (k = 0 is the first-purchase period).
type Cohort struct {
	Period    Period `json:"period"`
	Customers int    `json:"customers"`
	// Active[k] is how many of the cohort bought in column k; Active[0] is
	// Customers.
	Active []int `json:"active"`
	// Retention[k] is Active[k] / Customers (0 for an empty cohort).
	Retention []float64 `json:"retention"`
	// Revenue[k] is the net revenue of the cohort's purchases made in
	// column k (refunds before AsOf count against their purchase's column).
	Revenue []decimal.Decimal `json:"revenue"`
	// CumulativePerCustomer[k] is the net revenue of columns 0..k divided by
	// Customers, rounded: the cohort's realised value per head so far.
	CumulativePerCustomer []decimal.Decimal `json:"cumulativePerCustomer"`
}

// MaxCohortPeriods bounds the periods a cohort table spans, since its size
// grows with their square: 2,000 periods is 5½ years of days, 38 years of
// weeks or 166 years of months, and two million cells.
const MaxCohortPeriods = 2000

// Cohorts builds the cohort table of member purchases before asOf, with
// cohorts by calendar period of granularity g in loc. The stream must be
// oldest first and start at the beginning of history, since a customer's
// cohort is the period of their first purchase in the stream. Refunds are
// read from returns (which may be nil) if made before asOf.
func Cohorts(purchases iter.Seq2[customer.Purchase, error], returns iter.Seq2[customer.Return, error], asOf time.Time, g Granularity, loc *time.Location) (CohortTable, error) {
	if _, err := PeriodOf(asOf, g, loc); err != nil {
		return CohortTable{}, err
	}
	if asOf.IsZero() {
		return CohortTable{}, fieldErr(ErrInvalidArgument, "cohorts", "AsOf", "must be set")
	}
	var guard currencyGuard
	refunds, err := indexRefunds(returns, asOf, &guard)
	if err != nil {
		return CohortTable{}, err
	}
	b := newCohortBuilder(g, loc)
	err = walkPurchases(purchases, asOf, func(p *customer.Purchase) error {
		if p.Anonymous() {
			return nil
		}
		if err := guard.check("purchase", p.ID, p.Currency); err != nil {
			return err
		}
		b.scale = guard.scale
		b.add(p.CustomerID, periodNumber(p.Time, g, loc), amountsOf(p, refunds.take(p.ID), guard.scale))
		return nil
	})
	if err != nil {
		return CohortTable{}, err
	}
	last := periodNumber(asOf.Add(-time.Nanosecond), g, loc)
	if b.any && last-b.first+1 > MaxCohortPeriods {
		return CohortTable{}, fieldErr(ErrInvalidArgument, "cohorts", "Granularity",
			"%d %ss from the first purchase to asOf exceed %d; use a coarser granularity", last-b.first+1, g, MaxCohortPeriods)
	}
	out := CohortTable{
		AsOf: asOf, Granularity: g, Location: loc.String(),
		Currency: guard.code, Scale: guard.scale, Rounding: RoundingRule,
		LastPartial:      !periodOf(asOf, g, loc).Start.Equal(asOf),
		UnmatchedReturns: refunds.unmatched(),
	}
	out.Cohorts = b.rows(last, guard.scale)
	return out, nil
}

// cohortBuilder accumulates the table in one pass over time-sorted
// purchases: a customer's first purchase fixes their cohort, and since
// purchases arrive in order, "already counted in this column" is just
// "the last column counted is this one".
type cohortBuilder struct {
	g         Granularity
	loc       *time.Location
	scale     int32
	customers map[string]*cohortMember
	cohorts   map[int64]*cohortAcc
	first     int64
	any       bool
}

type cohortMember struct {
	cohort   *cohortAcc
	lastSeen int64 // column last counted as active
}

type cohortAcc struct {
	number    int64
	customers int
	active    []int
	revenue   []minorSum
}

func newCohortBuilder(g Granularity, loc *time.Location) *cohortBuilder {
	return &cohortBuilder{g: g, loc: loc, customers: map[string]*cohortMember{}, cohorts: map[int64]*cohortAcc{}}
}

func (b *cohortBuilder) add(customerID string, period int64, net saleAmounts) {
	m := b.customers[customerID]
	if m == nil {
		c := b.cohorts[period]
		if c == nil {
			c = &cohortAcc{number: period}
			b.cohorts[period] = c
		}
		if !b.any {
			b.first, b.any = period, true
		}
		c.customers++
		m = &cohortMember{cohort: c, lastSeen: period - 1}
		b.customers[customerID] = m
	}
	c := m.cohort
	col := int(period - c.number)
	for len(c.active) <= col {
		c.active = append(c.active, 0)
		c.revenue = append(c.revenue, minorSum{})
	}
	if m.lastSeen != period {
		c.active[col]++
		m.lastSeen = period
	}
	net.addNet(&c.revenue[col], b.scale)
}

// rows lays the cohorts out from the first cohort to period last.
func (b *cohortBuilder) rows(last int64, scale int32) []Cohort {
	if !b.any {
		return nil
	}
	rows := make([]Cohort, 0, last-b.first+1)
	for n := b.first; n <= last; n++ {
		width := int(last - n + 1)
		row := Cohort{
			Period:                periodByNumber(n, b.g, b.loc),
			Active:                make([]int, width),
			Retention:             make([]float64, width),
			Revenue:               make([]decimal.Decimal, width),
			CumulativePerCustomer: make([]decimal.Decimal, width),
		}
		if c := b.cohorts[n]; c != nil {
			row.Customers = c.customers
			copy(row.Active, c.active)
			for k, r := range c.revenue {
				row.Revenue[k] = r.value(scale)
			}
		}
		cum := decimal.Zero
		for k := range width {
			cum = cum.Add(row.Revenue[k])
			row.CumulativePerCustomer[k] = perHead(cum, row.Customers, scale)
			if row.Customers > 0 {
				row.Retention[k] = float64(row.Active[k]) / float64(row.Customers)
			}
		}
		rows = append(rows, row)
	}
	return rows
}
