package clv

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"
)

// Horizon states how lifetime value is accumulated, with nothing implied:
// the horizon is Periods periods of length Period (a real duration,
// converted into the model's unit, so a daily and a weekly model value the
// same calendar horizon), each discounted at DiscountRate per period.
type Horizon struct {
	// Periods is the number of periods summed, 1 to 10,000 (e.g. 12).
	Periods int
	// Period is the length of one period, e.g. 30*24*time.Hour for a
	// 30-day "month" (calendar months vary; pick the equivalent you mean).
	Period time.Duration
	// DiscountRate is the rate per period, e.g. 0.01 for 1% a month; the
	// k-th period's value is divided by (1+DiscountRate)^k. It must be >= 0.
	DiscountRate float64
	// Places is the number of decimal places of each Value; the value is
	// rounded half away from zero (decimal.Round). 0 to 18.
	Places int32
}

func (h Horizon) validate() error {
	var errs []error
	if h.Periods < 1 || h.Periods > 10_000 {
		errs = append(errs, fieldErr("Horizon.Periods", -1, "must be between 1 and 10000"))
	}
	if h.Period <= 0 {
		errs = append(errs, fieldErr("Horizon.Period", -1, "must be positive"))
	}
	if !finite(h.DiscountRate) || h.DiscountRate < 0 {
		errs = append(errs, fieldErr("Horizon.DiscountRate", -1, "must be finite and >= 0"))
	}
	if h.Places < 0 || h.Places > 18 {
		errs = append(errs, fieldErr("Horizon.Places", -1, "must be between 0 and 18"))
	}
	return errors.Join(errs...)
}

// Value is one customer's predicted lifetime value over a Horizon.
type Value struct {
	CustomerID string
	// Value is Σ_k E[purchases in period k] × E[spend] / (1+d)^k, converted
	// from float64 and rounded to Horizon.Places half away from zero.
	Value decimal.Decimal
	// ExpectedPurchases is the undiscounted expected number of purchases
	// over the whole horizon.
	ExpectedPurchases float64
	// ExpectedSpend is the Gamma-Gamma expected spend per purchase.
	ExpectedSpend float64
	// ProbabilityAlive is the BG/NBD probability of being alive at the
	// calibration end.
	ProbabilityAlive float64
}

// Valuation is the result of LifetimeValues, carrying the parameters it was
// computed with.
type Valuation struct {
	Horizon Horizon
	Unit    Unit
	// PeriodUnits is one period expressed in Unit (30 days = 4.2857 weeks).
	PeriodUnits float64
	Customers   []Value
}

// LifetimeValues values every customer of s over the horizon with the
// BG/NBD purchase model bg and the Gamma-Gamma spend model gg. The data
// must be in the model's unit (ErrUnitMismatch otherwise). Monetary values
// are revenue unless the summaries hold margins. Customers without repeat
// purchases are valued at the population mean spend, which needs q > 1
// (ErrMeanUndefined). Any error fails the whole call; there is no partial
// result.
func LifetimeValues(bg BGNBD, gg GammaGamma, s Summaries, h Horizon) (Valuation, error) {
	if err := joinFlat(bg.Validate(), gg.Validate(), h.validate()); err != nil {
		return Valuation{}, err
	}
	if s.Unit != bg.Unit {
		return Valuation{}, fmt.Errorf("%w: data in %s, model in %s", ErrUnitMismatch, s.Unit, bg.Unit)
	}
	if err := validateCustomers(s.Customers); err != nil {
		return Valuation{}, err
	}
	out := Valuation{Horizon: h, Unit: bg.Unit, PeriodUnits: bg.Unit.Of(h.Period), Customers: make([]Value, len(s.Customers))}
	for i := range s.Customers {
		v, err := lifetimeValue(bg, gg, &s.Customers[i], out.PeriodUnits, h)
		if err != nil {
			return Valuation{}, fmt.Errorf("clv: customer %d: %w", i, err)
		}
		out.Customers[i] = v
	}
	return out, nil
}

// LifetimeValue values one customer whose summary is in unit.
func LifetimeValue(bg BGNBD, gg GammaGamma, c Summary, unit Unit, h Horizon) (Value, error) {
	one := Summaries{Unit: unit, Customers: []Summary{c}}
	v, err := LifetimeValues(bg, gg, one, h)
	if err != nil {
		return Value{}, err
	}
	return v.Customers[0], nil
}

func lifetimeValue(bg BGNBD, gg GammaGamma, c *Summary, period float64, h Horizon) (Value, error) {
	spend, err := gg.ConditionalExpectedAverageProfit(c.Frequency, c.Monetary)
	if err != nil {
		return Value{}, err
	}
	v := Value{CustomerID: c.CustomerID, ExpectedSpend: spend}
	v.ProbabilityAlive = bg.pAlive(float64(c.Frequency), c.Recency, c.T)
	prev, total := 0.0, 0.0
	disc := 1.0
	for k := 1; k <= h.Periods; k++ {
		e, err := bg.ConditionalExpectedPurchases(float64(k)*period, c.Frequency, c.Recency, c.T)
		if err != nil {
			return Value{}, err
		}
		disc /= 1 + h.DiscountRate
		total += (e - prev) * spend * disc
		prev = e
	}
	v.ExpectedPurchases = prev
	if !finite(total) || math.Abs(total) > 1e30 {
		return Value{}, fmt.Errorf("%w: lifetime value %g", ErrNumerical, total)
	}
	v.Value = decimal.NewFromFloat(total).Round(h.Places)
	return v, nil
}
