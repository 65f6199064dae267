package metrics

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// CustomerValue is one customer's realised value: what they paid, less
// what was refunded to them.
type CustomerValue struct {
	CustomerID string          `json:"customerId"`
	Cohort     string          `json:"cohort"` // label of the first purchase's period
	First      time.Time       `json:"first"`
	Last       time.Time       `json:"last"`
	Orders     int             `json:"orders"`
	Gross      decimal.Decimal `json:"gross"`
	Refunds    decimal.Decimal `json:"refunds"`
	Net        decimal.Decimal `json:"net"`
}

// CohortValue is the realised value of one first-purchase cohort.
type CohortValue struct {
	Period      Period          `json:"period"`
	Customers   int             `json:"customers"`
	Net         decimal.Decimal `json:"net"`
	PerCustomer decimal.Decimal `json:"perCustomer"` // Net / Customers, rounded
}

// HistoricCLV is historic customer lifetime value: net revenue realised
// per member up to AsOf (no prediction; see package clv for models).
type HistoricCLV struct {
	AsOf        time.Time       `json:"asOf"`
	Granularity Granularity     `json:"granularity"` // of the cohorts
	Location    string          `json:"location"`
	Currency    string          `json:"currency"`
	Scale       int32           `json:"scale"`
	Rounding    string          `json:"rounding"`
	Customers   []CustomerValue `json:"customers"` // sorted by CustomerID
	Cohorts     []CohortValue   `json:"cohorts"`   // non-empty cohorts, oldest first
	Net         decimal.Decimal `json:"net"`       // all members
	PerCustomer decimal.Decimal `json:"perCustomer"`
	// UnmatchedReturns counts purchases with refunds that are not member
	// purchases in the stream; those refunds are left out.
	UnmatchedReturns int `json:"unmatchedReturns"`
}

// HistoricValue computes HistoricCLV from member purchases before asOf and
// the refunds made on them before asOf (returns may be nil). Cohorts are
// calendar periods of granularity g in loc; the purchase stream must be
// oldest first and start at the beginning of history.
func HistoricValue(purchases iter.Seq2[customer.Purchase, error], returns iter.Seq2[customer.Return, error], asOf time.Time, g Granularity, loc *time.Location) (HistoricCLV, error) {
	if _, err := PeriodOf(asOf, g, loc); err != nil {
		return HistoricCLV{}, err
	}
	if asOf.IsZero() {
		return HistoricCLV{}, fieldErr(ErrInvalidArgument, "historic value", "AsOf", "must be set")
	}
	var guard currencyGuard
	refunds, err := indexRefunds(returns, asOf, &guard)
	if err != nil {
		return HistoricCLV{}, err
	}
	type acc struct {
		CustomerValue
		gross, refunds minorSum
	}
	byID := map[string]*acc{}
	err = walkPurchases(purchases, asOf, func(p *customer.Purchase) error {
		if p.Anonymous() {
			return nil
		}
		if err := guard.check("purchase", p.ID, p.Currency); err != nil {
			return err
		}
		v := byID[p.CustomerID]
		if v == nil {
			v = &acc{CustomerValue: CustomerValue{CustomerID: p.CustomerID, First: p.Time}}
			byID[p.CustomerID] = v
		}
		v.Last = p.Time
		v.Orders++
		a := amountsOf(p, refunds.take(p.ID), guard.scale)
		a.addGross(&v.gross, guard.scale)
		a.addRefund(&v.refunds, guard.scale)
		return nil
	})
	if err != nil {
		return HistoricCLV{}, err
	}
	out := HistoricCLV{
		AsOf: asOf, Granularity: g, Location: loc.String(),
		Currency: guard.code, Scale: guard.scale, Rounding: RoundingRule,
		UnmatchedReturns: refunds.unmatched(),
	}
	cohorts := map[int64]*CohortValue{}
	for _, a := range byID {
		v := &a.CustomerValue
		v.Gross, v.Refunds = a.gross.value(out.Scale), a.refunds.value(out.Scale)
		v.Net = v.Gross.Sub(v.Refunds)
		n := periodNumber(v.First, g, loc)
		c := cohorts[n]
		if c == nil {
			c = &CohortValue{Period: periodByNumber(n, g, loc)}
			cohorts[n] = c
		}
		v.Cohort = c.Period.String()
		c.Customers++
		c.Net = c.Net.Add(v.Net)
		out.Net = out.Net.Add(v.Net)
		out.Customers = append(out.Customers, *v)
	}
	slices.SortFunc(out.Customers, func(a, b CustomerValue) int { return cmp.Compare(a.CustomerID, b.CustomerID) })
	for _, n := range slices.Sorted(maps.Keys(cohorts)) {
		c := cohorts[n]
		c.PerCustomer = perHead(c.Net, c.Customers, out.Scale)
		out.Cohorts = append(out.Cohorts, *c)
	}
	out.PerCustomer = perHead(out.Net, len(out.Customers), out.Scale)
	return out, nil
}
