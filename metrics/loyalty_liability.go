package metrics

import (
	"encoding/json"
	"errors"
	"iter"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// RateScale is the number of decimal places an estimated redemption or
// breakage rate keeps (rounded half away from zero) before it multiplies
// money.
const RateScale = 4

// Formulas, as carried in results so a reader sees what was computed.
const (
	BreakageFormula  = "expected breakage B = E / (E + R): E points expired, R points redeemed net of refunds, before as-of"
	LiabilityFormula = "expected redemption value = outstanding points × value per point × expected redemption rate, rounded to the currency's minor unit"
)

// Rate sources of a Liability.
const (
	RateFromInput = "input"     // LiabilityOptions.RedemptionRate
	RateEstimated = "estimated" // 1 − ExpectedBreakage over the same ledger
	RateNoHistory = "assumed-1" // no settled points to estimate from: every point assumed redeemed
)

// Breakage is the expected breakage of a programme: the share of issued
// points that will never be redeemed, estimated from the points whose fate
// is already settled. Of the points that have left members' balances by
// redemption (net of redemptions refunded on returns) or by expiry before
// AsOf, Rate is the expired share, E / (E + R), rounded to RateScale
// places. Clawed-back points are left out: a clawback undoes an issue, so
// those points never were a promise. Outstanding points are assumed to
// settle in the same proportion (the "proportional" pattern of IFRS 15
// B46 and ASC 606-10-55-48, which need an entity's own history, as here).
type Breakage struct {
	AsOf     time.Time       `json:"asOf"`
	Expired  int64           `json:"expired"`  // E
	Redeemed int64           `json:"redeemed"` // R
	Settled  int64           `json:"settled"`  // E + R, the sample
	Rate     decimal.Decimal `json:"rate"`     // E / (E + R); 0 when Settled is 0
	Formula  string          `json:"formula"`
}

// ExpectedBreakage estimates breakage from every entry with Time before
// asOf. The stream should reach back to the programme's start (or at
// least several expiry cycles), since a short history over-weights
// whichever of redemption and expiry happened lately.
func ExpectedBreakage(entries iter.Seq2[ledger.Entry, error], asOf time.Time) (Breakage, error) {
	if asOf.IsZero() {
		return Breakage{}, fieldErr(ErrInvalidArgument, "breakage", "AsOf", "must be set")
	}
	var b balances
	if err := b.read(entries, asOf); err != nil {
		return Breakage{}, err
	}
	return b.breakage(asOf), nil
}

// LiabilityOptions set how points are valued.
type LiabilityOptions struct {
	// Currency is the ISO 4217 code of ValuePerPoint.
	Currency string `json:"currency"`
	// ValuePerPoint is the stand-alone selling price of one point: what
	// a point buys at redemption (0.01 CNY when 100 points take 1 CNY off).
	ValuePerPoint decimal.Decimal `json:"valuePerPoint"`
	// RedemptionRate is the expected share of outstanding points that
	// will be redeemed, 0..1. Nil estimates it from the ledger as
	// 1 − ExpectedBreakage.Rate.
	RedemptionRate *decimal.Decimal `json:"redemptionRate,omitempty"`
}

// validate reports every problem at once and returns the currency scale.
func (o LiabilityOptions) validate() (int32, error) {
	var errs []error
	scale, err := money.MinorUnits(o.Currency)
	if err != nil {
		errs = append(errs, fieldErr(ErrCurrency, "liability options", "Currency", "%q: %v", o.Currency, err))
	}
	switch v := o.ValuePerPoint; {
	case !sane(v):
		errs = append(errs, fieldErr(ErrInvalidArgument, "liability options", "ValuePerPoint", "needs at most %d digits and %d decimal places", maxDigits, maxPlaces))
	case v.IsNegative():
		errs = append(errs, fieldErr(ErrInvalidArgument, "liability options", "ValuePerPoint", "must not be negative"))
	}
	if r := o.RedemptionRate; r != nil && (!sane(*r) || r.IsNegative() || r.GreaterThan(decimal.NewFromInt(1))) {
		errs = append(errs, fieldErr(ErrInvalidArgument, "liability options", "RedemptionRate", "must lie in 0..1 with at most %d decimal places", maxPlaces))
	}
	return scale, errors.Join(errs...)
}

// Bounds on configured decimals: a value per point or a rate is a price
// or a share, and bounding it keeps a mistyped exponent ("1e999999") from
// turning one multiplication into a gigabyte of digits.
const (
	maxDigits = 24
	maxPlaces = 12
)

func sane(d decimal.Decimal) bool {
	return d.Exponent() >= -maxPlaces && d.Exponent() <= maxDigits && d.NumDigits()+int(max(d.Exponent(), 0)) <= maxDigits
}

// ParseLiabilityOptions decodes liability options from JSON strictly
// (unknown fields and trailing data are errors) and checks them,
// reporting every problem at once. Decimals may be JSON strings or
// numbers: {"currency": "CNY", "valuePerPoint": "0.01",
// "redemptionRate": "0.8"}.
func ParseLiabilityOptions(data []byte) (LiabilityOptions, error) {
	// The decimals are read one by one after the structure, so a number
	// decimal cannot hold ("1e999999") is reported against its own field
	// together with every other problem, not as a JSON error.
	var w struct {
		Currency       string          `json:"currency"`
		ValuePerPoint  json.RawMessage `json:"valuePerPoint"`
		RedemptionRate json.RawMessage `json:"redemptionRate,omitempty"`
	}
	if err := decodeStrict(data, &w); err != nil {
		return LiabilityOptions{}, fieldErr(ErrInvalidArgument, "liability options", "JSON", "%v", err)
	}
	o := LiabilityOptions{Currency: w.Currency}
	var errs []error
	bad := map[string]bool{}
	if len(w.ValuePerPoint) > 0 {
		if err := o.ValuePerPoint.UnmarshalJSON(w.ValuePerPoint); err != nil {
			errs = append(errs, fieldErr(ErrInvalidArgument, "liability options", "ValuePerPoint", "is not a decimal that fits %d digits and %d decimal places", maxDigits, maxPlaces))
			bad["ValuePerPoint"] = true
		}
	}
	if len(w.RedemptionRate) > 0 && string(w.RedemptionRate) != "null" {
		var r decimal.Decimal
		if err := r.UnmarshalJSON(w.RedemptionRate); err != nil {
			errs = append(errs, fieldErr(ErrInvalidArgument, "liability options", "RedemptionRate", "is not a decimal in 0..1 with at most %d decimal places", maxPlaces))
			bad["RedemptionRate"] = true
		} else {
			o.RedemptionRate = &r
		}
	}
	if _, err := o.validate(); err != nil {
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			if fe, ok := e.(*FieldError); !ok || !bad[fe.Field] {
				errs = append(errs, e)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return LiabilityOptions{}, err
	}
	return o, nil
}

// Liability is the expected redemption value of the points a programme
// owes its members at AsOf:
//
//	Gross = Outstanding × ValuePerPoint                       (exact)
//	Value = round(Gross × RedemptionRate, minor unit, half away from zero)
//
// Value is what honouring the outstanding points is expected to cost, net
// of breakage: the points' stand-alone selling price in IFRS 15 terms
// (B42). It is not the contract liability IFRS 15 books. That is the
// share of each sale's price allocated to its points by relative
// stand-alone selling prices (AllocatePoints), which is always less than
// Value for points earned on a sale: for a sale of 2,000 earning 2,000
// points worth 0.10 with 85% expected redeemed, Value is 170 and the
// contract liability 2,000 × 170 / 2,170 = 156.68. Book the contract
// liability from AllocatePoints and PointsAllocation.Release, one sale at
// a time; use Value for the cost of the promise, and as the points'
// stand-alone selling price input to the allocation. Points granted with
// no sale (goodwill, adjustments) have no price to allocate: for them
// Value is the provision a host may book instead.
//
// Outstanding is, per account, the points in its lots (available, pending
// and held: a pending point is already promised) less its debt, never
// below zero, summed over accounts. Lots past their expiry count until the
// ledger records the expiry, so run the expiry job before measuring.
type Liability struct {
	AsOf     time.Time `json:"asOf"`
	Currency string    `json:"currency"`
	Scale    int32     `json:"scale"`
	Rounding string    `json:"rounding"`
	Formula  string    `json:"formula"`

	Accounts    int   `json:"accounts"`    // accounts with outstanding points
	Outstanding int64 `json:"outstanding"` // points owed
	Pending     int64 `json:"pending"`     // of which not yet released
	Held        int64 `json:"held"`        // of which held at a checkout
	Debt        int64 `json:"debt"`        // points owed by members, netted per account

	ValuePerPoint  decimal.Decimal `json:"valuePerPoint"`
	RedemptionRate decimal.Decimal `json:"redemptionRate"`
	RateSource     string          `json:"rateSource"` // RateFromInput, RateEstimated or RateNoHistory
	Breakage       Breakage        `json:"breakage"`   // the history the rate was estimated from

	Gross decimal.Decimal `json:"gross"`
	Value decimal.Decimal `json:"value"`
}

// LiabilityAt values the points outstanding at asOf from every entry with
// Time before it (all accounts, from the programme's start).
func LiabilityAt(entries iter.Seq2[ledger.Entry, error], asOf time.Time, opts LiabilityOptions) (Liability, error) {
	scale, err := opts.validate()
	if asOf.IsZero() {
		err = errors.Join(err, fieldErr(ErrInvalidArgument, "liability", "AsOf", "must be set"))
	}
	if err != nil {
		return Liability{}, err
	}
	var b balances
	if err := b.read(entries, asOf); err != nil {
		return Liability{}, err
	}
	out := Liability{
		AsOf: asOf, Currency: opts.Currency, Scale: scale, Rounding: RoundingRule, Formula: LiabilityFormula,
		ValuePerPoint: opts.ValuePerPoint, Breakage: b.breakage(asOf),
		Pending: b.pending, Held: b.held,
	}
	for _, a := range b.accounts {
		out.Debt += a.debt
		if owed := a.points - a.debt; owed > 0 {
			out.Accounts++
			out.Outstanding += owed
		}
	}
	switch {
	case opts.RedemptionRate != nil:
		out.RedemptionRate, out.RateSource = *opts.RedemptionRate, RateFromInput
	case out.Breakage.Settled > 0:
		out.RedemptionRate, out.RateSource = decimal.NewFromInt(1).Sub(out.Breakage.Rate), RateEstimated
	default:
		out.RedemptionRate, out.RateSource = decimal.NewFromInt(1), RateNoHistory
	}
	out.Gross = decimal.NewFromInt(out.Outstanding).Mul(opts.ValuePerPoint)
	out.Value = out.Gross.Mul(out.RedemptionRate).Round(scale)
	return out, nil
}

// balances folds a ledger into per-account points and debt and the
// programme's settled points.
type balances struct {
	accounts          map[string]*accountBalance
	pending, held     int64
	expired, redeemed int64
}

type accountBalance struct{ points, debt int64 }

func (b *balances) read(entries iter.Seq2[ledger.Entry, error], asOf time.Time) error {
	b.accounts = map[string]*accountBalance{}
	for e, err := range entries {
		if err != nil {
			return readErr("ledger entries", err)
		}
		if !e.Time.Before(asOf) {
			continue
		}
		if err := checkEntryKind(e); err != nil {
			return err
		}
		a := b.accounts[e.Account]
		if a == nil {
			a = &accountBalance{}
			b.accounts[e.Account] = a
		}
		a.points += e.Points
		a.debt += e.Debt
		b.pending += e.Pending
		b.held += e.Held
		switch e.Kind {
		case ledger.KindExpire:
			b.expired -= e.Points
		case ledger.KindRedeem, ledger.KindHoldCommit:
			b.redeemed -= e.Points
		case ledger.KindRefund:
			b.redeemed -= e.Points
		}
	}
	return nil
}

func (b *balances) breakage(asOf time.Time) Breakage {
	out := Breakage{AsOf: asOf, Expired: b.expired, Redeemed: b.redeemed, Formula: BreakageFormula}
	out.Settled = b.expired + b.redeemed
	if out.Settled > 0 && b.expired >= 0 && b.redeemed >= 0 {
		out.Rate = decimal.NewFromInt(b.expired).DivRound(decimal.NewFromInt(out.Settled), RateScale)
	}
	return out
}
